package jkeras.losses;

import java.util.List;
import java.util.Map;

/**
 * Keras {@code hinge} loss: {@code mean(max(1 - yTrue * yPred, 0))} over the last axis; labels that
 * are all 0 or 1 are mapped to -1/1 first. Immutable.
 *
 * <p>{@code new Hinge()} is what {@code Losses.get("hinge")} returns.
 */
public final class Hinge extends LossFunctionWrapper {
  /** Keras' default {@code name}. */
  public static final String NAME_DEFAULT = "hinge";

  public Hinge() {
    this(NAME_DEFAULT);
  }

  private Hinge(String name) {
    super(name, (tf, yTrue, yPred) -> Losses.hinge(tf, yTrue, yPred.value()));
  }

  /** From a Keras config ({@code reduction}, {@code name}). */
  public static Hinge fromConfig(Map<String, ?> config) {
    return new Hinge(checkConfig("Hinge", config, List.of(), NAME_DEFAULT));
  }
}
