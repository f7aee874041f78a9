package jkeras.layers;

import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code ELU(alpha=1.0)}: {@code x} for {@code x > 0}, {@code alpha * (exp(x) - 1)}
 * otherwise (Keras 2.3.1's {@code K.elu}: {@code tf.nn.elu}, scaled where negative when {@code
 * alpha != 1}). {@code alpha} is kept as float32, as Keras keeps it.
 */
public final class ELU extends ScalarActivation {
  /** Keras' default {@code alpha}. */
  public static final double ALPHA_DEFAULT = 1.0;

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
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Keras' {@code alpha}, as float32 widened to double. */
  public double alpha() {
    return value;
  }

  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    Ops tf = ctx.tf();
    Operand<TFloat32> x = inputs.get(0);
    Operand<TFloat32> res = tf.nn.elu(x);
    if (value == 1f) return res;
    return tf.select(
        tf.math.greater(x, tf.constant(0f)), res, tf.math.mul(tf.constant(value), res));
  }

  /** {@code Layers.deserialize} of a Keras {@code ELU} config. */
  public static ELU fromConfig(Map<String, Object> config) {
    return fromConfig("ELU", config, builder()).build();
  }

  /** Builds an {@link ELU}; defaults are Keras'. */
  public static final class Builder extends ScalarActivation.Builder<Builder> {
    /** A builder with Keras' defaults (as {@link ELU#builder()}). */
    public Builder() {
      super("alpha", ALPHA_DEFAULT);
    }

    /** {@code alpha} (Keras {@code alpha}): the scale of the negative part. Default 1.0. */
    public Builder alpha(double alpha) {
      return value(alpha);
    }

    public ELU build() {
      return new ELU(this);
    }
  }
}
