package jkeras.initializers;

import java.util.Map;

/**
 * Keras {@code he_normal(seed=None)} ({@code "he_normal"}, tf-keras class {@code HeNormal}):
 * truncated normal with standard deviation {@code sqrt(2 / fan_in)} after truncation. The same as
 * {@code VarianceScaling(scale=2.0, mode='fan_in', distribution='normal')}; its config is that
 * {@code VarianceScaling} config, as Keras 2.3.1 reports it.
 */
public final class HeNormal extends VarianceScaling {
  /** Unseeded: uses the seed the engine passes to {@link #call}. */
  public HeNormal() {
    this(null);
  }

  /**
   * @param seed (Keras {@code seed}) or {@code null} to use the engine's seed. Default {@code
   *     null}.
   */
  public HeNormal(Long seed) {
    super(2.0, "fan_in", "normal", seed);
  }

  /** {@code he_normal(seed=seed)}. */
  public static HeNormal of(long seed) {
    return new HeNormal(seed);
  }

  /** Accepts {@code {seed}} (tf-keras) or the full Keras 2.3.1 {@code VarianceScaling} config. */
  public static HeNormal fromConfig(Map<String, ?> config) {
    return new HeNormal(new HeNormal().presetSeed(config));
  }
}
