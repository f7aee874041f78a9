package jkeras.layers;

import java.util.Map;

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
public final class SpatialDropout3D extends SpatialDropout {
  /** Keras' default {@code data_format} (its {@code image_data_format()}). */
  public static final String DATA_FORMAT_DEFAULT = "channels_last";

  /** {@code SpatialDropout3D(rate)}: {@code rate} in [0, 1), channels last. */
  public SpatialDropout3D(double rate) {
    this(builder(rate));
  }

  private SpatialDropout3D(Builder b) {
    super(b, 3, b.dataFormat);
  }

  public static Builder builder(double rate) {
    return new Builder(rate);
  }

  /** Keras' {@code data_format}: {@code channels_last} or {@code channels_first}. */
  public String dataFormat() {
    return dataFormat;
  }

  /**
   * {@code Layers.deserialize} of a Keras {@code SpatialDropout3D} config ({@code data_format}
   * accepted too, though Keras does not write it).
   */
  public static SpatialDropout3D fromConfig(Map<String, Object> config) {
    return fromConfig("SpatialDropout3D", config, SpatialDropout3D::builder).build();
  }

  /** Builds a {@link SpatialDropout3D}; defaults are Keras'. */
  public static final class Builder extends SpatialDropout.Builder<Builder> {
    private Builder(double rate) {
      super(rate);
    }

    public SpatialDropout3D build() {
      return new SpatialDropout3D(this);
    }
  }
}
