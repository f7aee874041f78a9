package jkeras.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** Reading float32 results and comparing them with float64 references. */
public final class Float32Asserts {
  private Float32Asserts() {}

  /** The values of a float32 tensor, widened to double. */
  public static double[] floats(Tensor t) {
    TFloat32 f = (TFloat32) t;
    float[] a = new float[(int) f.size()];
    f.copyTo(DataBuffers.of(a, false, false));
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }

  /** {@link #assertClose(double[], double[], double)} within {@code 1e-6}. */
  public static void assertClose(double[] actual, double[] expected) {
    assertClose(actual, expected, 1e-6);
  }

  /**
   * Element-wise within {@code tol}, relative to the magnitude above 1: float32 arithmetic carries
   * ~1e-7 relative error per op.
   */
  public static void assertClose(double[] actual, double[] expected, double tol) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < actual.length; i++) {
      assertThat(actual[i])
          .as("element %d", i)
          .isCloseTo(expected[i], within(tol * Math.max(1, Math.abs(expected[i]))));
    }
  }
}
