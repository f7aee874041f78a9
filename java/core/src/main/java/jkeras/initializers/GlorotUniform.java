package jkeras.initializers;

import java.util.Map;

/**
 * Keras {@code glorot_uniform(seed=None)} ({@code "glorot_uniform"}, tf-keras class {@code
 * GlorotUniform}): uniform in {@code [-limit, limit)} with {@code limit = sqrt(6 / (fan_in +
 * fan_out))}. The same as {@code VarianceScaling(scale=1.0, mode='fan_avg',
 * distribution='uniform')}; its config is that {@code VarianceScaling} config, as Keras 2.3.1
 * reports it.
 */
public final class GlorotUniform extends VarianceScaling {
  /** Unseeded: uses the seed the engine passes to {@link #call}. */
  public GlorotUniform() {
    this(null);
  }

  /**
   * @param seed (Keras {@code seed}) or {@code null} to use the engine's seed. Default {@code
   *     null}.
   */
  public GlorotUniform(Long seed) {
    super(1.0, "fan_avg", "uniform", seed);
  }

  /** {@code glorot_uniform(seed=seed)}. */
  public static GlorotUniform of(long seed) {
    return new GlorotUniform(seed);
  }

  /** Accepts {@code {seed}} (tf-keras) or the full Keras 2.3.1 {@code VarianceScaling} config. */
  public static GlorotUniform fromConfig(Map<String, ?> config) {
    return new GlorotUniform(new GlorotUniform().presetSeed(config));
  }
}
