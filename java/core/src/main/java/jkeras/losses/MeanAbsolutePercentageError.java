package jkeras.losses;

import java.util.List;
import java.util.Map;

/**
 * Keras {@code mean_absolute_percentage_error} loss: {@code 100 * mean(|(yTrue - yPred) /
 * max(|yTrue|, 1e-7)|)} over the last axis. Immutable.
 *
 * <p>{@code new MeanAbsolutePercentageError()} is what {@code
 * Losses.get("mean_absolute_percentage_error")} returns.
 */
public final class MeanAbsolutePercentageError extends LossFunctionWrapper {
  /** Keras' default {@code name}. */
  public static final String NAME_DEFAULT = "mean_absolute_percentage_error";

  public MeanAbsolutePercentageError() {
    this(NAME_DEFAULT);
  }

  private MeanAbsolutePercentageError(String name) {
    super(name, (tf, yTrue, yPred) -> Losses.meanAbsolutePercentageError(tf, yTrue, yPred.value()));
  }

  /** From a Keras config ({@code reduction}, {@code name}). */
  public static MeanAbsolutePercentageError fromConfig(Map<String, ?> config) {
    return new MeanAbsolutePercentageError(
        checkConfig("MeanAbsolutePercentageError", config, List.of(), NAME_DEFAULT));
  }
}
