package jkeras.optimizers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jkeras.backend.KerasVariable;
import jkeras.backend.VariableFactory;
import jkeras.internal.Config;
import jkeras.internal.Errors;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
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
public final class Adamax extends Optimizer {
  /** Keras {@code learning_rate=0.002}. */
  public static final double LEARNING_RATE_DEFAULT = 0.002;

  /** Keras {@code beta_1=0.9}. */
  public static final double BETA_1_DEFAULT = 0.9;

  /** Keras {@code beta_2=0.999}. */
  public static final double BETA_2_DEFAULT = 0.999;

  /** Keras {@code decay=0.0}. */
  public static final double DECAY_DEFAULT = 0.0;

  private static final List<String> KEYS = configKeys("beta_1", "beta_2", "decay", "epsilon");

  private final double beta1;
  private final double beta2;
  private final double decay;
  private final double epsilon;

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
    this.beta1 = b.beta1;
    this.beta2 = b.beta2;
    this.decay = b.decay;
    this.epsilon = b.epsilon;
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
    Errors.checkKeys("Adamax", config, KEYS);
    return builder()
        .readBase("Adamax", config)
        .beta1(Config.getDouble(config, "beta_1", BETA_1_DEFAULT))
        .beta2(Config.getDouble(config, "beta_2", BETA_2_DEFAULT))
        .decay(Config.getDouble(config, "decay", DECAY_DEFAULT))
        .epsilon(Config.getDouble(config, "epsilon", EPSILON_DEFAULT))
        .build();
  }

  @Override
  public String className() {
    return "Adamax";
  }

  public double beta1() {
    return beta1;
  }

  public double beta2() {
    return beta2;
  }

  public double decay() {
    return decay;
  }

  public double epsilon() {
    return epsilon;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = baseConfig();
    c.put("beta_1", beta1);
    c.put("beta_2", beta2);
    c.put("decay", decay);
    c.put("epsilon", epsilon);
    return c;
  }

  @Override
  public List<Op> getUpdates(
      VariableFactory vars,
      List<KerasVariable> params,
      List<Operand<TFloat32>> grads,
      KerasVariable iterations) {
    checkParamsAndGrads(params, grads);
    Ops tf = vars.tf();
    List<Operand<TFloat32>> gs = clipGradients(tf, grads);
    Operand<TFloat32> lr =
        decayedLearningRate(tf, createLearningRate(vars), decay, iterations);
    Operand<TFloat32> b1 = constant(tf, beta1);
    Operand<TFloat32> b2 = constant(tf, beta2);
    Operand<TFloat32> oneMinusB1 = tf.math.sub(one(tf), b1);
    Operand<TFloat32> eps = constant(tf, epsilon);
    Operand<TFloat32> t = nextStep(tf, iterations);
    Operand<TFloat32> lrT = tf.math.div(lr, tf.math.sub(one(tf), tf.math.pow(b1, t)));
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < params.size(); i++) {
      KerasVariable p = params.get(i);
      Operand<TFloat32> g = gs.get(i);
      KerasVariable m = slot(vars, p, "m");
      KerasVariable u = slot(vars, p, "u");
      Operand<TFloat32> mT = tf.math.add(tf.math.mul(b1, m.value()), tf.math.mul(oneMinusB1, g));
      Operand<TFloat32> uT = tf.math.maximum(tf.math.mul(b2, u.value()), tf.math.abs(g));
      Operand<TFloat32> step = tf.math.div(tf.math.mul(lrT, mT), tf.math.add(uT, eps));
      updates.add(m.assign(tf, mT));
      updates.add(u.assign(tf, uT));
      updates.add(p.assign(tf, tf.math.sub(p.value(), step)));
    }
    return withIterationIncrement(tf, updates, iterations);
  }

  /** Builder of {@link Adamax}; defaults are Keras 2.3.1's. */
  public static final class Builder extends Optimizer.Builder<Builder> {
    private double beta1 = BETA_1_DEFAULT;
    private double beta2 = BETA_2_DEFAULT;
    private double decay = DECAY_DEFAULT;
    private double epsilon = EPSILON_DEFAULT;

    private Builder() {
      super(LEARNING_RATE_DEFAULT);
    }

    /** {@code beta1} (Keras {@code beta_1}): decay of the first moment. Default {@code 0.9}. */
    public Builder beta1(double beta1) {
      this.beta1 = nonNegative("beta1", beta1);
      return this;
    }

    /** {@code beta2} (Keras {@code beta_2}): decay of the infinity norm. Default {@code 0.999}. */
    public Builder beta2(double beta2) {
      this.beta2 = nonNegative("beta2", beta2);
      return this;
    }

    /** {@code decay} (Keras {@code decay}): time-based learning rate decay. Default {@code 0}. */
    public Builder decay(double decay) {
      this.decay = nonNegative("decay", decay);
      return this;
    }

    /** {@code epsilon} (Keras {@code epsilon}): fuzz factor. Default {@code K.epsilon() = 1e-7}. */
    public Builder epsilon(double epsilon) {
      this.epsilon = nonNegative("epsilon", epsilon);
      return this;
    }

    public Adamax build() {
      return new Adamax(this);
    }
  }
}
