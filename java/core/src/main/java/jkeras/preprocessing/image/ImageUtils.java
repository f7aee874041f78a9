package jkeras.preprocessing.image;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import jkeras.data.NDArray;

/**
 * keras_preprocessing's {@code utils.py} for files: {@code load_img} and {@code img_to_array},
 * decoding with ImageIO (PNG, JPEG, BMP, GIF) and converting and resizing as PIL does.
 *
 * <p>Colour conversions follow PIL ({@code convert('L')} is ITU-R 601-2 luma in PIL's fixed point;
 * {@code convert('RGB')} drops alpha without compositing). Resizing follows PIL's {@code resize}:
 * nearest is PIL's affine nearest neighbour, exact; the others are PIL's separable convolution with
 * its support scaled when shrinking, 22-bit fixed-point weights and a uint8 intermediate between
 * the horizontal and the vertical pass, exact for L and RGB images. PIL resizes RGBA images with
 * premultiplied alpha, which is not reproduced (RGBA with a filter other than nearest can differ
 * where alpha is below 255). JPEG decoders differ (ImageIO versus libjpeg): pixels of JPEG files
 * may differ by a few levels.
 */
public final class ImageUtils {
  /** Keras' {@code interpolation} names for PIL's filters. */
  public static final List<String> INTERPOLATIONS =
      List.of("nearest", "bilinear", "bicubic", "hamming", "box", "lanczos");

  private ImageUtils() {}

  /**
   * {@code img_to_array(load_img(path, color_mode=..., target_size=..., interpolation=...))}: the
   * image as float32 (rows, cols, channels), values 0..255.
   *
   * @param targetSize {@code {height, width}}, or null to keep the file's size
   * @throws IllegalArgumentException when the file cannot be read or decoded, naming it
   */
  public static NDArray loadImg(
      Path path, String colorMode, int[] targetSize, String interpolation) {
    Img img = load(path, colorMode, targetSize, interpolation, true);
    return NDArray.of(img.data, img.rows, img.cols, img.channels);
  }

  static Img load(
      Path path, String colorMode, int[] targetSize, String interpolation, boolean channelsLast) {
    BufferedImage bi;
    try (InputStream in = Files.newInputStream(path)) {
      bi = ImageIO.read(in);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("Cannot read the image file " + path + ": " + e, e);
    }
    if (bi == null) {
      throw new IllegalArgumentException(
          "Cannot identify the image file " + path + ": not a PNG, JPEG, BMP or GIF image");
    }
    int[][] px = decode(bi);
    int w = bi.getWidth();
    int h = bi.getHeight();
    int bands = px.length;
    int[][] conv = convert(px, bands, colorMode);
    if (targetSize != null && (targetSize[0] != h || targetSize[1] != w)) {
      conv = resize(conv, w, h, targetSize[1], targetSize[0], interpolation);
      w = targetSize[1];
      h = targetSize[0];
    }
    Img out = Img.zeros(h, w, conv.length, channelsLast);
    for (int k = 0; k < conv.length; k++)
      for (int r = 0; r < h; r++)
        for (int c = 0; c < w; c++) out.data[out.at(r, c, k)] = conv[k][r * w + c];
    return out;
  }

  /** The image as PIL would open it: bands L, LA, RGB or RGBA, 8 bits each. */
  private static int[][] decode(BufferedImage bi) {
    int w = bi.getWidth();
    int h = bi.getHeight();
    ColorModel cm = bi.getColorModel();
    Raster r = bi.getRaster();
    int n = w * h;
    boolean gray = cm.getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY;
    if (gray && !(cm instanceof IndexColorModel)) {
      int bands = cm.hasAlpha() ? 2 : 1;
      int bits = cm.getComponentSize(0);
      int[][] out = new int[bands][n];
      for (int b = 0; b < bands; b++)
        for (int y = 0; y < h; y++)
          for (int x = 0; x < w; x++) {
            int v = r.getSample(x, y, b);
            out[b][y * w + x] = bits > 8 ? v >> (bits - 8) : v;
          }
      return out;
    }
    boolean alpha = cm.hasAlpha();
    int[][] out = new int[alpha ? 4 : 3][n];
    for (int y = 0; y < h; y++)
      for (int x = 0; x < w; x++) {
        int argb = bi.getRGB(x, y);
        int i = y * w + x;
        out[0][i] = (argb >> 16) & 0xFF;
        out[1][i] = (argb >> 8) & 0xFF;
        out[2][i] = argb & 0xFF;
        if (alpha) out[3][i] = (argb >>> 24) & 0xFF;
      }
    return out;
  }

  /** PIL's convert to L, RGB or RGBA from L, LA, RGB or RGBA. */
  private static int[][] convert(int[][] px, int bands, String colorMode) {
    int n = px[0].length;
    switch (colorMode) {
      case "grayscale":
        if (bands <= 2) return new int[][] {px[0]};
        {
          int[] l = new int[n];
          // PIL's L24: (R*19595 + G*38470 + B*7471 + 0x8000) >> 16
          for (int i = 0; i < n; i++)
            l[i] = (px[0][i] * 19595 + px[1][i] * 38470 + px[2][i] * 7471 + 0x8000) >> 16;
          return new int[][] {l};
        }
      case "rgb":
        if (bands <= 2) return new int[][] {px[0], px[0].clone(), px[0].clone()};
        return new int[][] {px[0], px[1], px[2]};
      case "rgba":
        {
          int[] a = new int[n];
          if (bands == 2 || bands == 4) a = px[bands - 1];
          else java.util.Arrays.fill(a, 255);
          if (bands <= 2) return new int[][] {px[0], px[0].clone(), px[0].clone(), a};
          return new int[][] {px[0], px[1], px[2], a};
        }
      default:
        throw new IllegalArgumentException(
            "color_mode must be \"grayscale\", \"rgb\", or \"rgba\"");
    }
  }

