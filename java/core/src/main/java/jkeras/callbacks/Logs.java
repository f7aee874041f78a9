package jkeras.callbacks;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code logs} dictionary passed to callback hooks: a mutable, insertion-ordered map from
 * snake_case keys ({@code "batch"}, {@code "size"}, {@code "loss"}, {@code "val_accuracy"}, ...) to
 * values, usually {@link Double}.
 *
 * <p>Deliberately mutable: in Keras a callback may add keys (BaseLogger writes the epoch means,
 * ReduceLROnPlateau writes {@code lr}) that the callbacks after it see. Not thread-safe.
 */
public class Logs extends LinkedHashMap<String, Object> {
  private static final long serialVersionUID = 1L;

  /**
   * A key a callback may set in {@code on_train_begin}'s logs: the epoch {@code fit} starts from
   * instead of {@code initial_epoch} ({@link BackupAndRestore} resuming an interrupted job).
   */
  public static final String INITIAL_EPOCH = "initial_epoch";

  public Logs() {}

  /** A copy of {@code logs}, in its iteration order. */
  public Logs(Map<String, ?> logs) {
    super(logs);
  }

  /**
   * The value of {@code key} as a double, or {@code null} when absent (Keras {@code
   * logs.get(key)}).
   *
   * @throws IllegalStateException when the value is not a number.
   */
  public Double getDouble(String key) {
    Object v = get(key);
    if (v == null) {
      return null;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    throw new IllegalStateException(
        "Expected logs[`" + key + "`] to be a number. Received: " + key + "=" + v);
  }

  /** The value of {@code key} as a double, or {@code defaultValue} when absent. */
  public double getDouble(String key, double defaultValue) {
    Double v = getDouble(key);
    return v == null ? defaultValue : v;
  }
}
