package jkeras.engine;

import jkeras.data.DType;
import jkeras.data.NDArray;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/** Host array to and from TensorFlow tensors: one bulk copy each way. Callers close the tensors. */
final class Tensors {
  private Tensors() {}

  /** A tensor of {@code dtype} holding {@code a}'s values (converted as numpy's {@code astype}). */
  static Tensor of(NDArray a, DType dtype) {
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
