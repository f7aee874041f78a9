package jkeras.initializers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jkeras.internal.Config;
import jkeras.internal.Errors;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras {@code TruncatedNormal(mean=0.0, stddev=0.05, seed=None)} ({@code "truncated_normal"}):
 * values drawn from a normal distribution, redrawing any more than two standard deviations from the
 * mean. Immutable; a seeded instance gives the same values on every call (tf-keras 2.x behaviour;
 * Keras 2.3.1 incremented the seed after each call).
 */
public final class TruncatedNormal extends Initializer {
  public static final double MEAN_DEFAULT = 0.0;
  public static final double STDDEV_DEFAULT = 0.05;

  private final double mean;
  private final double stddev;
  private final Long seed;

  /** All Keras defaults: mean {@code 0}, stddev {@code 0.05}, unseeded. */
  public TruncatedNormal() {
    this(MEAN_DEFAULT, STDDEV_DEFAULT, null);
  }

  /**
   * @param mean (Keras {@code mean}) mean of the values. Default {@code 0.0}.
   * @param stddev (Keras {@code stddev}) standard deviation. Default {@code 0.05}.
   * @param seed (Keras {@code seed}) or {@code null} to use the seed the engine passes to {@link
   *     #call}. Default {@code null}.
   */
  public TruncatedNormal(double mean, double stddev, Long seed) {
    this.mean = mean;
    this.stddev = stddev;
    this.seed = seed;
  }

  public double mean() {
    return mean;
  }

  public double stddev() {
    return stddev;
  }

  /** The seed given at construction, or {@code null}. */
  public Long seed() {
    return seed;
  }

  @Override
  public String className() {
    return "TruncatedNormal";
  }

  @Override
  public Operand<TFloat32> call(Ops tf, long[] shape, long seed) {
    return StatelessRandom.truncatedNormal(
        tf, shape, StatelessRandom.effectiveSeed(this.seed, seed), mean, stddev);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("mean", mean);
    c.put("stddev", stddev);
    c.put("seed", seed);
    return c;
  }

  /**
   * Keras {@code TruncatedNormal.from_config}; keys {@code mean, stddev, seed} (and {@code dtype}).
   */
  public static TruncatedNormal fromConfig(Map<String, ?> config) {
    Errors.checkKeys("TruncatedNormal", config, List.of("mean", "stddev", "seed", "dtype"));
    return new TruncatedNormal(
        Config.getDouble(config, "mean", MEAN_DEFAULT),
        Config.getDouble(config, "stddev", STDDEV_DEFAULT),
        Config.getSeed(config, "seed"));
  }
}
