package jkeras.losses;

import java.util.List;
import java.util.Map;

/**
 * Keras {@code mean_squared_logarithmic_error} loss: the mean over the last axis of {@code
 * (log(max(yPred, 1e-7) + 1) - log(max(yTrue, 1e-7) + 1))^2}. Immutable.
 *
 * <p>{@code new MeanSquaredLogarithmicError()} is what {@code
 * Losses.get("mean_squared_logarithmic_error")} returns.
 */
public final class MeanSquaredLogarithmicError extends LossFunctionWrapper {
  /** Keras' default {@code name}. */
  public static final String NAME_DEFAULT = "mean_squared_logarithmic_error";

  public MeanSquaredLogarithmicError() {
    this(NAME_DEFAULT);
  }

  private MeanSquaredLogarithmicError(String name) {
    super(name, (tf, yTrue, yPred) -> Losses.meanSquaredLogarithmicError(tf, yTrue, yPred.value()));
  }

  /** From a Keras config ({@code reduction}, {@code name}). */
  public static MeanSquaredLogarithmicError fromConfig(Map<String, ?> config) {
    return new MeanSquaredLogarithmicError(
        checkConfig("MeanSquaredLogarithmicError", config, List.of(), NAME_DEFAULT));
  }
}
