package jkeras.layers;

import java.util.List;
import java.util.Map;
import jkeras.internal.Config;

/**
 * Keras' {@code SpatialDropout3D(rate, data_format=None)}: dropout of whole feature maps, the same
 * channels dropped at every position of a {@code (batch, d1, d2, d3, channels)} input ({@code
 * (batch, channels, d1, d2, d3)} with {@code channels_first}); the identity in test and predict
 * steps.
 *
 * <p>Its config is {@link Dropout}'s ({@code rate}, {@code noise_shape} None, {@code seed}): Keras
 * 2.3.1 (and tf-keras) leave {@code data_format} out of it, so a round trip through a config falls
 * back to {@code channels_last}.
 */
public final class SpatialDropout3D extends BaseDropout {
  /** Keras' default {@code data_format} (its {@code image_data_format()}). */
  public static final String DATA_FORMAT_DEFAULT = "channels_last";

  private final String dataFormat;

  /** {@code SpatialDropout3D(rate)}: {@code rate} in [0, 1), channels last. */
  public SpatialDropout3D(double rate) {
    this(builder(rate));
  }

  private SpatialDropout3D(Builder b) {
    super(
        b,
        b.rate,
        null,
        b.dataFormat.equals("channels_first")
            ? new long[] {-1, -1, 1, 1, 1}
            : new long[] {-1, 1, 1, 1, -1},
        b.seed);
    this.dataFormat = b.dataFormat;
  }

  public static Builder builder(double rate) {
    return new Builder(rate);
  }

  /** Keras' {@code data_format}: {@code channels_last} or {@code channels_first}. */
  public String dataFormat() {
    return dataFormat;
  }

  @Override
  public void build(List<long[]> inputShapes) {
    InputChecks.ndim(name(), inputShapes.get(0), 5);
  }

  /**
   * {@code Layers.deserialize} of a Keras {@code SpatialDropout3D} config ({@code data_format}
   * accepted too, though Keras does not write it).
   */
  public static SpatialDropout3D fromConfig(Map<String, Object> config) {
    Layers.check("SpatialDropout3D", config, "rate", "noise_shape", "seed", "data_format");
    return builder(Config.getDouble(config, "rate", 0))
        .baseConfig(config)
        .dataFormat((String) config.get("data_format"))
        .seed(Config.getSeed(config, "seed"))
        .build();
  }

  /** Builds a {@link SpatialDropout3D}; defaults are Keras'. */
  public static final class Builder extends Layer.Builder<Builder> {
    private final double rate;
    private String dataFormat = DATA_FORMAT_DEFAULT;
    private Long seed;

    private Builder(double rate) {
      this.rate = checkRate(rate);
    }

    /**
     * {@code dataFormat} (Keras {@code data_format}): {@code "channels_last"} or {@code
     * "channels_first"}; null is the default, channels last.
     */
    public Builder dataFormat(String dataFormat) {
      this.dataFormat = InputChecks.dataFormat(dataFormat);
      return this;
    }

    /** {@code seed} (Keras {@code seed}, through Dropout's kwargs): default none. */
    public Builder seed(Long seed) {
      this.seed = seed;
      return this;
    }

    public SpatialDropout3D build() {
      return new SpatialDropout3D(this);
    }
  }
}
