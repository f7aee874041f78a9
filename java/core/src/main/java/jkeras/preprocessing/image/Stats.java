package jkeras.preprocessing.image;

/**
 * numpy's float32 statistics, summed as numpy sums a contiguous float32 array (pairwise, eight
 * accumulators, blocks of 128), so that {@code standardize} agrees with Keras to float32 rounding.
 */
final class Stats {
  private static final int PW_BLOCKSIZE = 128;

  private Stats() {}

  /** numpy's FLOAT_pairwise_sum over {@code a[off, off + n)}. */
  static float pairwiseSum(float[] a, int off, int n) {
    if (n < 8) {
      float res = 0f;
      for (int i = 0; i < n; i++) res += a[off + i];
      return res;
    } else if (n <= PW_BLOCKSIZE) {
      float r0 = a[off], r1 = a[off + 1], r2 = a[off + 2], r3 = a[off + 3];
      float r4 = a[off + 4], r5 = a[off + 5], r6 = a[off + 6], r7 = a[off + 7];
      int i;
      for (i = 8; i < n - (n % 8); i += 8) {
        r0 += a[off + i];
        r1 += a[off + i + 1];
        r2 += a[off + i + 2];
        r3 += a[off + i + 3];
        r4 += a[off + i + 4];
        r5 += a[off + i + 5];
        r6 += a[off + i + 6];
        r7 += a[off + i + 7];
      }
      float res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
      for (; i < n; i++) res += a[off + i];
      return res;
    } else {
      int n2 = n / 2;
      n2 -= n2 % 8;
      return pairwiseSum(a, off, n2) + pairwiseSum(a, off + n2, n - n2);
    }
  }

  /** {@code np.mean(x)} of a float32 array. */
  static float mean(float[] x) {
    return (float) ((double) (0f + pairwiseSum(x, 0, x.length)) / x.length);
  }

  /** {@code np.std(x)} of a float32 array (ddof 0). */
  static float std(float[] x) {
    float m = mean(x);
    float[] sq = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      float d = x[i] - m;
      sq[i] = d * d;
    }
    return (float) Math.sqrt((float) ((double) pairwiseSum(sq, 0, sq.length) / sq.length));
  }

  /**
   * Per-channel mean over samples, rows and columns. numpy's order of summation over a strided
   * reduction is not reproduced: sums are in double and rounded once.
   */
  static float[] channelMeans(float[] d, int n, int hw, int ch, boolean last) {
    double[] s = new double[ch];
    for (int i = 0; i < d.length; i++) s[channel(i, hw, ch, last)] += d[i];
    float[] m = new float[ch];
    long count = (long) n * hw;
    for (int c = 0; c < ch; c++) m[c] = (float) (s[c] / count);
    return m;
  }

  /** Per-channel std (ddof 0) over samples, rows and columns; in double, rounded once. */
  static float[] channelStds(float[] d, int n, int hw, int ch, boolean last) {
    float[] m = channelMeans(d, n, hw, ch, last);
    double[] s = new double[ch];
    for (int i = 0; i < d.length; i++) {
      int c = channel(i, hw, ch, last);
      double v = d[i] - m[c];
      s[c] += v * v;
    }
    float[] out = new float[ch];
    long count = (long) n * hw;
    for (int c = 0; c < ch; c++) out[c] = (float) Math.sqrt(s[c] / count);
    return out;
  }

  static void subtractChannels(float[] d, float[] m, int hw, int ch, boolean last) {
    for (int i = 0; i < d.length; i++) d[i] -= m[channel(i, hw, ch, last)];
  }

  static void divideChannels(float[] d, float[] sd, int hw, int ch, boolean last) {
    for (int i = 0; i < d.length; i++) d[i] /= sd[channel(i, hw, ch, last)] + 1e-6f;
  }

  private static int channel(int flat, int hw, int ch, boolean last) {
    return last ? flat % ch : (flat / hw) % ch;
  }
}
