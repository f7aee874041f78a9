package jkeras.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jkeras.activations.Activations;
import jkeras.internal.Errors;
import org.tensorflow.Operand;
import org.tensorflow.TensorFlow;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.All;
import org.tensorflow.op.core.Any;
import org.tensorflow.op.core.Max;
import org.tensorflow.op.core.Min;
import org.tensorflow.op.core.Prod;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.op.core.Sum;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.random.RandomStandardNormal;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.op.random.TruncatedNormal;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.family.TNumber;
import org.tensorflow.types.family.TType;

/**
 * Keras' backend functions ({@code from keras import backend as K}) for custom layers and Lambda
 * functions: the same names camelCased ({@code K.sum}, {@code K.batchDot}, {@code
 * K.permuteDimensions}), the same arguments and defaults ({@code axis=None} is every axis, {@code
 * keepdims=False}, {@code K.softmax(x, axis=-1)}, ...), the same ops as Keras 2.3.1's TensorFlow
 * backend.
 *
 * <p>The functions build ops in the graph of the layer call being built on this thread ({@link
 * CallContext#current()}): the engine sets it around each layer's {@code call}, so a ported layer
 * writes {@code K.sum(x, 1)} without passing a graph around, as in Keras. Outside a layer call they
 * throw {@link IllegalStateException}.
 *
 * <pre>{@code
 * // keras: K.sum(K.square(x), axis=-1, keepdims=True)
 * Operand<TFloat32> s = K.sum(K.square(x), -1, true);
 * // keras: K.switch(K.greater(x, 0.), x, 0.2 * x)
 * Operand<TFloat32> y = K.switch_(K.greater(x, 0), x, K.multiply(x, 0.2));
 * }</pre>
 *
 * <p>Python's operators on tensors ({@code x + y}, {@code x * 0.5}, {@code -x}) are {@link #add},
 * {@link #subtract}, {@link #multiply}, {@link #divide} and {@link #negative}. {@code K.switch} is
 * {@link #switch_} ({@code switch} is a Java keyword). Axes are Java {@code int}s; {@code null} for
 * an {@code int[] axis} is Keras' {@code axis=None} (every axis). Shapes are {@code long[]} with
 * {@code -1} for Keras' {@code None}.
 */
public final class K {
  private K() {}

  static {
    registerRandomGradients();
  }

  /**
   * TensorFlow's C++ gradient registry (what graph-mode gradients use) has no entry for the normal
   * random ops, which Python marks not differentiable: a graph where their shape comes from a
   * trained tensor ({@code K.random_normal(K.shape(x))}) would fail with "No gradient defined for
   * op". Their gradient is zero; registered once per process (a registered one is kept).
   */
  private static void registerRandomGradients() {
    for (String op : List.of("RandomStandardNormal", "TruncatedNormal", "RandomUniform")) {
      TensorFlow.registerCustomGradient(
          op,
          (tf, operation, gradients) -> {
            List<Operand<?>> out = new ArrayList<>();
            for (int i = 0; i < operation.numInputs(); i++) {
              out.add(tf.zerosLike(operation.input(i)));
            }
            return out;
          });
    }
  }

  /** Keras' {@code K.epsilon()}: the fuzz factor, {@code 1e-7}. */
  public static final double EPSILON = 1e-7;

  // ------------------------------------------------------------------ configuration

  /** {@code K.epsilon()}: {@code 1e-7}. */
  public static double epsilon() {
    return EPSILON;
  }

  /** {@code K.floatx()}: {@code "float32"}, the dtype layers compute in. */
  public static String floatx() {
    return "float32";
  }

  /**
   * {@code K.learning_phase()}: true in training steps, false in test and predict steps (a bool
   * scalar; Keras 2.3.1 gives 1/0).
   */
  public static Operand<TBool> learningPhase() {
    return ctx().training();
  }

  // ------------------------------------------------------------------ shapes and types

  /** {@code K.shape(x)}: the dynamic shape, an int32 vector. */
  public static Operand<TInt32> shape(Operand<? extends TType> x) {
    return tf().shape(x);
  }

  /**
   * {@code K.int_shape(x)}: the static shape, {@code -1} for unknown dimensions (Keras' {@code
   * None}); {@code null} for an unknown rank.
   */
  public static long[] intShape(Operand<? extends TType> x) {
    Shape s = x.shape();
    return s.isUnknown() ? null : s.asArray();
  }

  /** {@code K.ndim(x)}: the rank, {@code -1} when unknown. */
  public static int ndim(Operand<? extends TType> x) {
    return x.shape().numDimensions();
  }

  /** {@code K.dtype(x)}: the Keras dtype name, e.g. {@code "float32"}. */
  public static String dtype(Operand<? extends TType> x) {
    Class<? extends TType> t = x.type();
    if (t == TFloat32.class) return "float32";
    if (t == TFloat64.class) return "float64";
    if (t == TInt32.class) return "int32";
    if (t == TInt64.class) return "int64";
    if (t == TBool.class) return "bool";
    if (t == TUint8.class) return "uint8";
    return t.getSimpleName().toLowerCase(Locale.ROOT);
  }

  /**
   * {@code K.cast(x, dtype)}: {@code dtype} one of {@code "float32"}, {@code "float64"}, {@code
   * "int32"}, {@code "int64"}, {@code "bool"}, {@code "uint8"}. The result's type parameter is the
   * caller's: {@code Operand<TFloat32> m = K.cast(K.greater(x, 0), "float32")}.
   */
  @SuppressWarnings("unchecked")
  public static <T extends TType> Operand<T> cast(Operand<? extends TType> x, String dtype) {
    return (Operand<T>) tf().dtypes.cast(x, typeOf(dtype));
  }

  /** {@code K.cast(x, K.floatx())}. */
  public static Operand<TFloat32> castToFloatx(Operand<? extends TType> x) {
    return tf().dtypes.cast(x, TFloat32.class);
  }

  // ------------------------------------------------------------------ reductions

  /** {@code K.sum(x)}: the sum of every element. */
  public static <T extends TType> Operand<T> sum(Operand<T> x) {
    return sum(x, null, false);
  }

  /** {@code K.sum(x, axis)}. */
  public static <T extends TType> Operand<T> sum(Operand<T> x, int axis) {
    return sum(x, new int[] {axis}, false);
  }

  /** {@code K.sum(x, axis, keepdims)}. */
  public static <T extends TType> Operand<T> sum(Operand<T> x, int axis, boolean keepdims) {
    return sum(x, new int[] {axis}, keepdims);
  }

  /** {@code K.sum(x, axis=[...], keepdims)}; {@code axes} null for every axis. */
  public static <T extends TType> Operand<T> sum(Operand<T> x, int[] axes, boolean keepdims) {
    Ops tf = tf();
    return tf.sum(x, axes(tf, x, axes), Sum.keepDims(keepdims));
  }

  /** {@code K.prod(x)}. */
  public static <T extends TType> Operand<T> prod(Operand<T> x) {
    return prod(x, null, false);
  }

  /** {@code K.prod(x, axis)}. */
  public static <T extends TType> Operand<T> prod(Operand<T> x, int axis) {
    return prod(x, new int[] {axis}, false);
  }

  /** {@code K.prod(x, axis, keepdims)}; {@code axes} null for every axis. */
  public static <T extends TType> Operand<T> prod(Operand<T> x, int[] axes, boolean keepdims) {
    Ops tf = tf();
    return tf.prod(x, axes(tf, x, axes), Prod.keepDims(keepdims));
  }

  /** {@code K.mean(x)}: the mean of every element (bools count as 0/1). */
  public static Operand<TFloat32> mean(Operand<? extends TType> x) {
    return mean(x, null, false);
  }

