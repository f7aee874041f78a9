package jkeras.cli;

import java.util.SplittableRandom;
import jkeras.data.NDArray;

/**
 * "Synthetic digits": 28x28 grey images (flattened to 784 values in [0, 1]) of ten classes, each a
 * fixed glyph of three pen strokes, drawn shifted by up to {@link #MAX_SHIFT} pixels in each
 * direction, with a random ink intensity and Gaussian pixel noise.
 *
 * <p>The shifts make the relation not linearly trivial (a pixel's meaning depends on the glyph's
 * position) while an MLP still learns it well in a few epochs. Everything is a function of the
 * seed: the glyphs from one stream, the samples from another.
 */
final class SyntheticDigits {
  static final int SIDE = 28;
  static final int PIXELS = SIDE * SIDE;
  static final int CLASSES = 10;
  static final int MAX_SHIFT = 3;
  static final int STROKES = 3;
  static final double PEN_WIDTH = 1.3;
  static final double NOISE_STDDEV = 0.35;

  /** Images and their labels. */
  record Split(NDArray x, NDArray y, int[] labels) {
    int size() {
      return labels.length;
    }
  }

  private final double[][] glyphs;

  /** The ten class glyphs for {@code seed}. */
  SyntheticDigits(long seed) {
    SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
    glyphs = new double[CLASSES][];
    for (int c = 0; c < CLASSES; c++) glyphs[c] = glyph(rng);
  }

  /** {@code n} samples with uniformly drawn classes, from the sample stream {@code stream}. */
  Split sample(int n, long seed, long stream) {
    SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + stream);
    float[] x = new float[n * PIXELS];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      int c = rng.nextInt(CLASSES);
      labels[i] = c;
      int dx = rng.nextInt(2 * MAX_SHIFT + 1) - MAX_SHIFT;
      int dy = rng.nextInt(2 * MAX_SHIFT + 1) - MAX_SHIFT;
      double ink = 0.6 + 0.5 * rng.nextDouble();
      double[] g = glyphs[c];
      int base = i * PIXELS;
      for (int r = 0; r < SIDE; r++) {
        for (int col = 0; col < SIDE; col++) {
          int sr = r - dy;
          int sc = col - dx;
          double v = sr >= 0 && sr < SIDE && sc >= 0 && sc < SIDE ? ink * g[sr * SIDE + sc] : 0.0;
          v += NOISE_STDDEV * gaussian(rng);
          x[base + r * SIDE + col] = (float) Math.min(1.0, Math.max(0.0, v));
        }
      }
    }
    return new Split(NDArray.of(x, n, PIXELS), NDArray.of(labels), labels);
  }

  /** Three strokes between random points of the central area, rendered with a soft pen. */
  private static double[] glyph(SplittableRandom rng) {
    double[] img = new double[PIXELS];
    double x0 = 7 + 14 * rng.nextDouble();
    double y0 = 7 + 14 * rng.nextDouble();
    for (int s = 0; s < STROKES; s++) {
      double x1 = 7 + 14 * rng.nextDouble();
      double y1 = 7 + 14 * rng.nextDouble();
      for (int r = 0; r < SIDE; r++) {
        for (int c = 0; c < SIDE; c++) {
          double d = distanceToSegment(c, r, x0, y0, x1, y1);
          double v = Math.exp(-(d * d) / (2 * PEN_WIDTH * PEN_WIDTH));
          img[r * SIDE + c] = Math.max(img[r * SIDE + c], v);
        }
      }
      // Strokes are chained, like a pen that is not lifted.
      x0 = x1;
      y0 = y1;
    }
    return img;
  }

  private static double distanceToSegment(
      double px, double py, double ax, double ay, double bx, double by) {
    double vx = bx - ax;
    double vy = by - ay;
    double len2 = vx * vx + vy * vy;
    double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * vx + (py - ay) * vy) / len2));
    double dx = px - (ax + t * vx);
    double dy = py - (ay + t * vy);
    return Math.sqrt(dx * dx + dy * dy);
  }

  // Box-Muller; SplittableRandom has no nextGaussian on Java 17.
  private static double gaussian(SplittableRandom rng) {
    double u1 = 1.0 - rng.nextDouble();
    double u2 = rng.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
