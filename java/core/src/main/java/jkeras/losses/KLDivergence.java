package jkeras.losses;

import java.util.List;
import java.util.Map;

/**
 * Keras {@code kullback_leibler_divergence} loss: {@code sum(y * log(y / p))} over the last axis,
 * both clipped to {@code [1e-7, 1]}. Immutable.
 *
 * <p>{@code new KLDivergence()} is what {@code Losses.get("kullback_leibler_divergence")} returns.
 */
public final class KLDivergence extends LossFunctionWrapper {
  /** Keras' default {@code name}. */
  public static final String NAME_DEFAULT = "kullback_leibler_divergence";

  public KLDivergence() {
    this(NAME_DEFAULT);
  }

  private KLDivergence(String name) {
    super(name, (tf, yTrue, yPred) -> Losses.kullbackLeiblerDivergence(tf, yTrue, yPred.value()));
  }

  /** From a Keras config ({@code reduction}, {@code name}). */
  public static KLDivergence fromConfig(Map<String, ?> config) {
    return new KLDivergence(checkConfig("KLDivergence", config, List.of(), NAME_DEFAULT));
  }
}
