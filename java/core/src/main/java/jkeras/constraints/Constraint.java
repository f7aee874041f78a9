package jkeras.constraints;

import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A projection applied to a weight after each optimizer update, Keras' {@code
 * keras.constraints.Constraint}: {@link #call} builds {@code constraint(w)} in the model's graph.
 *
 * <p>Subclass it for a custom constraint (Keras' {@code __call__} is {@link #call}, {@code
 * get_config} is {@link #getConfig}); register it with {@link Constraints#register} to deserialize
 * it. Instances are immutable.
 *
 * <pre>{@code
 * class Clip extends Constraint {       // keras: class Clip(Constraint): def __call__(self, w): ...
 *   public Operand<TFloat32> call(Ops tf, Operand<TFloat32> w) {
 *     return tf.clipByValue(w, tf.constant(-1f), tf.constant(1f));
 *   }
 * }
 * }</pre>
 */
public abstract class Constraint {
  /** Builds the constrained value of {@code w} (Keras' {@code __call__(w)}). */
  public abstract Operand<TFloat32> call(Ops tf, Operand<TFloat32> w);

  /** Keras' {@code get_config()}: the constructor arguments; empty by default. */
  public Map<String, Object> getConfig() {
    return new LinkedHashMap<>();
  }

  /** The Keras class name {@code serialize} writes: the simple class name by default. */
  public String className() {
    return getClass().getSimpleName();
  }

  @Override
  public String toString() {
    return className() + getConfig();
  }
}
