package jkeras.layers;

import jkeras.data.NDArray;

/**
 * Convolution, pooling and resampling written out as loops in double precision, from their
 * definitions (TensorFlow's padding rules: "same" pads {@code max((out - 1) * stride + (k - 1) *
 * dilation + 1 - in, 0)} cells, the smaller half before). Nothing here calls TensorFlow: the layer
 * tests compare jkeras' graph with these. Tensors are NHWC; 1D data is NHWC with H = 1.
 */
final class ConvReference {
  private ConvReference() {}

  /** A dense NHWC tensor. */
  static final class T {
    final int n;
    final int h;
    final int w;
    final int c;
    final double[] v;

    T(int n, int h, int w, int c) {
      this.n = n;
      this.h = h;
      this.w = w;
      this.c = c;
      this.v = new double[n * h * w * c];
    }

    double get(int b, int i, int j, int k) {
      return v[((b * h + i) * w + j) * c + k];
    }

    void set(int b, int i, int j, int k, double x) {
      v[((b * h + i) * w + j) * c + k] = x;
    }

    void add(int b, int i, int j, int k, double x) {
      v[((b * h + i) * w + j) * c + k] += x;
    }

    /** From an NDArray of rank 4 (NHWC) or 3 (NWC, H = 1). */
    static T of(NDArray a) {
      long[] s = a.shape();
      float[] f = a.toFloatArray();
      T t =
          s.length == 3
              ? new T((int) s[0], 1, (int) s[1], (int) s[2])
              : new T((int) s[0], (int) s[1], (int) s[2], (int) s[3]);
      for (int i = 0; i < f.length; i++) t.v[i] = f[i];
      return t;
    }

    /** NCHW (or NCW) to NHWC. */
    static T ofChannelsFirst(NDArray a) {
      long[] s = a.shape();
      float[] f = a.toFloatArray();
      int n = (int) s[0];
      int c = (int) s[1];
      int h = s.length == 3 ? 1 : (int) s[2];
      int w = (int) s[s.length - 1];
      T t = new T(n, h, w, c);
      for (int b = 0; b < n; b++)
        for (int k = 0; k < c; k++)
          for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++) t.set(b, i, j, k, f[((b * c + k) * h + i) * w + j]);
      return t;
    }

