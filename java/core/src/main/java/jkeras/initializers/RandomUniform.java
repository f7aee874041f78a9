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
 * Keras {@code RandomUniform(minval=-0.05, maxval=0.05, seed=None)} ({@code "random_uniform"},
 * {@code "uniform"}): values drawn uniformly from {@code [minval, maxval)}. Immutable; a seeded
 * instance gives the same values on every call (tf-keras 2.x behaviour; Keras 2.3.1 incremented the
 * seed after each call).
 */
public final class RandomUniform extends Initializer {
  public static final double MINVAL_DEFAULT = -0.05;
  public static final double MAXVAL_DEFAULT = 0.05;

  private final double minval;
  private final double maxval;
  private final Long seed;

  /** All Keras defaults: {@code [-0.05, 0.05)}, unseeded. */
  public RandomUniform() {
    this(MINVAL_DEFAULT, MAXVAL_DEFAULT, null);
  }

  /**
   * @param minval (Keras {@code minval}) lower bound, inclusive. Default {@code -0.05}.
   * @param maxval (Keras {@code maxval}) upper bound, exclusive. Default {@code 0.05}.
   * @param seed (Keras {@code seed}) or {@code null} to use the seed the engine passes to {@link
   *     #call}. Default {@code null}.
   */
  public RandomUniform(double minval, double maxval, Long seed) {
    this.minval = minval;
    this.maxval = maxval;
    this.seed = seed;
  }

  public double minval() {
    return minval;
  }

  public double maxval() {
    return maxval;
  }

  /** The seed given at construction, or {@code null}. */
  public Long seed() {
    return seed;
  }

  @Override
  public String className() {
    return "RandomUniform";
  }

  @Override
  public Operand<TFloat32> call(Ops tf, long[] shape, long seed) {
    return StatelessRandom.uniform(
        tf, shape, StatelessRandom.effectiveSeed(this.seed, seed), minval, maxval);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("minval", minval);
    c.put("maxval", maxval);
    c.put("seed", seed);
    return c;
  }

  /**
   * Keras {@code RandomUniform.from_config}; keys {@code minval, maxval, seed} (and {@code dtype}).
   */
  public static RandomUniform fromConfig(Map<String, ?> config) {
    Errors.checkKeys("RandomUniform", config, List.of("minval", "maxval", "seed", "dtype"));
    return new RandomUniform(
        Config.getDouble(config, "minval", MINVAL_DEFAULT),
        Config.getDouble(config, "maxval", MAXVAL_DEFAULT),
        Config.getSeed(config, "seed"));
  }
}