  /** {@code K.mean(x, axis)}. */
  public static Operand<TFloat32> mean(Operand<? extends TType> x, int axis) {
    return mean(x, new int[] {axis}, false);
  }

  /** {@code K.mean(x, axis, keepdims)}. */
  public static Operand<TFloat32> mean(Operand<? extends TType> x, int axis, boolean keepdims) {
    return mean(x, new int[] {axis}, keepdims);
  }

  /**
   * {@code K.mean(x, axis=[...], keepdims)}; {@code axes} null for every axis. Keras casts bools
   * (and, here, any non-float32 input) to float32 first.
   */
  public static Operand<TFloat32> mean(Operand<? extends TType> x, int[] axes, boolean keepdims) {
    Ops tf = tf();
    Operand<TFloat32> f = asFloat(tf, x);
    return tf.math.mean(f, axes(tf, f, axes), Mean.keepDims(keepdims));
  }

  /** {@code K.max(x)}. */
  public static <T extends TNumber> Operand<T> max(Operand<T> x) {
    return max(x, null, false);
  }

  /** {@code K.max(x, axis)}. */
  public static <T extends TNumber> Operand<T> max(Operand<T> x, int axis) {
    return max(x, new int[] {axis}, false);
  }

  /** {@code K.max(x, axis, keepdims)}. */
  public static <T extends TNumber> Operand<T> max(Operand<T> x, int axis, boolean keepdims) {
    return max(x, new int[] {axis}, keepdims);
  }

  /** {@code K.max(x, axis=[...], keepdims)}; {@code axes} null for every axis. */
  public static <T extends TNumber> Operand<T> max(Operand<T> x, int[] axes, boolean keepdims) {
    Ops tf = tf();
    return tf.max(x, axes(tf, x, axes), Max.keepDims(keepdims));
  }

  /** {@code K.min(x)}. */
  public static <T extends TNumber> Operand<T> min(Operand<T> x) {
    return min(x, null, false);
  }

  /** {@code K.min(x, axis)}. */
  public static <T extends TNumber> Operand<T> min(Operand<T> x, int axis) {
    return min(x, new int[] {axis}, false);
  }

  /** {@code K.min(x, axis, keepdims)}. */
  public static <T extends TNumber> Operand<T> min(Operand<T> x, int axis, boolean keepdims) {
    return min(x, new int[] {axis}, keepdims);
  }

  /** {@code K.min(x, axis=[...], keepdims)}; {@code axes} null for every axis. */
  public static <T extends TNumber> Operand<T> min(Operand<T> x, int[] axes, boolean keepdims) {
    Ops tf = tf();
    return tf.min(x, axes(tf, x, axes), Min.keepDims(keepdims));
  }

  /** {@code K.var(x, axis=None, keepdims=False)}: the variance. */
  public static Operand<TFloat32> var(Operand<? extends TType> x) {
    return var(x, null, false);
  }

  /** {@code K.var(x, axis, keepdims)}. */
  public static Operand<TFloat32> var(Operand<? extends TType> x, int axis, boolean keepdims) {
    return var(x, new int[] {axis}, keepdims);
  }

  /** {@code K.var(x, axis=[...], keepdims)}: {@code mean(square(x - mean(x, keepdims=True)))}. */
  public static Operand<TFloat32> var(Operand<? extends TType> x, int[] axes, boolean keepdims) {
    Ops tf = tf();
    Operand<TFloat32> f = asFloat(tf, x);
    Operand<TFloat32> m = tf.math.mean(f, axes(tf, f, axes), Mean.keepDims(true));
    Operand<TFloat32> devs = tf.math.square(tf.math.sub(f, m));
    return tf.math.mean(devs, axes(tf, f, axes), Mean.keepDims(keepdims));
  }

  /** {@code K.std(x, axis=None, keepdims=False)}: the standard deviation. */
  public static Operand<TFloat32> std(Operand<? extends TType> x) {
    return std(x, null, false);
  }

  /** {@code K.std(x, axis, keepdims)}. */
  public static Operand<TFloat32> std(Operand<? extends TType> x, int axis, boolean keepdims) {
    return std(x, new int[] {axis}, keepdims);
  }

  /** {@code K.std(x, axis=[...], keepdims)}: {@code sqrt(var(x))}. */
  public static Operand<TFloat32> std(Operand<? extends TType> x, int[] axes, boolean keepdims) {
    return tf().math.sqrt(var(x, axes, keepdims));
  }

  /** {@code K.any(x, axis=None, keepdims=False)}: logical or (non-zero is true). */
  public static Operand<TBool> any(Operand<? extends TType> x) {
    return any(x, null, false);
  }

  /** {@code K.any(x, axis, keepdims)}. */
  public static Operand<TBool> any(Operand<? extends TType> x, int axis, boolean keepdims) {
    return any(x, new int[] {axis}, keepdims);
  }

  /** {@code K.any(x, axis=[...], keepdims)}; {@code axes} null for every axis. */
  public static Operand<TBool> any(Operand<? extends TType> x, int[] axes, boolean keepdims) {
    Ops tf = tf();
    Operand<TBool> b = asBool(tf, x);
    return tf.any(b, axes(tf, b, axes), Any.keepDims(keepdims));
  }

  /** {@code K.all(x, axis=None, keepdims=False)}: logical and (non-zero is true). */
  public static Operand<TBool> all(Operand<? extends TType> x) {
    return all(x, null, false);
  }

  /** {@code K.all(x, axis, keepdims)}. */
  public static Operand<TBool> all(Operand<? extends TType> x, int axis, boolean keepdims) {
    return all(x, new int[] {axis}, keepdims);
  }

  /** {@code K.all(x, axis=[...], keepdims)}; {@code axes} null for every axis. */
  public static Operand<TBool> all(Operand<? extends TType> x, int[] axes, boolean keepdims) {
    Ops tf = tf();
    Operand<TBool> b = asBool(tf, x);
    return tf.all(b, axes(tf, b, axes), All.keepDims(keepdims));
  }

  /** {@code K.argmax(x, axis=-1)}. */
  public static Operand<TInt64> argmax(Operand<? extends TType> x) {
    return argmax(x, -1);
  }

  /** {@code K.argmax(x, axis)}: the index of the largest value along {@code axis}. */
  public static Operand<TInt64> argmax(Operand<? extends TType> x, int axis) {
    Ops tf = tf();
    return tf.math.argMax(x, tf.constant(axis));
  }

  /** {@code K.argmin(x, axis=-1)}. */
  public static Operand<TInt64> argmin(Operand<? extends TType> x) {
    return argmin(x, -1);
  }

  /** {@code K.argmin(x, axis)}. */
  public static Operand<TInt64> argmin(Operand<? extends TType> x, int axis) {
    Ops tf = tf();
    return tf.math.argMin(x, tf.constant(axis));
  }

  /** {@code K.logsumexp(x, axis=None, keepdims=False)}: {@code log(sum(exp(x)))}, stably. */
  public static Operand<TFloat32> logsumexp(Operand<TFloat32> x) {
    return logsumexp(x, null, false);
  }

  /** {@code K.logsumexp(x, axis, keepdims)}. */
  public static Operand<TFloat32> logsumexp(Operand<TFloat32> x, int axis, boolean keepdims) {
    return logsumexp(x, new int[] {axis}, keepdims);
  }

