package jkeras.losses;

import java.util.List;
import java.util.Map;

/**
 * Keras {@code squared_hinge} loss: {@code mean(max(1 - yTrue * yPred, 0)^2)} over the last axis;
 * labels that are all 0 or 1 are mapped to -1/1 first. Immutable.
 *
 * <p>{@code new SquaredHinge()} is what {@code Losses.get("squared_hinge")} returns.
 */
public final class SquaredHinge extends LossFunctionWrapper {
  /** Keras' default {@code name}. */
  public static final String NAME_DEFAULT = "squared_hinge";

  public SquaredHinge() {
    this(NAME_DEFAULT);
  }

  private SquaredHinge(String name) {
    super(name, (tf, yTrue, yPred) -> Losses.squaredHinge(tf, yTrue, yPred.value()));
  }

  /** From a Keras config ({@code reduction}, {@code name}). */
  public static SquaredHinge fromConfig(Map<String, ?> config) {
    return new SquaredHinge(checkConfig("SquaredHinge", config, List.of(), NAME_DEFAULT));
  }
}
