package jkeras.activations;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import jkeras.internal.Errors;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Max;
import org.tensorflow.op.core.Sum;
import org.tensorflow.types.TFloat32;

/**
 * The built-in activation functions of {@code keras.activations} (Keras 2.3.1), and the registry
 * that resolves them by Keras identifier.
 *
 * <p>Each function builds exactly the TensorFlow ops that the Keras 2.3.1 TensorFlow backend
 * builds, so results agree to the last bit on the same TensorFlow version. Where tf-keras 2.x
 * differs (it uses the fused {@code Selu} op and {@code tf.nn.softmax} for every rank), the Javadoc
 * of the constant says so.
 *
 * <pre>{@code
 * Activation a = Activations.get("relu");      // same object as Activations.RELU
 * Activation none = Activations.get((Object) null); // linear, as keras.activations.get(None)
 * }</pre>
 */
public final class Activations {
  private Activations() {}

  /**
   * Keras 2.3.1 {@code selu} constants (Klambauer et al., 2017), as written in the Keras source.
   */
  static final double SELU_ALPHA = 1.6732632423543772848170429916717;

  static final double SELU_SCALE = 1.0507009873554804934193349852946;

  /** {@code linear}: the identity; returns its input unchanged. */
  public static final Activation LINEAR = of("linear", (tf, x) -> x);

  /**
   * {@code relu}: {@code max(x, 0)} ({@code tf.nn.relu}). See {@link #relu(double, Double,
   * double)}.
   */
  public static final Activation RELU = of("relu", (tf, x) -> tf.nn.relu(x));

  /** {@code sigmoid}: {@code 1 / (1 + exp(-x))} ({@code tf.nn.sigmoid}). */
  public static final Activation SIGMOID = of("sigmoid", (tf, x) -> tf.math.sigmoid(x));

  /** {@code tanh} ({@code tf.nn.tanh}). */
  public static final Activation TANH = of("tanh", (tf, x) -> tf.math.tanh(x));

  /**
   * {@code softmax} over the last axis. Keras 2.3.1: {@code tf.nn.softmax} for rank 2, {@code exp(x
   * - max(x)) / sum(exp(x - max(x)))} for rank &gt; 2 (tf-keras uses {@code tf.nn.softmax} for all
   * ranks, which can differ in the last ulp), and an error for rank 1.
   */
  public static final Activation SOFTMAX = softmax(-1);

  /** {@code elu} with {@code alpha=1.0}: {@code x} if {@code x > 0} else {@code exp(x) - 1}. */
  public static final Activation ELU = elu(1.0);

  /**
   * {@code selu}: {@code scale * elu(x, alpha)} with Keras' {@code alpha ≈ 1.67326} and {@code
   * scale ≈ 1.05070}, computed as Keras 2.3.1 does from {@code tf.nn.elu} (tf-keras 2.x calls the
   * fused {@code tf.nn.selu}).
   */
  public static final Activation SELU =
      of(
          "selu",
          (tf, x) -> tf.math.mul(tf.constant((float) SELU_SCALE), eluOps(tf, x, SELU_ALPHA)));

  /** {@code softplus}: {@code log(exp(x) + 1)} ({@code tf.nn.softplus}). */
  public static final Activation SOFTPLUS = of("softplus", (tf, x) -> tf.math.softplus(x));

  /** {@code softsign}: {@code x / (|x| + 1)} ({@code tf.nn.softsign}). */
  public static final Activation SOFTSIGN = of("softsign", (tf, x) -> tf.nn.softsign(x));

  /**
   * {@code hard_sigmoid}: {@code clip(0.2 * x + 0.5, 0, 1)}, as the Keras 2.3.1 and tf-keras 2.x
   * backends compute it (Keras 3 changed it to {@code relu6(x + 3) / 6}).
   */
  public static final Activation HARD_SIGMOID =
      of(
          "hard_sigmoid",
          (tf, x) ->
              tf.clipByValue(
                  tf.math.add(tf.math.mul(x, tf.constant(0.2f)), tf.constant(0.5f)),
                  tf.constant(0f),
                  tf.constant(1f)));

  /** {@code exponential}: {@code exp(x)}. */
  public static final Activation EXPONENTIAL = of("exponential", (tf, x) -> tf.math.exp(x));

  // Same set and spelling as the public functions of keras/activations.py at 2.3.1.
  private static final Map<String, Activation> REGISTRY = registry();

  private static Map<String, Activation> registry() {
    Map<String, Activation> m = new LinkedHashMap<>();
    for (Activation a :
        List.of(
            SOFTMAX,
            ELU,
            SELU,
            SOFTPLUS,
            SOFTSIGN,
            RELU,
            TANH,
            SIGMOID,
            HARD_SIGMOID,
            EXPONENTIAL,
            LINEAR)) {
      m.put(a.name(), a);
    }
    return Collections.unmodifiableMap(m);
  }

  /**
   * Keras {@code activations.get(name)}: the built-in activation with this identifier.
   *
   * @throws IllegalArgumentException for an unknown identifier; the message lists the valid ones
   */
  public static Activation get(String name) {
    Activation a = name == null ? LINEAR : REGISTRY.get(name);
    if (a == null && jkeras.utils.CustomObjects.get(name) instanceof Activation custom) a = custom;
    if (a == null) {
      throw Errors.unknownIdentifier("activation function", name, names());
    }
    return a;
  }

