package jkeras.layers;

import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import org.tensorflow.Operand;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code LeakyReLU(alpha=0.3)}: {@code x} for {@code x >= 0}, {@code alpha * x} otherwise
 * ({@code tf.nn.leaky_relu}, as Keras 2.3.1's {@code K.relu(x, alpha)}).
 *
 * <p>{@code alpha} is kept as float32, as Keras' {@code K.cast_to_floatx} keeps it, so the config
 * reports e.g. {@code 0.30000001192092896}.
 */
public final class LeakyReLU extends ScalarActivation {
  /** Keras' default {@code alpha}. */
  public static final double ALPHA_DEFAULT = 0.3;

  /** {@code LeakyReLU()}: {@code alpha=0.3}. */
  public LeakyReLU() {
    this(builder());
  }

  /** {@code LeakyReLU(alpha)}. */
  public LeakyReLU(double alpha) {
    this(builder().alpha(alpha));
  }

  private LeakyReLU(Builder b) {
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
    Operand<TFloat32> x = inputs.get(0);
    // K.relu(x, alpha): leaky_relu for alpha != 0, relu for alpha == 0.
    if (value == 0f) return ctx.tf().nn.relu(x);
    return ctx.tf().nn.leakyRelu(x, LeakyRelu.alpha(value));
  }

  /** {@code Layers.deserialize} of a Keras {@code LeakyReLU} config. */
  public static LeakyReLU fromConfig(Map<String, Object> config) {
    return fromConfig("LeakyReLU", config, builder()).build();
  }

  /** Builds a {@link LeakyReLU}; defaults are Keras'. */
  public static final class Builder extends ScalarActivation.Builder<Builder> {
    /** A builder with Keras' defaults (as {@link LeakyReLU#builder()}). */
    public Builder() {
      super("alpha", ALPHA_DEFAULT);
    }

    /** {@code alpha} (Keras {@code alpha}): the slope for negative inputs. Default 0.3. */
    public Builder alpha(double alpha) {
      return value(alpha);
    }

    public LeakyReLU build() {
      return new LeakyReLU(this);
    }
  }
}
