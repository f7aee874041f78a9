package jkeras.initializers;

import java.util.Map;
import jkeras.internal.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras {@code RandomNormal(mean=0.0, stddev=0.05, seed=None)} ({@code "random_normal"}, {@code
 * "normal"}): values drawn from a normal distribution. Immutable; see {@link RandomInitializer} for
 * the seed.
 */
public final class RandomNormal extends RandomInitializer {
  public static final double MEAN_DEFAULT = 0.0;
  public static final double STDDEV_DEFAULT = 0.05;

  private final double mean;
  private final double stddev;

  /** All Keras defaults: mean {@code 0}, stddev {@code 0.05}, unseeded. */
  public RandomNormal() {
    this(MEAN_DEFAULT, STDDEV_DEFAULT, null);
  }

  /**
   * @param mean (Keras {@code mean}) mean of the values. Default {@code 0.0}.
   * @param stddev (Keras {@code stddev}) standard deviation. Default {@code 0.05}.
   * @param seed (Keras {@code seed}) or {@code null} to use the seed the engine passes to {@link
   *     #call}. Default {@code null}.
   */
  public RandomNormal(double mean, double stddev, Long seed) {
    super(seed);
    this.mean = mean;
    this.stddev = stddev;
  }

  public double mean() {
    return mean;
  }

  public double stddev() {
    return stddev;
  }

  @Override
  Operand<TFloat32> sample(Ops tf, long[] shape, long seed) {
    return StatelessRandom.normal(tf, shape, seed, mean, stddev);
  }

  @Override
  void putArguments(Map<String, Object> config) {
    config.put("mean", mean);
    config.put("stddev", stddev);
  }

  /**
   * Keras {@code RandomNormal.from_config}; keys {@code mean, stddev, seed} (and {@code dtype}).
   */
  public static RandomNormal fromConfig(Map<String, ?> config) {
    checkKeys("RandomNormal", config, "mean", "stddev");
    return new RandomNormal(
        Config.getDouble(config, "mean", MEAN_DEFAULT),
        Config.getDouble(config, "stddev", STDDEV_DEFAULT),
        Config.getSeed(config, "seed"));
  }
}
