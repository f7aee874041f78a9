package jkeras.preprocessing.image;

import java.util.Arrays;
import java.util.List;
import jkeras.data.NDArray;

/**
 * The pixel operations of keras_preprocessing's {@code affine_transformations.py}: the affine
 * resampling ({@code apply_affine_transform}, which Keras delegates to {@code
 * scipy.ndimage.affine_transform}), flips, channel shift and brightness. Axes are those of a single
 * image (rank 3), as in Keras.
 *
 * <p>Resampling follows scipy.ndimage for spline orders 0 (nearest) and 1 (bilinear): the output
 * pixel {@code o} reads the input at {@code A o + b}; outside the image, {@code fill_mode} decides
 * as scipy's modes do ({@code constant}: {@code cval} for any point outside {@code [0, len - 1]};
 * {@code nearest}: the edge pixel; {@code reflect}: {@code dcba|abcd|dcba}; {@code wrap}: scipy's
 * legacy wrap, whose period is {@code len - 1}). Arithmetic is in double, stored as float32, like
 * scipy on a float32 image.
 */
public final class AffineTransformations {
  /** Keras' {@code fill_mode} values. */
  public static final List<String> FILL_MODES = List.of("constant", "nearest", "reflect", "wrap");

  private AffineTransformations() {}

  /**
   * {@code apply_affine_transform(x, theta, tx, ty, shear, zx, zy, row_axis, col_axis,
   * channel_axis, fill_mode, cval, order)}.
   *
   * @param x a single image of rank 3
   * @param rowAxis Keras {@code row_axis} (0 for channels last, 1 for channels first)
   * @param colAxis Keras {@code col_axis}
   * @param channelAxis Keras {@code channel_axis}: 2 (channels last) or 0 (channels first)
   * @param order spline order: 0 (nearest) or 1 (bilinear)
   * @throws IllegalArgumentException for an unknown {@code fillMode}, an unsupported order or axes
   */
  public static NDArray applyAffineTransform(
      NDArray x,
      double theta,
      double tx,
      double ty,
      double shear,
      double zx,
      double zy,
      int rowAxis,
      int colAxis,
      int channelAxis,
      String fillMode,
      double cval,
      int order) {
    boolean last = channelsLast(rowAxis, colAxis, channelAxis);
    Img img = Img.of(x, last, "x");
    Img out = affine(img, theta, tx, ty, shear, zx, zy, mode(fillMode), cval, checkOrder(order));
    return out.toNDArray(x.dtype());
  }

  /** {@code flip_axis(x, axis)}: reverses one axis of any array. */
  public static NDArray flipAxis(NDArray x, int axis) {
    long[] s = x.shape();
    if (axis < 0) axis += s.length;
    if (axis < 0 || axis >= s.length) {
      throw new IllegalArgumentException(
          "Expected `axis` to be an axis of an array of rank "
              + s.length
              + ". Received: axis="
              + axis);
    }
    float[] in = x.toFloatArray();
    float[] out = new float[in.length];
    int outer = 1;
    for (int i = 0; i < axis; i++) outer *= (int) s[i];
    int n = (int) s[axis];
    int inner = 1;
    for (int i = axis + 1; i < s.length; i++) inner *= (int) s[i];
    for (int o = 0; o < outer; o++) {
      for (int k = 0; k < n; k++) {
        System.arraycopy(in, (o * n + k) * inner, out, (o * n + (n - 1 - k)) * inner, inner);
      }
    }
    return NDArray.of(out, s);
  }

  /**
   * {@code apply_channel_shift(x, intensity, channel_axis)}: adds {@code intensity} to every value,
   * clipped to the image's own [min, max].
   */
  public static NDArray applyChannelShift(NDArray x, double intensity, int channelAxis) {
    Img img = Img.of(x, channelAxisLast(channelAxis), "x");
    channelShift(img, intensity);
    return img.toNDArray(x.dtype());
  }

