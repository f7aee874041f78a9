package jkeras.engine;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The global seed, Keras' {@code tf.random.set_seed} / {@code np.random.seed} rolled into one: with
 * it set, weight initialisation, dropout masks and fit's shuffling repeat exactly from run to run.
 */
public final class Seeds {
  private static volatile Long globalSeed;
  private static final AtomicLong MODELS = new AtomicLong();
  private static final AtomicLong STREAMS = new AtomicLong();

  private Seeds() {}

  /** Sets the global seed (null: seeds are drawn from the system's entropy). */
  public static void setGlobalSeed(Long seed) {
    globalSeed = seed;
    MODELS.set(0);
    STREAMS.set(0);
  }

  public static Long globalSeed() {
    return globalSeed;
  }

  /** A seed for a new random stream: derived from the global seed when set (the n-th stream after
   * {@link #setGlobalSeed} is always the same), else random. */
  public static long seedOrRandom() {
    Long g = globalSeed;
    return g == null ? new SplittableRandom().nextLong() : g * 0x2545F4914F6CDD1DL + STREAMS.getAndIncrement();
  }

  /** A generator for one model: the n-th model built after {@link #setGlobalSeed} gets the same stream. */
  static SplittableRandom forNewModel() {
    Long g = globalSeed;
    return g == null ? new SplittableRandom() : new SplittableRandom(g * 0x9E3779B97F4A7C15L + MODELS.getAndIncrement());
  }
}