  /**
   * {@code K.logsumexp(x, axis=[...], keepdims)}: TensorFlow's {@code reduce_logsumexp}, {@code
   * log(sum(exp(x - max))) + max} with the max held constant for gradients.
   */
  public static Operand<TFloat32> logsumexp(Operand<TFloat32> x, int[] axes, boolean keepdims) {
    Ops tf = tf();
    Operand<TInt32> ax = axes(tf, x, axes);
    Operand<TFloat32> rawMax = tf.max(x, ax, Max.keepDims(true));
    // reduce_logsumexp: a non-finite max is replaced by 0 so inf inputs give inf, not nan.
    Operand<TFloat32> m =
        tf.stopGradient(tf.select(tf.math.isFinite(rawMax), rawMax, tf.zerosLike(rawMax)));
    Operand<TFloat32> r =
        tf.math.log(tf.sum(tf.math.exp(tf.math.sub(x, m)), ax, Sum.keepDims(true)));
    Operand<TFloat32> out = tf.math.add(r, m);
    return keepdims ? out : tf.squeeze(out, Squeeze.axis(longs(normalized(x, axes))));
  }

  /** {@code K.cumsum(x, axis=0)}. */
  public static <T extends TType> Operand<T> cumsum(Operand<T> x) {
    return cumsum(x, 0);
  }

  /** {@code K.cumsum(x, axis)}: the cumulative sum along {@code axis}. */
  public static <T extends TType> Operand<T> cumsum(Operand<T> x, int axis) {
    Ops tf = tf();
    return tf.math.cumsum(x, tf.constant(axis));
  }

  /** {@code K.cumprod(x, axis=0)}. */
  public static <T extends TType> Operand<T> cumprod(Operand<T> x) {
    return cumprod(x, 0);
  }

  /** {@code K.cumprod(x, axis)}: the cumulative product along {@code axis}. */
  public static <T extends TType> Operand<T> cumprod(Operand<T> x, int axis) {
    Ops tf = tf();
    return tf.math.cumprod(x, tf.constant(axis));
  }

  // ------------------------------------------------------------------ element-wise

  /** {@code K.square(x)}. */
  public static <T extends TType> Operand<T> square(Operand<T> x) {
    return tf().math.square(x);
  }

  /** {@code K.abs(x)}. */
  public static <T extends TNumber> Operand<T> abs(Operand<T> x) {
    return tf().math.abs(x);
  }

  /** {@code K.sqrt(x)}: Keras 2.3.1 clips {@code x} to {@code [0, inf)} first. */
  public static Operand<TFloat32> sqrt(Operand<TFloat32> x) {
    Ops tf = tf();
    return tf.math.sqrt(tf.clipByValue(x, tf.constant(0f), tf.constant(Float.POSITIVE_INFINITY)));
  }

  /** {@code K.exp(x)}. */
  public static <T extends TType> Operand<T> exp(Operand<T> x) {
    return tf().math.exp(x);
  }

  /** {@code K.log(x)}. */
  public static <T extends TType> Operand<T> log(Operand<T> x) {
    return tf().math.log(x);
  }

  /** {@code K.sign(x)}. */
  public static <T extends TType> Operand<T> sign(Operand<T> x) {
    return tf().math.sign(x);
  }

  /** {@code K.round(x)}: to the nearest integer, halves to even. */
  public static <T extends TType> Operand<T> round(Operand<T> x) {
    return tf().math.round(x);
  }

  /** {@code K.sin(x)}. */
  public static <T extends TType> Operand<T> sin(Operand<T> x) {
    return tf().math.sin(x);
  }

  /** {@code K.cos(x)}. */
  public static <T extends TType> Operand<T> cos(Operand<T> x) {
    return tf().math.cos(x);
  }

  /** {@code K.pow(x, a)} with a number {@code a}. */
  public static <T extends TType> Operand<T> pow(Operand<T> x, double a) {
    Ops tf = tf();
    return tf.math.pow(x, scalarLike(tf, a, x));
  }

  /** {@code K.pow(x, a)} with a tensor {@code a}. */
  public static <T extends TType> Operand<T> pow(Operand<T> x, Operand<T> a) {
    return tf().math.pow(x, a);
  }

  /**
   * {@code K.clip(x, min_value, max_value)}: {@code null} for no bound; as in Keras, a {@code
   * maxValue} below {@code minValue} is raised to it.
   */
  public static <T extends TType> Operand<T> clip(Operand<T> x, Double minValue, Double maxValue) {
    Ops tf = tf();
    double lo = minValue == null ? Double.NEGATIVE_INFINITY : minValue;
    double hi = maxValue == null ? Double.POSITIVE_INFINITY : maxValue;
    if (minValue != null && maxValue != null && hi < lo) hi = lo;
    return tf.clipByValue(x, scalarLike(tf, lo, x), scalarLike(tf, hi, x));
  }

  /** {@code K.maximum(x, y)}: element-wise, broadcasting. */
  public static <T extends TNumber> Operand<T> maximum(Operand<T> x, Operand<T> y) {
    return tf().math.maximum(x, y);
  }

  /** {@code K.maximum(x, y)} with a number {@code y}. */
  public static <T extends TNumber> Operand<T> maximum(Operand<T> x, double y) {
    Ops tf = tf();
    return tf.math.maximum(x, scalarLike(tf, y, x));
  }

  /** {@code K.minimum(x, y)}: element-wise, broadcasting. */
  public static <T extends TNumber> Operand<T> minimum(Operand<T> x, Operand<T> y) {
    return tf().math.minimum(x, y);
  }

  /** {@code K.minimum(x, y)} with a number {@code y}. */
  public static <T extends TNumber> Operand<T> minimum(Operand<T> x, double y) {
    Ops tf = tf();
    return tf.math.minimum(x, scalarLike(tf, y, x));
  }

  /** Python's {@code x + y} on tensors (broadcasting). */
  public static <T extends TType> Operand<T> add(Operand<T> x, Operand<T> y) {
    return tf().math.add(x, y);
  }

  /** Python's {@code x + y} with a number {@code y}. */
  public static <T extends TType> Operand<T> add(Operand<T> x, double y) {
    Ops tf = tf();
    return tf.math.add(x, scalarLike(tf, y, x));
  }

  /** Python's {@code x - y} on tensors (broadcasting). */
  public static <T extends TType> Operand<T> subtract(Operand<T> x, Operand<T> y) {
    return tf().math.sub(x, y);
  }

  /** Python's {@code x - y} with a number {@code y}. */
  public static <T extends TType> Operand<T> subtract(Operand<T> x, double y) {
    Ops tf = tf();
    return tf.math.sub(x, scalarLike(tf, y, x));
  }

  /** Python's {@code x - y} with a number {@code x}, e.g. {@code 1 - x}. */
  public static <T extends TType> Operand<T> subtract(double x, Operand<T> y) {
    Ops tf = tf();
    return tf.math.sub(scalarLike(tf, x, y), y);
  }

  /** Python's {@code x * y} on tensors (broadcasting). */
  public static <T extends TType> Operand<T> multiply(Operand<T> x, Operand<T> y) {
    return tf().math.mul(x, y);
  }

  /** Python's {@code x * y} with a number {@code y}. */
  public static <T extends TType> Operand<T> multiply(Operand<T> x, double y) {
    Ops tf = tf();
    return tf.math.mul(x, scalarLike(tf, y, x));
  }

  /** Python's {@code x / y} on tensors (broadcasting). */
  public static <T extends TType> Operand<T> divide(Operand<T> x, Operand<T> y) {
    return tf().math.div(x, y);
  }

  /** Python's {@code x / y} with a number {@code y}. */
  public static <T extends TType> Operand<T> divide(Operand<T> x, double y) {
    Ops tf = tf();
    return tf.math.div(x, scalarLike(tf, y, x));
  }

  /** Python's {@code -x}. */
  public static <T extends TType> Operand<T> negative(Operand<T> x) {
    return tf().math.neg(x);
  }

