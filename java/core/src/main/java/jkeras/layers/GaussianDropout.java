package jkeras.layers;

import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code GaussianDropout(rate)}: in training steps, multiplies the inputs by normal noise of
 * mean 1 and standard deviation {@code sqrt(rate / (1 - rate))}; the identity in test and predict
 * steps (and for {@code rate = 0}).
 *
 * <p>{@code seed} is tf-keras' argument (Keras 2.3.1 has none), written to the config only when
 * set. Keras 2.3.1 accepts any {@code rate} (outside {@code (0, 1)} the layer does nothing); here
 * it must be in {@code [0, 1)}, as Dropout's.
 */
public final class GaussianDropout extends NoiseLayer {
  private final double rate;

  /** {@code GaussianDropout(rate)}. */
  public GaussianDropout(double rate) {
    this(builder(rate));
  }

  private GaussianDropout(Builder b) {
    super(b, LayerUtils.drops(b.rate));
    this.rate = b.rate;
  }

  /** {@code rate} (Keras {@code rate}): the drop probability, in [0, 1). */
  public static Builder builder(double rate) {
    return new Builder(rate);
  }

  public double rate() {
    return rate;
  }

  @Override
  Operand<TFloat32> noised(Ops tf, Operand<TFloat32> x, long s) {
    double stddev = Math.sqrt(rate / (1.0 - rate));
    return tf.math.mul(x, RandomOps.normal(tf, tf.shape(x), 1.0, stddev, s));
  }

  /** Keras' {@code get_config()}: {@code rate} (and tf-keras' {@code seed} when set). */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("rate", rate);
    if (seed != null) c.put("seed", seed);
    return c;
  }

  /** {@code Layers.deserialize} of a Keras {@code GaussianDropout} config. */
  public static GaussianDropout fromConfig(Map<String, Object> config) {
    return readConfig("GaussianDropout", config, "rate", RATE_EXPECTED, GaussianDropout::builder)
        .build();
  }

  /** Builds a {@link GaussianDropout}. */
  public static final class Builder extends RateBuilder<Builder> {
    private Builder(double rate) {
      super(rate);
    }

    public GaussianDropout build() {
      return new GaussianDropout(this);
    }
  }
}
