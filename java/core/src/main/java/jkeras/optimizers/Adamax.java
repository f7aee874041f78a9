package jkeras.optimizers;

import java.util.Map;
import jkeras.backend.KerasVariable;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Adamax (Adam with the infinity norm), as Keras 2.3.1 {@code keras.optimizers.Adamax}.
 *
 * <p>With {@code t = iterations + 1}: {@code lr_t = lr / (1 - beta_1^t)}; {@code m = beta_1 * m +
 * (1 - beta_1) * g}; {@code u = max(beta_2 * u, |g|)}; {@code p = p - lr_t * m / (u + epsilon)}.
 *
 * <pre>{@code
 * Optimizer adamax = Adamax.builder().learningRate(2e-3).build();
 * }</pre>
 */
public final class Adamax extends MomentOptimizer {
  /** Keras {@code learning_rate=0.002}. */
  public static final double LEARNING_RATE_DEFAULT = 0.002;

  /** Adamax with all Keras defaults. */
  public Adamax() {
    this(builder());
  }

  /** Adamax with the given {@code learning_rate} and the other Keras defaults. */
  public Adamax(double learningRate) {
    this(builder().learningRate(learningRate));
  }

  private Adamax(Builder b) {
    super(b);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Keras {@code Adamax.from_config}: accepts the keys of {@link #getConfig()} and the legacy
   * {@code lr}.
   *
   * @throws IllegalArgumentException on an unknown key, or both {@code lr} and {@code
   *     learning_rate}
   */
  public static Adamax fromConfig(Map<String, ?> config) {
    return builder().fromConfig(config).build();
  }

  @Override
  ParameterUpdate prepare(Step s) {
    Ops tf = s.tf();
    Rate b1 = s.rate(beta1());
    Operand<TFloat32> b2 = s.constant(beta2());
    Operand<TFloat32> eps = s.constant(epsilon());
    Operand<TFloat32> lrT = tf.math.div(s.lr(), s.oneMinus(tf.math.pow(b1.rate(), s.t())));
    return (p, g) -> {
      KerasVariable m = s.slot(p, "m");
      KerasVariable u = s.slot(p, "u");
      Operand<TFloat32> mT = s.movingAverage(b1, m.value(), g);
      Operand<TFloat32> uT = tf.math.maximum(tf.math.mul(b2, u.value()), tf.math.abs(g));
      Operand<TFloat32> step = tf.math.div(tf.math.mul(lrT, mT), tf.math.add(uT, eps));
      s.assign(m, mT);
      s.assign(u, uT);
      s.assign(p, tf.math.sub(p.value(), step));
    };
  }

  /**
   * {@code ResourceApplyAdaMax}: {@code m += (g - m) * (1 - beta_1)}, {@code u = max(beta_2 * u,
   * |g|)}, {@code p -= lr / (1 - beta_1^t) * (m / (u + epsilon))}: Keras 2.3.1's formula.
   */
  @Override
  ParameterUpdate prepareFused(Step s) {
    Ops tf = s.tf();
    Operand<TFloat32> b1 = s.constant(beta1());
    Operand<TFloat32> b2 = s.constant(beta2());
    Operand<TFloat32> eps = s.constant(epsilon());
    Operand<TFloat32> b1Power = tf.math.pow(b1, s.t());
    return (p, g) -> {
      KerasVariable m = s.slot(p, "m");
      KerasVariable u = s.slot(p, "u");
      s.apply(
          tf.train.resourceApplyAdaMax(
              p.handle(), m.handle(), u.handle(), b1Power, s.lr(), b1, b2, eps, g));
    };
  }

  /** Builder of {@link Adamax}; defaults are Keras 2.3.1's. */
  public static final class Builder extends MomentBuilder<Builder> {
    private Builder() {
      super("Adamax", LEARNING_RATE_DEFAULT, "beta_1", "beta_2", "decay", "epsilon");
    }

    /** {@code decay} (Keras {@code decay}): time-based learning rate decay. Default {@code 0}. */
    public Builder decay(double decay) {
      return setDecay(decay);
    }

    public Adamax build() {
      return new Adamax(this);
    }
  }
}
