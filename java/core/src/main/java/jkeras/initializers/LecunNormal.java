package jkeras.initializers;

import java.util.Map;

/**
 * Keras {@code lecun_normal(seed=None)} ({@code "lecun_normal"}, tf-keras class {@code
 * LecunNormal}): truncated normal with standard deviation {@code sqrt(1 / fan_in)} after
 * truncation. The same as {@code VarianceScaling(scale=1.0, mode='fan_in', distribution='normal')};
 * its config is that {@code VarianceScaling} config, as Keras 2.3.1 reports it.
 */
public final class LecunNormal extends VarianceScaling {
  /** Unseeded: uses the seed the engine passes to {@link #call}. */
  public LecunNormal() {
    this(null);
  }

  /**
   * @param seed (Keras {@code seed}) or {@code null} to use the engine's seed. Default {@code
   *     null}.
   */
  public LecunNormal(Long seed) {
    super(1.0, "fan_in", "normal", seed);
  }

  /** {@code lecun_normal(seed=seed)}. */
  public static LecunNormal of(long seed) {
    return new LecunNormal(seed);
  }

  /** Accepts {@code {seed}} (tf-keras) or the full Keras 2.3.1 {@code VarianceScaling} config. */
  public static LecunNormal fromConfig(Map<String, ?> config) {
    return new LecunNormal(new LecunNormal().presetSeed(config));
  }
}
