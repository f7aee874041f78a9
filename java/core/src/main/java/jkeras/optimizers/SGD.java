package jkeras.optimizers;

import java.util.Map;
import jkeras.backend.KerasVariable;
import jkeras.internal.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.train.ResourceApplyKerasMomentum;
import org.tensorflow.types.TFloat32;

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum and time-based learning
 * rate decay, as Keras 2.3.1 {@code keras.optimizers.SGD}.
 *
 * <p>Per parameter {@code p} with gradient {@code g}: {@code v = momentum * m - lr * g}; {@code m =
 * v}; {@code p = p + v}, or with Nesterov {@code p = p + momentum * v - lr * g}. Like Keras 2.3.1
 * it always keeps a {@code moment} slot, even with {@code momentum = 0}.
 *
 * <pre>{@code
 * Optimizer sgd = SGD.builder().learningRate(0.1).momentum(0.9).nesterov(true).build();
 * }</pre>
 */
public final class SGD extends Optimizer {
  /** Keras {@code learning_rate=0.01}. */
  public static final double LEARNING_RATE_DEFAULT = 0.01;

  /** Keras {@code momentum=0.}. */
  public static final double MOMENTUM_DEFAULT = 0.0;

  /** Keras {@code nesterov=False}. */
  public static final boolean NESTEROV_DEFAULT = false;

  private final double momentum;
  private final boolean nesterov;

  /** SGD with all Keras defaults. */
  public SGD() {
    this(builder());
  }

  /** SGD with the given {@code learning_rate} and the other Keras defaults. */
  public SGD(double learningRate) {
    this(builder().learningRate(learningRate));
  }

  private SGD(Builder b) {
    super(b);
    this.momentum = b.momentum;
    this.nesterov = b.nesterov;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Keras {@code SGD.from_config}: accepts the keys of {@link #getConfig()} and the legacy {@code
   * lr}.
   *
   * @throws IllegalArgumentException on an unknown key, or both {@code lr} and {@code
   *     learning_rate}
   */
  public static SGD fromConfig(Map<String, ?> config) {
    return builder().fromConfig(config).build();
  }

  public double momentum() {
    return momentum;
  }

  public boolean nesterov() {
    return nesterov;
  }

  @Override
  void putHyperParameters(Map<String, Object> config) {
    config.put("momentum", momentum);
    config.put("nesterov", nesterov);
  }

  @Override
  ParameterUpdate prepare(Step s) {
    Ops tf = s.tf();
    Operand<TFloat32> mom = s.constant(momentum);
    return (p, g) -> {
      KerasVariable m = s.slot(p, "moment");
      Operand<TFloat32> lrG = tf.math.mul(s.lr(), g);
      Operand<TFloat32> v = tf.math.sub(tf.math.mul(mom, m.value()), lrG);
      s.assign(m, v);
      Operand<TFloat32> newP =
          nesterov
              ? tf.math.sub(tf.math.add(p.value(), tf.math.mul(mom, v)), lrG)
              : tf.math.add(p.value(), v);
      s.assign(p, newP);
    };
  }

  /**
   * {@code ResourceApplyKerasMomentum}: {@code moment = momentum * moment - lr * g}, then {@code p
   * += moment}, or with Nesterov {@code p += momentum * moment - lr * g}: Keras 2.3.1's formula
   * (the kernel TensorFlow wrote for it), the moment slot kept even with {@code momentum = 0}.
   */
  @Override
  ParameterUpdate prepareFused(Step s) {
    Ops tf = s.tf();
    Operand<TFloat32> mom = s.constant(momentum);
    return (p, g) -> {
      KerasVariable m = s.slot(p, "moment");
      s.apply(
          tf.train.resourceApplyKerasMomentum(
              p.handle(),
              m.handle(),
              s.lr(),
              g,
              mom,
              ResourceApplyKerasMomentum.useNesterov(nesterov)));
    };
  }

  /** Builder of {@link SGD}; defaults are Keras 2.3.1's. */
  public static final class Builder extends DecayingBuilder<Builder> {
    private double momentum = MOMENTUM_DEFAULT;
    private boolean nesterov = NESTEROV_DEFAULT;

    private Builder() {
      super("SGD", LEARNING_RATE_DEFAULT, "momentum", "decay", "nesterov");
    }

    /** {@code momentum} (Keras {@code momentum}): float >= 0. Default {@code 0}. */
    public Builder momentum(double momentum) {
      this.momentum = nonNegative("momentum", momentum);
      return this;
    }

    /** {@code nesterov} (Keras {@code nesterov}): use Nesterov momentum. Default {@code false}. */
    public Builder nesterov(boolean nesterov) {
      this.nesterov = nesterov;
      return this;
    }

    @Override
    void read(String key, Map<String, ?> config) {
      switch (key) {
        case "momentum" -> momentum(Config.getDouble(config, key, momentum));
        case "nesterov" -> nesterov(Config.getBoolean(config, key, nesterov));
        default -> super.read(key, config);
      }
    }

    public SGD build() {
      return new SGD(this);
    }
  }
}
