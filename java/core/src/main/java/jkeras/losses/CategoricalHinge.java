package jkeras.losses;

import java.util.List;
import java.util.Map;

/**
 * Keras {@code categorical_hinge} loss: {@code max(0, max((1 - yTrue) * yPred) - sum(yTrue * yPred)
 * + 1)} over the last axis. Immutable.
 *
 * <p>{@code new CategoricalHinge()} is what {@code Losses.get("categorical_hinge")} returns.
 */
public final class CategoricalHinge extends LossFunctionWrapper {
  /** Keras' default {@code name}. */
  public static final String NAME_DEFAULT = "categorical_hinge";

  public CategoricalHinge() {
    this(NAME_DEFAULT);
  }

  private CategoricalHinge(String name) {
    super(name, (tf, yTrue, yPred) -> Losses.categoricalHinge(tf, yTrue, yPred.value()));
  }

  /** From a Keras config ({@code reduction}, {@code name}). */
  public static CategoricalHinge fromConfig(Map<String, ?> config) {
    return new CategoricalHinge(checkConfig("CategoricalHinge", config, List.of(), NAME_DEFAULT));
  }
}
