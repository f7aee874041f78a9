package jkeras.losses;

import java.util.List;
import java.util.Map;

/**
 * Keras {@code mean_squared_error} loss: the mean over the last axis of {@code (yPred - yTrue)^2}.
 * Immutable.
 *
 * <p>{@code new MeanSquaredError()} is what {@code Losses.get("mean_squared_error")} returns.
 */
public final class MeanSquaredError extends LossFunctionWrapper {
  /** Keras' default {@code name}. */
  public static final String NAME_DEFAULT = "mean_squared_error";

  public MeanSquaredError() {
    this(NAME_DEFAULT);
  }

  private MeanSquaredError(String name) {
    super(name, (tf, yTrue, yPred) -> Losses.meanSquaredError(tf, yTrue, yPred.value()));
  }

  /** From a Keras config ({@code reduction}, {@code name}). */
  public static MeanSquaredError fromConfig(Map<String, ?> config) {
    return new MeanSquaredError(checkConfig("MeanSquaredError", config, List.of(), NAME_DEFAULT));
  }
}
