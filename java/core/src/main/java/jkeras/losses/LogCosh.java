package jkeras.losses;

import java.util.List;
import java.util.Map;

/**
 * Keras {@code logcosh} loss: the mean over the last axis of {@code log(cosh(yPred - yTrue))}.
 * Immutable.
 *
 * <p>{@code new LogCosh()} is what {@code Losses.get("logcosh")} returns.
 */
public final class LogCosh extends LossFunctionWrapper {
  /** Keras' default {@code name}. */
  public static final String NAME_DEFAULT = "logcosh";

  public LogCosh() {
    this(NAME_DEFAULT);
  }

  private LogCosh(String name) {
    super(name, (tf, yTrue, yPred) -> Losses.logcosh(tf, yTrue, yPred.value()));
  }

  /** From a Keras config ({@code reduction}, {@code name}). */
  public static LogCosh fromConfig(Map<String, ?> config) {
    return new LogCosh(checkConfig("LogCosh", config, List.of(), NAME_DEFAULT));
  }
}
