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

  private Seeds() {}

  /** Sets the global seed (null: seeds are drawn from the system's entropy). */
  public static void setGlobalSeed(Long seed) {
    globalSeed = seed;
    MODELS.set(0);
  }

  public static Long globalSeed() {
    return globalSeed;
  }

  /** A generator for one model: the n-th model built after {@link #setGlobalSeed} gets the same stream. */
  static SplittableRandom forNewModel() {
    Long g = globalSeed;
    return g == null ? new SplittableRandom() : new SplittableRandom(g * 0x9E3779B97F4A7C15L + MODELS.getAndIncrement());
  }
}
