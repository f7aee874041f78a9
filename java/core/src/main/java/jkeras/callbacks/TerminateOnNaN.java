package jkeras.callbacks;

import java.util.Map;
import jkeras.internal.Errors;

/**
 * Stops training when a batch's loss is NaN or infinite (Keras 2.3.1 {@code TerminateOnNaN}),
 * printing {@code Batch <i>: Invalid loss, terminating training}.
 *
 * <p>Training stops after that batch: the rest of the epoch and its validation are skipped, {@code
 * onEpochEnd} and {@code onTrainEnd} still run (Keras 2.3.1 cleared the request when the batch was
 * the epoch's last and validation followed; jkeras keeps it, see docs/callbacks.md).
 */
public class TerminateOnNaN extends Callback {
  /** Keras {@code TerminateOnNaN()}. */
  public TerminateOnNaN() {}

  /** Keras' keyword form: {@code TerminateOnNaN} takes no argument. */
  public static TerminateOnNaN fromConfig(Map<String, ?> config) {
    Errors.checkKeys("TerminateOnNaN", config, java.util.List.of());
    return new TerminateOnNaN();
  }

  @Override
  public void onBatchEnd(int batch, Logs logs) {
    Double loss = logs == null ? null : logs.getDouble("loss");
    if (loss != null && (loss.isNaN() || loss.isInfinite())) {
      Monitors.print("Batch " + batch + ": Invalid loss, terminating training");
      model().setStopTraining(true);
    }
  }
}
