package jkeras.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An immutable host array with a shape and a numpy dtype: what jkeras takes as data and returns as
 * predictions and weights. Row-major (C order), like numpy.
 *
 * <pre>{@code
 * NDArray x = NDArray.of(new float[][] {{0, 1}, {1, 0}});   // shape [2, 2], float32
 * NDArray y = NDArray.of(new int[] {1, 0});                 // shape [2], int32 labels
 * }</pre>
 *
 * <p>The values live on the Java heap, or, for arrays made by {@link #wrapDirect}, in direct
 * (off-heap) memory that the array only views: the data bridges hand batches over that way without
 * copying them. Every accessor works on both; those returning Java arrays copy.
 */
public final class NDArray implements ArrayData {
  private final long[] shape;
  private final DType dtype;
  private final long size;
  private final Object data; // float[], double[], int[], long[] or boolean[]; null when direct
  // Direct arrays: position 0, limit = size * itemSize, native order; read with absolute gets only.
  private final ByteBuffer direct;

  private NDArray(Object data, DType dtype, long[] shape) {
    this.shape = shape.clone();
    this.dtype = dtype;
    this.data = data;
    this.direct = null;
    this.size = checkedCount(shape);
    if (size != java.lang.reflect.Array.getLength(data)) {
      throw new IllegalArgumentException(
          "Cannot make an array of shape "
              + Arrays.toString(shape)
              + " ("
              + size
              + " elements) from "
              + java.lang.reflect.Array.getLength(data)
              + " values.");
    }
  }

  private NDArray(ByteBuffer direct, DType dtype, long[] shape) {
    this.shape = shape.clone();
    this.dtype = dtype;
    this.data = null;
    this.direct = direct;
    this.size = checkedCount(shape);
    if (size * itemSize(dtype) != direct.limit()) {
      throw new IllegalArgumentException(
          "Cannot make an array of shape "
              + Arrays.toString(shape)
              + " and dtype "
              + dtype.kerasName()
              + " ("
              + size * itemSize(dtype)
              + " bytes) from a buffer of "
              + direct.limit()
              + " bytes.");
    }
  }

  private static long checkedCount(long[] shape) {
    long n = 1;
    for (long d : shape) {
      if (d < 0)
        throw new IllegalArgumentException("Negative dimension in shape " + Arrays.toString(shape));
      n *= d;
    }
    return n;
  }

  /** Bytes per element, as numpy stores them (bool: one byte). */
  private static int itemSize(DType t) {
    return switch (t) {
      case FLOAT32, INT32 -> 4;
      case FLOAT64, INT64 -> 8;
      case BOOL -> 1;
    };
  }

  /** A float32 array over a copy of {@code flat}; no shape means a 1-D array. */
  public static NDArray of(float[] flat, long... shape) {
    return new NDArray(
        flat.clone(), DType.FLOAT32, shape.length == 0 ? new long[] {flat.length} : shape);
  }

  /** A float32 array from doubles (numpy's {@code astype('float32')}). */
  public static NDArray of(double[] flat, long... shape) {
    float[] f = new float[flat.length];
    for (int i = 0; i < f.length; i++) f[i] = (float) flat[i];
    return new NDArray(f, DType.FLOAT32, shape.length == 0 ? new long[] {flat.length} : shape);
  }

  /** A float64 array over a copy of {@code flat}. */
  public static NDArray ofFloat64(double[] flat, long... shape) {
    return new NDArray(
        flat.clone(), DType.FLOAT64, shape.length == 0 ? new long[] {flat.length} : shape);
  }

  /** A float32 matrix; all rows must have the same length. */
  public static NDArray of(float[][] rows) {
    int cols = rows.length == 0 ? 0 : rows[0].length;
    float[] f = new float[rows.length * cols];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != cols)
        throw new IllegalArgumentException(
            "Ragged rows: row " + i + " has " + rows[i].length + " values, expected " + cols);
      System.arraycopy(rows[i], 0, f, i * cols, cols);
    }
    return new NDArray(f, DType.FLOAT32, new long[] {rows.length, cols});
  }

  /** A float32 matrix from doubles. */
  public static NDArray of(double[][] rows) {
    int cols = rows.length == 0 ? 0 : rows[0].length;
    float[] f = new float[rows.length * cols];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != cols)
        throw new IllegalArgumentException(
            "Ragged rows: row " + i + " has " + rows[i].length + " values, expected " + cols);
      for (int j = 0; j < cols; j++) f[i * cols + j] = (float) rows[i][j];
    }
    return new NDArray(f, DType.FLOAT32, new long[] {rows.length, cols});
  }

  /** An int32 vector, e.g. sparse class labels. */
  public static NDArray of(int[] values) {
    return new NDArray(values.clone(), DType.INT32, new long[] {values.length});
  }

  /** An int32 array of the given shape. */
  public static NDArray ofInts(int[] flat, long... shape) {
    return new NDArray(
        flat.clone(), DType.INT32, shape.length == 0 ? new long[] {flat.length} : shape);
  }

  /** An int64 array of the given shape. */
  public static NDArray ofLongs(long[] flat, long... shape) {
    return new NDArray(
        flat.clone(), DType.INT64, shape.length == 0 ? new long[] {flat.length} : shape);
  }

  /** A bool array of the given shape. */
  public static NDArray ofBooleans(boolean[] flat, long... shape) {
    return new NDArray(
        flat.clone(), DType.BOOL, shape.length == 0 ? new long[] {flat.length} : shape);
  }

  /** A float32 scalar (shape {@code []}). */
  public static NDArray scalar(float value) {
    return new NDArray(new float[] {value}, DType.FLOAT32, new long[0]);
  }

  /** float32 zeros. */
  public static NDArray zeros(long... shape) {
    return new NDArray(new float[Math.toIntExact(count(shape))], DType.FLOAT32, shape);
  }

  /** float32 ones. */
  public static NDArray ones(long... shape) {
    float[] f = new float[Math.toIntExact(count(shape))];
    Arrays.fill(f, 1f);
    return new NDArray(f, DType.FLOAT32, shape);
  }

  /** Wraps {@code data} without copying; the caller gives up the array. */
  static NDArray wrap(Object data, DType dtype, long[] shape) {
    return new NDArray(data, dtype, shape);
  }

  /**
   * A view of C-order values in direct memory, without a copy: {@code size * itemsize} bytes from
   * the buffer's position (float32/int32: 4, float64/int64: 8, bool: 1 byte, 0 is false), read in
   * native byte order. For data bridges that own the memory (batches from Python): the array cannot
   * change the memory, but whoever owns it can, so the owner must keep the bytes unchanged while
   * the array is in use; a {@link Batch} of such arrays says when with {@link Batch#release()}.
   *
   * @param nativeOrder a direct buffer whose byte order is {@link ByteOrder#nativeOrder()}
   */
  public static NDArray wrapDirect(ByteBuffer nativeOrder, DType dtype, long... shape) {
    if (!nativeOrder.isDirect())
      throw new IllegalArgumentException("wrapDirect needs a direct buffer.");
    if (nativeOrder.order() != ByteOrder.nativeOrder()) {
      throw new IllegalArgumentException(
          "wrapDirect needs a buffer in native byte order (" + ByteOrder.nativeOrder() + ").");
    }
    long bytes = checkedCount(shape) * itemSize(dtype);
    if (bytes > nativeOrder.remaining()) {
      throw new IllegalArgumentException(
          "Cannot make an array of shape "
              + Arrays.toString(shape)
              + " and dtype "
              + dtype.kerasName()
              + " ("
              + bytes
              + " bytes) from a buffer with "
              + nativeOrder.remaining()
              + " bytes remaining.");
    }
    ByteBuffer view =
        nativeOrder
            .slice(nativeOrder.position(), (int) bytes)
            .asReadOnlyBuffer()
            .order(ByteOrder.nativeOrder());
    return new NDArray(view, dtype, shape);
  }

  /** Whether the values live in direct memory ({@link #wrapDirect}) rather than a Java array. */
  public boolean isDirect() {
    return direct != null;
  }

  /**
   * For the engine's feed path: the values of a direct array as a read-only buffer in native order,
   * from position 0 to {@code size * itemsize} (a new buffer object over the same memory); null for
   * a heap array.
   */
  public ByteBuffer directBuffer() {
    return direct == null ? null : direct.duplicate().order(ByteOrder.nativeOrder());
  }

  /** For {@link Npy}: the Java array behind a heap array, without a copy; null for a direct one. */
  Object heapData() {
    return data;
  }

  /** For the engine: wraps a float array it just filled, without a copy. */
  public static NDArray adoptFloats(float[] data, long... shape) {
    return new NDArray(data, DType.FLOAT32, shape);
  }

  private static long count(long[] shape) {
    long n = 1;
    for (long d : shape) n *= d;
    return n;
  }

  public long[] shape() {
    return shape.clone();
  }

  /** {@code shape()[axis]}; a negative axis counts from the end. */
  public long dim(int axis) {
    return shape[axis < 0 ? shape.length + axis : axis];
  }

  public DType dtype() {
    return dtype;
  }

  public long size() {
    return size;
  }

  public int rank() {
    return shape.length;
  }

  /** Number of samples: the first dimension. */
  public long length() {
    if (shape.length == 0) throw new IllegalStateException("A scalar has no length");
    return shape[0];
  }

  /** The values as float32 (converted when the dtype differs), a copy. */
  public float[] toFloatArray() {
    return (float[]) copyAs(DType.FLOAT32);
  }

  /**
   * The backing float32 values without a copy when the dtype is float32 (a converted copy
   * otherwise). For the engine's feed path: callers must not modify the array.
   */
  public float[] floatsView() {
    return dtype == DType.FLOAT32 ? (float[]) heapView() : (float[]) converted(DType.FLOAT32);
  }

  /** The Java array of a heap array; a fresh copy of a direct one. */
  private Object heapView() {
    return data != null ? data : heap();
  }

  /** A new Java array (of the dtype's element type) holding the values of a direct array. */
  private Object heap() {
    int n = Math.toIntExact(size);
    ByteBuffer b = direct.duplicate().order(ByteOrder.nativeOrder());
    switch (dtype) {
      case FLOAT32 -> {
        float[] f = new float[n];
        b.asFloatBuffer().get(f);
        return f;
      }
      case FLOAT64 -> {
        double[] d = new double[n];
        b.asDoubleBuffer().get(d);
        return d;
      }
      case INT32 -> {
        int[] i = new int[n];
        b.asIntBuffer().get(i);
        return i;
      }
      case INT64 -> {
        long[] l = new long[n];
        b.asLongBuffer().get(l);
        return l;
      }
      default -> {
        boolean[] z = new boolean[n];
        for (int k = 0; k < n; k++) z[k] = b.get(k) != 0;
        return z;
      }
    }
  }

  /**
   * Elements {@code [from, from + count)} into {@code dst} (a Java array of the element type) at
   * {@code at}.
   */
  private void copyElements(int from, Object dst, int at, int count) {
    if (data != null) {
      System.arraycopy(data, from, dst, at, count);
      return;
    }
    ByteBuffer b = direct.duplicate().order(ByteOrder.nativeOrder());
    switch (dtype) {
      case FLOAT32 -> b.asFloatBuffer().get(from, (float[]) dst, at, count);
      case FLOAT64 -> b.asDoubleBuffer().get(from, (double[]) dst, at, count);
      case INT32 -> b.asIntBuffer().get(from, (int[]) dst, at, count);
      case INT64 -> b.asLongBuffer().get(from, (long[]) dst, at, count);
      default -> {
        boolean[] z = (boolean[]) dst;
        for (int k = 0; k < count; k++) z[at + k] = b.get(from + k) != 0;
      }
    }
  }

  private static Object newArray(DType t, int n) {
    return switch (t) {
      case FLOAT32 -> new float[n];
      case FLOAT64 -> new double[n];
      case INT32 -> new int[n];
      case INT64 -> new long[n];
      case BOOL -> new boolean[n];
    };
  }

  /** The element at flat index {@code k} as a double. */
  private double at(int k) {
    if (data != null) {
      return switch (dtype) {
        case FLOAT32 -> ((float[]) data)[k];
        case FLOAT64 -> ((double[]) data)[k];
        case INT32 -> ((int[]) data)[k];
        case INT64 -> ((long[]) data)[k];
        case BOOL -> ((boolean[]) data)[k] ? 1 : 0;
      };
    }
    return switch (dtype) {
      case FLOAT32 -> direct.getFloat(k * 4);
      case FLOAT64 -> direct.getDouble(k * 8);
      case INT32 -> direct.getInt(k * 4);
      case INT64 -> direct.getLong(k * 8);
      case BOOL -> direct.get(k) != 0 ? 1 : 0;
    };
  }

  /**
   * Element {@code k} of an integer or bool array, exactly (doubles would round int64 above 2^53).
   */
  private long wholeAt(int k) {
    if (data != null) {
      return switch (dtype) {
        case INT32 -> ((int[]) data)[k];
        case INT64 -> ((long[]) data)[k];
        case BOOL -> ((boolean[]) data)[k] ? 1 : 0;
        default -> throw new AssertionError(dtype);
      };
    }
    return switch (dtype) {
      case INT32 -> direct.getInt(k * 4);
      case INT64 -> direct.getLong(k * 8);
      case BOOL -> direct.get(k) != 0 ? 1 : 0;
      default -> throw new AssertionError(dtype);
    };
  }

  /**
   * A new Java array of {@code target}'s element type with the values cast as numpy's {@code
   * astype} casts them: floats truncate towards zero into integers, integers convert exactly where
   * the target can hold them, NaN and every non-zero value are true.
   */
  private Object converted(DType target) {
    int n = (int) size();
    boolean whole = dtype != DType.FLOAT32 && dtype != DType.FLOAT64;
    switch (target) {
      case FLOAT32 -> {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = whole ? (float) wholeAt(i) : (float) at(i);
        return out;
      }
      case FLOAT64 -> {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = whole ? (double) wholeAt(i) : at(i);
        return out;
      }
      case INT32 -> {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = whole ? (int) wholeAt(i) : (int) at(i);
        return out;
      }
      case INT64 -> {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) out[i] = whole ? wholeAt(i) : (long) at(i);
        return out;
      }
      default -> {
        boolean[] out = new boolean[n];
        for (int i = 0; i < n; i++) out[i] = at(i) != 0; // NaN != 0, as numpy's bool(nan)
        return out;
      }
    }
  }

  /** The values as doubles, a copy (exact for every dtype but int64 beyond 2^53). */
  public double[] toDoubleArray() {
    return (double[]) copyAs(DType.FLOAT64);
  }

  /** The values as int32 (truncating floats, as numpy's {@code astype('int32')}), a copy. */
  public int[] toIntArray() {
    return (int[]) copyAs(DType.INT32);
  }

  /** The values as int64 (truncating floats, as numpy's {@code astype('int64')}), a copy. */
  public long[] toLongArray() {
    return (long[]) copyAs(DType.INT64);
  }

  /**
   * A fresh Java array of {@code target}'s element type: a clone, a direct array's copy, or cast.
   */
  private Object copyAs(DType target) {
    if (dtype != target) return converted(target);
    if (data == null) return heap();
    return switch (dtype) {
      case FLOAT32 -> ((float[]) data).clone();
      case FLOAT64 -> ((double[]) data).clone();
      case INT32 -> ((int[]) data).clone();
      case INT64 -> ((long[]) data).clone();
      case BOOL -> ((boolean[]) data).clone();
    };
  }

  /** A float32 matrix view as rows (2-D arrays only), a copy. */
  public float[][] toFloatMatrix() {
    if (shape.length != 2)
      throw new IllegalStateException(
          "toFloatMatrix needs a 2-D array, shape is " + Arrays.toString(shape));
    float[] f = floatsView();
    int r = (int) shape[0], c = (int) shape[1];
    float[][] out = new float[r][c];
    for (int i = 0; i < r; i++) System.arraycopy(f, i * c, out[i], 0, c);
    return out;
  }

  /** The element at {@code index} as a float. */
  public float getFloat(long... index) {
    return (float) getDouble(index);
  }

  /** The element at {@code index} as a double. */
  public double getDouble(long... index) {
    if (index.length != shape.length) {
      throw new IllegalArgumentException(
          "Expected " + shape.length + " indices, got " + index.length);
    }
    long flat = 0;
    for (int i = 0; i < shape.length; i++) {
      if (index[i] < 0 || index[i] >= shape[i])
        throw new IndexOutOfBoundsException(
            "Index "
                + Arrays.toString(index)
                + " out of bounds for shape "
                + Arrays.toString(shape));
      flat = flat * shape[i] + index[i];
    }
    return at((int) flat);
  }

  /** Same values, new shape (one dimension may be -1). */
  public NDArray reshape(long... newShape) {
    long[] s = newShape.clone();
    int unknown = -1;
    long known = 1;
    for (int i = 0; i < s.length; i++) {
      if (s[i] == -1) {
        if (unknown >= 0)
          throw new IllegalArgumentException(
              "Only one dimension can be -1: " + Arrays.toString(newShape));
        unknown = i;
      } else known *= s[i];
    }
    if (unknown >= 0) s[unknown] = known == 0 ? 0 : size() / known;
    return data != null ? new NDArray(data, dtype, s) : new NDArray(direct, dtype, s);
  }

  private int rowSize() {
    int r = 1;
    for (int i = 1; i < shape.length; i++) r *= (int) shape[i];
    return r;
  }

  /** Rows {@code [from, to)} along the first axis (numpy {@code a[from:to]}), a copy. */
  public NDArray slice(long from, long to) {
    if (shape.length == 0) throw new IllegalStateException("Cannot slice a scalar");
    if (from < 0 || to > shape[0] || from > to)
      throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") of length " + shape[0]);
    int rs = rowSize();
    int n = (int) (to - from);
    Object out = newArray(dtype, n * rs);
    copyElements((int) from * rs, out, 0, n * rs);
    long[] s = shape.clone();
    s[0] = n;
    return new NDArray(out, dtype, s);
  }

  /** Rows at {@code indices} along the first axis (numpy {@code a[indices]}), a copy. */
  public NDArray take(int[] indices) {
    if (shape.length == 0) throw new IllegalStateException("Cannot index a scalar");
    int rs = rowSize();
    Object out = newArray(dtype, indices.length * rs);
    for (int i = 0; i < indices.length; i++) {
      if (indices[i] < 0 || indices[i] >= shape[0])
        throw new IndexOutOfBoundsException("row " + indices[i] + " of " + shape[0]);
      copyElements(indices[i] * rs, out, i * rs, rs);
    }
    long[] s = shape.clone();
    s[0] = indices.length;
    return new NDArray(out, dtype, s);
  }

  /** Concatenates arrays of one dtype along the first axis. */
  public static NDArray concatenate(List<NDArray> parts) {
    if (parts.isEmpty())
      throw new IllegalArgumentException("Need at least one array to concatenate");
    NDArray first = parts.get(0);
    if (parts.size() == 1) return first;
    long rows = 0;
    int total = 0;
    for (NDArray p : parts) {
      if (p.dtype != first.dtype
          || p.shape.length != first.shape.length
          || !Arrays.equals(
              Arrays.copyOfRange(p.shape, 1, p.shape.length),
              Arrays.copyOfRange(first.shape, 1, first.shape.length))) {
        throw new IllegalArgumentException(
            "Cannot concatenate arrays of shapes "
                + Arrays.toString(first.shape)
                + " and "
                + Arrays.toString(p.shape));
      }
      rows += p.shape[0];
      total += (int) p.size();
    }
    Object out = newArray(first.dtype, total);
    int at = 0;
    for (NDArray p : parts) {
      int n = (int) p.size();
      p.copyElements(0, out, at, n);
      at += n;
    }
    long[] s = first.shape.clone();
    s[0] = rows;
    return new NDArray(out, first.dtype, s);
  }

  /**
   * The values converted to {@code dtype}, as numpy's {@code x.astype(dtype)}: floats become
   * integers by truncation toward zero, int64 becomes int32 by keeping the low 32 bits, any value
   * becomes bool as {@code value != 0} (NaN is true), bool becomes 0 or 1. NaN, infinities and
   * floats beyond the integer range, for which numpy's result is platform-defined (it warns
   * "invalid value encountered in cast"), follow Java's casts: NaN gives 0, the others saturate.
   *
   * <p>A heap array already of {@code dtype} is returned as is, since it is immutable; a direct one
   * is copied to the heap, so the result outlives the memory it viewed.
   *
   * <pre>{@code
   * NDArray x = Npy.load(Path.of("x_train.npy")).astype(DType.FLOAT32).divide(255.0);
   * }</pre>
   *
   * @param dtype numpy's {@code dtype}: the element type of the result
   */
  public NDArray astype(DType dtype) {
    Objects.requireNonNull(dtype, "dtype");
    if (dtype == this.dtype && data != null) return this;
    return new NDArray(copyAs(dtype), dtype, shape);
  }

  /**
   * {@code x * value}, element-wise, a new array. The result type is numpy's for a Python float
   * operand: float32 stays float32 (the value rounded to float32 first), float64 stays float64, int
   * and bool arrays become float64. Convert with {@code astype(DType.FLOAT32)} first to get float32
   * from integers, as the Keras examples do.
   *
   * @param value the Python float operand
   */
  public NDArray multiply(double value) {
    return scalarOp('*', value);
  }

  /**
   * {@code x / value}, element-wise, a new array ({@code x / 255.0} in every Keras example); the
   * result type follows {@link #multiply(double)}. Division by zero gives infinities or NaN, as in
   * numpy.
   *
   * @param value the Python float divisor
   */
  public NDArray divide(double value) {
    return scalarOp('/', value);
  }

  /**
   * {@code x + value}, element-wise, a new array; the result type follows {@link
   * #multiply(double)}.
   */
  public NDArray add(double value) {
    return scalarOp('+', value);
  }

  /**
   * {@code x - value}, element-wise, a new array; the result type follows {@link
   * #multiply(double)}.
   */
  public NDArray subtract(double value) {
    return scalarOp('-', value);
  }

  // numpy 2 (NEP 50) treats a Python float as "weak": a float32 array stays float32, the value
  // rounded to float32 first. One loop per operator so the JIT can vectorise it.
  private NDArray scalarOp(char op, double value) {
    if (dtype == DType.FLOAT32) {
      float[] f = toFloatArray();
      float v = (float) value;
      switch (op) {
        case '*' -> {
          for (int i = 0; i < f.length; i++) f[i] *= v;
        }
        case '/' -> {
          for (int i = 0; i < f.length; i++) f[i] /= v;
        }
        case '+' -> {
          for (int i = 0; i < f.length; i++) f[i] += v;
        }
        default -> {
          for (int i = 0; i < f.length; i++) f[i] -= v;
        }
      }
      return new NDArray(f, DType.FLOAT32, shape);
    }
    double[] d = toDoubleArray();
    switch (op) {
      case '*' -> {
        for (int i = 0; i < d.length; i++) d[i] *= value;
      }
      case '/' -> {
        for (int i = 0; i < d.length; i++) d[i] /= value;
      }
      case '+' -> {
        for (int i = 0; i < d.length; i++) d[i] += value;
      }
      default -> {
        for (int i = 0; i < d.length; i++) d[i] -= value;
      }
    }
    return new NDArray(d, DType.FLOAT64, shape);
  }

  /**
   * The indices of the largest values along {@code axis}, as numpy's {@code np.argmax(x, axis)}: an
   * int64 array of this shape without {@code axis}. Ties give the first index; NaN counts as the
   * largest value, so the first NaN wins. Typical use: class ids from softmax predictions, {@code
   * model.predict(x).argmax(-1)}.
   *
   * @param axis numpy's {@code axis}; negative counts from the end
   * @throws IllegalArgumentException if {@code axis} is out of range, or the axis is empty while
   *     the result is not
   */
  public NDArray argmax(int axis) {
    int rank = shape.length;
    // numpy accepts axis 0 or -1 on a 0-d array, where the only index is 0.
    boolean scalarAxis = rank == 0 && (axis == 0 || axis == -1);
    if (!scalarAxis && (axis < -rank || axis >= rank)) {
      throw new IllegalArgumentException(
          "axis " + axis + " is out of bounds for array of dimension " + rank);
    }
    if (rank == 0) return new NDArray(new long[] {0}, DType.INT64, new long[0]);
    int a = axis < 0 ? axis + rank : axis;
    int len = (int) shape[a];
    int outer = 1, inner = 1;
    for (int i = 0; i < a; i++) outer *= (int) shape[i];
    for (int i = a + 1; i < rank; i++) inner *= (int) shape[i];
    long[] out = new long[outer * inner];
    if (out.length > 0 && len == 0) throw emptyArgmax();
    for (int o = 0; o < outer; o++) {
      for (int j = 0; j < inner; j++) {
        int base = o * len * inner + j;
        int best = 0;
        for (int k = 1; k < len; k++) {
          if (greater(base + k * inner, base + best * inner)) best = k;
        }
        out[o * inner + j] = best;
      }
    }
    long[] s = new long[rank - 1];
    for (int i = 0, at = 0; i < rank; i++) if (i != a) s[at++] = shape[i];
    return new NDArray(out, DType.INT64, s);
  }

  /**
   * The flat (C-order) index of the largest value, as numpy's {@code np.argmax(x)}; ties give the
   * first index, the first NaN wins.
   *
   * @throws IllegalArgumentException if the array is empty
   */
  public long argmax() {
    int n = (int) size;
    if (n == 0) throw emptyArgmax();
    int best = 0;
    for (int k = 1; k < n; k++) if (greater(k, best)) best = k;
    return best;
  }

  private static IllegalArgumentException emptyArgmax() {
    return new IllegalArgumentException("attempt to get argmax of an empty sequence");
  }

  /** Whether element {@code a} beats element {@code b} in numpy's argmax order. */
  private boolean greater(int a, int b) {
    if (dtype == DType.INT64) return wholeAt(a) > wholeAt(b); // doubles would tie above 2^53
    double x = at(a), y = at(b);
    return x > y || (Double.isNaN(x) && !Double.isNaN(y));
  }

  /** Element-wise equality of shape, dtype and values. */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof NDArray other)) return false;
    if (dtype != other.dtype || !Arrays.equals(shape, other.shape)) return false;
    Object a = heapView();
    Object b = other.heapView();
    return switch (dtype) {
      case FLOAT32 -> Arrays.equals((float[]) a, (float[]) b);
      case FLOAT64 -> Arrays.equals((double[]) a, (double[]) b);
      case INT32 -> Arrays.equals((int[]) a, (int[]) b);
      case INT64 -> Arrays.equals((long[]) a, (long[]) b);
      case BOOL -> Arrays.equals((boolean[]) a, (boolean[]) b);
    };
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + dtype.hashCode();
  }

  /** numpy-like summary: {@code array(shape=[2, 3], dtype=float32, [0.1, 0.2, ...])}. */
  @Override
  public String toString() {
    StringBuilder sb =
        new StringBuilder("array(shape=")
            .append(Arrays.toString(shape))
            .append(", dtype=")
            .append(dtype.kerasName())
            .append(", [");
    int n = (int) Math.min(size(), 8);
    for (int i = 0; i < n; i++) {
      if (i > 0) sb.append(", ");
      double v = at(i);
      sb.append(
          dtype == DType.FLOAT32 || dtype == DType.FLOAT64
              ? String.format(Locale.ROOT, "%.6g", v)
              : Long.toString((long) v));
    }
    if (size() > n) sb.append(", ...");
    return sb.append("])").toString();
  }
}
