package jkeras.optimizers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import jkeras.backend.KerasVariable;
import jkeras.backend.VariableFactory;
import jkeras.internal.Config;
import jkeras.internal.Errors;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * A Keras 2.3.1 optimizer: immutable hyper-parameters, and {@link #getUpdates} which builds the
 * update ops of one training step once, when the model is compiled.
 *
 * <p>Stateful once built (its slots live in the model's graph); use one instance per model.
 *
 * <p>Every Keras 2.3.1 optimizer accepts the base keyword arguments {@code clipnorm} (clip all
 * gradients together when their global L2 norm exceeds it) and {@code clipvalue} (clip each
 * gradient element to {@code [-clipvalue, clipvalue]}). They appear in {@link #getConfig()} only
 * when given, as in Keras.
 */
public abstract class Optimizer {
  /** Keras {@code K.epsilon()}, the default {@code epsilon} of the adaptive optimizers. */
  public static final double EPSILON_DEFAULT = 1e-7;

  private final double learningRate;
  private final Double clipnorm;
  private final Double clipvalue;
  private KerasVariable learningRateVariable;

  /**
   * Takes the options every optimizer has from its builder: {@code learning_rate}, and {@code
   * clipnorm}/{@code clipvalue} (null when not given). The builder has validated them.
   */
  protected Optimizer(Builder<?> b) {
    this.learningRate = b.learningRate;
    this.clipnorm = b.clipnorm;
    this.clipvalue = b.clipvalue;
  }

  /** The Keras class name, e.g. {@code "Adam"}. */
  public abstract String className();

  /**
   * Builds one training step's updates, Keras 2.3.1's {@code get_updates}.
   *
   * <p>Contract: every update reads parameters and slots through {@link KerasVariable#value()}
   * (snapshots taken before the step) and the caller has already put the ops under control
   * dependencies on all gradients and on the fetched loss, so reads see pre-step values. The
   * optimizer increments {@code iterations} itself, gated after all its other updates, as Keras'
   * {@code self.iterations} (int64 in Keras; float32 here, exact up to 2^24 steps).
   *
   * @param vars creates slot variables and hyper-parameter variables
   * @param params the trainable weights, in the model's order
   * @param grads their gradients, same order
   * @param iterations the model's step counter, {@code 0} before the first step
   * @return the ops to run as targets of the training step
   */
  public abstract List<Op> getUpdates(
      VariableFactory vars,
      List<KerasVariable> params,
      List<Operand<TFloat32>> grads,
      KerasVariable iterations);

  /** Keras {@code get_config()}: snake_case keys, e.g. {@code learning_rate}, {@code beta_1}. */
  public abstract Map<String, Object> getConfig();

  /** Keras {@code learning_rate}: the initial learning rate (callbacks change the variable). */
  public final double learningRate() {
    return learningRate;
  }

  /** The learning-rate variable once built (so callbacks can read and set it), else null. */
  public KerasVariable learningRateVariable() {
    return learningRateVariable;
  }

  /** Keras {@code clipnorm}, empty when not given. */
  public final OptionalDouble clipnorm() {
    return clipnorm == null ? OptionalDouble.empty() : OptionalDouble.of(clipnorm);
  }

  /** Keras {@code clipvalue}, empty when not given. */
  public final OptionalDouble clipvalue() {
    return clipvalue == null ? OptionalDouble.empty() : OptionalDouble.of(clipvalue);
  }

  @Override
  public String toString() {
    return className() + getConfig();
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers for subclasses.

  /**
   * The config entries every optimizer starts with: the base class's {@code clipnorm} and {@code
   * clipvalue} if given (Keras puts them first), then {@code learning_rate}, the first entry of
   * each Keras 2.3.1 optimizer's own config.
   */
  protected final Map<String, Object> baseConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    if (clipnorm != null) config.put("clipnorm", clipnorm);
    if (clipvalue != null) config.put("clipvalue", clipvalue);
    config.put("learning_rate", learningRate);
    return config;
  }

  /** Checks the gradients match the parameters one to one. */
  protected static void checkParamsAndGrads(
      List<KerasVariable> params, List<Operand<TFloat32>> grads) {
    if (params.size() != grads.size()) {
      throw Errors.invalidArgument(
          "grads",
          "one gradient per parameter (" + params.size() + ")",
          grads.size() + " gradients");
    }
  }

  /**
   * Keras 2.3.1 {@code Optimizer.get_gradients} clipping: first {@code clipnorm} on the global norm
   * of all gradients ({@code g * clipnorm / norm} when {@code norm >= clipnorm}), then {@code
   * clipvalue} element-wise. A value {@code <= 0} disables either, as in Keras.
   */
  protected final List<Operand<TFloat32>> clipGradients(Ops tf, List<Operand<TFloat32>> grads) {
    List<Operand<TFloat32>> out = new ArrayList<>(grads);
    if (clipnorm != null && clipnorm > 0) {
      Operand<TFloat32> sumOfSquares = null;
      for (Operand<TFloat32> g : out) {
        Operand<TFloat32> s = tf.reduceSum(tf.math.square(g), allAxes(tf, g));
        sumOfSquares = sumOfSquares == null ? s : tf.math.add(sumOfSquares, s);
      }
      Operand<TFloat32> norm = tf.math.sqrt(sumOfSquares);
      Operand<TFloat32> c = constant(tf, clipnorm);
      Operand<TBool> clip = tf.math.greaterEqual(norm, c);
      // Keras builds tf.cond(norm >= c, c / norm * g, g); select gives the same values without a
      // conditional (the unselected branch may hold inf/nan when norm == 0 but is discarded).
      Operand<TFloat32> scale = tf.math.div(c, norm);
      for (int i = 0; i < out.size(); i++) {
        Operand<TFloat32> g = out.get(i);
        out.set(i, tf.select(clip, tf.math.mul(scale, g), g));
      }
    }
    if (clipvalue != null && clipvalue > 0) {
      Operand<TFloat32> lo = constant(tf, -clipvalue);
      Operand<TFloat32> hi = constant(tf, clipvalue);
      for (int i = 0; i < out.size(); i++) {
        out.set(i, tf.clipByValue(out.get(i), lo, hi));
      }
    }
    return out;
  }

  /**
   * Creates the learning-rate variable ({@code vars.scalar("learning_rate", learningRate())}) and
   * returns its pre-step value; {@link #learningRateVariable()} returns it afterwards.
   */
  protected final Operand<TFloat32> createLearningRate(VariableFactory vars) {
    learningRateVariable = vars.scalar("learning_rate", (float) learningRate);
    return learningRateVariable.value();
  }

  /**
   * Keras 2.3.1's time-based decay, {@code lr * (1 / (1 + decay * iterations))} with the pre-step
   * {@code iterations}; returns {@code lr} itself when {@code decay == 0} (Keras adds no ops then).
   */
  protected static Operand<TFloat32> decayedLearningRate(
      Ops tf, Operand<TFloat32> lr, double decay, KerasVariable iterations) {
    if (!(decay > 0)) return lr;
    Operand<TFloat32> denominator =
        tf.math.add(one(tf), tf.math.mul(constant(tf, decay), iterations.value()));
    return tf.math.mul(lr, tf.math.div(one(tf), denominator));
  }

  /** {@code iterations + 1} as float32: the step number {@code t} of Adam's bias correction. */
  protected static Operand<TFloat32> nextStep(Ops tf, KerasVariable iterations) {
    return tf.math.add(iterations.value(), one(tf));
  }

  /**
   * Appends {@code iterations.assign(iterations + 1)} gated after every op of {@code updates}, so
   * the counter moves exactly once per step and never before an update has read it.
   */
  protected static List<Op> withIterationIncrement(
      Ops tf, List<Op> updates, KerasVariable iterations) {
    Op increment =
        tf.withControlDependencies(updates)
            .assignVariableOp(iterations.handle(), tf.math.add(iterations.value(), one(tf)));
    List<Op> all = new ArrayList<>(updates);
    all.add(increment);
    return List.copyOf(all);
  }

  /** A zero-initialised slot named {@code <param name>/<slot>} (without Keras' {@code :0}). */
  protected static KerasVariable slot(VariableFactory vars, KerasVariable param, String slot) {
    String name = param.name();
    if (name.endsWith(":0")) name = name.substring(0, name.length() - 2);
    return vars.zerosLike(param, name + "/" + slot);
  }

  /** A float32 scalar constant; Keras turns Python floats into float32 tensors the same way. */
  protected static Operand<TFloat32> constant(Ops tf, double value) {
    return tf.constant((float) value);
  }

  protected static Operand<TFloat32> one(Ops tf) {
    return tf.constant(1f);
  }

  private static Operand<org.tensorflow.types.TInt32> allAxes(Ops tf, Operand<TFloat32> x) {
    int rank = x.shape().numDimensions();
    if (rank < 0) {
      return tf.range(tf.constant(0), tf.rank(x), tf.constant(1));
    }
    int[] axes = new int[rank];
    for (int i = 0; i < rank; i++) axes[i] = i;
    return tf.constant(axes);
  }

  static double nonNegative(String name, double value) {
    if (!(value >= 0)) throw Errors.invalidArgument(name, "a float >= 0", value);
    return value;
  }

  // ---------------------------------------------------------------------------------------------
  // Config helpers shared by the optimizers' fromConfig.

  /**
   * Reads {@code learning_rate}, or its legacy alias {@code lr} (Keras 2.3.1 {@code
   * kwargs.pop('lr', learning_rate)}); both at once is an error here.
   */
  static double readLearningRate(String owner, Map<String, ?> config, double dflt) {
    if (config.get("learning_rate") != null && config.get("lr") != null) {
      throw new IllegalArgumentException(
          owner
              + " received both `learning_rate` and its legacy alias `lr`; pass only"
              + " `learning_rate`. Received: learning_rate="
              + Errors.truncate(config.get("learning_rate"))
              + ", lr="
              + Errors.truncate(config.get("lr")));
    }
    return config.get("lr") != null
        ? Config.getDouble(config, "lr", dflt)
        : Config.getDouble(config, "learning_rate", dflt);
  }

  /**
   * The keys {@code fromConfig} accepts: {@code learning_rate}, the optimizer's own keys in
   * {@code getConfig()} order, {@code clipnorm}, {@code clipvalue} and the legacy {@code lr}.
   */
  static List<String> configKeys(String... own) {
    List<String> keys = new ArrayList<>(List.of("learning_rate"));
    keys.addAll(List.of(own));
    keys.addAll(List.of("clipnorm", "clipvalue", "lr"));
    return List.copyOf(keys);
  }

  /** Reads {@code clipnorm}, null when absent. */
  static Double readOptional(Map<String, ?> config, String key) {
    return config.get(key) == null ? null : Config.getDouble(config, key, 0);
  }

  /**
   * Options shared by every optimizer builder: {@code learning_rate}, {@code clipnorm}, {@code
   * clipvalue}.
   *
   * @param <B> the concrete builder
   */
  public abstract static class Builder<B extends Builder<B>> {
    double learningRate;
    Double clipnorm;
    Double clipvalue;

    Builder(double learningRateDefault) {
      this.learningRate = learningRateDefault;
    }

    @SuppressWarnings("unchecked")
    private B self() {
      return (B) this;
    }

    /** {@code learningRate} (Keras {@code learning_rate}, legacy {@code lr}): float >= 0. */
    public B learningRate(double learningRate) {
      this.learningRate = nonNegative("learningRate", learningRate);
      return self();
    }

    /**
     * {@code clipnorm} (Keras {@code clipnorm}): gradients are rescaled together when their global
     * L2 norm exceeds it. Not set by default.
     */
    public B clipnorm(double clipnorm) {
      this.clipnorm = nonNegative("clipnorm", clipnorm);
      return self();
    }

    /**
     * {@code clipvalue} (Keras {@code clipvalue}): each gradient element is clipped to {@code
     * [-clipvalue, clipvalue]} (after {@code clipnorm}). Not set by default.
     */
    public B clipvalue(double clipvalue) {
      this.clipvalue = nonNegative("clipvalue", clipvalue);
      return self();
    }

    B readBase(String owner, Map<String, ?> config) {
      learningRate(readLearningRate(owner, config, learningRate));
      Double cn = readOptional(config, "clipnorm");
      if (cn != null) clipnorm(cn);
      Double cv = readOptional(config, "clipvalue");
      if (cv != null) clipvalue(cv);
      return self();
    }
  }
}
