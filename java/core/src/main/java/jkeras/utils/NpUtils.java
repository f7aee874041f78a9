package jkeras.utils;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import jkeras.data.DType;
import jkeras.data.NDArray;
import jkeras.internal.Errors;

/**
 * Keras' array utilities ({@code keras/utils/np_utils.py} of Keras 2.3.1): one-hot encoding of
 * class ids and normalisation along an axis.
 *
 * <pre>{@code
 * NDArray y = NpUtils.toCategorical(Npy.load(Path.of("y_train.npy")), 10);   // (n,) -> (n, 10) float32
 * NDArray x = NpUtils.normalize(features);                                  // rows scaled to unit L2 norm
 * }</pre>
 */
public final class NpUtils {
  /** Keras' default {@code dtype} of {@code to_categorical}: {@code 'float32'}. */
  public static final DType DTYPE_DEFAULT = DType.FLOAT32;

  /** Keras' default {@code axis} of {@code normalize}: the last. */
  public static final int AXIS_DEFAULT = -1;

  /** Keras' default {@code order} of {@code normalize}: 2, the L2 norm. */
  public static final int ORDER_DEFAULT = 2;

  private static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

  private NpUtils() {}

  /**
   * One-hot encodes class ids with as many classes as {@code max(y) + 1}, as float32; see {@link
   * #toCategorical(NDArray, Integer, DType)}.
   */
  public static NDArray toCategorical(NDArray y) {
    return toCategorical(y, null, DTYPE_DEFAULT);
  }

  /** One-hot encodes class ids as float32; see {@link #toCategorical(NDArray, Integer, DType)}. */
  public static NDArray toCategorical(NDArray y, Integer numClasses) {
    return toCategorical(y, numClasses, DTYPE_DEFAULT);
  }

  /**
   * Converts a vector of class ids to a binary class matrix, as Keras' {@code to_categorical(y,
   * num_classes=None, dtype='float32')}, for use with {@code categorical_crossentropy}.
   *
   * <p>The classes axis is appended last: {@code (n,)} and {@code (n, 1)} give {@code (n,
   * numClasses)}, {@code (a, b)} gives {@code (a, b, numClasses)}, a trailing axis of 1 being
   * dropped first, and a 0-d {@code y} gives {@code (numClasses,)}. Float ids are truncated toward
   * zero and bools count as 0 and 1, as Keras' {@code np.array(y, dtype='int')}.
   *
   * <p>Unlike Keras, a negative id is an error: numpy's indexing made Keras 2.3.1 mark {@code -1}
   * (often "no label") silently as the last class.
   *
   * <pre>{@code
   * NpUtils.toCategorical(NDArray.of(new int[] {0, 2, 1}));   // [[1, 0, 0], [0, 0, 1], [0, 1, 0]], float32
   * }</pre>
   *
   * @param y Keras' {@code y}: the class ids, integers from 0 to {@code numClasses - 1}, of any
   *     shape and dtype
   * @param numClasses Keras' {@code num_classes}: the total number of classes. Default {@code
   *     null}: inferred as {@code max(y) + 1} (as in Keras, 0 also means inferred)
   * @param dtype Keras' {@code dtype}: the element type of the result. Default {@link
   *     #DTYPE_DEFAULT}
   * @return a new array of shape {@code y.shape} (without a trailing 1) plus {@code numClasses}
   * @throws IllegalArgumentException if {@code numClasses} is negative, an id is negative, not
   *     finite or not below {@code numClasses}, or {@code y} is empty with {@code numClasses}
   *     inferred
   */
  public static NDArray toCategorical(NDArray y, Integer numClasses, DType dtype) {
    Objects.requireNonNull(y, "y");
    Objects.requireNonNull(dtype, "dtype");
    if (numClasses != null && numClasses < 0) {
      throw Errors.invalidArgument(
          "numClasses", "a positive integer, or null or 0 to infer it as max(y) + 1", numClasses);
    }
    boolean inferred = numClasses == null || numClasses == 0;
    if (inferred && y.size() == 0) {
      throw Errors.invalidArgument(
          "y", "non-empty when `numClasses` is not given (it is inferred as max(y) + 1)", y);
    }
    boolean floats = y.dtype() == DType.FLOAT32 || y.dtype() == DType.FLOAT64;
    double[] asDoubles = floats ? y.toDoubleArray() : null;
    long[] ids = y.toLongArray(); // truncates floats toward zero, as np.array(y, dtype='int')
    int n = ids.length;
    long max = 0;
    for (int i = 0; i < n; i++) {
      boolean invalid = ids[i] < 0 || (floats && !Double.isFinite(asDoubles[i]));
      if (invalid)
        throw badId(
            y, i, floats ? format(asDoubles[i]) : Long.toString(ids[i]), "non-negative integers");
      max = Math.max(max, ids[i]);
    }
    long classes = inferred ? max + 1 : numClasses;
    if (!inferred) {
      for (int i = 0; i < n; i++) {
        if (ids[i] >= classes) {
          throw badId(
              y,
              i,
              floats ? format(asDoubles[i]) : Long.toString(ids[i]),
              "in [0, " + classes + ") for numClasses=" + classes);
        }
      }
    }
    if ((double) n * classes > MAX_ELEMENTS) {
      throw new IllegalArgumentException(
          "to_categorical of "
              + n
              + " ids with "
              + classes
              + " classes needs more elements than an NDArray holds ("
              + MAX_ELEMENTS
              + ").");
    }
    long[] in = y.shape();
    int lead = in.length > 1 && in[in.length - 1] == 1 ? in.length - 1 : in.length;
    long[] shape = Arrays.copyOf(in, lead + 1);
    shape[lead] = classes;
    int c = (int) classes;
    float[] oneHot = new float[n * c];
    for (int i = 0; i < n; i++) oneHot[i * c + (int) ids[i]] = 1f;
    // Exact in every dtype: one float32 array, converted once.
    return NDArray.of(oneHot, shape).astype(dtype);
  }