    /** As NCHW values (the layout a channels-first layer outputs). */
    double[] channelsFirst() {
      double[] out = new double[v.length];
      for (int b = 0; b < n; b++)
        for (int k = 0; k < c; k++)
          for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++) out[((b * c + k) * h + i) * w + j] = get(b, i, j, k);
      return out;
    }
  }

  static int outLength(int in, int k, String padding, int stride, int dilation) {
    int dk = (k - 1) * dilation + 1;
    int out = padding.equals("valid") ? in - dk + 1 : in;
    return (out + stride - 1) / stride;
  }

  static int padBefore(int in, int out, int k, String padding, int stride, int dilation) {
    if (padding.equals("valid")) return 0;
    int total = Math.max((out - 1) * stride + (k - 1) * dilation + 1 - in, 0);
    return total / 2;
  }

  /**
   * A sliding window's geometry over {@code x}'s rows and columns: output size, padding before, and
   * the input cell a window tap reads.
   */
  record Window(T x, int oh, int ow, int ph, int pw, int[] s, int[] d) {
    static Window of(T x, int kh, int kw, String padding, int[] s, int[] d) {
      int oh = outLength(x.h, kh, padding, s[0], d[0]);
      int ow = outLength(x.w, kw, padding, s[1], d[1]);
      return new Window(
          x,
          oh,
          ow,
          padBefore(x.h, oh, kh, padding, s[0], d[0]),
          padBefore(x.w, ow, kw, padding, s[1], d[1]),
          s,
          d);
    }

    /** The input row that output row {@code i}'s tap {@code di} reads. */
    int row(int i, int di) {
      return i * s[0] - ph + di * d[0];
    }

    /** The input column that output column {@code j}'s tap {@code dj} reads. */
    int col(int j, int dj) {
      return j * s[1] - pw + dj * d[1];
    }

    /** Whether (r, q) is inside the input (else it is padding). */
    boolean inside(int r, int q) {
      return r >= 0 && r < x.h && q >= 0 && q < x.w;
    }
  }

  /** Conv2D: kernel (kh, kw, cin, cout) flat. */
  static T conv(T x, double[] k, int kh, int kw, int cout, int[] s, String padding, int[] d) {
    Window w = Window.of(x, kh, kw, padding, s, d);
    T y = new T(x.n, w.oh, w.ow, cout);
    for (int b = 0; b < x.n; b++)
      for (int i = 0; i < w.oh; i++)
        for (int j = 0; j < w.ow; j++)
          for (int o = 0; o < cout; o++) {
            double sum = 0;
            for (int di = 0; di < kh; di++)
              for (int dj = 0; dj < kw; dj++) {
                int r = w.row(i, di);
                int q = w.col(j, dj);
                if (!w.inside(r, q)) continue;
                for (int c = 0; c < x.c; c++)
                  sum += x.get(b, r, q, c) * k[((di * kw + dj) * x.c + c) * cout + o];
              }
            y.set(b, i, j, o, sum);
          }
    return y;
  }

  /** DepthwiseConv2D: kernel (kh, kw, c, dm) flat; output channel c * dm + m. */
  static T depthwise(T x, double[] k, int kh, int kw, int dm, int[] s, String padding, int[] d) {
    Window w = Window.of(x, kh, kw, padding, s, d);
    T y = new T(x.n, w.oh, w.ow, x.c * dm);
    for (int b = 0; b < x.n; b++)
      for (int i = 0; i < w.oh; i++)
        for (int j = 0; j < w.ow; j++)
          for (int c = 0; c < x.c; c++)
            for (int m = 0; m < dm; m++) {
              double sum = 0;
              for (int di = 0; di < kh; di++)
                for (int dj = 0; dj < kw; dj++) {
                  int r = w.row(i, di);
                  int q = w.col(j, dj);
                  if (!w.inside(r, q)) continue;
                  sum += x.get(b, r, q, c) * k[((di * kw + dj) * x.c + c) * dm + m];
                }
              y.set(b, i, j, c * dm + m, sum);
            }
    return y;
  }

  /**
   * Conv2DTranspose to an output of (oh, ow): every input cell adds its kernel window, placed as
   * the forward convolution of the output would read it. Kernel (kh, kw, cout, cin) flat.
   */
  static T transpose(
      T x, double[] k, int kh, int kw, int cout, int oh, int ow, int[] s, String padding, int d) {
    int ph =
        padding.equals("valid") ? 0 : Math.max((x.h - 1) * s[0] + (kh - 1) * d + 1 - oh, 0) / 2;
    int pw =
        padding.equals("valid") ? 0 : Math.max((x.w - 1) * s[1] + (kw - 1) * d + 1 - ow, 0) / 2;
    T y = new T(x.n, oh, ow, cout);
    for (int b = 0; b < x.n; b++)
      for (int i = 0; i < x.h; i++)
        for (int j = 0; j < x.w; j++)
          for (int di = 0; di < kh; di++)
            for (int dj = 0; dj < kw; dj++) {
              int r = i * s[0] - ph + di * d;
              int q = j * s[1] - pw + dj * d;
              if (r < 0 || r >= oh || q < 0 || q >= ow) continue;
              for (int o = 0; o < cout; o++)
                for (int c = 0; c < x.c; c++)
                  y.add(b, r, q, o, x.get(b, i, j, c) * k[((di * kw + dj) * cout + o) * x.c + c]);
            }
    return y;
  }

  static T bias(T y, double[] bias) {
    for (int i = 0; i < y.v.length; i++) y.v[i] += bias[i % y.c];
    return y;
  }

  /** Max or average pooling; "same" averages count only the cells inside the input. */
  static T pool(T x, int[] p, int[] s, String padding, boolean max) {
    Window w = Window.of(x, p[0], p[1], padding, s, new int[] {1, 1});
    T y = new T(x.n, w.oh, w.ow, x.c);
    for (int b = 0; b < x.n; b++)
      for (int i = 0; i < w.oh; i++)
        for (int j = 0; j < w.ow; j++)
          for (int c = 0; c < x.c; c++) {
            double acc = max ? Double.NEGATIVE_INFINITY : 0;
            int count = 0;
            for (int di = 0; di < p[0]; di++)
              for (int dj = 0; dj < p[1]; dj++) {
                int r = w.row(i, di);
                int q = w.col(j, dj);
                if (!w.inside(r, q)) continue;
                double v = x.get(b, r, q, c);
                acc = max ? Math.max(acc, v) : acc + v;
                count++;
              }
            y.set(b, i, j, c, max ? acc : acc / count);
          }
    return y;
  }

  /**
   * TensorFlow 1's resize (align_corners and half_pixel_centers false): source position {@code dst
   * * in / out}; nearest floors it, bilinear interpolates between floor and floor + 1.
   */
  static T resize(T x, int fh, int fw, boolean bilinear) {
    int oh = x.h * fh;
    int ow = x.w * fw;
    T y = new T(x.n, oh, ow, x.c);
    for (int b = 0; b < x.n; b++)
      for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
          for (int c = 0; c < x.c; c++) {
            double si = i * (double) x.h / oh;
            double sj = j * (double) x.w / ow;
            if (!bilinear) {
              y.set(
                  b,
                  i,
                  j,
                  c,
                  x.get(
                      b, Math.min((int) Math.floor(si), x.h - 1), Math.min((int) sj, x.w - 1), c));
              continue;
            }
            int i0 = (int) Math.floor(si);
            int j0 = (int) Math.floor(sj);
            int i1 = Math.min(i0 + 1, x.h - 1);
            int j1 = Math.min(j0 + 1, x.w - 1);
            double a = si - i0;
            double e = sj - j0;
            double top = x.get(b, i0, j0, c) * (1 - e) + x.get(b, i0, j1, c) * e;
            double bottom = x.get(b, i1, j0, c) * (1 - e) + x.get(b, i1, j1, c) * e;
            y.set(b, i, j, c, top * (1 - a) + bottom * a);
          }
    return y;
  }

  /** Zero padding (positive) or cropping (negative) of rows and cols. */
  static T pad(T x, int top, int bottom, int left, int right) {
    T y = new T(x.n, x.h + top + bottom, x.w + left + right, x.c);
    for (int b = 0; b < y.n; b++)
      for (int i = 0; i < y.h; i++)
        for (int j = 0; j < y.w; j++)
          for (int c = 0; c < y.c; c++) {
            int r = i - top;
            int q = j - left;
            if (r >= 0 && r < x.h && q >= 0 && q < x.w) y.set(b, i, j, c, x.get(b, r, q, c));
          }
    return y;
  }
}
