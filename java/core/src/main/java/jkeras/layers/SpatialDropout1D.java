package jkeras.layers;

import java.util.Map;

/**
 * Keras' {@code SpatialDropout1D(rate)}: dropout of whole feature maps of a {@code (batch, steps,
 * channels)} input, the same channels dropped at every step (noise shape {@code (batch, 1,
 * channels)}); the identity in test and predict steps. Its config is {@link Dropout}'s, with {@code
 * noise_shape} None, as in Keras.
 */
public final class SpatialDropout1D extends SpatialDropout {
  /** {@code SpatialDropout1D(rate)}: {@code rate} in [0, 1). */
  public SpatialDropout1D(double rate) {
    this(builder(rate));
  }

  private SpatialDropout1D(Builder b) {
    super(b, 1, Conv.DATA_FORMAT_DEFAULT);
  }

  public static Builder builder(double rate) {
    return new Builder(rate);
  }

  /** {@code Layers.deserialize} of a Keras {@code SpatialDropout1D} config. */
  public static SpatialDropout1D fromConfig(Map<String, Object> config) {
    return readConfig(
            "SpatialDropout1D", config, "rate", null, SpatialDropout1D::builder, "noise_shape")
        .build();
  }

  /** Builds a {@link SpatialDropout1D}; defaults are Keras'. */
  public static final class Builder extends RateBuilder<Builder> {
    private Builder(double rate) {
      super(rate);
    }

    public SpatialDropout1D build() {
      return new SpatialDropout1D(this);
    }
  }
}