  /**
   * Keras {@code activations.get(identifier)}: {@code null} gives {@link #LINEAR}, a string is
   * looked up with {@link #get(String)}, an {@link Activation} is returned as is.
   *
   * @throws IllegalArgumentException for any other type, or an unknown identifier
   */
  public static Activation get(Object identifier) {
    if (identifier == null) {
      return LINEAR;
    }
    if (identifier instanceof String s) {
      return get(s);
    }
    if (identifier instanceof Activation a) {
      return a;
    }
    throw Errors.invalidArgument(
        "activation", "an activation identifier (String), an Activation or null", identifier);
  }

  /** The valid identifiers, in the order of {@code keras/activations.py}. */
  public static List<String> names() {
    return new ArrayList<>(REGISTRY.keySet());
  }

  /**
   * Keras {@code elu(x, alpha)}: {@code x} if {@code x > 0} else {@code alpha * (exp(x) - 1)}.
   *
   * @param alpha (Keras {@code alpha}) slope of the negative section. Default {@code 1.0}.
   */
  public static Activation elu(double alpha) {
    return of("elu", (tf, x) -> eluOps(tf, x, alpha));
  }

  // keras.backend.elu at 2.3.1: the fused op, rescaled only on the negative side when alpha != 1.
  private static Operand<TFloat32> eluOps(Ops tf, Operand<TFloat32> x, double alpha) {
    Operand<TFloat32> res = tf.nn.elu(x);
    if (alpha == 1.0) {
      return res;
    }
    return tf.select(
        tf.math.greater(x, tf.constant(0f)), res, tf.math.mul(tf.constant((float) alpha), res));
  }

  /**
   * Keras {@code relu(x, alpha=0., max_value=None, threshold=0.)}: {@code max_value} for {@code x
   * >= max_value}, {@code x} for {@code threshold <= x < max_value}, else {@code alpha * (x -
   * threshold)}. Reported as {@code "relu"} (Keras serializes activations by function name).
   *
   * @param alpha (Keras {@code alpha}) slope of the negative part. Default {@code 0}.
   * @param maxValue (Keras {@code max_value}) saturation threshold, {@code null} for none. Default
   *     {@code null}.
   * @param threshold (Keras {@code threshold}) threshold for the thresholded activation. Default
   *     {@code 0}.
   */
  public static Activation relu(double alpha, Double maxValue, double threshold) {
    if (alpha == 0.0 && maxValue == null && threshold == 0.0) {
      return RELU;
    }
    return of("relu", (tf, x) -> reluOps(tf, x, alpha, maxValue, threshold));
  }

  // keras.backend.relu at 2.3.1, branch for branch (the op choice affects the last ulp).
  private static Operand<TFloat32> reluOps(
      Ops tf, Operand<TFloat32> x, double alpha, Double maxValue, double threshold) {
    Operand<TFloat32> negativePart = null;
    if (alpha != 0.0) {
      if (maxValue == null && threshold == 0.0) {
        return tf.nn.leakyRelu(x, org.tensorflow.op.nn.LeakyRelu.alpha((float) alpha));
      }
      negativePart =
          threshold != 0.0
              ? tf.nn.relu(tf.math.add(tf.math.neg(x), tf.constant((float) threshold)))
              : tf.nn.relu(tf.math.neg(x));
    }
    boolean clipMax = maxValue != null;
    Operand<TFloat32> y;
    if (threshold != 0.0) {
      y =
          tf.math.mul(
              x,
              tf.dtypes.cast(tf.math.greater(x, tf.constant((float) threshold)), TFloat32.class));
    } else if (maxValue != null && maxValue == 6.0) {
      y = tf.nn.relu6(x);
      clipMax = false;
    } else {
      y = tf.nn.relu(x);
    }
    if (clipMax) {
      y = tf.clipByValue(y, tf.constant(0f), tf.constant(maxValue.floatValue()));
    }
    if (alpha != 0.0) {
      y = tf.math.sub(y, tf.math.mul(tf.constant((float) alpha), negativePart));
    }
    return y;
  }

  /**
   * Keras {@code softmax(x, axis=-1)}. As in Keras 2.3.1, a rank-2 input always uses the last axis
   * ({@code axis} is ignored there), a rank &gt; 2 input uses {@code exp(x - max) / sum} along
   * {@code axis}, and a rank-1 input is an error when the op is built.
   *
   * @param axis (Keras {@code axis}) the normalization axis. Default {@code -1}.
   */
  public static Activation softmax(int axis) {
    return of("softmax", (tf, x) -> softmaxOps(tf, x, axis));
  }

  private static Operand<TFloat32> softmaxOps(Ops tf, Operand<TFloat32> x, int axis) {
    int ndim = x.shape().numDimensions();
    if (ndim == 2) {
      return tf.nn.softmax(x);
    }
    if (ndim >= 0 && ndim < 2) {
      throw new IllegalArgumentException(
          "Cannot apply softmax to a tensor that is 1D. Received input: " + x.shape());
    }
    // Rank > 2, or unknown rank (Keras needs a known rank; the generic formula is its > 2 branch).
    Operand<TFloat32> e =
        tf.math.exp(tf.math.sub(x, tf.max(x, tf.constant(axis), Max.keepDims(true))));
    return tf.math.div(e, tf.sum(e, tf.constant(axis), Sum.keepDims(true)));
  }

  private static Activation of(
      String name, BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> fn) {
    return new Activation() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Operand<TFloat32> call(Ops tf, Operand<TFloat32> x) {
        return fn.apply(tf, x);
      }
    };
  }
}
