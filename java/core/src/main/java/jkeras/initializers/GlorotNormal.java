package jkeras.initializers;

import java.util.Map;

/**
 * Keras {@code glorot_normal(seed=None)} ({@code "glorot_normal"}, tf-keras class {@code
 * GlorotNormal}): truncated normal with standard deviation {@code sqrt(2 / (fan_in + fan_out))}
 * after truncation. The same as {@code VarianceScaling(scale=1.0, mode='fan_avg',
 * distribution='normal')}; its config is that {@code VarianceScaling} config, as Keras 2.3.1
 * reports it.
 */
public final class GlorotNormal extends VarianceScaling {
  /** Unseeded: uses the seed the engine passes to {@link #call}. */
  public GlorotNormal() {
    this(null);
  }

  /**
   * @param seed (Keras {@code seed}) or {@code null} to use the engine's seed. Default {@code
   *     null}.
   */
  public GlorotNormal(Long seed) {
    super(1.0, "fan_avg", "normal", seed);
  }

  /** {@code glorot_normal(seed=seed)}. */
  public static GlorotNormal of(long seed) {
    return new GlorotNormal(seed);
  }

  /** Accepts {@code {seed}} (tf-keras) or the full Keras 2.3.1 {@code VarianceScaling} config. */
  public static GlorotNormal fromConfig(Map<String, ?> config) {
    return new GlorotNormal(new GlorotNormal().presetSeed(config));
  }
}
