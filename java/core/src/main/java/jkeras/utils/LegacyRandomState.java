package jkeras.utils;

/**
 * numpy's legacy {@code np.random.RandomState} (MT19937), reproduced bit for bit for the draws that
 * Keras' image preprocessing makes: {@code seed(int)}, {@code random_sample}, {@code uniform},
 * {@code randint}, {@code choice} and {@code permutation}. Given the same seed, every method here
 * returns what numpy returns, so a seeded augmentation pipeline reproduces keras_preprocessing's
 * index orders and transform parameters exactly.
 *
 * <pre>{@code
 * LegacyRandomState rs = new LegacyRandomState(42);   // np.random.seed(42)
 * double u = rs.uniform(-20, 20);                      // np.random.uniform(-20, 20)
 * int[] order = rs.permutation(10);                    // np.random.permutation(10)
 * }</pre>
 *
 * <p>Not thread-safe: one instance per thread or per task (numpy's global state is what makes
 * keras_preprocessing's seeded iterators order-dependent under threads).
 */
public final class LegacyRandomState {
  private static final int N = 624;
  private static final int M = 397;
  private final int[] key = new int[N];
  private int pos;

  /** {@code np.random.RandomState(seed)}; numpy accepts seeds in [0, 2**32 - 1]. */
  public LegacyRandomState(long seed) {
    seed(seed);
  }

  /**
   * Reseeds ({@code np.random.seed(seed)}).
   *
   * @throws IllegalArgumentException outside [0, 2**32 - 1], with numpy's message
   */
  public void seed(long seed) {
    if (seed < 0 || seed > 0xFFFFFFFFL) {
      throw new IllegalArgumentException(
          "Seed must be between 0 and 2**32 - 1. Received: seed=" + seed);
    }
    int s = (int) seed;
    for (int i = 0; i < N; i++) {
      key[i] = s;
      s = 1812433253 * (s ^ (s >>> 30)) + i + 1;
    }
    pos = N;
  }

  /** The next raw 32-bit output, unsigned in a long. */
  public long nextUint32() {
    if (pos == N) generate();
    int y = key[pos++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y & 0xFFFFFFFFL;
  }

  private void generate() {
    int i;
    for (i = 0; i < N - M; i++) {
      int y = (key[i] & 0x80000000) | (key[i + 1] & 0x7fffffff);
      key[i] = key[i + M] ^ (y >>> 1) ^ (-(y & 1) & 0x9908b0df);
    }
    for (; i < N - 1; i++) {
      int y = (key[i] & 0x80000000) | (key[i + 1] & 0x7fffffff);
      key[i] = key[i + (M - N)] ^ (y >>> 1) ^ (-(y & 1) & 0x9908b0df);
    }
    int y = (key[N - 1] & 0x80000000) | (key[0] & 0x7fffffff);
    key[N - 1] = key[M - 1] ^ (y >>> 1) ^ (-(y & 1) & 0x9908b0df);
    pos = 0;
  }

  /** {@code random_sample()} / {@code random()}: a double in [0, 1) from two 32-bit draws. */
  public double randomSample() {
    long a = nextUint32() >>> 5;
    long b = nextUint32() >>> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
  }

  /** {@code uniform(low, high)}: {@code low + (high - low) * random_sample()}. */
  public double uniform(double low, double high) {
    double range = high - low;
    if (!Double.isFinite(range)) throw new ArithmeticException("Range exceeds valid bounds");
    return low + range * randomSample();
  }

  /** {@code uniform(low, high, size)}: {@code size} draws in order. */
  public double[] uniform(double low, double high, int size) {
    double[] out = new double[size];
    for (int i = 0; i < size; i++) out[i] = uniform(low, high);
    return out;
  }

  /**
   * {@code randint(low, high)}, one value in [low, high): numpy's masked rejection sampling on
   * 32-bit draws (ranges below 2**32).
   */
  public long randint(long low, long high) {
    if (high <= low) {
      throw new IllegalArgumentException("low >= high. Received: low=" + low + ", high=" + high);
    }
    return low + interval(high - low - 1);
  }

  /** numpy's {@code random_interval(max)}: a value in [0, max] by masked rejection. */
  long interval(long max) {
    if (max == 0) return 0;
    long mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask |= mask >>> 32;
    if (max > 0xFFFFFFFFL) {
      throw new UnsupportedOperationException("ranges of 2**32 or more are not reproduced");
    }
    long value;
    while ((value = nextUint32() & mask) > max) {
      // rejected: draw again, as numpy does
    }
    return value;
  }

  /** {@code choice(a)} for a 1-D array (replace=True, uniform p): one element of {@code a}. */
  public double choice(double[] a) {
    if (a.length == 0)
      throw new IllegalArgumentException("'a' cannot be empty unless no samples are taken");
    return a[(int) randint(0, a.length)];
  }

  /** {@code choice(n)} for an integer population: one value in [0, n). */
  public long choice(long n) {
    if (n <= 0)
      throw new IllegalArgumentException("'a' must be greater than 0 unless no samples are taken");
    return randint(0, n);
  }

  /** {@code permutation(n)}: {@code arange(n)} shuffled by the legacy Fisher-Yates. */
  public int[] permutation(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) a[i] = i;
    shuffle(a);
    return a;
  }

  /** {@code shuffle(a)} in place, legacy order: i from n-1 down to 1, j = interval(i). */
  public void shuffle(int[] a) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = (int) interval(i);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