  // ---- PIL's resize -----------------------------------------------------------------------------

  static int[][] resize(int[][] px, int w, int h, int nw, int nh, String interpolation) {
    int[][] out = new int[px.length][];
    if ("nearest".equals(interpolation)) {
      int[] xs = nearestTable(w, nw);
      int[] ys = nearestTable(h, nh);
      for (int b = 0; b < px.length; b++) {
        int[] o = new int[nw * nh];
        for (int y = 0; y < nh; y++)
          for (int x = 0; x < nw; x++) o[y * nw + x] = px[b][ys[y] * w + xs[x]];
        out[b] = o;
      }
      return out;
    }
    Filter f = Filter.of(interpolation);
    for (int b = 0; b < px.length; b++) {
      int[] plane = px[b];
      if (nw != w) plane = pass(plane, w, h, nw, f, true);
      if (nh != h) plane = pass(plane, nw, h, nh, f, false);
      out[b] = plane;
    }
    return out;
  }

  /** PIL's ImagingScaleAffine: source index floor(x0 + (i + 0.5) * scale), accumulated. */
  private static int[] nearestTable(int in, int out) {
    double a = (double) in / out;
    int[] t = new int[out];
    double xo = a * 0.5;
    for (int i = 0; i < out; i++) {
      int xin = xo < 0 ? -1 : (int) xo;
      t[i] = Math.min(Math.max(xin, 0), in - 1);
      xo += a;
    }
    return t;
  }

  private static final int PRECISION_BITS = 32 - 8 - 2;

  /** One pass of PIL's ImagingResample (8 bits per channel). */
  private static int[] pass(int[] in, int w, int h, int outSize, Filter f, boolean horizontal) {
    int inSize = horizontal ? w : h;
    double scale = (double) inSize / outSize;
    double filterscale = Math.max(scale, 1.0);
    double support = f.support * filterscale;
    int ksize = (int) Math.ceil(support) * 2 + 1;
    int[] bounds = new int[outSize * 2];
    int[] kk = new int[outSize * ksize];
    double[] pre = new double[ksize];
    for (int xx = 0; xx < outSize; xx++) {
      double center = (xx + 0.5) * scale;
      double ww = 0;
      double ss = 1.0 / filterscale;
      int xmin = (int) (center - support + 0.5);
      if (xmin < 0) xmin = 0;
      int xmax = (int) (center + support + 0.5);
      if (xmax > inSize) xmax = inSize;
      xmax -= xmin;
      for (int x = 0; x < xmax; x++) {
        double wgt = f.apply((x + xmin - center + 0.5) * ss);
        pre[x] = wgt;
        ww += wgt;
      }
      for (int x = 0; x < ksize; x++) {
        double k = x < xmax ? (ww != 0 ? pre[x] / ww : pre[x]) : 0;
        kk[xx * ksize + x] = (int) (k * (1 << PRECISION_BITS) + (k < 0 ? -0.5 : 0.5));
      }
      bounds[xx * 2] = xmin;
      bounds[xx * 2 + 1] = xmax;
    }
    int ow = horizontal ? outSize : w;
    int oh = horizontal ? h : outSize;
    int[] out = new int[ow * oh];
    for (int y = 0; y < oh; y++)
      for (int x = 0; x < ow; x++) {
        int o = horizontal ? x : y;
        int xmin = bounds[o * 2];
        int xmax = bounds[o * 2 + 1];
        int ss0 = 1 << (PRECISION_BITS - 1);
        for (int k = 0; k < xmax; k++) {
          int src = horizontal ? in[y * w + xmin + k] : in[(xmin + k) * w + x];
          ss0 += src * kk[o * ksize + k];
        }
        int v = ss0 >> PRECISION_BITS;
        out[y * ow + x] = v < 0 ? 0 : Math.min(v, 255);
      }
    return out;
  }

  private enum Filter {
    BOX(0.5),
    BILINEAR(1.0),
    HAMMING(1.0),
    BICUBIC(2.0),
    LANCZOS(3.0);

    final double support;

    Filter(double support) {
      this.support = support;
    }

    static Filter of(String name) {
      return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }

    double apply(double x) {
      switch (this) {
        case BOX:
          return x > -0.5 && x <= 0.5 ? 1.0 : 0.0;
        case BILINEAR:
          x = Math.abs(x);
          return x < 1.0 ? 1.0 - x : 0.0;
        case HAMMING:
          x = Math.abs(x);
          if (x == 0.0) return 1.0;
          if (x >= 1.0) return 0.0;
          x = x * Math.PI;
          return Math.sin(x) / x * (0.54 + 0.46 * Math.cos(x));
        case BICUBIC:
          {
            double a = -0.5;
            x = Math.abs(x);
            if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
            if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
            return 0.0;
          }
        default:
          {
            // lanczos: sinc(x) * sinc(x / 3) for |x| < 3
            if (-3.0 <= x && x < 3.0) return sinc(x) * sinc(x / 3);
            return 0.0;
          }
      }
    }

    private static double sinc(double x) {
      if (x == 0.0) return 1.0;
      x = x * Math.PI;
      return Math.sin(x) / x;
    }
  }
}
