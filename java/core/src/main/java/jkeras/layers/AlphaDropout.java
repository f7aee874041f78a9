package jkeras.layers;

import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras' {@code AlphaDropout(rate, noise_shape=None, seed=None)}: dropout for self-normalizing
 * networks ({@code selu}): in training steps, dropped inputs are set to SELU's negative saturation
 * value and the result is affinely transformed so the mean and variance are kept; the identity in
 * test and predict steps.
 *
 * <p>Keras 2.3.1 writes only {@code rate} to the config (tf-keras adds {@code seed}); {@link
 * #getConfig()} adds {@code noise_shape} and {@code seed} only when set.
 */
public final class AlphaDropout extends NoiseLayer {
  // SELU's constants, as keras/layers/noise.py writes them.
  private static final double ALPHA = 1.6732632423543772848170429916717;
  private static final double SCALE = 1.0507009873554804934193349852946;

  private final double rate;
  private final long[] noiseShape;

  /** {@code AlphaDropout(rate)}. */
  public AlphaDropout(double rate) {
    this(builder(rate));
  }

  private AlphaDropout(Builder b) {
    super(b, LayerUtils.drops(b.rate));
    this.rate = b.rate;
    this.noiseShape = b.noiseShape;
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
    Operand<TInt32> shape = noiseShape != null ? shapeWithNone(tf, x, noiseShape) : tf.shape(x);
    double alphaP = -ALPHA * SCALE;
    Operand<TFloat32> kept =
        tf.dtypes.cast(
            tf.math.greaterEqual(RandomOps.uniform(tf, shape, s), tf.constant((float) rate)),
            TFloat32.class);
    // The affine correction, computed in double as Keras does in Python, then used as float32.
    double a = Math.pow((1 - rate) * (1 + rate * alphaP * alphaP), -0.5);
    double b = -a * alphaP * rate;
    Operand<TFloat32> dropped =
        tf.math.add(
            tf.math.mul(x, kept),
            tf.math.mul(tf.constant((float) alphaP), tf.math.sub(tf.constant(1f), kept)));
    return tf.math.add(tf.math.mul(tf.constant((float) a), dropped), tf.constant((float) b));
  }

  /**
   * Keras 2.3.1's {@code get_config()}: {@code rate}; {@code noise_shape} and {@code seed} only
   * when set.
   */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("rate", rate);
    if (noiseShape != null) c.put("noise_shape", InputChecks.toConfig(noiseShape));
    if (seed != null) c.put("seed", seed);
    return c;
  }

  /** {@code Layers.deserialize} of a Keras {@code AlphaDropout} config. */
  public static AlphaDropout fromConfig(Map<String, Object> config) {
    return readConfig(
            "AlphaDropout", config, "rate", RATE_EXPECTED, AlphaDropout::builder, "noise_shape")
        .readNoiseShape(config)
        .build();
  }

  /** Builds an {@link AlphaDropout}; defaults are Keras'. */
  public static final class Builder extends NoiseShapeBuilder<Builder> {
    private Builder(double rate) {
      super(rate);
    }

    public AlphaDropout build() {
      return new AlphaDropout(this);
    }
  }
}
