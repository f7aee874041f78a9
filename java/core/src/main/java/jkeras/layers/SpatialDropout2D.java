package jkeras.layers;

import java.util.Map;

/**
 * Keras' {@code SpatialDropout2D(rate, data_format=None)}: dropout of whole feature maps, the same
 * channels dropped at every position of a {@code (batch, rows, cols, channels)} input ({@code
 * (batch, channels, rows, cols)} with {@code channels_first}); the identity in test and predict
 * steps.
 *
 * <p>Its config is {@link Dropout}'s ({@code rate}, {@code noise_shape} None, {@code seed}): Keras
 * 2.3.1 (and tf-keras) leave {@code data_format} out of it, so a round trip through a config falls
 * back to {@code channels_last}.
 */
public final class SpatialDropout2D extends SpatialDropout {
  /** Keras' default {@code data_format} (its {@code image_data_format()}). */
  public static final String DATA_FORMAT_DEFAULT = "channels_last";

  /** {@code SpatialDropout2D(rate)}: {@code rate} in [0, 1), channels last. */
  public SpatialDropout2D(double rate) {
    this(builder(rate));
  }

  private SpatialDropout2D(Builder b) {
    super(b, 2, b.dataFormat);
  }

  public static Builder builder(double rate) {
    return new Builder(rate);
  }

  /** Keras' {@code data_format}: {@code channels_last} or {@code channels_first}. */
  public String dataFormat() {
    return dataFormat;
  }

  /**
   * {@code Layers.deserialize} of a Keras {@code SpatialDropout2D} config ({@code data_format}
   * accepted too, though Keras does not write it).
   */
  public static SpatialDropout2D fromConfig(Map<String, Object> config) {
    return fromConfig("SpatialDropout2D", config, SpatialDropout2D::builder).build();
  }

  /** Builds a {@link SpatialDropout2D}; defaults are Keras'. */
  public static final class Builder extends SpatialDropout.Builder<Builder> {
    private Builder(double rate) {
      super(rate);
    }

    public SpatialDropout2D build() {
      return new SpatialDropout2D(this);
    }
  }
}
