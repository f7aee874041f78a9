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

  /** Keras {@code decay=0.0}. */
  public static final double DECAY_DEFAULT = 0.0;

  /** Keras {@code nesterov=False}. */
  public static final boolean NESTEROV_DEFAULT = false;

  private static final List<String> KEYS = configKeys("momentum", "decay", "nesterov");

  private final double momentum;
  private final double decay;
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
    this.decay = b.decay;
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
    Errors.checkKeys("SGD", config, KEYS);
    return builder()
        .readBase("SGD", config)
        .momentum(Config.getDouble(config, "momentum", MOMENTUM_DEFAULT))
        .decay(Config.getDouble(config, "decay", DECAY_DEFAULT))
        .nesterov(Config.getBoolean(config, "nesterov", NESTEROV_DEFAULT))
        .build();
  }

  @Override
  public String className() {
    return "SGD";
  }

  public double momentum() {
    return momentum;
  }

  public double decay() {
    return decay;
  }

  public boolean nesterov() {
    return nesterov;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = baseConfig();
    c.put("momentum", momentum);
    c.put("decay", decay);
    c.put("nesterov", nesterov);
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
    Operand<TFloat32> mom = constant(tf, momentum);
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < params.size(); i++) {
      KerasVariable p = params.get(i);
      Operand<TFloat32> g = gs.get(i);
      KerasVariable m = slot(vars, p, "moment");
      Operand<TFloat32> lrG = tf.math.mul(lr, g);
      Operand<TFloat32> v = tf.math.sub(tf.math.mul(mom, m.value()), lrG);
      updates.add(m.assign(tf, v));
      Operand<TFloat32> newP =
          nesterov
              ? tf.math.sub(tf.math.add(p.value(), tf.math.mul(mom, v)), lrG)
              : tf.math.add(p.value(), v);
      updates.add(p.assign(tf, newP));
    }
    return withIterationIncrement(tf, updates, iterations);
  }

  /** Builder of {@link SGD}; defaults are Keras 2.3.1's. */
  public static final class Builder extends Optimizer.Builder<Builder> {
    private double momentum = MOMENTUM_DEFAULT;
    private double decay = DECAY_DEFAULT;
    private boolean nesterov = NESTEROV_DEFAULT;

    private Builder() {
      super(LEARNING_RATE_DEFAULT);
    }

    /** {@code momentum} (Keras {@code momentum}): float >= 0. Default {@code 0}. */
    public Builder momentum(double momentum) {
      this.momentum = nonNegative("momentum", momentum);
      return this;
    }

    /** {@code decay} (Keras {@code decay}): time-based learning rate decay. Default {@code 0}. */
    public Builder decay(double decay) {
      this.decay = nonNegative("decay", decay);
      return this;
    }

    /** {@code nesterov} (Keras {@code nesterov}): use Nesterov momentum. Default {@code false}. */
    public Builder nesterov(boolean nesterov) {
      this.nesterov = nesterov;
      return this;
    }

    public SGD build() {
      return new SGD(this);
    }
  }
}
