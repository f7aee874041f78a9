package jkeras.initializers;

import java.util.Map;

/**
 * Keras {@code lecun_uniform(seed=None)} ({@code "lecun_uniform"}, tf-keras class {@code
 * LecunUniform}): uniform in {@code [-limit, limit)} with {@code limit = sqrt(3 / fan_in)}. The
 * same as {@code VarianceScaling(scale=1.0, mode='fan_in', distribution='uniform')}; its config is
 * that {@code VarianceScaling} config, as Keras 2.3.1 reports it.
 */
public final class LecunUniform extends VarianceScaling {
  /** Unseeded: uses the seed the engine passes to {@link #call}. */
  public LecunUniform() {
    this(null);
  }

  /**
   * @param seed (Keras {@code seed}) or {@code null} to use the engine's seed. Default {@code
   *     null}.
   */
  public LecunUniform(Long seed) {
    super(1.0, "fan_in", "uniform", seed);
  }

  /** {@code lecun_uniform(seed=seed)}. */
  public static LecunUniform of(long seed) {
    return new LecunUniform(seed);
  }

  /** Accepts {@code {seed}} (tf-keras) or the full Keras 2.3.1 {@code VarianceScaling} config. */
  public static LecunUniform fromConfig(Map<String, ?> config) {
    return new LecunUniform(new LecunUniform().presetSeed(config));
  }
}
