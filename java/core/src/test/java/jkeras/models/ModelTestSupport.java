package jkeras.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import jkeras.data.NDArray;
import jkeras.layers.Layer;

/**
 * Hand formulas for the model tests, in double precision: the Keras 2.3.1 formulas for a linear
 * {@code Dense} layer, the mean squared error with sample weights ({@code sum(l_i * w_i) / n}) and
 * one plain SGD step ({@code w - lr * grad}); the data and starting weights the linear-model tests
 * share, and reading a Dense layer's weights back as {@link Params}.
 */
final class ModelTestSupport {
  /** Tolerance for float32 results compared with double hand values. */
  static final double TOL = 1e-5;

  private ModelTestSupport() {}

  /** 8 samples of 3 features and 2 targets (the fit tests' data). */
  static final double[][] X8 = {
    {1, 2, 3},
    {-1, 0.5, 2},
    {0.5, -1, 0},
    {3, -2, 1},
    {0, 1, -1},
    {2, 2, 2},
    {-3, 1, 0.5},
    {1, -1, 4}
  };

  static final double[][] Y8 = {
    {1, 0}, {0, 1}, {-1, 2}, {0.5, 0.5}, {2, -1}, {0, 0}, {1, 1}, {-2, 3}
  };

  /** The starting weights of the linear model {@code x(3) -> Dense(2)}. */
  static final Params P =
      new Params(new double[][] {{0.1, -0.2}, {0.3, 0.4}, {-0.5, 0.6}}, new double[] {0.05, -0.05});

  /** A Dense layer's kernel and bias. */
  static Params paramsOf(Layer l) {
    List<NDArray> w = l.getWeights();
    return new Params(matrixOf(w.get(0)), w.get(1).toDoubleArray());
  }

  /** Asserts a Dense layer's kernel and bias are {@code expected}, within {@code tol}. */
  static void assertParams(Layer l, Params expected, double tol) {
    Params got = paramsOf(l);
    assertThat(flat(got.w())).containsExactly(flat(expected.w()), within(tol));
    assertThat(got.b()).containsExactly(expected.b(), within(tol));
  }

  /** {@link #assertParams(Layer, Params, double)} within {@link #TOL}. */
  static void assertParams(Layer l, Params expected) {
    assertParams(l, expected, TOL);
  }

  /** A linear Dense layer's parameters: kernel {@code [in][out]} and bias {@code [out]}. */
  record Params(double[][] w, double[] b) {
    List<NDArray> asWeights() {
      return List.of(NDArray.of(w), NDArray.of(b));
    }

    Params copy() {
      double[][] w2 = new double[w.length][];
      for (int i = 0; i < w.length; i++) w2[i] = w[i].clone();
      return new Params(w2, b.clone());
    }
  }

  /** {@code x . w + b}. */
  static double[][] dense(double[][] x, Params p) {
    int n = x.length;
    int in = p.w().length;
    int out = p.b().length;
    double[][] y = new double[n][out];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < out; j++) {
        double s = p.b()[j];
        for (int k = 0; k < in; k++) s += x[i][k] * p.w()[k][j];
        y[i][j] = s;
      }
    }
    return y;
  }

  static double[][] relu(double[][] x) {
    double[][] y = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      y[i] = x[i].clone();
      for (int j = 0; j < y[i].length; j++) y[i][j] = Math.max(0, y[i][j]);
    }
    return y;
  }

  static double[] ones(int n) {
    double[] w = new double[n];
    java.util.Arrays.fill(w, 1.0);
    return w;
  }

  /** Keras' weighted MSE: per-sample mean over the last axis, {@code sum(l_i * sw_i) / n}. */
  static double mse(double[][] pred, double[][] y, double[] sw) {
    double total = 0;
    for (int i = 0; i < pred.length; i++) {
      double l = 0;
      for (int j = 0; j < pred[i].length; j++) l += (pred[i][j] - y[i][j]) * (pred[i][j] - y[i][j]);
      total += sw[i] * l / pred[i].length;
    }
    return total / pred.length;
  }

  static double mse(double[][] pred, double[][] y) {
    return mse(pred, y, ones(pred.length));
  }

  /** Unweighted mean absolute error over all elements. */
  static double mae(double[][] pred, double[][] y) {
    double total = 0;
    int count = 0;
    for (int i = 0; i < pred.length; i++) {
      for (int j = 0; j < pred[i].length; j++) {
        total += Math.abs(pred[i][j] - y[i][j]);
        count++;
      }
    }
    return total / count;
  }

  /** d(weighted MSE)/d(pred): {@code 2 sw_i (p - y) / (n k)}. */
  static double[][] mseGrad(double[][] pred, double[][] y, double[] sw, double scale) {
    int n = pred.length;
    double[][] g = new double[n][];
    for (int i = 0; i < n; i++) {
      int k = pred[i].length;
      g[i] = new double[k];
      for (int j = 0; j < k; j++)
        g[i][j] = scale * 2 * sw[i] * (pred[i][j] - y[i][j]) / (n * (double) k);
    }
    return g;
  }

  /**
   * One SGD step on a linear Dense layer given d(loss)/d(output); {@code l2} adds {@code 2 l2 w}.
   */
  static Params sgdStep(Params p, double[][] x, double[][] gOut, double lr, double l2) {
    Params q = p.copy();
    int in = p.w().length;
    int out = p.b().length;
    for (int k = 0; k < in; k++) {
      for (int j = 0; j < out; j++) {
        double g = 2 * l2 * p.w()[k][j];
        for (int i = 0; i < x.length; i++) g += x[i][k] * gOut[i][j];
        q.w()[k][j] = p.w()[k][j] - lr * g;
      }
    }
    for (int j = 0; j < out; j++) {
      double g = 0;
      for (double[] gi : gOut) g += gi[j];
      q.b()[j] = p.b()[j] - lr * g;
    }
    return q;
  }

  /** One SGD step of a linear Dense layer trained with (weighted) MSE on {@code (x, y)}. */
  static Params sgdMseStep(Params p, double[][] x, double[][] y, double[] sw, double lr) {
    return sgdStep(p, x, mseGrad(dense(x, p), y, sw, 1.0), lr, 0);
  }

  static double[][] rows(double[][] a, int from, int to) {
    return java.util.Arrays.copyOfRange(a, from, to);
  }

  static double[][] matrixOf(NDArray a) {
    float[][] f = a.toFloatMatrix();
    double[][] d = new double[f.length][];
    for (int i = 0; i < f.length; i++) {
      d[i] = new double[f[i].length];
      for (int j = 0; j < f[i].length; j++) d[i][j] = f[i][j];
    }
    return d;
  }

  static double[] flat(double[][] a) {
    return java.util.Arrays.stream(a).flatMapToDouble(java.util.Arrays::stream).toArray();
  }
}
