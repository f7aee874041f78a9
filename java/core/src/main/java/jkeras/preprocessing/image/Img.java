package jkeras.preprocessing.image;

import jkeras.data.DType;
import jkeras.data.NDArray;

/**
 * One image as the kernels see it: float32 values, rows, columns and channels, channels last or
 * first. Wraps the array it is given (no copy); the public API copies at its edges.
 */
final class Img {
  final float[] data;
  final int rows;
  final int cols;
  final int channels;
  final boolean channelsLast;

  Img(float[] data, int rows, int cols, int channels, boolean channelsLast) {
    this.data = data;
    this.rows = rows;
    this.cols = cols;
    this.channels = channels;
    this.channelsLast = channelsLast;
  }

  static Img zeros(int rows, int cols, int channels, boolean channelsLast) {
    return new Img(new float[rows * cols * channels], rows, cols, channels, channelsLast);
  }

  /** A copy of a rank-3 array in {@code dataFormat}. */
  static Img of(NDArray x, boolean channelsLast, String argument) {
    long[] s = x.shape();
    if (s.length != 3) {
      throw new IllegalArgumentException(
          "Expected `"
              + argument
              + "` to be a single image of rank 3. Received: an array with shape "
              + java.util.Arrays.toString(s));
    }
    int rows = (int) (channelsLast ? s[0] : s[1]);
    int cols = (int) (channelsLast ? s[1] : s[2]);
    int ch = (int) (channelsLast ? s[2] : s[0]);
    return new Img(x.toFloatArray(), rows, cols, ch, channelsLast);
  }

  long[] shape() {
    return channelsLast ? new long[] {rows, cols, channels} : new long[] {channels, rows, cols};
  }

  NDArray toNDArray(DType dtype) {
    if (dtype == DType.FLOAT64) {
      double[] d = new double[data.length];
      for (int i = 0; i < d.length; i++) d[i] = data[i];
      return NDArray.ofFloat64(d, shape());
    }
    return NDArray.of(data.clone(), shape());
  }

  /** Flat index of (row, col, channel). */
  int at(int r, int c, int ch) {
    return channelsLast ? (r * cols + c) * channels + ch : (ch * rows + r) * cols + c;
  }

  Img copy() {
    return new Img(data.clone(), rows, cols, channels, channelsLast);
  }
}
