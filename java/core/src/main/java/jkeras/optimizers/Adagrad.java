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
 * Adagrad, as Keras 2.3.1 {@code keras.optimizers.Adagrad}: the accumulators start at zero.
 *
 * <p>Per parameter: {@code a = a + g^2}; {@code p = p - lr * g / (sqrt(a) + epsilon)}.
 *
 * <pre>{@code
 * Optimizer adagrad = Adagrad.builder().learningRate(0.05).build();
 * }</pre>
 */
public final class Adagrad extends Optimizer {
  /** Keras {@code learning_rate=0.01}. */
  public static final double LEARNING_RATE_DEFAULT = 0.01;

  /** Keras {@code decay=0.0}. */
  public static final double DECAY_DEFAULT = 0.0;

  private static final List<String> KEYS = configKeys("decay", "epsilon");

  private final double decay;
  private final double epsilon;

  /** Adagrad with all Keras defaults. */
  public Adagrad() {
    this(builder());
  }

  /** Adagrad with the given {@code learning_rate} and the other Keras defaults. */
  public Adagrad(double learningRate) {
    this(builder().learningRate(learningRate));
  }

  private Adagrad(Builder b) {
    super(b);
    this.decay = b.decay;
    this.epsilon = b.epsilon;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Keras {@code Adagrad.from_config}: accepts the keys of {@link #getConfig()} and the legacy
   * {@code lr}.
   *
   * @throws IllegalArgumentException on an unknown key, or both {@code lr} and {@code
   *     learning_rate}
   */
  public static Adagrad fromConfig(Map<String, ?> config) {
    Errors.checkKeys("Adagrad", config, KEYS);
    return builder()
        .readBase("Adagrad", config)
        .decay(Config.getDouble(config, "decay", DECAY_DEFAULT))
        .epsilon(Config.getDouble(config, "epsilon", EPSILON_DEFAULT))
        .build();
  }

  @Override
  public String className() {
    return "Adagrad";
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
    Operand<TFloat32> eps = constant(tf, epsilon);
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < params.size(); i++) {
      KerasVariable p = params.get(i);
      Operand<TFloat32> g = gs.get(i);
      KerasVariable a = slot(vars, p, "accumulator");
      Operand<TFloat32> newA = tf.math.add(a.value(), tf.math.square(g));
      updates.add(a.assign(tf, newA));
      Operand<TFloat32> step =
          tf.math.div(tf.math.mul(lr, g), tf.math.add(tf.math.sqrt(newA), eps));
      updates.add(p.assign(tf, tf.math.sub(p.value(), step)));
    }
    return withIterationIncrement(tf, updates, iterations);
  }

  /** Builder of {@link Adagrad}; defaults are Keras 2.3.1's. */
  public static final class Builder extends Optimizer.Builder<Builder> {
    private double decay = DECAY_DEFAULT;
    private double epsilon = EPSILON_DEFAULT;

    private Builder() {
      super(LEARNING_RATE_DEFAULT);
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

    public Adagrad build() {
      return new Adagrad(this);
    }
  }
}