  /**
   * {@code apply_brightness_shift(x, brightness)}: Keras goes through PIL ({@code array_to_img}
   * with scaling to 0..255, {@code ImageEnhance.Brightness}, {@code img_to_array}), so the result
   * is always in 0..255 whatever the input's range, quantised to integers. Reproduced exactly here,
   * including the truncations. Channels last, 1, 3 or 4 channels, as Keras requires.
   */
  public static NDArray applyBrightnessShift(NDArray x, double brightness) {
    Img img = Img.of(x, true, "x");
    brightnessShift(img, brightness);
    return img.toNDArray(x.dtype());
  }

  /**
   * {@code transform_matrix_offset_center(matrix, x, y)}: conjugates a 3x3 matrix by a shift to the
   * point {@code (x / 2 + 0.5, y / 2 + 0.5)}, Keras' choice of centre.
   */
  public static double[][] transformMatrixOffsetCenter(double[][] matrix, double x, double y) {
    double ox = x / 2 + 0.5;
    double oy = y / 2 + 0.5;
    double[][] offset = {{1, 0, ox}, {0, 1, oy}, {0, 0, 1}};
    double[][] reset = {{1, 0, -ox}, {0, 1, -oy}, {0, 0, 1}};
    return dot(dot(offset, matrix), reset);
  }

  // ---- kernels on Img -------------------------------------------------------------------------

  static final int CONSTANT = 0;
  static final int NEAREST = 1;
  static final int REFLECT = 2;
  static final int WRAP = 3;

  static int mode(String fillMode) {
    int m = fillMode == null ? -1 : FILL_MODES.indexOf(fillMode);
    if (m < 0) {
      throw new IllegalArgumentException(
          "Expected `fillMode` to be one of " + FILL_MODES + ". Received: fillMode=" + fillMode);
    }
    return m;
  }

  static int checkOrder(int order) {
    if (order != 0 && order != 1) {
      throw new IllegalArgumentException(
          "Expected `interpolationOrder` to be 0 (nearest) or 1 (bilinear); higher spline orders"
              + " are not implemented. Received: interpolationOrder="
              + order);
    }
    return order;
  }

  private static boolean channelsLast(int rowAxis, int colAxis, int channelAxis) {
    if (rowAxis == 0 && colAxis == 1 && channelAxis == 2) return true;
    if (rowAxis == 1 && colAxis == 2 && channelAxis == 0) return false;
    throw new IllegalArgumentException(
        "Expected (rowAxis, colAxis, channelAxis) to be (0, 1, 2) or (1, 2, 0). Received: "
            + Arrays.toString(new int[] {rowAxis, colAxis, channelAxis}));
  }

  private static boolean channelAxisLast(int channelAxis) {
    if (channelAxis == 2) return true;
    if (channelAxis == 0) return false;
    throw new IllegalArgumentException(
        "Expected `channelAxis` to be 0 or 2. Received: channelAxis=" + channelAxis);
  }

  /** The composed matrix of apply_affine_transform, or null for the identity. */
  static double[][] matrix(double theta, double tx, double ty, double shear, double zx, double zy) {
    double[][] t = null;
    if (theta != 0) {
      double r = Math.toRadians(theta);
      t = new double[][] {{Math.cos(r), -Math.sin(r), 0}, {Math.sin(r), Math.cos(r), 0}, {0, 0, 1}};
    }
    if (tx != 0 || ty != 0) {
      double[][] s = {{1, 0, tx}, {0, 1, ty}, {0, 0, 1}};
      t = t == null ? s : dot(t, s);
    }
    if (shear != 0) {
      double r = Math.toRadians(shear);
      double[][] s = {{1, -Math.sin(r), 0}, {0, Math.cos(r), 0}, {0, 0, 1}};
      t = t == null ? s : dot(t, s);
    }
    if (zx != 1 || zy != 1) {
      double[][] z = {{zx, 0, 0}, {0, zy, 0}, {0, 0, 1}};
      t = t == null ? z : dot(t, z);
    }
    return t;
  }