  /** {@code K.equal(x, y)}. */
  public static <T extends TType> Operand<TBool> equal(Operand<T> x, Operand<T> y) {
    return tf().math.equal(x, y);
  }

  /** {@code K.equal(x, y)} with a number {@code y}. */
  public static <T extends TType> Operand<TBool> equal(Operand<T> x, double y) {
    Ops tf = tf();
    return tf.math.equal(x, scalarLike(tf, y, x));
  }

  /** {@code K.not_equal(x, y)}. */
  public static <T extends TType> Operand<TBool> notEqual(Operand<T> x, Operand<T> y) {
    return tf().math.notEqual(x, y);
  }

  /** {@code K.not_equal(x, y)} with a number {@code y}. */
  public static <T extends TType> Operand<TBool> notEqual(Operand<T> x, double y) {
    Ops tf = tf();
    return tf.math.notEqual(x, scalarLike(tf, y, x));
  }

  /** {@code K.greater(x, y)}. */
  public static <T extends TNumber> Operand<TBool> greater(Operand<T> x, Operand<T> y) {
    return tf().math.greater(x, y);
  }

  /** {@code K.greater(x, y)} with a number {@code y}. */
  public static <T extends TNumber> Operand<TBool> greater(Operand<T> x, double y) {
    Ops tf = tf();
    return tf.math.greater(x, scalarLike(tf, y, x));
  }

  /** {@code K.greater_equal(x, y)}. */
  public static <T extends TNumber> Operand<TBool> greaterEqual(Operand<T> x, Operand<T> y) {
    return tf().math.greaterEqual(x, y);
  }

  /** {@code K.greater_equal(x, y)} with a number {@code y}. */
  public static <T extends TNumber> Operand<TBool> greaterEqual(Operand<T> x, double y) {
    Ops tf = tf();
    return tf.math.greaterEqual(x, scalarLike(tf, y, x));
  }

  /** {@code K.less(x, y)}. */
  public static <T extends TNumber> Operand<TBool> less(Operand<T> x, Operand<T> y) {
    return tf().math.less(x, y);
  }

  /** {@code K.less(x, y)} with a number {@code y}. */
  public static <T extends TNumber> Operand<TBool> less(Operand<T> x, double y) {
    Ops tf = tf();
    return tf.math.less(x, scalarLike(tf, y, x));
  }

  /** {@code K.less_equal(x, y)}. */
  public static <T extends TNumber> Operand<TBool> lessEqual(Operand<T> x, Operand<T> y) {
    return tf().math.lessEqual(x, y);
  }

  /** {@code K.less_equal(x, y)} with a number {@code y}. */
  public static <T extends TNumber> Operand<TBool> lessEqual(Operand<T> x, double y) {
    Ops tf = tf();
    return tf.math.lessEqual(x, scalarLike(tf, y, x));
  }

  /** {@code K.identity(x)}. */
  public static <T extends TType> Operand<T> identity(Operand<T> x) {
    return tf().identity(x);
  }

  /** {@code K.stop_gradient(x)}: {@code x}, with no gradient flowing back through it. */
  public static <T extends TType> Operand<T> stopGradient(Operand<T> x) {
    return tf().stopGradient(x);
  }

  // ------------------------------------------------------------------ activations

  /** {@code K.relu(x)}: {@code max(x, 0)}. */
  public static Operand<TFloat32> relu(Operand<TFloat32> x) {
    return tf().nn.relu(x);
  }

  /**
   * {@code K.relu(x, alpha=0., max_value=None, threshold=0.)}, op for op as Keras 2.3.1 builds it
   * ({@code leaky_relu} when only {@code alpha} is set, {@code relu6} for {@code max_value=6}).
   */
  public static Operand<TFloat32> relu(
      Operand<TFloat32> x, double alpha, Double maxValue, double threshold) {
    // the relu activation builds exactly Keras 2.3.1's K.relu ops
    return Activations.relu(alpha, maxValue, threshold).call(tf(), x);
  }

  /** {@code K.elu(x, alpha=1.)}: {@code x} if {@code x > 0} else {@code alpha * (exp(x) - 1)}. */
  public static Operand<TFloat32> elu(Operand<TFloat32> x) {
    return elu(x, 1.0);
  }

  /** {@code K.elu(x, alpha)}. */
  public static Operand<TFloat32> elu(Operand<TFloat32> x, double alpha) {
    Ops tf = tf();
    Operand<TFloat32> res = tf.nn.elu(x);
    if (alpha == 1.0) return res;
    return tf.select(
        tf.math.greater(x, tf.constant(0f)), res, tf.math.mul(tf.constant((float) alpha), res));
  }

  /** {@code K.softmax(x, axis=-1)}: TensorFlow's {@code softmax} along {@code axis}. */
  public static Operand<TFloat32> softmax(Operand<TFloat32> x) {
    return softmax(x, -1);
  }

  /**
   * {@code K.softmax(x, axis)} ({@code tf.nn.softmax}: the last axis directly, another axis by
   * swapping it last and back).
   */
  public static Operand<TFloat32> softmax(Operand<TFloat32> x, int axis) {
    Ops tf = tf();
    int rank = x.shape().numDimensions();
    int ax = axis < 0 && rank >= 0 ? axis + rank : axis;
    if (rank < 0 || ax == rank - 1) {
      Operand<TFloat32> out = tf.nn.softmax(x);
      // A `Softmax` op: Keras' cross-entropies then use its logits, as for a softmax activation.
      ctx().recordLogits(out, x, "softmax");
      return out;
    }
    int[] perm = new int[rank];
    for (int i = 0; i < rank; i++) perm[i] = i;
    perm[ax] = rank - 1;
    perm[rank - 1] = ax;
    Operand<TFloat32> swapped = tf.linalg.transpose(x, tf.constant(perm));
    return tf.linalg.transpose(tf.nn.softmax(swapped), tf.constant(perm));
  }

  /** {@code K.sigmoid(x)}. */
  public static Operand<TFloat32> sigmoid(Operand<TFloat32> x) {
    Operand<TFloat32> out = tf().math.sigmoid(x);
    // A `Sigmoid` op: Keras' binary cross-entropy then uses its logits.
    ctx().recordLogits(out, x, "sigmoid");
    return out;
  }

  /** {@code K.hard_sigmoid(x)}: {@code clip(0.2 * x + 0.5, 0, 1)}. */
  public static Operand<TFloat32> hardSigmoid(Operand<TFloat32> x) {
    Ops tf = tf();
    return tf.clipByValue(
        tf.math.add(tf.math.mul(x, tf.constant(0.2f)), tf.constant(0.5f)),
        tf.constant(0f),
        tf.constant(1f));
  }

  /** {@code K.tanh(x)}. */
  public static Operand<TFloat32> tanh(Operand<TFloat32> x) {
    return tf().math.tanh(x);
  }

  /** {@code K.softplus(x)}: {@code log(exp(x) + 1)}. */
  public static Operand<TFloat32> softplus(Operand<TFloat32> x) {
    return tf().math.softplus(x);
  }

  /** {@code K.softsign(x)}: {@code x / (|x| + 1)}. */
  public static Operand<TFloat32> softsign(Operand<TFloat32> x) {
    return tf().nn.softsign(x);
  }

  /**
   * {@code K.l2_normalize(x, axis=None)}: {@code x / sqrt(max(sum(square(x)), 1e-12))} over every
   * axis.
   */
  public static Operand<TFloat32> l2Normalize(Operand<TFloat32> x) {
    return l2Normalize(x, null);
  }

  /** {@code K.l2_normalize(x, axis)}. */
  public static Operand<TFloat32> l2Normalize(Operand<TFloat32> x, int axis) {
    return l2Normalize(x, new int[] {axis});
  }

