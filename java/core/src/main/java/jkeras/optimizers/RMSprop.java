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
 * RMSProp, as Keras 2.3.1 {@code keras.optimizers.RMSprop} (no momentum, not centered).
 *
 * <p>Per parameter: {@code a = rho * a + (1 - rho) * g^2}; {@code p = p - lr * g / (sqrt(a) +
 * epsilon)}.
 *
 * <pre>{@code
 * Optimizer rms = RMSprop.builder().learningRate(1e-3).rho(0.9).build();
 * }</pre>
 */
public final class RMSprop extends Optimizer {
  /** Keras {@code learning_rate=0.001}. */
  public static final double LEARNING_RATE_DEFAULT = 0.001;

  /** Keras {@code rho=0.9}. */
  public static final double RHO_DEFAULT = 0.9;

  /** Keras {@code decay=0.0}. */
  public static final double DECAY_DEFAULT = 0.0;

  private static final List<String> KEYS = configKeys("rho", "decay", "epsilon");

  private final double rho;
  private final double decay;
  private final double epsilon;

  /** RMSprop with all Keras defaults. */
  public RMSprop() {
    this(builder());
  }

  /** RMSprop with the given {@code learning_rate} and the other Keras defaults. */
  public RMSprop(double learningRate) {
    this(builder().learningRate(learningRate));
  }

  private RMSprop(Builder b) {
    super(b);
    this.rho = b.rho;
    this.decay = b.decay;
    this.epsilon = b.epsilon;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Keras {@code RMSprop.from_config}: accepts the keys of {@link #getConfig()} and the legacy
   * {@code lr}.
   *
   * @throws IllegalArgumentException on an unknown key, or both {@code lr} and {@code
   *     learning_rate}
   */
  public static RMSprop fromConfig(Map<String, ?> config) {
    Errors.checkKeys("RMSprop", config, KEYS);
    return builder()
        .readBase("RMSprop", config)
        .rho(Config.getDouble(config, "rho", RHO_DEFAULT))
        .decay(Config.getDouble(config, "decay", DECAY_DEFAULT))
        .epsilon(Config.getDouble(config, "epsilon", EPSILON_DEFAULT))
        .build();
  }

  @Override
  public String className() {
    return "RMSprop";
  }

  public double rho() {
    return rho;
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
    c.put("rho", rho);
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
    // Keras holds rho in a float32 variable, so 1 - rho is computed in float32.
    Operand<TFloat32> rhoT = constant(tf, rho);
    Operand<TFloat32> oneMinusRho = tf.math.sub(one(tf), rhoT);
    Operand<TFloat32> eps = constant(tf, epsilon);
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < params.size(); i++) {
      KerasVariable p = params.get(i);
      Operand<TFloat32> g = gs.get(i);
      KerasVariable a = slot(vars, p, "accumulator");
      Operand<TFloat32> newA =
          tf.math.add(tf.math.mul(rhoT, a.value()), tf.math.mul(oneMinusRho, tf.math.square(g)));
      updates.add(a.assign(tf, newA));
      Operand<TFloat32> step =
          tf.math.div(tf.math.mul(lr, g), tf.math.add(tf.math.sqrt(newA), eps));
      updates.add(p.assign(tf, tf.math.sub(p.value(), step)));
    }
    return withIterationIncrement(tf, updates, iterations);
  }

  /** Builder of {@link RMSprop}; defaults are Keras 2.3.1's. */
  public static final class Builder extends Optimizer.Builder<Builder> {
    private double rho = RHO_DEFAULT;
    private double decay = DECAY_DEFAULT;
    private double epsilon = EPSILON_DEFAULT;

    private Builder() {
      super(LEARNING_RATE_DEFAULT);
    }

    /**
     * {@code rho} (Keras {@code rho}): decay of the squared-gradient average. Default {@code 0.9}.
     */
    public Builder rho(double rho) {
      this.rho = nonNegative("rho", rho);
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

    public RMSprop build() {
      return new RMSprop(this);
    }
  }
}
