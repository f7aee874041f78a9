package jkeras.initializers;

import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras {@code TruncatedNormal(mean=0.0, stddev=0.05, seed=None)} ({@code "truncated_normal"}):
 * values drawn from a normal distribution, redrawing any more than two standard deviations from the
 * mean. Immutable; see {@link RandomInitializer} for the seed.
 */
public final class TruncatedNormal extends RandomInitializer {
  public static final double MEAN_DEFAULT = RandomNormal.MEAN_DEFAULT;
  public static final double STDDEV_DEFAULT = RandomNormal.STDDEV_DEFAULT;

  // RandomNormal's parameters, reused: the two classes differ only in the sampler.
  private final RandomNormal normal;

  /** All Keras defaults: mean {@code 0}, stddev {@code 0.05}, unseeded. */
  public TruncatedNormal() {
    this(MEAN_DEFAULT, STDDEV_DEFAULT, null);
  }

  /**
   * @param mean (Keras {@code mean}) mean of the values before truncation. Default {@code 0.0}.
   * @param stddev (Keras {@code stddev}) standard deviation before truncation. Default {@code
   *     0.05}.
   * @param seed (Keras {@code seed}) or {@code null} to use the seed the engine passes to {@link
   *     #call}. Default {@code null}.
   */
  public TruncatedNormal(double mean, double stddev, Long seed) {
    super(seed);
    this.normal = new RandomNormal(mean, stddev, seed);
  }

  public double mean() {
    return normal.mean();
  }

  public double stddev() {
    return normal.stddev();
  }

  @Override
  Operand<TFloat32> sample(Ops tf, long[] shape, long seed) {
    return StatelessRandom.truncatedNormal(tf, shape, seed, mean(), stddev());
  }

  @Override
  void putArguments(Map<String, Object> config) {
    normal.putArguments(config);
  }

  /**
   * Keras {@code TruncatedNormal.from_config}; keys {@code mean, stddev, seed} (and {@code dtype}).
   */
  public static TruncatedNormal fromConfig(Map<String, ?> config) {
    checkKeys("TruncatedNormal", config, "mean", "stddev");
    RandomNormal normal = RandomNormal.fromConfig(config);
    return new TruncatedNormal(normal.mean(), normal.stddev(), normal.seed());
  }
}
