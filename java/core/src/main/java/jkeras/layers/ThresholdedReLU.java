package jkeras.layers;

import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import jkeras.internal.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code ThresholdedReLU(theta=1.0)}: {@code x} for {@code x > theta}, 0 otherwise ({@code x
 * * cast(x > theta)}). {@code theta} is kept as float32, as Keras keeps it.
 */
public final class ThresholdedReLU extends Layer {
  /** Keras' default {@code theta}. */
  public static final double THETA_DEFAULT = 1.0;

  private final float theta;

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
    this.theta = (float) b.theta;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Keras' {@code theta}, as float32 widened to double. */
  public double theta() {
    return theta;
  }

  @Override
  public boolean supportsMasking() {
    return true;
  }

  @Override
  protected boolean weightsFreeLayer() {
    return true;
  }

  @Override
  public long[] computeOutputShape(List<long[]> inputShapes) {
    return inputShapes.get(0);
  }

  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    Ops tf = ctx.tf();
    Operand<TFloat32> x = inputs.get(0);
    return tf.math.mul(x, tf.dtypes.cast(tf.math.greater(x, tf.constant(theta)), TFloat32.class));
  }

  /** Keras' {@code get_config()}: {@code theta} (its float32 value). */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("theta", (double) theta);
    return c;
  }

  /** {@code Layers.deserialize} of a Keras {@code ThresholdedReLU} config. */
  public static ThresholdedReLU fromConfig(Map<String, Object> config) {
    Layers.check("ThresholdedReLU", config, "theta");
    return builder()
        .baseConfig(config)
        .theta(Config.getDouble(config, "theta", THETA_DEFAULT))
        .build();
  }

  /** Builds a {@link ThresholdedReLU}; defaults are Keras'. */
  public static final class Builder extends Layer.Builder<Builder> {
    private double theta = THETA_DEFAULT;

    /** {@code theta} (Keras {@code theta}): the threshold. Default 1.0. */
    public Builder theta(double theta) {
      this.theta = theta;
      return this;
    }

    public ThresholdedReLU build() {
      return new ThresholdedReLU(this);
    }
  }
}
