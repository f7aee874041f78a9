package jkeras.initializers;

import java.util.Map;

/**
 * Keras {@code he_uniform(seed=None)} ({@code "he_uniform"}, tf-keras class {@code HeUniform}):
 * uniform in {@code [-limit, limit)} with {@code limit = sqrt(6 / fan_in)}. The same as {@code
 * VarianceScaling(scale=2.0, mode='fan_in', distribution='uniform')}; its config is that {@code
 * VarianceScaling} config, as Keras 2.3.1 reports it.
 */
public final class HeUniform extends VarianceScaling {
  /** Unseeded: uses the seed the engine passes to {@link #call}. */
  public HeUniform() {
    this(null);
  }

  /**
   * @param seed (Keras {@code seed}) or {@code null} to use the engine's seed. Default {@code
   *     null}.
   */
  public HeUniform(Long seed) {
    super(2.0, "fan_in", "uniform", seed);
  }

  /** {@code he_uniform(seed=seed)}. */
  public static HeUniform of(long seed) {
    return new HeUniform(seed);
  }

  /** Accepts {@code {seed}} (tf-keras) or the full Keras 2.3.1 {@code VarianceScaling} config. */
  public static HeUniform fromConfig(Map<String, ?> config) {
    return new HeUniform(new HeUniform().presetSeed(config));
  }
}
