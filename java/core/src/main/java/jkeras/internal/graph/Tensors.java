package jkeras.internal.graph;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import jkeras.data.DType;
import jkeras.data.NDArray;
import org.bytedeco.javacpp.Pointer;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.ByteDataBuffer;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TType;

/** Host array to and from TensorFlow tensors: one bulk copy each way. Callers close the tensors. */
final class Tensors {
  private Tensors() {}

  /**
   * Native memory as a TF Java raw byte buffer. The factory's mapping methods are protected (it is
   * how TF Java maps tensor memory); a tensor filled from such a buffer is one {@code
   * Unsafe.copyMemory}: about 2.9 us for 100 KB including the tensor's allocation, the same as from
   * a {@code float[]}, where a direct NIO buffer through {@code DataBuffers.of} takes about 17 us
   * (element by element).
   */
  private static final class NativeBytes
      extends org.tensorflow.ndarray.impl.buffer.raw.RawDataBufferFactory {
    static ByteDataBuffer map(long address, long bytes) {
      return mapNativeBytes(address, bytes, true);
    }
  }

  /** The TF Java tensor type of a host dtype. */
  static Class<? extends TType> tensorType(DType t) {
    return switch (t) {
      case FLOAT32 -> TFloat32.class;
      case FLOAT64 -> TFloat64.class;
      case INT32 -> TInt32.class;
      case INT64 -> TInt64.class;
      case BOOL -> TBool.class;
    };
  }

  /**
   * A direct array of the tensor's dtype: one bulk copy of its bytes (numpy and TF share the
   * layout).
   */
  private static Tensor ofDirect(NDArray a, DType dtype) {
    ByteBuffer b = a.directBuffer();
    long bytes = b.remaining();
    Shape shape = Shape.of(a.shape());
    if (bytes == 0) return Tensor.of(tensorType(dtype), shape);
    try {
      long address = new Pointer(b).address();
      return Tensor.of(tensorType(dtype), shape, NativeBytes.map(address, bytes));
    } finally {
      Reference.reachabilityFence(b);
    }
  }

  // Off if TF Java's raw buffers cannot be reached (e.g. its jars on the module path): copy via
  // heap arrays.
  private static volatile boolean directFeed = true;

  /**
   * Whether direct arrays still reach tensors with one native copy (false after a linkage failure).
   */
  static boolean directFeed() {
    return directFeed;
  }

  /** A tensor of {@code dtype} holding {@code a}'s values (converted as numpy's {@code astype}). */
  static Tensor of(NDArray a, DType dtype) {
    if (directFeed && a.isDirect() && a.dtype() == dtype) {
      try {
        return ofDirect(a, dtype);
      } catch (LinkageError e) {
        directFeed = false;
        jkeras.internal.Warnings.warn(
            "Direct arrays are copied through the heap from now on: TensorFlow Java's raw"
                + " buffers could not be reached ("
                + e
                + ").");
      }
    }
    Shape shape = Shape.of(a.shape());
    return switch (dtype) {
      case FLOAT32 -> TFloat32.tensorOf(shape, DataBuffers.of(a.floatsView(), true, false));
      case FLOAT64 -> TFloat64.tensorOf(shape, DataBuffers.of(a.toDoubleArray(), true, false));
      case INT32 -> TInt32.tensorOf(shape, DataBuffers.of(a.toIntArray(), true, false));
      case INT64 -> TInt64.tensorOf(shape, DataBuffers.of(a.toLongArray(), true, false));
      case BOOL -> {
        int[] v = a.toIntArray();
        boolean[] b = new boolean[v.length];
        for (int i = 0; i < v.length; i++) b[i] = v[i] != 0;
        yield TBool.tensorOf(shape, DataBuffers.of(b, true, false));
      }
    };
  }

  static TFloat32 floats(float[] values, long... shape) {
    return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
  }

  /** Copies a float32 tensor to a host array. */
  static NDArray toNDArray(Tensor t) {
    TFloat32 f = (TFloat32) t;
    long[] shape = f.shape().asArray();
    float[] out = new float[(int) f.shape().size()];
    f.asRawTensor().data().asFloats().read(out);
    return NDArray.adoptFloats(out, shape);
  }

  static float scalar(Tensor t) {
    return ((TFloat32) t).getFloat();
  }
}
