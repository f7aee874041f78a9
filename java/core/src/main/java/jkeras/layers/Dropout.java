package jkeras.layers;

import java.util.Map;

/**
 * Keras' {@code Dropout(rate, noise_shape=None, seed=None)}: in training steps, zeroes a fraction
 * {@code rate} of the inputs and scales the rest by {@code 1/(1-rate)}; the identity in test and
 * predict steps.
 *
 * <p>{@code noiseShape} is the shape of the keep/drop mask, broadcast over the input: {@code (-1,
 * 1, features)} drops the same features at every time step ({@code -1} is Keras' {@code None}, the
 * input's size there). {@link SpatialDropout1D}, {@link SpatialDropout2D} and {@link
 * SpatialDropout3D} fix it to whole feature maps.
 */
public final class Dropout extends BaseDropout {
  /** {@code Dropout(rate)}: {@code rate} in [0, 1). */
  public Dropout(double rate) {
    this(builder(rate));
  }

  private Dropout(Builder b) {
    super(b, b.noiseShape, b.noiseShape);
  }

  public static Builder builder(double rate) {
    return new Builder(rate);
  }

  /** {@code Layers.deserialize} of a Keras {@code Dropout} config. */
  public static Dropout fromConfig(Map<String, Object> config) {
    return readConfig("Dropout", config, "rate", null, Dropout::builder, "noise_shape")
        .readNoiseShape(config)
        .build();
  }

  /** Builds a {@link Dropout}; defaults are Keras'. */
  public static final class Builder extends NoiseShapeBuilder<Builder> {
    private Builder(double rate) {
      super(rate);
    }

    public Dropout build() {
      return new Dropout(this);
    }
  }
}
