package jkeras.losses;

import java.util.List;
import java.util.Map;

/**
 * Keras {@code poisson} loss: {@code mean(yPred - yTrue * log(yPred + 1e-7))} over the last axis.
 * Immutable.
 *
 * <p>{@code new Poisson()} is what {@code Losses.get("poisson")} returns.
 */
public final class Poisson extends LossFunctionWrapper {
  /** Keras' default {@code name}. */
  public static final String NAME_DEFAULT = "poisson";

  public Poisson() {
    this(NAME_DEFAULT);
  }

  private Poisson(String name) {
    super(name, (tf, yTrue, yPred) -> Losses.poisson(tf, yTrue, yPred.value()));
  }

  /** From a Keras config ({@code reduction}, {@code name}). */
  public static Poisson fromConfig(Map<String, ?> config) {
    return new Poisson(checkConfig("Poisson", config, List.of(), NAME_DEFAULT));
  }
}