  static double[][] dot(double[][] a, double[][] b) {
    double[][] c = new double[3][3];
    for (int i = 0; i < 3; i++)
      for (int j = 0; j < 3; j++)
        c[i][j] = a[i][0] * b[0][j] + a[i][1] * b[1][j] + a[i][2] * b[2][j];
    return c;
  }

  /** apply_affine_transform on an Img; returns {@code img} itself when there is nothing to do. */
  static Img affine(
      Img img,
      double theta,
      double tx,
      double ty,
      double shear,
      double zx,
      double zy,
      int mode,
      double cval,
      int order) {
    double[][] t = matrix(theta, tx, ty, shear, zx, zy);
    if (t == null) return img;
    t = transformMatrixOffsetCenter(t, img.rows, img.cols);
    return resample(img, t[0][0], t[0][1], t[1][0], t[1][1], t[0][2], t[1][2], mode, cval, order);
  }

  /**
   * scipy.ndimage.affine_transform of each channel: output (r, c) reads the input at (a00 r + a01 c
   * + b0, a10 r + a11 c + b1).
   */
  static Img resample(
      Img in,
      double a00,
      double a01,
      double a10,
      double a11,
      double b0,
      double b1,
      int mode,
      double cval,
      int order) {
    int rows = in.rows;
    int cols = in.cols;
    int ch = in.channels;
    Img out = Img.zeros(rows, cols, ch, in.channelsLast);
    float[] src = in.data;
    float[] dst = out.data;
    float fill = (float) cval;
    int[] taps = new int[4];
    double[] w = new double[4];
    // Strides of rows, columns and channels in either layout.
    int rs = in.channelsLast ? cols * ch : cols;
    int cs = in.channelsLast ? ch : 1;
    int ks = in.channelsLast ? 1 : rows * cols;
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        double yr = a00 * r + a01 * c + b0;
        double yc = a10 * r + a11 * c + b1;
        int o = r * rs + c * cs;
        // Per axis: the two taps (or one, order 0) and their weights, or "outside" for constant.
        if (!axisTaps(yr, rows, mode, order, taps, 0, w, 0)
            || !axisTaps(yc, cols, mode, order, taps, 2, w, 2)) {
          for (int k = 0; k < ch; k++) dst[o + k * ks] = fill;
          continue;
        }
        if (order == 0) {
          int i00 = taps[0] * rs + taps[2] * cs;
          for (int k = 0; k < ch; k++) dst[o + k * ks] = src[i00 + k * ks];
          continue;
        }
        int i00 = taps[0] * rs + taps[2] * cs;
        int i01 = taps[0] * rs + taps[3] * cs;
        int i10 = taps[1] * rs + taps[2] * cs;
        int i11 = taps[1] * rs + taps[3] * cs;
        double w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3];
        for (int k = 0; k < ch; k++) {
          int kk = k * ks;
          double v =
              w0 * (w2 * src[i00 + kk] + w3 * src[i01 + kk])
                  + w1 * (w2 * src[i10 + kk] + w3 * src[i11 + kk]);
          dst[o + kk] = (float) v;
        }
      }
    }
    return out;
  }

  /**
   * The taps along one axis for input coordinate {@code x}, following scipy's map_coordinate and
   * its boundary handling of taps; false when the point takes {@code cval}.
   */
  static boolean axisTaps(
      double x, int len, int mode, int order, int[] taps, int at, double[] w, int wat) {
    if (mode != NEAREST) {
      x = mapCoordinate(x, len, mode);
      if (!(x > -1.0)) return false;
    }
    if (order == 0) {
      taps[at] = mapTap((long) Math.floor(x + 0.5), len, mode);
      return true;
    }
    long start = (long) Math.floor(x);
    double f = x - start;
    taps[at] = mapTap(start, len, mode);
    taps[at + 1] = mapTap(start + 1, len, mode);
    w[wat] = 1 - f;
    w[wat + 1] = f;
    return true;
  }

  /** scipy ndimage's map_coordinate (ni_interpolation.c) for the four Keras modes. */
  static double mapCoordinate(double in, int len, int mode) {
    if (in < 0) {
      switch (mode) {
        case REFLECT:
          if (len <= 1) return 0;
          {
            long sz2 = 2L * len;
            if (in < -sz2) in = sz2 * (long) (-in / sz2) + in;
            in = in < -len ? in + sz2 : (in > -1e-15 ? 1e-15 : -in) - 1;
          }
          return in;
        case WRAP:
          if (len <= 1) return 0;
          {
            long sz = len - 1;
            in += sz * ((long) (-in / sz) + 1);
          }
          return in;
        case CONSTANT:
          return -1;
        default:
          return 0;
      }
    } else if (in > len - 1) {
      switch (mode) {
        case REFLECT:
          if (len <= 1) return 0;
          {
            long sz2 = 2L * len;
            in -= sz2 * (long) (in / sz2);
            if (in >= len) in = sz2 - in - 1;
          }
          return in;
        case WRAP:
          if (len <= 1) return 0;
          {
            long sz = len - 1;
            in -= sz * (long) (in / sz);
          }
          return in;
        case CONSTANT:
          return -1;
        default:
          return len - 1;
      }
    }
    return in;
  }

  /** Where a tap outside the image reads. */
  static int mapTap(long idx, int len, int mode) {
    if (idx >= 0 && idx < len) return (int) idx;
    if (len <= 1) return 0;
    switch (mode) {
      case REFLECT:
        {
          long sz2 = 2L * len;
          if (idx < 0) {
            if (idx < -sz2) idx = sz2 * (-idx / sz2) + idx;
            idx = idx < -len ? idx + sz2 : -idx - 1;
          } else {
            idx -= sz2 * (idx / sz2);
            if (idx >= len) idx = sz2 - idx - 1;
          }
          return (int) idx;
        }
      case WRAP:
        {
          long sz = len - 1;
          if (idx < 0) idx += sz * ((-idx / sz) + 1);
          else idx -= sz * (idx / sz);
          return (int) idx;
        }
      default:
        return idx < 0 ? 0 : len - 1;
    }
  }

  static void channelShift(Img img, double intensity) {
    float[] d = img.data;
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (float v : d) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    // numpy: float32 image + Python float stays float32; clip to the float32 min/max.
    float s = (float) intensity;
    for (int i = 0; i < d.length; i++) d[i] = Math.min(Math.max(d[i] + s, min), max);
  }

  static void brightnessShift(Img img, double brightness) {
    int ch = img.channels;
    if (ch != 1 && ch != 3 && ch != 4) {
      throw new IllegalArgumentException("Unsupported channel number: " + ch);
    }
    float[] d = img.data;
    // array_to_img(scale=True) in float32: x - min, / max, * 255, then astype('uint8') truncates.
    float min = Float.POSITIVE_INFINITY;
    for (float v : d) min = Math.min(min, v);
    float max = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < d.length; i++) {
      d[i] = d[i] - min;
      max = Math.max(max, d[i]);
    }
    // PIL's Image.blend(black, img, factor) with a C float factor: in + factor * (img - in), and
    // clipping to 0..255 only when the factor is outside [0, 1]; the cast truncates.
    float factor = (float) brightness;
    boolean clip = !(factor >= 0 && factor <= 1);
    for (int i = 0; i < d.length; i++) {
      float v = d[i];
      if (max != 0) v /= max;
      v *= 255;
      int u8 = (int) v & 0xFF;
      float b = factor * u8;
      int o;
      if (ch == 4 && i % 4 == 3) o = u8; // Pillow keeps the alpha band: its black has that alpha
      else if (clip) o = b <= 0 ? 0 : b >= 255 ? 255 : (int) b;
      else o = (int) b;
      d[i] = o & 0xFF;
    }
  }
}
