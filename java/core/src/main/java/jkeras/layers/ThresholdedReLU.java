package jkeras.layers;

import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code ThresholdedReLU(theta=1.0)}: {@code x} for {@code x > theta}, 0 otherwise ({@code x
 * * cast(x > theta)}). {@code theta} is kept as float32, as Keras keeps it.
 */
public final class ThresholdedReLU extends ScalarActivation {
  /** Keras' default {@code theta}. */
  public static final double THETA_DEFAULT = 1.0;

  /** {@code ThresholdedReLU()}: {@code theta=1.0}. */
  public ThresholdedReLU() {
    this(builder());
  }

  /** {@code ThresholdedReLU(theta)}. */
  public ThresholdedReLU(double theta) {
    this(builder().theta(theta));
  }

  private ThresholdedReLU(Builder b) {
    super(b);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Keras' {@code theta}, as float32 widened to double. */
  public double theta() {
    return value;
  }

  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    Ops tf = ctx.tf();
    Operand<TFloat32> x = inputs.get(0);
    return tf.math.mul(x, tf.dtypes.cast(tf.math.greater(x, tf.constant(value)), TFloat32.class));
  }

  /** {@code Layers.deserialize} of a Keras {@code ThresholdedReLU} config. */
  public static ThresholdedReLU fromConfig(Map<String, Object> config) {
    return fromConfig("ThresholdedReLU", config, builder()).build();
  }

  /** Builds a {@link ThresholdedReLU}; defaults are Keras'. */
  public static final class Builder extends ScalarActivation.Builder<Builder> {
    /** A builder with Keras' defaults (as {@link ThresholdedReLU#builder()}). */
    public Builder() {
      super("theta", THETA_DEFAULT);
    }

    /** {@code theta} (Keras {@code theta}): the threshold. Default 1.0. */
    public Builder theta(double theta) {
      return value(theta);
    }

    public ThresholdedReLU build() {
      return new ThresholdedReLU(this);
    }
  }
}