  /**
   * Scales {@code x} to unit L2 norm along its last axis, as Keras' {@code normalize(x)}; see
   * {@link #normalize(NDArray, int, int)}.
   */
  public static NDArray normalize(NDArray x) {
    return normalize(x, AXIS_DEFAULT, ORDER_DEFAULT);
  }

  /**
   * Divides {@code x} by its norm along {@code axis}, as Keras' {@code normalize(x, axis=-1,
   * order=2)}: {@code x / norm(x, order, axis)} with numpy's vector norms ({@code order} 2:
   * Euclidean, 1: sum of absolute values, 0: count of non-zeros, any other p: {@code
   * sum(|x|^p)^(1/p)}). A norm of 0 counts as 1, so all-zero slices stay zero.
   *
   * <p>The result is float32 for a float32 {@code x} and float64 otherwise, numpy's result types.
   * Norms are computed in double precision, so float32 results may differ from numpy's float32
   * arithmetic in the last bit.
   *
   * @param x Keras' {@code x}: the array to normalize, of rank 1 or more
   * @param axis Keras' {@code axis}: the axis along which to normalize; negative counts from the
   *     end. Default {@link #AXIS_DEFAULT}
   * @param order Keras' {@code order}: the norm's order. Default {@link #ORDER_DEFAULT}
   * @return a new normalized array of {@code x}'s shape
   * @throws IllegalArgumentException if {@code axis} is not an axis of {@code x}
   */
  public static NDArray normalize(NDArray x, int axis, int order) {
    Objects.requireNonNull(x, "x");
    int rank = x.rank();
    if (axis < -rank || axis >= rank) {
      // numpy's AxisError, which Keras users see
      throw new IllegalArgumentException(
          "axis " + axis + " is out of bounds for array of dimension " + rank);
    }
    int a = axis < 0 ? axis + rank : axis;
    long[] shape = x.shape();
    int len = (int) shape[a];
    int outer = 1, inner = 1;
    for (int i = 0; i < a; i++) outer *= (int) shape[i];
    for (int i = a + 1; i < rank; i++) inner *= (int) shape[i];
    double[] v = x.toDoubleArray();
    boolean f32 = x.dtype() == DType.FLOAT32;
    float[] outF = f32 ? new float[v.length] : null;
    double[] outD = f32 ? null : new double[v.length];
    for (int o = 0; o < outer; o++) {
      for (int j = 0; j < inner; j++) {
        int base = o * len * inner + j;
        double norm = norm(v, base, len, inner, order);
        if (f32) {
          float nf = (float) norm;
          if (nf == 0) nf = 1;
          for (int k = 0; k < len; k++) outF[base + k * inner] = (float) v[base + k * inner] / nf;
        } else {
          if (norm == 0) norm = 1;
          for (int k = 0; k < len; k++) outD[base + k * inner] = v[base + k * inner] / norm;
        }
      }
    }
    return f32 ? NDArray.of(outF, shape) : NDArray.ofFloat64(outD, shape);
  }

  /** numpy's {@code linalg.norm} of the vector {@code v[base + k * stride]}, k in [0, len). */
  private static double norm(double[] v, int base, int len, int stride, int order) {
    double sum = 0;
    for (int k = 0; k < len; k++) {
      double e = v[base + k * stride];
      sum +=
          switch (order) {
            case 0 -> e != 0 ? 1 : 0; // NaN != 0 counts, as in numpy
            case 1 -> Math.abs(e);
            case 2 -> e * e;
            default -> Math.pow(Math.abs(e), order);
          };
    }
    return switch (order) {
      case 0, 1 -> sum;
      case 2 -> Math.sqrt(sum);
      default -> Math.pow(sum, 1.0 / order);
    };
  }

  private static IllegalArgumentException badId(
      NDArray y, int flat, String value, String expected) {
    return new IllegalArgumentException(
        "Expected `y` to be class indices: "
            + expected
            + ". Received: y"
            + index(y.shape(), flat)
            + "="
            + value);
  }

  /** The numpy index of flat position {@code flat} in {@code shape}, e.g. {@code [1, 0]}. */
  private static String index(long[] shape, int flat) {
    if (shape.length == 0) return "[()]";
    long[] idx = new long[shape.length];
    long rest = flat;
    for (int i = shape.length - 1; i >= 0; i--) {
      idx[i] = rest % shape[i];
      rest /= shape[i];
    }
    return Arrays.toString(idx);
  }

  private static String format(double d) {
    return d == Math.rint(d) && Double.isFinite(d) && Math.abs(d) < 1e15
        ? String.format(Locale.ROOT, "%.1f", d)
        : Double.isNaN(d)
            ? "nan"
            : Double.isInfinite(d) ? (d > 0 ? "inf" : "-inf") : Double.toString(d);
  }
}