  /** {@code K.l2_normalize(x, axis=[...])}, as {@code tf.nn.l2_normalize}. */
  public static Operand<TFloat32> l2Normalize(Operand<TFloat32> x, int[] axes) {
    Ops tf = tf();
    Operand<TFloat32> squareSum = tf.sum(tf.math.square(x), axes(tf, x, axes), Sum.keepDims(true));
    Operand<TFloat32> invNorm = tf.math.rsqrt(tf.math.maximum(squareSum, tf.constant(1e-12f)));
    return tf.math.mul(x, invNorm);
  }

  // ------------------------------------------------------------------ structure

  /**
   * {@code K.dot(x, y)}: a matrix product; for ranks above 2, Keras' {@code tensordot} of {@code
   * x}'s last axis with {@code y}'s second to last (Theano's {@code dot}).
   */
  public static Operand<TFloat32> dot(Operand<TFloat32> x, Operand<TFloat32> y) {
    Ops tf = tf();
    int xr = x.shape().numDimensions();
    int yr = y.shape().numDimensions();
    if (xr <= 2 && yr <= 2) return tf.linalg.matMul(x, y);
    long[] xs = x.shape().asArray();
    long[] ys = y.shape().asArray();
    List<Operand<TInt32>> xShape = dims(tf, x, xs);
    List<Operand<TInt32>> yShape = dims(tf, y, ys);
    int[] perm = new int[yr];
    perm[0] = yr - 2;
    for (int i = 0, k = 1; i < yr; i++) if (i != yr - 2) perm[k++] = i;
    Operand<TFloat32> xt = tf.reshape(x, tf.stack(List.of(tf.constant(-1), xShape.get(xr - 1))));
    Operand<TFloat32> yt =
        tf.reshape(
            tf.linalg.transpose(y, tf.constant(perm)),
            tf.stack(List.of(yShape.get(yr - 2), tf.constant(-1))));
    List<Operand<TInt32>> out = new ArrayList<>(xShape.subList(0, xr - 1));
    out.addAll(yShape.subList(0, yr - 2));
    out.add(yShape.get(yr - 1));
    return tf.reshape(tf.linalg.matMul(xt, yt), tf.stack(out));
  }

  /**
   * {@code K.batch_dot(x, y, axes=None)}: per sample, the dot product of {@code x} and {@code y}
   * along {@code x}'s last axis and {@code y}'s second to last (last when {@code y} is 2D).
   */
  public static Operand<TFloat32> batchDot(Operand<TFloat32> x, Operand<TFloat32> y) {
    return batchDot(x, y, null);
  }

  /** {@code K.batch_dot(x, y, axes=n)}: the same axis {@code n} of both. */
  public static Operand<TFloat32> batchDot(Operand<TFloat32> x, Operand<TFloat32> y, int axes) {
    return batchDot(x, y, new int[] {axes, axes});
  }

  /**
   * {@code K.batch_dot(x, y, axes=(a0, a1))}, Keras 2.3.1's algorithm: 2D inputs gain an axis,
   * {@code a0} moves last in {@code x} and {@code a1} second in {@code y}, ranks above 3 are
   * squashed to 3 for one batched matmul, and the result is reshaped back; for two 2D inputs the
   * result is {@code (batch, 1)}.
   *
   * @throws IllegalArgumentException with Keras' messages: ranks below 2, different batch sizes,
   *     axis 0, or mismatching dimensions
   */
  public static Operand<TFloat32> batchDot(Operand<TFloat32> x, Operand<TFloat32> y, int[] axes) {
    Ops tf = tf();
    long[] xShape = x.shape().asArray();
    long[] yShape = y.shape().asArray();
    int xNdim = xShape.length;
    int yNdim = yShape.length;
    if (xNdim < 2 || yNdim < 2) {
      throw new IllegalArgumentException(
          "Can not do batch_dot on inputs with rank < 2. Received inputs with shapes "
              + pyShape(xShape)
              + " and "
              + pyShape(yShape)
              + ".");
    }
    if (xShape[0] >= 0 && yShape[0] >= 0 && xShape[0] != yShape[0]) {
      throw new IllegalArgumentException(
          "Can not do batch_dot on inputs with different batch sizes. Received inputs with shapes "
              + pyShape(xShape)
              + " and "
              + pyShape(yShape)
              + ".");
    }
    int[] a =
        axes == null
            ? new int[] {xNdim - 1, yNdim == 2 ? yNdim - 1 : yNdim - 2}
            : new int[] {axes[0], axes[1]};
    if (a[0] < 0) a[0] += xNdim;
    if (a[1] < 0) a[1] += yNdim;
    if (a[0] == 0 || a[1] == 0) {
      throw new IllegalArgumentException(
          "Can not perform batch_dot over axis 0.If your inputs are not batched, add a dummy batch"
              + " dimension to your inputs using K.expand_dims(x, 0)");
    }
    long d1 = xShape[a[0]];
    long d2 = yShape[a[1]];
    if (d1 >= 0 && d2 >= 0 && d1 != d2) {
      throw new IllegalArgumentException(
          "Can not do batch_dot on inputs with shapes "
              + pyShape(xShape)
              + " and "
              + pyShape(yShape)
              + " with axes=["
              + a[0]
              + ", "
              + a[1]
              + "]. x.shape["
              + a[0]
              + "] != y.shape["
              + a[1]
              + "] ("
              + d1
              + " != "
              + d2
              + ").");
    }
    int origX = xNdim;
    int origY = yNdim;
    int a0 = a[0];
    int a1 = a[1];
    if (xNdim == 2) {
      x = tf.expandDims(x, tf.constant(1));
      a0 += 1;
      xNdim += 1;
    }
    if (yNdim == 2) {
      y = tf.expandDims(y, tf.constant(2));
      yNdim += 1;
    }
    if (a0 != xNdim - 1) {
      int[] pattern = new int[xNdim];
      for (int i = 0; i < xNdim; i++) pattern[i] = i;
      for (int i = a0; i < xNdim - 1; i++) pattern[i] = pattern[i + 1];
      pattern[xNdim - 1] = a0;
      x = tf.linalg.transpose(x, tf.constant(pattern));
    }
    if (a1 != 1) {
      int[] pattern = new int[yNdim];
      for (int i = 0; i < yNdim; i++) pattern[i] = i;
      for (int i = a1; i > 1; i--) pattern[i] = pattern[i - 1];
      pattern[1] = a1;
      y = tf.linalg.transpose(y, tf.constant(pattern));
    }
    Operand<TInt32> xMid = null;
    Operand<TInt32> yTrail = null;
    if (xNdim > 3) {
      Operand<TInt32> xs = tf.shape(x);
      xMid = slice(tf, xs, 1, xNdim - 2);
      Operand<TInt32> squashed = tf.prod(xMid, tf.constant(0));
      x =
          tf.reshape(
              x,
              tf.concat(
                  List.of(
                      slice(tf, xs, 0, 1),
                      tf.reshape(squashed, tf.constant(new int[] {1})),
                      slice(tf, xs, xNdim - 1, 1)),
                  tf.constant(0)));
    }
    if (yNdim > 3) {
      Operand<TInt32> ys = tf.shape(y);
      yTrail = slice(tf, ys, 2, yNdim - 2);
      Operand<TInt32> squashed = tf.prod(yTrail, tf.constant(0));
      y =
          tf.reshape(
              y,
              tf.concat(
                  List.of(slice(tf, ys, 0, 2), tf.reshape(squashed, tf.constant(new int[] {1}))),
                  tf.constant(0)));
    }
    Operand<TFloat32> result = tf.train.batchMatMul(x, y, TFloat32.class);
    if (xMid != null || yTrail != null) {
      Operand<TInt32> outShape = tf.shape(result);
      if (xMid != null) {
        outShape =
            tf.concat(
                List.of(slice(tf, outShape, 0, 1), xMid, slice(tf, outShape, 2, 1)),
                tf.constant(0));
      }
      if (yTrail != null) {
        Operand<TInt32> rank = tf.size(outShape);
        Operand<TInt32> head =
            tf.slice(
                outShape,
                tf.constant(new int[] {0}),
                tf.reshape(tf.math.sub(rank, tf.constant(1)), tf.constant(new int[] {1})));
        outShape = tf.concat(List.of(head, yTrail), tf.constant(0));
      }
      result = tf.reshape(result, outShape);
    }
    if (origX == 2) {
      result = tf.squeeze(result, Squeeze.axis(List.of(1L)));
    } else if (origY == 2) {
      result = tf.squeeze(result, Squeeze.axis(List.of(-1L)));
    }
    return result;
  }

