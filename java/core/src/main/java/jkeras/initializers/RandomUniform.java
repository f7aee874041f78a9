package jkeras.initializers;

import java.util.Map;
import jkeras.internal.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras {@code RandomUniform(minval=-0.05, maxval=0.05, seed=None)} ({@code "random_uniform"},
 * {@code "uniform"}): values drawn uniformly from {@code [minval, maxval)}. Immutable; see {@link
 * RandomInitializer} for the seed.
 */
public final class RandomUniform extends RandomInitializer {
  public static final double MINVAL_DEFAULT = -0.05;
  public static final double MAXVAL_DEFAULT = 0.05;

  private final double minval;
  private final double maxval;

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
    super(seed);
    this.minval = minval;
    this.maxval = maxval;
  }

  public double minval() {
    return minval;
  }

  public double maxval() {
    return maxval;
  }

  @Override
  Operand<TFloat32> sample(Ops tf, long[] shape, long seed) {
    return StatelessRandom.uniform(tf, shape, seed, minval, maxval);
  }

  @Override
  void putArguments(Map<String, Object> config) {
    config.put("minval", minval);
    config.put("maxval", maxval);
  }

  /**
   * Keras {@code RandomUniform.from_config}; keys {@code minval, maxval, seed} (and {@code dtype}).
   */
  public static RandomUniform fromConfig(Map<String, ?> config) {
    checkKeys("RandomUniform", config, "minval", "maxval");
    return new RandomUniform(
        Config.getDouble(config, "minval", MINVAL_DEFAULT),
        Config.getDouble(config, "maxval", MAXVAL_DEFAULT),
        Config.getSeed(config, "seed"));
  }
}
