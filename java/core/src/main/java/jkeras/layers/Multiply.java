package jkeras.layers;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Multiply}: the element-wise product of a list of inputs (broadcasting as {@link
 * Merge} describes). Functional form: {@link Merging#multiply}.
 */
public final class Multiply extends Merge {
  public Multiply() {
    this(new Builder());
  }

  private Multiply(Builder b) {
    super(b);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  Operand<TFloat32> mergeFunction(Ops tf, List<Operand<TFloat32>> inputs) {
    return fold(inputs, tf.math::mul);
  }

  /** {@code Layers.deserialize} of a Keras {@code Multiply} config. */
  public static Multiply fromConfig(Map<String, Object> config) {
    return fromConfig("Multiply", config, builder()).build();
  }

  /** Builds a {@link Multiply}. */
  public static final class Builder extends Layer.Builder<Builder> {
    public Multiply build() {
      return new Multiply(this);
    }
  }
}