  /** {@code K.transpose(x)}: the axes reversed. */
  public static <T extends TType> Operand<T> transpose(Operand<T> x) {
    Ops tf = tf();
    int rank = x.shape().numDimensions();
    int[] perm = new int[rank];
    for (int i = 0; i < rank; i++) perm[i] = rank - 1 - i;
    return tf.linalg.transpose(x, tf.constant(perm));
  }

  /** {@code K.concatenate(tensors, axis=-1)}. */
  public static <T extends TType> Operand<T> concatenate(List<Operand<T>> tensors) {
    return concatenate(tensors, -1);
  }

  /** {@code K.concatenate(tensors, axis)}: a negative axis counts from the first tensor's rank. */
  public static <T extends TType> Operand<T> concatenate(List<Operand<T>> tensors, int axis) {
    Ops tf = tf();
    int ax = axis;
    if (ax < 0) {
      int rank = tensors.get(0).shape().numDimensions();
      ax = rank > 0 ? Math.floorMod(ax, rank) : 0;
    }
    return tf.concat(tensors, tf.constant(ax));
  }

  /** {@code K.stack(x, axis=0)}. */
  public static <T extends TType> Operand<T> stack(List<Operand<T>> tensors) {
    return stack(tensors, 0);
  }

  /** {@code K.stack(x, axis)}: the tensors stacked along a new axis. */
  public static <T extends TType> Operand<T> stack(List<Operand<T>> tensors, int axis) {
    return tf().stack(tensors, org.tensorflow.op.core.Stack.axis((long) axis));
  }

  /** {@code K.expand_dims(x, axis=-1)}. */
  public static <T extends TType> Operand<T> expandDims(Operand<T> x) {
    return expandDims(x, -1);
  }

  /** {@code K.expand_dims(x, axis)}: a new axis of size 1 at {@code axis}. */
  public static <T extends TType> Operand<T> expandDims(Operand<T> x, int axis) {
    Ops tf = tf();
    return tf.expandDims(x, tf.constant(axis));
  }

  /** {@code K.squeeze(x, axis)}: removes the axis of size 1 at {@code axis}. */
  public static <T extends TType> Operand<T> squeeze(Operand<T> x, int axis) {
    return tf().squeeze(x, Squeeze.axis(List.of((long) axis)));
  }

  /** {@code K.reshape(x, shape)}: {@code -1} for the one inferred dimension. */
  public static <T extends TType> Operand<T> reshape(Operand<T> x, long... shape) {
    Ops tf = tf();
    return tf.reshape(x, tf.constant(shape));
  }

  /**
   * {@code K.reshape(x, shape)} with a dynamic shape (e.g. from {@link #shape} and {@link #stack}).
   */
  public static <T extends TType> Operand<T> reshape(
      Operand<T> x, Operand<? extends TNumber> shape) {
    return tf().reshape(x, shape);
  }

  /** {@code K.permute_dimensions(x, pattern)}: the axes reordered, batch axis included. */
  public static <T extends TType> Operand<T> permuteDimensions(Operand<T> x, int... pattern) {
    Ops tf = tf();
    return tf.linalg.transpose(x, tf.constant(pattern));
  }

  /** {@code K.repeat(x, n)}: a 2D {@code (batch, dim)} tensor to {@code (batch, n, dim)}. */
  public static <T extends TType> Operand<T> repeat(Operand<T> x, int n) {
    Ops tf = tf();
    if (x.shape().numDimensions() != 2) {
      throw Errors.invalidArgument("x", "a 2D tensor", x.shape());
    }
    Operand<T> e = tf.expandDims(x, tf.constant(1));
    return tf.tile(e, tf.constant(new int[] {1, n, 1}));
  }

  /**
   * {@code K.repeat_elements(x, rep, axis)}: each slice along {@code axis} repeated {@code rep}
   * times in place ({@code np.repeat}).
   */
  public static <T extends TType> Operand<T> repeatElements(Operand<T> x, int rep, int axis) {
    Ops tf = tf();
    long[] s = x.shape().asArray();
    int ax = axis < 0 ? axis + s.length : axis;
    if (s[ax] >= 0) {
      // Keras: split into the static slices, each repeated, concatenated.
      List<Operand<T>> parts = new ArrayList<>();
      for (Operand<T> p : tf.split(tf.constant(ax), x, s[ax])) {
        for (int r = 0; r < rep; r++) parts.add(p);
      }
      return tf.concat(parts, tf.constant(ax));
    }
    Operand<T> expanded = tf.expandDims(x, tf.constant(ax + 1));
    int[] reps = new int[s.length + 1];
    java.util.Arrays.fill(reps, 1);
    reps[ax + 1] = rep;
    Operand<T> tiled = tf.tile(expanded, tf.constant(reps));
    int[] scale = new int[s.length];
    java.util.Arrays.fill(scale, 1);
    scale[ax] = rep;
    return tf.reshape(tiled, tf.math.mul(tf.shape(x), tf.constant(scale)));
  }

  /**
   * {@code K.tile(x, n)}: {@code n} repeats per axis, padded with 1s in front to {@code x}'s rank.
   */
  public static <T extends TType> Operand<T> tile(Operand<T> x, int... n) {
    Ops tf = tf();
    int rank = x.shape().numDimensions();
    int[] m = n;
    if (rank >= 0 && n.length < rank) {
      m = new int[rank];
      java.util.Arrays.fill(m, 1);
      System.arraycopy(n, 0, m, rank - n.length, n.length);
    } else if (rank >= 0 && n.length != rank) {
      throw Errors.invalidArgument(
          "n", "at most one repeat per axis of x (" + rank + ")", java.util.Arrays.toString(n));
    }
    return tf.tile(x, tf.constant(m));
  }

  /** {@code K.flatten(x)}: a 1D tensor of every element. */
  public static <T extends TType> Operand<T> flatten(Operand<T> x) {
    Ops tf = tf();
    return tf.reshape(x, tf.constant(new int[] {-1}));
  }

  /** {@code K.batch_flatten(x)}: {@code (batch, d1, d2, ...)} to {@code (batch, d1*d2*...)}. */
  public static <T extends TType> Operand<T> batchFlatten(Operand<T> x) {
    Ops tf = tf();
    Operand<TInt32> s = tf.shape(x);
    int rank = x.shape().numDimensions();
    Operand<TInt32> rest = tf.prod(slice(tf, s, 1, rank - 1), tf.constant(0));
    return tf.reshape(x, tf.stack(List.of(tf.constant(-1), rest)));
  }

  /** {@code K.gather(reference, indices)}: rows of {@code reference} ({@code embedding_lookup}). */
  public static <T extends TType> Operand<T> gather(
      Operand<T> reference, Operand<? extends TNumber> indices) {
    Ops tf = tf();
    return tf.gather(reference, indices, tf.constant(0));
  }

