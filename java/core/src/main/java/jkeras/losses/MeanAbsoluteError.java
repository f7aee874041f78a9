package jkeras.losses;

import java.util.List;
import java.util.Map;

/**
 * Keras {@code mean_absolute_error} loss: the mean over the last axis of {@code |yPred - yTrue|}.
 * Immutable.
 *
 * <p>{@code new MeanAbsoluteError()} is what {@code Losses.get("mean_absolute_error")} returns.
 */
public final class MeanAbsoluteError extends LossFunctionWrapper {
  /** Keras' default {@code name}. */
  public static final String NAME_DEFAULT = "mean_absolute_error";

  public MeanAbsoluteError() {
    this(NAME_DEFAULT);
  }

  private MeanAbsoluteError(String name) {
    super(name, (tf, yTrue, yPred) -> Losses.meanAbsoluteError(tf, yTrue, yPred.value()));
  }

  /** From a Keras config ({@code reduction}, {@code name}). */
  public static MeanAbsoluteError fromConfig(Map<String, ?> config) {
    return new MeanAbsoluteError(checkConfig("MeanAbsoluteError", config, List.of(), NAME_DEFAULT));
  }
}
