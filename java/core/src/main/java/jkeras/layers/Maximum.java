package jkeras.layers;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Maximum}: the element-wise maximum of a list of inputs (broadcasting as {@link
 * Merge} describes). Functional form: {@link Merging#maximum}.
 */
public final class Maximum extends Merge {
  public Maximum() {
    this(new Builder());
  }

  private Maximum(Builder b) {
    super(b);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  Operand<TFloat32> mergeFunction(Ops tf, List<Operand<TFloat32>> inputs) {
    return fold(inputs, tf.math::maximum);
  }

  /** {@code Layers.deserialize} of a Keras {@code Maximum} config. */
  public static Maximum fromConfig(Map<String, Object> config) {
    return fromConfig("Maximum", config, builder()).build();
  }

  /** Builds a {@link Maximum}. */
  public static final class Builder extends Layer.Builder<Builder> {
    public Maximum build() {
      return new Maximum(this);
    }
  }
}
