package jkeras.layers;

import java.util.Map;
import jkeras.internal.Errors;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code GaussianNoise(stddev)}: in training steps, adds zero-centred normal noise of
 * standard deviation {@code stddev}; the identity in test and predict steps.
 *
 * <p>{@code seed} is tf-keras' argument (Keras 2.3.1 has none); {@link #getConfig()} writes it only
 * when set, so a Keras 2.3.1 config round-trips unchanged.
 */
public final class GaussianNoise extends NoiseLayer {
  private final double stddev;

  /** {@code GaussianNoise(stddev)}. */
  public GaussianNoise(double stddev) {
    this(builder(stddev));
  }

  private GaussianNoise(Builder b) {
    super(b, true);
    this.stddev = b.stddev;
  }

  /** {@code stddev} (Keras {@code stddev}): the noise's standard deviation, {@code >= 0}. */
  public static Builder builder(double stddev) {
    return new Builder(stddev);
  }

  public double stddev() {
    return stddev;
  }

  @Override
  Operand<TFloat32> noised(Ops tf, Operand<TFloat32> x, long s) {
    return tf.math.add(x, RandomOps.normal(tf, tf.shape(x), 0.0, stddev, s));
  }

  /** Keras' {@code get_config()}: {@code stddev} (and tf-keras' {@code seed} when set). */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("stddev", stddev);
    if (seed != null) c.put("seed", seed);
    return c;
  }

  /** {@code Layers.deserialize} of a Keras {@code GaussianNoise} config. */
  public static GaussianNoise fromConfig(Map<String, Object> config) {
    return readConfig("GaussianNoise", config, "stddev", "a float >= 0", GaussianNoise::builder)
        .build();
  }

  /** Builds a {@link GaussianNoise}. */
  public static final class Builder extends NoiseLayer.Builder<Builder> {
    private final double stddev;

    private Builder(double stddev) {
      if (!(stddev >= 0)) throw Errors.invalidArgument("stddev", "a float >= 0", stddev);
      this.stddev = stddev;
    }

    public GaussianNoise build() {
      return new GaussianNoise(this);
    }
  }
}
