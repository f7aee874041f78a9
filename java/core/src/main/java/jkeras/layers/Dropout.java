package jkeras.layers;

import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import jkeras.internal.Errors;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Dropout(rate, seed)}: in training steps, zeroes a fraction {@code rate} of the
 * inputs and scales the rest by {@code 1/(1-rate)}; the identity in test and predict steps.
 */
public final class Dropout extends Layer {
  /** Keras 2.3.1: {@code supports_masking = True}; the input's mask passes through. */
  @Override
  public boolean supportsMasking() {
    return true;
  }

  private final double rate;
  private final Long seed;

  /** {@code Dropout(rate)}: {@code rate} in [0, 1). */
  public Dropout(double rate) {
    this(builder(rate));
  }

  private Dropout(Builder b) {
    super(b);
    this.rate = b.rate;
    this.seed = b.seed;
  }

  public static Builder builder(double rate) {
    return new Builder(rate);
  }

  public double rate() {
    return rate;
  }

  @Override
  public long[] computeOutputShape(List<long[]> inputShapes) {
    return inputShapes.get(0);
  }

  @Override
  protected boolean weightsFreeLayer() {
    return true;
  }

  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    Operand<TFloat32> x = inputs.get(0);
    if (rate == 0) return x;
    Ops tf = ctx.tf();
    long s = seed != null ? seed : ctx.nextSeed();
    // A stateful random op: a new mask each step, the same sequence for the same seed.
    Operand<TFloat32> u =
        tf.random.randomUniform(
            tf.shape(x),
            TFloat32.class,
            RandomUniform.seed(s & 0x7fffffffL),
            RandomUniform.seed2((s >>> 31) & 0x7fffffffL));
    Operand<TFloat32> keep =
        tf.dtypes.cast(tf.math.greaterEqual(u, tf.constant((float) rate)), TFloat32.class);
    Operand<TFloat32> dropped =
        tf.math.mul(tf.math.mul(x, keep), tf.constant((float) (1.0 / (1.0 - rate))));
    return tf.select(ctx.training(), dropped, x);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("rate", rate);
    c.put("noise_shape", null);
    c.put("seed", seed);
    return c;
  }

  public static final class Builder extends Layer.Builder<Builder> {
    private final double rate;
    private Long seed;

    private Builder(double rate) {
      if (!(rate >= 0 && rate < 1)) throw Errors.invalidArgument("rate", "a float in [0, 1)", rate);
      this.rate = rate;
    }

    /** {@code seed} (Keras {@code seed}): default none (derived from the global seed). */
    public Builder seed(Long seed) {
      this.seed = seed;
      return this;
    }

    public Dropout build() {
      return new Dropout(this);
    }
  }
}