  /** {@code K.one_hot(indices, num_classes)}: float32 one-hot vectors on a new last axis. */
  public static Operand<TFloat32> oneHot(Operand<? extends TNumber> indices, int numClasses) {
    Ops tf = tf();
    return tf.oneHot(indices, tf.constant(numClasses), tf.constant(1f), tf.constant(0f));
  }

  /** {@code K.ones_like(x)}: float32 ones of {@code x}'s shape (Keras' default dtype floatx). */
  public static Operand<TFloat32> onesLike(Operand<? extends TType> x) {
    Ops tf = tf();
    return tf.fill(tf.shape(x), tf.constant(1f));
  }

  /** {@code K.zeros_like(x)}: float32 zeros of {@code x}'s shape. */
  public static Operand<TFloat32> zerosLike(Operand<? extends TType> x) {
    Ops tf = tf();
    return tf.fill(tf.shape(x), tf.constant(0f));
  }

  /** {@code K.ones(shape)}: a float32 constant of ones. */
  public static Operand<TFloat32> ones(long... shape) {
    Ops tf = tf();
    return tf.fill(tf.constant(shape), tf.constant(1f));
  }

  /** {@code K.zeros(shape)}: a float32 constant of zeros. */
  public static Operand<TFloat32> zeros(long... shape) {
    Ops tf = tf();
    return tf.fill(tf.constant(shape), tf.constant(0f));
  }

  /** {@code K.constant(value)}: a float32 scalar. */
  public static Operand<TFloat32> constant(double value) {
    return tf().constant((float) value);
  }

  /** {@code K.constant(value, shape=shape)}: a float32 tensor filled with {@code value}. */
  public static Operand<TFloat32> constant(double value, long... shape) {
    Ops tf = tf();
    return tf.fill(tf.constant(shape), tf.constant((float) value));
  }

  /** {@code K.constant(array)}: a float32 vector. */
  public static Operand<TFloat32> constant(float[] values) {
    return tf().constant(values);
  }

  /** {@code K.constant(array)}: a float32 matrix. */
  public static Operand<TFloat32> constant(float[][] values) {
    return tf().constant(values);
  }

  /** {@code K.bias_add(x, bias)}: {@code bias} (1D, the last axis' size) added to every row. */
  public static Operand<TFloat32> biasAdd(Operand<TFloat32> x, Operand<TFloat32> bias) {
    return tf().nn.biasAdd(x, bias);
  }

  // ------------------------------------------------------------------ control and phases

  /**
   * Keras' {@code K.switch(condition, then_expression, else_expression)} ({@code switch} is a Java
   * keyword): {@code then} where {@code condition} holds, else {@code else}. A scalar condition
   * picks a whole tensor; a condition of lower rank than the expressions is broadcast over their
   * trailing axes, as Keras tiles it.
   */
  public static <T extends TType> Operand<T> switch_(
      Operand<? extends TType> condition, Operand<T> thenExpression, Operand<T> elseExpression) {
    Ops tf = tf();
    Operand<TBool> c = asBool(tf, condition);
    int condNdim = c.shape().numDimensions();
    int exprNdim = thenExpression.shape().numDimensions();
    if (condNdim > exprNdim && exprNdim >= 0) {
      throw new IllegalArgumentException(
          "Rank of `condition` should be less than or equal to rank of `then_expression` and"
              + " `else_expression`. ndim(condition)="
              + condNdim
              + ", ndim(then_expression)="
              + exprNdim);
    }
    if (condNdim > 1 && condNdim < exprNdim) {
      int[] ones = new int[exprNdim - condNdim];
      java.util.Arrays.fill(ones, 1);
      Operand<TInt32> condShape =
          tf.concat(List.of(tf.shape(c), tf.constant(ones)), tf.constant(0));
      Operand<TBool> reshaped = tf.reshape(c, condShape);
      Operand<TInt32> exprShape = tf.shape(thenExpression);
      Operand<TInt32> diff = tf.math.sub(exprShape, condShape);
      Operand<TInt32> tileShape =
          tf.select(tf.math.greater(diff, tf.constant(0)), exprShape, tf.onesLike(exprShape));
      c = tf.tile(reshaped, tileShape);
    }
    // SelectV2 broadcasts, as tf.where does under TensorFlow 2 (so a vector condition on a matrix
    // fails in Keras 2.3.1 there too).
    return tf.select(c, thenExpression, elseExpression);
  }

  /**
   * {@code K.in_train_phase(x, alt)}: {@code x} in training steps, {@code alt} in test and predict
   * steps (both are built; the engine's passes know their phase, so only one is used).
   */
  public static <T extends TType> Operand<T> inTrainPhase(Operand<T> x, Operand<T> alt) {
    Boolean phase = ctx().learningPhase();
    if (phase != null) return phase ? x : alt;
    return tf().select(learningPhase(), x, alt);
  }

  /** {@code K.in_train_phase(x, alt, training)} with a fixed phase: {@code x} when true. */
  public static <T extends TType> Operand<T> inTrainPhase(
      Operand<T> x, Operand<T> alt, boolean training) {
    return training ? x : alt;
  }

  /** {@code K.in_test_phase(x, alt)}: {@code x} in test and predict steps, else {@code alt}. */
  public static <T extends TType> Operand<T> inTestPhase(Operand<T> x, Operand<T> alt) {
    return inTrainPhase(alt, x);
  }

  // ------------------------------------------------------------------ random

  /**
   * {@code K.random_uniform(shape, minval=0.0, maxval=1.0, seed=None)}: float32 values in {@code
   * [minval, maxval)}; a new draw at every step. {@code seed} null draws one from the model's seed
   * sequence (reproducible under {@code RngUtils.setRandomSeed}).
   */
  public static Operand<TFloat32> randomUniform(
      long[] shape, double minval, double maxval, Long seed) {
    Ops tf = tf();
    return randomUniform(tf.constant(shape), minval, maxval, seed);
  }

  /** {@code K.random_uniform(shape)} with a dynamic shape, e.g. {@code K.shape(x)}. */
  public static Operand<TFloat32> randomUniform(
      Operand<? extends TNumber> shape, double minval, double maxval, Long seed) {
    Ops tf = tf();
    long[] s = seedPair(seed);
    Operand<TFloat32> u =
        tf.random.randomUniform(
            shape, TFloat32.class, RandomUniform.seed(s[0]), RandomUniform.seed2(s[1]));
    if (minval == 0.0 && maxval == 1.0) return u;
    return tf.math.add(
        tf.math.mul(u, tf.constant((float) (maxval - minval))), tf.constant((float) minval));
  }

  /**
   * {@code K.random_normal(shape, mean=0.0, stddev=1.0, seed=None)}: float32 normal values, a new
   * draw at every step.
   */
  public static Operand<TFloat32> randomNormal(
      long[] shape, double mean, double stddev, Long seed) {
    Ops tf = tf();
    return randomNormal(tf.constant(shape), mean, stddev, seed);
  }

  /** {@code K.random_normal(shape, ...)} with a dynamic shape, e.g. {@code K.shape(x)}. */
  public static Operand<TFloat32> randomNormal(
      Operand<? extends TNumber> shape, double mean, double stddev, Long seed) {
    Ops tf = tf();
    long[] s = seedPair(seed);
    Operand<TFloat32> n =
        tf.random.randomStandardNormal(
            shape,
            TFloat32.class,
            RandomStandardNormal.seed(s[0]),
            RandomStandardNormal.seed2(s[1]));
    return tf.math.add(tf.math.mul(n, tf.constant((float) stddev)), tf.constant((float) mean));
  }

