package jkeras.optimizers;

import java.util.ArrayList;
import java.util.HashMap;
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
 * <p>The base holds the hyper-parameters Keras 2.3.1 spells the same way in every optimizer that
 * has them: {@code learning_rate} (legacy {@code lr}), the time-based {@code decay} (all but
 * Nadam), the fuzz factor {@code epsilon} (all but SGD), and the base keyword arguments {@code
 * clipnorm} (clip all gradients together when their global L2 norm exceeds it) and {@code
 * clipvalue} (clip each gradient element to {@code [-clipvalue, clipvalue]}), which appear in
 * {@link #getConfig()} only when given, as in Keras. Each optimizer adds its own hyper-parameters
 * and the update of one parameter ({@link #prepare}); the base builds the rest of the step, as
 * Keras 3's {@code BaseOptimizer.apply} does around {@code update_step}.
 */
public abstract class Optimizer {
  /** Keras {@code K.epsilon()}, the default {@code epsilon} of the adaptive optimizers. */
  public static final double EPSILON_DEFAULT = 1e-7;

  /** Keras {@code decay=0.0}: the learning rate does not decay. */
  public static final double DECAY_DEFAULT = 0.0;

  /**
   * System property: {@code false} builds every update from elementwise ops, as Keras 2.3.1 writes
   * them, instead of TensorFlow's fused kernels (a diagnostic switch: the numbers agree to float32
   * rounding). Read when the optimizer is created; default {@code true}.
   */
  public static final String FUSED_KERNELS_PROPERTY = "jkeras.optimizers.fusedKernels";

  private final String className;
  private final List<String> keys;
  private final double learningRate;
  private final double decay;
  private final double epsilon;
  private final Double clipnorm;
  private final Double clipvalue;
  private KerasVariable learningRateVariable;
  private boolean fusedKernels = !"false".equals(System.getProperty(FUSED_KERNELS_PROPERTY));

  /** Takes the hyper-parameters from its builder, which has validated them. */
  Optimizer(Builder<?> b) {
    this.className = b.className;
    this.keys = b.keys;
    this.learningRate = b.learningRate;
    this.decay = b.decay;
    this.epsilon = b.epsilon;
    this.clipnorm = b.clipnorm;
    this.clipvalue = b.clipvalue;
  }

  /** The Keras class name, e.g. {@code "Adam"}. */
  public final String className() {
    return className;
  }

  /** Keras {@code learning_rate}: the initial learning rate (callbacks change the variable). */
  public final double learningRate() {
    return learningRate;
  }

  /** The learning-rate variable once built (so callbacks can read and set it), else null. */
  public KerasVariable learningRateVariable() {
    return learningRateVariable;
  }

  /** Keras {@code decay}: time-based learning rate decay; {@code 0} for Nadam, which has none. */
  public final double decay() {
    return decay;
  }

  /**
   * Keras {@code epsilon}: the fuzz factor; SGD takes none, so its value is the unused {@link
   * #EPSILON_DEFAULT}.
   */
  public final double epsilon() {
    return epsilon;
  }

  /** Keras {@code clipnorm}, empty when not given. */
  public final OptionalDouble clipnorm() {
    return clipnorm == null ? OptionalDouble.empty() : OptionalDouble.of(clipnorm);
  }

  /** Keras {@code clipvalue}, empty when not given. */
  public final OptionalDouble clipvalue() {
    return clipvalue == null ? OptionalDouble.empty() : OptionalDouble.of(clipvalue);
  }

  /**
   * Keras {@code get_config()}: {@code clipnorm} and {@code clipvalue} if given (Keras' base class
   * puts them first), {@code learning_rate}, then the optimizer's own keys in Keras 2.3.1's order.
   */
  public final Map<String, Object> getConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    if (clipnorm != null) config.put("clipnorm", clipnorm);
    if (clipvalue != null) config.put("clipvalue", clipvalue);
    config.put("learning_rate", learningRate);
    Map<String, Object> own = new HashMap<>();
    putHyperParameters(own);
    for (String key : keys) {
      config.put(
          key,
          switch (key) {
            case "decay" -> decay;
            case "epsilon" -> epsilon;
            default -> own.get(key);
          });
    }
    return config;
  }

  @Override
  public String toString() {
    return className() + getConfig();
  }

  /**
   * Builds one training step's updates, Keras 2.3.1's {@code get_updates}: clips the gradients,
   * creates the learning-rate variable and decays it, adds each parameter's update ({@link
   * #prepare}), then increments {@code iterations}.
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
  public final List<Op> getUpdates(
      VariableFactory vars,
      List<KerasVariable> params,
      List<Operand<TFloat32>> grads,
      KerasVariable iterations) {
    checkParamsAndGrads(params, grads);
    Ops tf = vars.tf();
    List<Operand<TFloat32>> gs = clipGradients(tf, grads);
    learningRateVariable = vars.scalar("learning_rate", (float) learningRate);
    Step step = new Step(tf, vars, decayedLearningRate(tf, iterations), iterations);
    ParameterUpdate fused = fusedKernels ? prepareFused(step) : null;
    ParameterUpdate elementwise = null;
    for (int i = 0; i < params.size(); i++) {
      KerasVariable p = params.get(i);
      // A fused kernel assigns the new value itself, so a constrained weight keeps Keras' own
      // order (update, constraint, assign) through the elementwise ops.
      if (fused != null && p.constraint() == null) {
        fused.add(p, gs.get(i));
      } else {
        if (elementwise == null) elementwise = prepare(step);
        elementwise.add(p, gs.get(i));
      }
    }
    return withIterationIncrement(tf, step.updates, iterations);
  }

  /** Tests: the elementwise or the fused updates, whatever the system property says. */
  void useFusedKernels(boolean fused) {
    this.fusedKernels = fused;
  }

  /**
   * Puts this optimizer's own config entries, in any order (all but {@code learning_rate}, {@code
   * decay} and {@code epsilon}); none by default.
   */
  void putHyperParameters(Map<String, Object> config) {}

  /**
   * Builds what this optimizer's step shares across parameters (constants, bias corrections, the
   * updates of step-wide slots) and returns the update of one parameter, as Keras 2.3.1's
   * elementwise ops.
   */
  abstract ParameterUpdate prepare(Step step);

  /**
   * The same update through one TensorFlow kernel per parameter ({@code ResourceApplyAdam}, ...),
   * where TensorFlow has one whose formula is Keras 2.3.1's; null where it has none (the default).
   * A fused kernel reads and writes the parameter and its slots in one pass instead of a dozen
   * elementwise ops, which is most of an optimizer's cost on a small model. Called at most once per
   * step, with the same {@link Step} as {@link #prepare}; the slots it creates have the same names.
   */
  ParameterUpdate prepareFused(Step step) {
    return null;
  }

  /** The update of one parameter, given its clipped gradient; it adds its ops to the step. */
  interface ParameterUpdate {
    void add(KerasVariable param, Operand<TFloat32> grad);
  }

  /**
   * One training step under construction: its ops, the slots' factory, this step's (decayed)
   * learning rate and the pre-step counter; {@link #assign} collects the updates.
   */
  record Step(
      Ops tf,
      VariableFactory vars,
      Operand<TFloat32> lr,
      KerasVariable iterations,
      List<Op> updates) {
    Step(Ops tf, VariableFactory vars, Operand<TFloat32> lr, KerasVariable iterations) {
      this(tf, vars, lr, iterations, new ArrayList<>());
    }

    /** A zero-initialised slot named {@code <param name>/<slot>} (without Keras' {@code :0}). */
    KerasVariable slot(KerasVariable param, String slot) {
      String name = param.name();
      if (name.endsWith(":0")) name = name.substring(0, name.length() - 2);
      return vars.zerosLike(param, name + "/" + slot);
    }

    /**
     * Adds {@code variable.assign(value)} to the step's updates, through the variable's constraint
     * when it has one (Keras 2.3.1, every optimizer: {@code new_p = p.constraint(new_p)}).
     */
    void assign(KerasVariable variable, Operand<TFloat32> value) {
      Operand<TFloat32> v =
          variable.constraint() == null ? value : variable.constraint().call(tf, value);
      updates.add(variable.assign(tf, v));
    }

    /** {@code iterations + 1} as float32: the step number {@code t} of Adam's bias correction. */
    Operand<TFloat32> t() {
      return tf.math.add(iterations.value(), one(tf));
    }

    /** A float32 scalar constant; Keras turns Python floats into float32 tensors the same way. */
    Operand<TFloat32> constant(double value) {
      return tf.constant((float) value);
    }

    /** Adds an op that updates variables itself (a fused kernel) to the step's updates. */
    void apply(Op kernel) {
      updates.add(kernel);
    }

    /** {@code 1 - x}, in float32 as Keras computes it for its float32 hyper-parameter variables. */
    Operand<TFloat32> oneMinus(Operand<TFloat32> x) {
      return tf.math.sub(one(tf), x);
    }

    /**
     * A decay rate as Keras holds {@code rho} or {@code beta_1}: a float32 variable, so {@code 1 -
     * rate} is computed in float32.
     */
    Rate rate(double value) {
      Operand<TFloat32> rate = constant(value);
      return new Rate(rate, oneMinus(rate));
    }

    /** {@code rate * average + (1 - rate) * x}: the moving averages of the Keras formulas. */
    Operand<TFloat32> movingAverage(Rate rate, Operand<TFloat32> average, Operand<TFloat32> x) {
      return tf.math.add(tf.math.mul(rate.rate(), average), tf.math.mul(rate.oneMinus(), x));
    }
  }

  /** A decay rate of a moving average and {@code 1 - rate}. */
  record Rate(Operand<TFloat32> rate, Operand<TFloat32> oneMinus) {}

  /** Checks the gradients match the parameters one to one. */
  private static void checkParamsAndGrads(
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
  private List<Operand<TFloat32>> clipGradients(Ops tf, List<Operand<TFloat32>> grads) {
    List<Operand<TFloat32>> out = new ArrayList<>(grads);
    if (clipnorm != null && clipnorm > 0) {
      Operand<TFloat32> sumOfSquares = null;
      for (Operand<TFloat32> g : out) {
        Operand<TFloat32> s = tf.reduceSum(tf.math.square(g), allAxes(tf, g));
        sumOfSquares = sumOfSquares == null ? s : tf.math.add(sumOfSquares, s);
      }
      Operand<TFloat32> norm = tf.math.sqrt(sumOfSquares);
      Operand<TFloat32> c = tf.constant(clipnorm.floatValue());
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
      Operand<TFloat32> lo = tf.constant((float) -clipvalue);
      Operand<TFloat32> hi = tf.constant(clipvalue.floatValue());
      for (int i = 0; i < out.size(); i++) {
        out.set(i, tf.clipByValue(out.get(i), lo, hi));
      }
    }
    return out;
  }

  /**
   * Keras 2.3.1's time-based decay, {@code lr * (1 / (1 + decay * iterations))} with the pre-step
   * {@code iterations}; the learning-rate variable itself when {@code decay == 0} (Keras adds no
   * ops then).
   */
  private Operand<TFloat32> decayedLearningRate(Ops tf, KerasVariable iterations) {
    Operand<TFloat32> lr = learningRateVariable.value();
    if (!(decay > 0)) return lr;
    Operand<TFloat32> denominator =
        tf.math.add(one(tf), tf.math.mul(tf.constant((float) decay), iterations.value()));
    return tf.math.mul(lr, tf.math.div(one(tf), denominator));
  }

  /**
   * Appends {@code iterations.assign(iterations + 1)} gated after every op of {@code updates}, so
   * the counter moves exactly once per step and never before an update has read it.
   */
  private static List<Op> withIterationIncrement(
      Ops tf, List<Op> updates, KerasVariable iterations) {
    Op increment =
        tf.withControlDependencies(updates)
            .assignVariableOp(iterations.handle(), tf.math.add(iterations.value(), one(tf)));
    List<Op> all = new ArrayList<>(updates);
    all.add(increment);
    return List.copyOf(all);
  }

  private static Operand<TFloat32> one(Ops tf) {
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

  /**
   * What every optimizer builder takes: {@code learning_rate}, {@code clipnorm}, {@code clipvalue},
   * and Keras {@code from_config} over the optimizer's keys. Defaults are Keras 2.3.1's.
   *
   * @param <B> the concrete builder, returned by every setter
   */
  public abstract static class Builder<B extends Builder<B>> {
    private final String className;
    private final List<String> keys;
    private double learningRate;
    private double decay = DECAY_DEFAULT;
    private double epsilon = EPSILON_DEFAULT;
    private Double clipnorm;
    private Double clipvalue;

    /**
     * A builder of {@code className} with its Keras defaults.
     *
     * @param keys the optimizer's config keys after {@code learning_rate}, in Keras' order, {@code
     *     decay} and {@code epsilon} included where it takes them
     */
    Builder(String className, double learningRateDefault, String... keys) {
      this.className = className;
      this.learningRate = learningRateDefault;
      this.keys = List.of(keys);
    }

    @SuppressWarnings("unchecked")
    final B self() {
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

    B setDecay(double decay) {
      this.decay = nonNegative("decay", decay);
      return self();
    }

    B setEpsilon(double epsilon) {
      this.epsilon = nonNegative("epsilon", epsilon);
      return self();
    }

    /**
     * Keras {@code from_config}: sets the keys of {@link Optimizer#getConfig()} and the legacy
     * {@code lr}; a {@code null} value keeps the default.
     *
     * @throws IllegalArgumentException on an unknown key (listing the valid ones), a value of the
     *     wrong type, or both {@code lr} and {@code learning_rate}
     */
    B fromConfig(Map<String, ?> config) {
      List<String> valid = new ArrayList<>(List.of("learning_rate"));
      valid.addAll(keys);
      valid.addAll(List.of("clipnorm", "clipvalue", "lr"));
      Errors.checkKeys(className, config, valid);
      learningRate(readLearningRate(config));
      if (config.get("clipnorm") != null) clipnorm(Config.getDouble(config, "clipnorm", 0));
      if (config.get("clipvalue") != null) clipvalue(Config.getDouble(config, "clipvalue", 0));
      for (String key : keys) {
        switch (key) {
          case "decay" -> setDecay(Config.getDouble(config, key, decay));
          case "epsilon" -> setEpsilon(Config.getDouble(config, key, epsilon));
          default -> read(key, config);
        }
      }
      return self();
    }

    /**
     * Sets one of the optimizer's own keys from {@code config}, keeping the default on null; an
     * optimizer with own keys overrides it.
     */
    void read(String key, Map<String, ?> config) {
      throw new IllegalStateException("unhandled key " + key);
    }

    /**
     * Reads {@code learning_rate}, or its legacy alias {@code lr} (Keras 2.3.1 {@code
     * kwargs.pop('lr', learning_rate)}); both at once is an error here.
     */
    private double readLearningRate(Map<String, ?> config) {
      if (config.get("learning_rate") != null && config.get("lr") != null) {
        throw new IllegalArgumentException(
            className
                + " received both `learning_rate` and its legacy alias `lr`; pass only"
                + " `learning_rate`. Received: learning_rate="
                + Errors.truncate(config.get("learning_rate"))
                + ", lr="
                + Errors.truncate(config.get("lr")));
      }
      String key = config.get("lr") != null ? "lr" : "learning_rate";
      return Config.getDouble(config, key, learningRate);
    }
  }

  /**
   * The builder of an optimizer with Keras' time-based {@code decay}: all but Nadam.
   *
   * @param <B> the concrete builder
   */
  public abstract static class DecayingBuilder<B extends DecayingBuilder<B>> extends Builder<B> {
    DecayingBuilder(String className, double learningRateDefault, String... keys) {
      super(className, learningRateDefault, keys);
    }

    /** {@code decay} (Keras {@code decay}): time-based learning rate decay. Default {@code 0}. */
    public B decay(double decay) {
      return setDecay(decay);
    }
  }

  /**
   * The builder of an adaptive optimizer with {@code decay} and {@code epsilon}: RMSprop, Adagrad
   * and Adadelta (Adam, Adamax and Nadam: {@link MomentOptimizer.MomentBuilder}).
   *
   * @param <B> the concrete builder
   */
  public abstract static class AdaptiveBuilder<B extends AdaptiveBuilder<B>>
      extends DecayingBuilder<B> {
    AdaptiveBuilder(String className, double learningRateDefault, String... keys) {
      super(className, learningRateDefault, keys);
    }

    /** {@code epsilon} (Keras {@code epsilon}): fuzz factor. Default {@code K.epsilon() = 1e-7}. */
    public B epsilon(double epsilon) {
      return setEpsilon(epsilon);
    }
  }
}
