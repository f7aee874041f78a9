package jkeras.optimizers;

import java.util.Map;
import jkeras.backend.KerasVariable;
import jkeras.internal.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Nesterov Adam, as Keras 2.3.1 {@code keras.optimizers.Nadam}, with its momentum schedule.
 *
 * <p>With {@code t = iterations + 1}, {@code mu_t = beta_1 * (1 - 0.5 * 0.96^(t * schedule_decay))}
 * and a running product {@code m_schedule} (starting at 1): {@code s = m_schedule * mu_t} (stored),
 * {@code s' = s * mu_{t+1}}; {@code m = beta_1 * m + (1 - beta_1) * g}; {@code v = beta_2 * v + (1
 * - beta_2) * g^2}; {@code m_bar = (1 - mu_t) * g / (1 - s) + mu_{t+1} * m / (1 - s')}; {@code p =
 * p - lr * m_bar / (sqrt(v / (1 - beta_2^t)) + epsilon)}.
 *
 * <p>As in Keras 2.3.1 there is no {@code decay} argument: Nadam's learning rate never decays, its
 * builder has no {@code decay} and {@link #fromConfig} rejects the key.
 *
 * <pre>{@code
 * Optimizer nadam = Nadam.builder().learningRate(2e-3).build();
 * }</pre>
 */
public final class Nadam extends MomentOptimizer {
  /** Keras {@code learning_rate=0.002}. */
  public static final double LEARNING_RATE_DEFAULT = 0.002;

  /** Keras {@code schedule_decay=0.004}. */
  public static final double SCHEDULE_DECAY_DEFAULT = 0.004;

  private final double scheduleDecay;

  /** Nadam with all Keras defaults. */
  public Nadam() {
    this(builder());
  }

  /** Nadam with the given {@code learning_rate} and the other Keras defaults. */
  public Nadam(double learningRate) {
    this(builder().learningRate(learningRate));
  }

  private Nadam(Builder b) {
    super(b);
    this.scheduleDecay = b.scheduleDecay;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Keras {@code Nadam.from_config}: accepts the keys of {@link #getConfig()} and the legacy {@code
   * lr}. {@code decay} is rejected, as Keras 2.3.1's Nadam rejects it.
   *
   * @throws IllegalArgumentException on an unknown key, or both {@code lr} and {@code
   *     learning_rate}
   */
  public static Nadam fromConfig(Map<String, ?> config) {
    return builder().fromConfig(config).build();
  }

  public double scheduleDecay() {
    return scheduleDecay;
  }

  @Override
  void putHyperParameters(Map<String, Object> config) {
    super.putHyperParameters(config);
    config.put("schedule_decay", scheduleDecay);
  }

  @Override
  ParameterUpdate prepare(Step s) {
    Ops tf = s.tf();
    KerasVariable mSchedule = s.vars().scalar("m_schedule", 1f);
    Rate b1 = s.rate(beta1());
    Rate b2 = s.rate(beta2());
    Operand<TFloat32> eps = s.constant(epsilon());
    Operand<TFloat32> t = s.t();
    Operand<TFloat32> momentumCacheT = momentumCache(s, b1.rate(), t);
    Operand<TFloat32> momentumCacheT1 =
        momentumCache(s, b1.rate(), tf.math.add(t, tf.constant(1f)));
    Operand<TFloat32> mScheduleNew = tf.math.mul(mSchedule.value(), momentumCacheT);
    Operand<TFloat32> mScheduleNext = tf.math.mul(mScheduleNew, momentumCacheT1);
    Operand<TFloat32> oneMinusMScheduleNew = s.oneMinus(mScheduleNew);
    Operand<TFloat32> oneMinusMScheduleNext = s.oneMinus(mScheduleNext);
    Operand<TFloat32> oneMinusMomentumCacheT = s.oneMinus(momentumCacheT);
    Operand<TFloat32> oneMinusB2PowT = s.oneMinus(tf.math.pow(b2.rate(), t));
    s.assign(mSchedule, mScheduleNew);
    return (p, g) -> {
      KerasVariable m = s.slot(p, "m");
      KerasVariable v = s.slot(p, "v");
      Operand<TFloat32> gPrime = tf.math.div(g, oneMinusMScheduleNew);
      Operand<TFloat32> mT = s.movingAverage(b1, m.value(), g);
      Operand<TFloat32> mTPrime = tf.math.div(mT, oneMinusMScheduleNext);
      Operand<TFloat32> vT = s.movingAverage(b2, v.value(), tf.math.square(g));
      Operand<TFloat32> vTPrime = tf.math.div(vT, oneMinusB2PowT);
      Operand<TFloat32> mTBar =
          tf.math.add(
              tf.math.mul(oneMinusMomentumCacheT, gPrime), tf.math.mul(momentumCacheT1, mTPrime));
      s.assign(m, mT);
      s.assign(v, vT);
      Operand<TFloat32> step =
          tf.math.div(tf.math.mul(s.lr(), mTBar), tf.math.add(tf.math.sqrt(vTPrime), eps));
      s.assign(p, tf.math.sub(p.value(), step));
    };
  }

  /** {@code beta_1 * (1 - 0.5 * 0.96^(step * schedule_decay))}, all in float32 as Keras. */
  private Operand<TFloat32> momentumCache(Step s, Operand<TFloat32> b1, Operand<TFloat32> step) {
    Ops tf = s.tf();
    Operand<TFloat32> power =
        tf.math.pow(tf.constant(0.96f), tf.math.mul(step, s.constant(scheduleDecay)));
    return tf.math.mul(b1, s.oneMinus(tf.math.mul(tf.constant(0.5f), power)));
  }

  /** Builder of {@link Nadam}; defaults are Keras 2.3.1's. It has no {@code decay}, as Keras. */
  public static final class Builder extends MomentBuilder<Builder> {
    private double scheduleDecay = SCHEDULE_DECAY_DEFAULT;

    private Builder() {
      super("Nadam", LEARNING_RATE_DEFAULT, "beta_1", "beta_2", "epsilon", "schedule_decay");
    }

    /**
     * {@code scheduleDecay} (Keras {@code schedule_decay}): speed of the momentum schedule. Default
     * {@code 0.004}.
     */
    public Builder scheduleDecay(double scheduleDecay) {
      this.scheduleDecay = nonNegative("scheduleDecay", scheduleDecay);
      return this;
    }

    @Override
    void read(String key, Map<String, ?> config) {
      if (key.equals("schedule_decay")) scheduleDecay(Config.getDouble(config, key, scheduleDecay));
      else super.read(key, config);
    }

    public Nadam build() {
      return new Nadam(this);
    }
  }
}
