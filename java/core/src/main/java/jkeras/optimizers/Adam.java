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
public final class Adam extends Optimizer {
  /** Keras {@code learning_rate=0.001}. */
  public static final double LEARNING_RATE_DEFAULT = 0.001;

  /** Keras {@code beta_1=0.9}. */
  public static final double BETA_1_DEFAULT = 0.9;

  /** Keras {@code beta_2=0.999}. */
  public static final double BETA_2_DEFAULT = 0.999;

  /** Keras {@code decay=0.0}. */
  public static final double DECAY_DEFAULT = 0.0;

  /** Keras {@code amsgrad=False}. */
  public static final boolean AMSGRAD_DEFAULT = false;

  private static final List<String> KEYS = configKeys("beta_1", "beta_2", "decay", "epsilon", "amsgrad");

  private final double beta1;
  private final double beta2;
  private final double decay;
  private final double epsilon;
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
    this.beta1 = b.beta1;
    this.beta2 = b.beta2;
    this.decay = b.decay;
    this.epsilon = b.epsilon;
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
    Errors.checkKeys("Adam", config, KEYS);
    return builder()
        .readBase("Adam", config)
        .beta1(Config.getDouble(config, "beta_1", BETA_1_DEFAULT))
        .beta2(Config.getDouble(config, "beta_2", BETA_2_DEFAULT))
        .decay(Config.getDouble(config, "decay", DECAY_DEFAULT))
        .epsilon(Config.getDouble(config, "epsilon", EPSILON_DEFAULT))
        .amsgrad(Config.getBoolean(config, "amsgrad", AMSGRAD_DEFAULT))
        .build();
  }

  @Override
  public String className() {
    return "Adam";
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

  public boolean amsgrad() {
    return amsgrad;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = baseConfig();
    c.put("beta_1", beta1);
    c.put("beta_2", beta2);
    c.put("decay", decay);
    c.put("epsilon", epsilon);
    c.put("amsgrad", amsgrad);
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
    // Keras holds beta_1/beta_2 in float32 variables: 1 - beta is computed in float32.
    Operand<TFloat32> oneMinusB1 = tf.math.sub(one(tf), b1);
    Operand<TFloat32> oneMinusB2 = tf.math.sub(one(tf), b2);
    Operand<TFloat32> eps = constant(tf, epsilon);
    Operand<TFloat32> t = nextStep(tf, iterations);
    Operand<TFloat32> lrT =
        tf.math.mul(
            lr,
            tf.math.div(
                tf.math.sqrt(tf.math.sub(one(tf), tf.math.pow(b2, t))),
                tf.math.sub(one(tf), tf.math.pow(b1, t))));
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < params.size(); i++) {
      KerasVariable p = params.get(i);
      Operand<TFloat32> g = gs.get(i);
      KerasVariable m = slot(vars, p, "m");
      KerasVariable v = slot(vars, p, "v");
      Operand<TFloat32> mT = tf.math.add(tf.math.mul(b1, m.value()), tf.math.mul(oneMinusB1, g));
      Operand<TFloat32> vT =
          tf.math.add(tf.math.mul(b2, v.value()), tf.math.mul(oneMinusB2, tf.math.square(g)));
      Operand<TFloat32> denominatorV = vT;
      if (amsgrad) {
        KerasVariable vhat = slot(vars, p, "vhat");
        Operand<TFloat32> vhatT = tf.math.maximum(vhat.value(), vT);
        updates.add(vhat.assign(tf, vhatT));
        denominatorV = vhatT;
      }
      Operand<TFloat32> step =
          tf.math.div(tf.math.mul(lrT, mT), tf.math.add(tf.math.sqrt(denominatorV), eps));
      updates.add(m.assign(tf, mT));
      updates.add(v.assign(tf, vT));
      updates.add(p.assign(tf, tf.math.sub(p.value(), step)));
    }
    return withIterationIncrement(tf, updates, iterations);
  }

  /** Builder of {@link Adam}; defaults are Keras 2.3.1's. */
  public static final class Builder extends Optimizer.Builder<Builder> {
    private double beta1 = BETA_1_DEFAULT;
    private double beta2 = BETA_2_DEFAULT;
    private double decay = DECAY_DEFAULT;
    private double epsilon = EPSILON_DEFAULT;
    private boolean amsgrad = AMSGRAD_DEFAULT;

    private Builder() {
      super(LEARNING_RATE_DEFAULT);
    }

    /** {@code beta1} (Keras {@code beta_1}): decay of the first moment. Default {@code 0.9}. */
    public Builder beta1(double beta1) {
      this.beta1 = nonNegative("beta1", beta1);
      return this;
    }

    /** {@code beta2} (Keras {@code beta_2}): decay of the second moment. Default {@code 0.999}. */
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

    /** {@code amsgrad} (Keras {@code amsgrad}): use the AMSGrad variant. Default {@code false}. */
    public Builder amsgrad(boolean amsgrad) {
      this.amsgrad = amsgrad;
      return this;
    }

    public Adam build() {
      return new Adam(this);
    }
  }
}
