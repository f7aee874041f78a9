package jkeras.optimizers;

import java.util.Map;
import jkeras.backend.KerasVariable;
import jkeras.internal.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Adam, and its AMSGrad variant, as Keras 2.3.1 {@code keras.optimizers.Adam}.
 *
 * <p>With {@code t = iterations + 1}: {@code lr_t = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t)};
 * {@code m = beta_1 * m + (1 - beta_1) * g}; {@code v = beta_2 * v + (1 - beta_2) * g^2}; {@code p
 * = p - lr_t * m / (sqrt(v) + epsilon)}; with AMSGrad {@code vhat = max(vhat, v)} replaces {@code
 * v} in the denominator. {@code t} is read from the model's counter before it is incremented, so it
 * is exactly the 1-based step number.
 *
 * <pre>{@code
 * Optimizer adam = Adam.builder().learningRate(1e-3).amsgrad(true).build();
 * }</pre>
 */
public final class Adam extends MomentOptimizer {
  /** Keras {@code learning_rate=0.001}. */
  public static final double LEARNING_RATE_DEFAULT = 0.001;

  /** Keras {@code amsgrad=False}. */
  public static final boolean AMSGRAD_DEFAULT = false;

  private final boolean amsgrad;

  /** Adam with all Keras defaults. */
  public Adam() {
    this(builder());
  }

  /** Adam with the given {@code learning_rate} and the other Keras defaults. */
  public Adam(double learningRate) {
    this(builder().learningRate(learningRate));
  }

  private Adam(Builder b) {
    super(b);
    this.amsgrad = b.amsgrad;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Keras {@code Adam.from_config}: accepts the keys of {@link #getConfig()} and the legacy {@code
   * lr}.
   *
   * @throws IllegalArgumentException on an unknown key, or both {@code lr} and {@code
   *     learning_rate}
   */
  public static Adam fromConfig(Map<String, ?> config) {
    return builder().fromConfig(config).build();
  }

  public boolean amsgrad() {
    return amsgrad;
  }

  @Override
  void putHyperParameters(Map<String, Object> config) {
    super.putHyperParameters(config);
    config.put("amsgrad", amsgrad);
  }

  @Override
  ParameterUpdate prepare(Step s) {
    Ops tf = s.tf();
    Rate b1 = s.rate(beta1());
    Rate b2 = s.rate(beta2());
    Operand<TFloat32> eps = s.constant(epsilon());
    Operand<TFloat32> t = s.t();
    Operand<TFloat32> lrT =
        tf.math.mul(
            s.lr(),
            tf.math.div(
                tf.math.sqrt(s.oneMinus(tf.math.pow(b2.rate(), t))),
                s.oneMinus(tf.math.pow(b1.rate(), t))));
    return (p, g) -> {
      KerasVariable m = s.slot(p, "m");
      KerasVariable v = s.slot(p, "v");
      Operand<TFloat32> mT = s.movingAverage(b1, m.value(), g);
      Operand<TFloat32> vT = s.movingAverage(b2, v.value(), tf.math.square(g));
      Operand<TFloat32> denominatorV = vT;
      if (amsgrad) {
        KerasVariable vhat = s.slot(p, "vhat");
        Operand<TFloat32> vhatT = tf.math.maximum(vhat.value(), vT);
        s.assign(vhat, vhatT);
        denominatorV = vhatT;
      }
      Operand<TFloat32> step =
          tf.math.div(tf.math.mul(lrT, mT), tf.math.add(tf.math.sqrt(denominatorV), eps));
      s.assign(m, mT);
      s.assign(v, vT);
      s.assign(p, tf.math.sub(p.value(), step));
    };
  }

  /**
   * {@code ResourceApplyAdam} (AMSGrad: {@code ResourceApplyAdamWithAmsgrad}): {@code alpha = lr *
   * sqrt(1 - beta_2^t) / (1 - beta_1^t)}, {@code m += (g - m) * (1 - beta_1)}, {@code v += (g^2 -
   * v) * (1 - beta_2)} ({@code vhat = max(vhat, v)}), {@code p -= m * alpha / (sqrt(v) + epsilon)}:
   * Keras 2.3.1's formula, epsilon outside the root, the moving averages rearranged.
   */
  @Override
  ParameterUpdate prepareFused(Step s) {
    Ops tf = s.tf();
    Operand<TFloat32> b1 = s.constant(beta1());
    Operand<TFloat32> b2 = s.constant(beta2());
    Operand<TFloat32> eps = s.constant(epsilon());
    Operand<TFloat32> t = s.t();
    Operand<TFloat32> b1Power = tf.math.pow(b1, t);
    Operand<TFloat32> b2Power = tf.math.pow(b2, t);
    return (p, g) -> {
      KerasVariable m = s.slot(p, "m");
      KerasVariable v = s.slot(p, "v");
      if (amsgrad) {
        KerasVariable vhat = s.slot(p, "vhat");
        s.apply(
            tf.train.resourceApplyAdamWithAmsgrad(
                p.handle(),
                m.handle(),
                v.handle(),
                vhat.handle(),
                b1Power,
                b2Power,
                s.lr(),
                b1,
                b2,
                eps,
                g));
      } else {
        s.apply(
            tf.train.resourceApplyAdam(
                p.handle(), m.handle(), v.handle(), b1Power, b2Power, s.lr(), b1, b2, eps, g));
      }
    };
  }

  /** Builder of {@link Adam}; defaults are Keras 2.3.1's. */
  public static final class Builder extends MomentBuilder<Builder> {
    private boolean amsgrad = AMSGRAD_DEFAULT;

    private Builder() {
      super("Adam", LEARNING_RATE_DEFAULT, "beta_1", "beta_2", "decay", "epsilon", "amsgrad");
    }

    /** {@code decay} (Keras {@code decay}): time-based learning rate decay. Default {@code 0}. */
    public Builder decay(double decay) {
      return setDecay(decay);
    }

    /** {@code amsgrad} (Keras {@code amsgrad}): use the AMSGrad variant. Default {@code false}. */
    public Builder amsgrad(boolean amsgrad) {
      this.amsgrad = amsgrad;
      return this;
    }

    @Override
    void read(String key, Map<String, ?> config) {
      if (key.equals("amsgrad")) amsgrad(Config.getBoolean(config, key, amsgrad));
      else super.read(key, config);
    }

    public Adam build() {
      return new Adam(this);
    }
  }
}
