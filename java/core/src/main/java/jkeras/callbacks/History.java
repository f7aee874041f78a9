package jkeras.callbacks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records the epoch logs (Keras 2.3.1 {@code History}); added last to every {@code fit} callback
 * list and returned by {@code fit}.
 *
 * <p>At each epoch end it appends the epoch index to {@link #epoch()} and each numeric value of the
 * logs to {@code history().get(key)}, for every key, including those added by earlier callbacks
 * (such as {@code lr}). Non-numeric values are skipped. {@link #onTrainBegin} starts a new record,
 * so the instance can be reused; views obtained before keep the previous run.
 *
 * <p>Stateful and not thread-safe.
 */
public class History extends Callback {
  private List<Integer> epochs = new ArrayList<>();
  private Map<String, List<Double>> values = new LinkedHashMap<>();
  // Same keys as values, each list wrapped unmodifiable; view wraps this map.
  private Map<String, List<Double>> readOnly = new LinkedHashMap<>();
  private Map<String, List<Double>> view = Collections.unmodifiableMap(readOnly);

  @Override
  public void onTrainBegin(Logs logs) {
    // New objects rather than clear(): a view taken from a previous fit keeps that run, as in
    // Keras.
    epochs = new ArrayList<>();
    values = new LinkedHashMap<>();
    readOnly = new LinkedHashMap<>();
    view = Collections.unmodifiableMap(readOnly);
  }

  @Override
  public void onEpochEnd(int epoch, Logs logs) {
    epochs.add(epoch);
    if (logs == null) {
      return;
    }
    for (Map.Entry<String, Object> e : logs.entrySet()) {
      if (e.getValue() instanceof Number n) {
        List<Double> list = values.get(e.getKey());
        if (list == null) {
          list = new ArrayList<>();
          values.put(e.getKey(), list);
          readOnly.put(e.getKey(), Collections.unmodifiableList(list));
        }
        list.add(n.doubleValue());
      }
    }
  }

  /** Keras {@code history.epoch}: the epoch indices recorded (unmodifiable live view). */
  public List<Integer> epoch() {
    return Collections.unmodifiableList(epochs);
  }

  /**
   * Keras {@code history.history}: key to one value per recorded epoch, keys in first-seen order
   * (unmodifiable live view of the current run).
   */
  public Map<String, List<Double>> history() {
    return view;
  }
}
