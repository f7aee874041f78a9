package jkeras.layers;

import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import jkeras.internal.Config;
import jkeras.internal.Errors;
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
public final class AlphaDropout extends Layer {
  // SELU's constants, as keras/layers/noise.py writes them.
  private static final double ALPHA = 1.6732632423543772848170429916717;
  private static final double SCALE = 1.0507009873554804934193349852946;

  private final double rate;
  private final long[] noiseShape;
  private final Long seed;

  /** {@code AlphaDropout(rate)}. */
  public AlphaDropout(double rate) {
    this(builder(rate));
  }

  private AlphaDropout(Builder b) {
    super(b);
    this.rate = b.rate;
    this.noiseShape = b.noiseShape;
    this.seed = b.seed;
  }

  /** {@code rate} (Keras {@code rate}): the drop probability, in [0, 1). */
  public static Builder builder(double rate) {
    return new Builder(rate);
  }

  public double rate() {
    return rate;
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
    Operand<TFloat32> x = inputs.get(0);
    if (!(rate > 0 && rate < 1)) return x;
    Ops tf = ctx.tf();
    long s = seed != null ? seed : ctx.nextSeed();
    return ctx.inTrainPhase(() -> dropped(tf, x, s), () -> x);
  }

  private Operand<TFloat32> dropped(Ops tf, Operand<TFloat32> x, long s) {
    Operand<TInt32> shape =
        noiseShape != null ? Dropout.shapeWithNone(tf, x, noiseShape) : tf.shape(x);
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
    Layers.check("AlphaDropout", config, "rate", "noise_shape", "seed");
    if (config.get("rate") == null) throw Errors.invalidArgument("rate", "a float in [0, 1)", null);
    Builder b = builder(Config.getDouble(config, "rate", 0)).baseConfig(config);
    if (config.get("noise_shape") != null)
      b.noiseShape(InputChecks.dims("noise_shape", config.get("noise_shape")));
    return b.seed(Config.getSeed(config, "seed")).build();
  }

  /** Builds an {@link AlphaDropout}; defaults are Keras'. */
  public static final class Builder extends Layer.Builder<Builder> {
    private final double rate;
    private long[] noiseShape;
    private Long seed;

    private Builder(double rate) {
      this.rate = Dropout.checkRate(rate);
    }

    /**
     * {@code noiseShape} (Keras {@code noise_shape}): the keep/drop mask's shape, {@code -1} for
     * the input's size. Default null: the input's shape.
     */
    public Builder noiseShape(long... noiseShape) {
      for (long d : noiseShape) {
        if (d == 0 || d < -1)
          throw Errors.invalidArgument(
              "noiseShape",
              "positive dimensions or -1 for None",
              java.util.Arrays.toString(noiseShape));
      }
      this.noiseShape = noiseShape.clone();
      return this;
    }

    /** {@code seed} (Keras {@code seed}): default none (derived from the global seed). */
    public Builder seed(Long seed) {
      this.seed = seed;
      return this;
    }

    public AlphaDropout build() {
      return new AlphaDropout(this);
    }
  }
}
