package jkeras.utils;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The global random seed, where Keras keeps it ({@code keras.utils.set_random_seed}, which seeds
 * Python's, numpy's and TensorFlow's generators at once): with it set, weight initialisation,
 * dropout masks, {@code fit}'s shuffling and a Sequence's per-epoch order repeat exactly from run
 * to run.
 *
 * <pre>{@code
 * RngUtils.setRandomSeed(42L);   // keras.utils.set_random_seed(42)
 * }</pre>
 */
public final class RngUtils {
  private static volatile Long globalSeed;
  private static final AtomicLong MODELS = new AtomicLong();
  private static final AtomicLong STREAMS = new AtomicLong();

  private RngUtils() {}

  /**
   * Sets the global seed ({@code keras.utils.set_random_seed(seed)}); {@code null} goes back to
   * seeds drawn from the system's entropy. Models and data streams created afterwards draw their
   * seeds from it in creation order, so the same program gives the same numbers.
   */
  public static void setRandomSeed(Long seed) {
    globalSeed = seed;
    MODELS.set(0);
    STREAMS.set(0);
  }

  /** The seed last given to {@link #setRandomSeed}, or null. */
  public static Long randomSeed() {
    return globalSeed;
  }

  /**
   * A seed for a new random stream (a shuffle order, a worker process' generator seed): the n-th
   * stream after {@link #setRandomSeed} always gets the same one; random when no seed is set.
   */
  public static long streamSeed() {
    Long g = globalSeed;
    return g == null
        ? new SplittableRandom().nextLong()
        : g * 0x2545F4914F6CDD1DL + STREAMS.getAndIncrement();
  }

  /**
   * A generator for one model's initializers and dropout: the n-th model after a seed gets the same
   * one.
   */
  public static SplittableRandom modelRandom() {
    Long g = globalSeed;
    return g == null
        ? new SplittableRandom()
        : new SplittableRandom(g * 0x9E3779B97F4A7C15L + MODELS.getAndIncrement());
  }
}
