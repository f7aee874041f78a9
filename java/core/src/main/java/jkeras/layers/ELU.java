package jkeras.layers;

import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import jkeras.internal.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code ELU(alpha=1.0)}: {@code x} for {@code x > 0}, {@code alpha * (exp(x) - 1)}
 * otherwise (Keras 2.3.1's {@code K.elu}: {@code tf.nn.elu}, scaled where negative when {@code
 * alpha != 1}). {@code alpha} is kept as float32, as Keras keeps it.
 */
public final class ELU extends Layer {
  /** Keras' default {@code alpha}. */
  public static final double ALPHA_DEFAULT = 1.0;

  private final float alpha;

  /** {@code ELU()}: {@code alpha=1.0}. */
  public ELU() {
    this(builder());
  }

  /** {@code ELU(alpha)}. */
  public ELU(double alpha) {
    this(builder().alpha(alpha));
  }

  private ELU(Builder b) {
    super(b);
    this.alpha = (float) b.alpha;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Keras' {@code alpha}, as float32 widened to double. */
  public double alpha() {
    return alpha;
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
    Ops tf = ctx.tf();
    Operand<TFloat32> x = inputs.get(0);
    Operand<TFloat32> res = tf.nn.elu(x);
    if (alpha == 1f) return res;
    return tf.select(
        tf.math.greater(x, tf.constant(0f)), res, tf.math.mul(tf.constant(alpha), res));
  }

  /** Keras' {@code get_config()}: {@code alpha} (its float32 value). */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("alpha", (double) alpha);
    return c;
  }

  /** {@code Layers.deserialize} of a Keras {@code ELU} config. */
  public static ELU fromConfig(Map<String, Object> config) {
    Layers.check("ELU", config, "alpha");
    return builder()
        .baseConfig(config)
        .alpha(Config.getDouble(config, "alpha", ALPHA_DEFAULT))
        .build();
  }

  /** Builds an {@link ELU}; defaults are Keras'. */
  public static final class Builder extends Layer.Builder<Builder> {
    private double alpha = ALPHA_DEFAULT;

    /** {@code alpha} (Keras {@code alpha}): the scale of the negative part. Default 1.0. */
    public Builder alpha(double alpha) {
      this.alpha = alpha;
      return this;
    }

    public ELU build() {
      return new ELU(this);
    }
  }
}
