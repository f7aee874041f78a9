package jkeras.layers;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Average}: the element-wise mean of a list of inputs, their sum divided by their
 * count (broadcasting as {@link Merge} describes). Functional form: {@link Merging#average}.
 */
public final class Average extends Merge {
  public Average() {
    this(new Builder());
  }

  private Average(Builder b) {
    super(b);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  Operand<TFloat32> mergeFunction(Ops tf, List<Operand<TFloat32>> inputs) {
    return tf.math.div(fold(inputs, tf.math::add), tf.constant((float) inputs.size()));
  }

  /** {@code Layers.deserialize} of a Keras {@code Average} config. */
  public static Average fromConfig(Map<String, Object> config) {
    return fromConfig("Average", config, builder()).build();
  }

  /** Builds a {@link Average}. */
  public static final class Builder extends Layer.Builder<Builder> {
    public Average build() {
      return new Average(this);
    }
  }
}
