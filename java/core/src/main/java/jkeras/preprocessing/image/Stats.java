package jkeras.preprocessing.image;

/**
 * numpy's float32 statistics, summed in numpy's order (pairwise with eight accumulators and blocks
 * of 128 along a contiguous reduced axis, one float32 accumulator otherwise), so that {@code
 * standardize} and {@code fit} agree with Keras to float32 rounding.
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
   * Per-channel sums in numpy's order for {@code np.sum(x, axis=(0, rows, cols))} of a float32
   * array: channels last, each value is added in memory order to its channel's float32 accumulator;
   * channels first, each (sample, channel) plane is summed pairwise and added.
   */
  private static float[] channelSums(float[] d, int hw, int ch, boolean last) {
    float[] s = new float[ch];
    if (last) {
      for (int i = 0; i < d.length; i++) s[i % ch] += d[i];
    } else {
      for (int off = 0, plane = 0; off < d.length; off += hw, plane++) {
        s[plane % ch] += pairwiseSum(d, off, hw);
      }
    }
    return s;
  }

  /** Per-channel mean over samples, rows and columns, as numpy computes it in float32. */
  static float[] channelMeans(float[] d, int n, int hw, int ch, boolean last) {
    float[] s = channelSums(d, hw, ch, last);
    float count = (float) ((long) n * hw);
    for (int c = 0; c < ch; c++) s[c] = s[c] / count;
    return s;
  }

  /** Per-channel std (ddof 0), as numpy's {@code _var} computes it in float32. */
  static float[] channelStds(float[] d, int n, int hw, int ch, boolean last) {
    float[] m = channelMeans(d, n, hw, ch, last);
    float[] sq = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      float v = d[i] - m[channel(i, hw, ch, last)];
      sq[i] = v * v;
    }
    float[] s = channelSums(sq, hw, ch, last);
    float count = (float) ((long) n * hw);
    for (int c = 0; c < ch; c++) s[c] = (float) Math.sqrt(s[c] / count);
    return s;
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
