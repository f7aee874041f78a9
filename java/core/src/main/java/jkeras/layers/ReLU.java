package jkeras.layers;

import java.util.List;
import java.util.Map;
import jkeras.activations.Activations;
import jkeras.backend.CallContext;
import jkeras.internal.Config;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code ReLU(max_value=None, negative_slope=0., threshold=0.)}: {@code max_value} for
 * {@code x >= max_value}, {@code x} for {@code threshold <= x < max_value}, {@code negative_slope *
 * (x - threshold)} otherwise, op for op as Keras 2.3.1's {@code K.relu}.
 *
 * <p>The arguments are kept as float32, as Keras' {@code K.cast_to_floatx} keeps them, so the
 * config reports e.g. {@code 0.10000000149011612} for {@code 0.1}.
 */
public final class ReLU extends PassThroughLayer {
  /** Keras' default {@code max_value}: none. */
  public static final Double MAX_VALUE_DEFAULT = null;

  /** Keras' default {@code negative_slope}. */
  public static final double NEGATIVE_SLOPE_DEFAULT = 0.0;

  /** Keras' default {@code threshold}. */
  public static final double THRESHOLD_DEFAULT = 0.0;

  private final Float maxValue;
  private final float negativeSlope;
  private final float threshold;

  /** {@code ReLU()}: the plain rectifier. */
  public ReLU() {
    this(builder());
  }

  private ReLU(Builder b) {
    super(b);
    this.maxValue = b.maxValue == null ? null : (float) (double) b.maxValue;
    this.negativeSlope = (float) b.negativeSlope;
    this.threshold = (float) b.threshold;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Keras' {@code max_value} (float32 widened), or null. */
  public Double maxValue() {
    return maxValue == null ? null : (double) maxValue;
  }

  public double negativeSlope() {
    return negativeSlope;
  }

  public double threshold() {
    return threshold;
  }

  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    return Activations.relu(negativeSlope, maxValue == null ? null : (double) maxValue, threshold)
        .call(ctx.tf(), inputs.get(0));
  }

  /** Keras' {@code get_config()}: {@code max_value}, {@code negative_slope}, {@code threshold}. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("max_value", maxValue == null ? null : (double) maxValue);
    c.put("negative_slope", (double) negativeSlope);
    c.put("threshold", (double) threshold);
    return c;
  }

  /** {@code Layers.deserialize} of a Keras {@code ReLU} config. */
  public static ReLU fromConfig(Map<String, Object> config) {
    Layers.check("ReLU", config, "max_value", "negative_slope", "threshold");
    Builder b = builder().baseConfig(config);
    if (config.get("max_value") != null) b.maxValue(Config.getDouble(config, "max_value", 0));
    return b.negativeSlope(Config.getDouble(config, "negative_slope", NEGATIVE_SLOPE_DEFAULT))
        .threshold(Config.getDouble(config, "threshold", THRESHOLD_DEFAULT))
        .build();
  }

  /** Builds a {@link ReLU}; defaults are Keras'. */
  public static final class Builder extends Layer.Builder<Builder> {
    private Double maxValue = MAX_VALUE_DEFAULT;
    private double negativeSlope = NEGATIVE_SLOPE_DEFAULT;
    private double threshold = THRESHOLD_DEFAULT;

    /**
     * {@code maxValue} (Keras {@code max_value}): the saturation value, {@code >= 0}, or null for
     * none. Default none.
     *
     * @throws IllegalArgumentException for a negative value (Keras' message)
     */
    public Builder maxValue(Double maxValue) {
      if (maxValue != null && maxValue < 0) {
        throw new IllegalArgumentException(
            "max_value of ReLU layer cannot be negative value: " + maxValue);
      }
      this.maxValue = maxValue;
      return this;
    }

    /**
     * {@code negativeSlope} (Keras {@code negative_slope}): the slope below the threshold, {@code
     * >= 0}. Default 0.
     *
     * @throws IllegalArgumentException for a negative value (Keras' message)
     */
    public Builder negativeSlope(double negativeSlope) {
      if (negativeSlope < 0) {
        throw new IllegalArgumentException(
            "negative_slope of ReLU layer cannot be negative value: " + negativeSlope);
      }
      this.negativeSlope = negativeSlope;
      return this;
    }

    /** {@code threshold} (Keras {@code threshold}): where the rectifier starts. Default 0. */
    public Builder threshold(double threshold) {
      this.threshold = threshold;
      return this;
    }

    public ReLU build() {
      return new ReLU(this);
    }
  }
}
