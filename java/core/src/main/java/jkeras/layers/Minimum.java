package jkeras.layers;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Minimum}: the element-wise minimum of a list of inputs (broadcasting as {@link
 * Merge} describes). Functional form: {@link Merging#minimum}.
 */
public final class Minimum extends Merge {
  public Minimum() {
    this(new Builder());
  }

  private Minimum(Builder b) {
    super(b);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  Operand<TFloat32> mergeFunction(Ops tf, List<Operand<TFloat32>> inputs) {
    return fold(inputs, tf.math::minimum);
  }

  /** {@code Layers.deserialize} of a Keras {@code Minimum} config. */
  public static Minimum fromConfig(Map<String, Object> config) {
    return fromConfig("Minimum", config, builder()).build();
  }

  /** Builds a {@link Minimum}. */
  public static final class Builder extends Layer.Builder<Builder> {
    public Minimum build() {
      return new Minimum(this);
    }
  }
}