  /**
   * {@code K.truncated_normal(shape, mean=0.0, stddev=1.0, seed=None)}: normal values redrawn
   * beyond two standard deviations.
   */
  public static Operand<TFloat32> truncatedNormal(
      long[] shape, double mean, double stddev, Long seed) {
    Ops tf = tf();
    long[] s = seedPair(seed);
    Operand<TFloat32> n =
        tf.random.truncatedNormal(
            tf.constant(shape),
            TFloat32.class,
            TruncatedNormal.seed(s[0]),
            TruncatedNormal.seed2(s[1]));
    return tf.math.add(tf.math.mul(n, tf.constant((float) stddev)), tf.constant((float) mean));
  }

  /** {@code K.random_binomial(shape, p=0.0, seed=None)}: 1 with probability {@code p}, else 0. */
  public static Operand<TFloat32> randomBinomial(long[] shape, double p, Long seed) {
    Ops tf = tf();
    Operand<TFloat32> u = randomUniform(shape, 0.0, 1.0, seed);
    return tf.select(tf.math.less(u, tf.constant((float) p)), tf.onesLike(u), tf.zerosLike(u));
  }

  /**
   * {@code K.dropout(x, level, noise_shape=None, seed=None)}: zeroes a fraction {@code level} of
   * {@code x} and scales the rest by {@code 1/(1-level)} (always; use it under {@link
   * #inTrainPhase}).
   */
  public static Operand<TFloat32> dropout(Operand<TFloat32> x, double level) {
    return dropout(x, level, null, null);
  }

  /**
   * {@code K.dropout(x, level, noise_shape, seed)}: {@code noiseShape} (null for {@code x}'s shape)
   * is broadcast over {@code x}, so a dimension of 1 keeps or drops a whole slice.
   */
  public static Operand<TFloat32> dropout(
      Operand<TFloat32> x, double level, Operand<? extends TNumber> noiseShape, Long seed) {
    Ops tf = tf();
    Operand<? extends TNumber> shape = noiseShape == null ? tf.shape(x) : noiseShape;
    Operand<TFloat32> u = randomUniform(shape, 0.0, 1.0, seed);
    // tf.nn.dropout: x * 1/(1-rate), then zero where the uniform draw is below rate.
    Operand<TFloat32> scaled = tf.math.mul(x, tf.constant((float) (1.0 / (1.0 - level))));
    Operand<TFloat32> keep =
        tf.dtypes.cast(tf.math.greaterEqual(u, tf.constant((float) level)), TFloat32.class);
    return tf.math.mul(scaled, keep);
  }

  // ------------------------------------------------------------------ state

  /**
   * {@code K.update(x, new_x)}: an op assigning {@code newValue} to the weight, for {@link
   * CallContext#addUpdate} (Keras' {@code self.add_update(K.update(...))}).
   */
  public static Op update(Weight x, Operand<TFloat32> newValue) {
    return ctx().assign(x.variable(), newValue);
  }

  /** {@code K.update_add(x, increment)}. */
  public static Op updateAdd(Weight x, Operand<TFloat32> increment) {
    return update(x, tf().math.add(x.value(), increment));
  }

  /** {@code K.update_sub(x, decrement)}. */
  public static Op updateSub(Weight x, Operand<TFloat32> decrement) {
    return update(x, tf().math.sub(x.value(), decrement));
  }

  // ------------------------------------------------------------------ helpers

  private static CallContext ctx() {
    return CallContext.current();
  }

  private static Ops tf() {
    return CallContext.current().tf();
  }

  /** The reduction axes: {@code axes} as given, or every axis for null. */
  private static Operand<TInt32> axes(Ops tf, Operand<?> x, int[] axes) {
    if (axes != null) return tf.constant(axes);
    int rank = x.shape().numDimensions();
    if (rank >= 0) {
      int[] all = new int[rank];
      for (int i = 0; i < rank; i++) all[i] = i;
      return tf.constant(all);
    }
    return tf.range(tf.constant(0), tf.rank(x), tf.constant(1));
  }

  private static int[] normalized(Operand<?> x, int[] axes) {
    int rank = x.shape().numDimensions();
    if (axes == null) {
      int[] all = new int[rank];
      for (int i = 0; i < rank; i++) all[i] = i;
      return all;
    }
    int[] out = new int[axes.length];
    for (int i = 0; i < axes.length; i++) out[i] = axes[i] < 0 ? axes[i] + rank : axes[i];
    return out;
  }

  private static List<Long> longs(int[] a) {
    List<Long> l = new ArrayList<>();
    for (int v : a) l.add((long) v);
    return l;
  }

  /** A scalar of {@code like}'s dtype. */
  @SuppressWarnings("unchecked")
  private static <T extends TType> Operand<T> scalarLike(Ops tf, double v, Operand<T> like) {
    if (like.type() == TFloat32.class) return (Operand<T>) tf.constant((float) v);
    if (like.type() == TFloat64.class) return (Operand<T>) tf.constant(v);
    return tf.dtypes.cast(tf.constant(v), like.type());
  }

  @SuppressWarnings("unchecked")
  private static Operand<TFloat32> asFloat(Ops tf, Operand<? extends TType> x) {
    return x.type() == TFloat32.class ? (Operand<TFloat32>) x : tf.dtypes.cast(x, TFloat32.class);
  }

  @SuppressWarnings("unchecked")
  private static Operand<TBool> asBool(Ops tf, Operand<? extends TType> x) {
    return x.type() == TBool.class ? (Operand<TBool>) x : tf.dtypes.cast(x, TBool.class);
  }

  private static Class<? extends TType> typeOf(String dtype) {
    return switch (dtype) {
      case "float32" -> TFloat32.class;
      case "float64" -> TFloat64.class;
      case "int32" -> TInt32.class;
      case "int64" -> TInt64.class;
      case "bool" -> TBool.class;
      case "uint8" -> TUint8.class;
      default ->
          throw Errors.invalidArgument(
              "dtype", "one of float32, float64, int32, int64, bool, uint8", dtype);
    };
  }

  /** Each axis' size: the static one when known, else read from the dynamic shape. */
  private static List<Operand<TInt32>> dims(Ops tf, Operand<?> x, long[] s) {
    List<Operand<TInt32>> out = new ArrayList<>();
    Operand<TInt32> dyn = null;
    for (int i = 0; i < s.length; i++) {
      if (s[i] >= 0) {
        out.add(tf.constant((int) s[i]));
      } else {
        if (dyn == null) dyn = tf.shape(x);
        out.add(tf.reshape(slice(tf, dyn, i, 1), tf.constant(new int[0])));
      }
    }
    return out;
  }

  private static Operand<TInt32> slice(Ops tf, Operand<TInt32> v, int begin, int size) {
    return tf.slice(v, tf.constant(new int[] {begin}), tf.constant(new int[] {size}));
  }

  /**
   * The two seeds of a TensorFlow random op: from {@code seed} when given (Keras' op-level seed),
   * else the next of the model's seed sequence; never both zero (TensorFlow would then seed it
   * nondeterministically).
   */
  static long[] seedPair(Long seed) {
    long s = seed != null ? seed : CallContext.current().nextSeed();
    long a = s & 0x7fffffffL;
    long b = (s >>> 31) & 0x7fffffffL;
    if (a == 0 && b == 0) a = 1;
    return new long[] {a, b};
  }

  private static String pyShape(long[] s) {
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < s.length; i++) {
      if (i > 0) b.append(", ");
      b.append(s[i] < 0 ? "None" : Long.toString(s[i]));
    }
    if (s.length == 1) b.append(',');
    return b.append(')').toString();
  }
}
