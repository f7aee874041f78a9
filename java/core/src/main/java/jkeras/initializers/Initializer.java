package jkeras.initializers;

import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A weight initializer, as in {@code keras.initializers}. Immutable configuration; values are
 * produced by TensorFlow's stateless random ops so a given seed always gives the same weights.
 */
public abstract class Initializer {
  /**
   * The Keras class name used in configs, e.g. {@code "RandomNormal"}: the Java class's simple
   * name, as Keras' {@code serialize} takes {@code instance.__class__.__name__} ({@link
   * VarianceScaling}'s presets answer their tf-keras class name, e.g. {@code "GlorotUniform"}).
   */
  public String className() {
    return getClass().getSimpleName();
  }

  /**
   * Builds the op that computes initial values.
   *
   * @param shape the variable's shape (for a Dense kernel {@code [fanIn, units]})
   * @param seed the seed to use when this initializer was created without one (derived from the
   *     global seed by the engine); an initializer created with a seed ignores it
   */
  public abstract Operand<TFloat32> call(Ops tf, long[] shape, long seed);

  /** Keras {@code get_config()}, snake_case keys. */
  public abstract Map<String, Object> getConfig();
}
