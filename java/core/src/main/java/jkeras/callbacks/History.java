package jkeras.callbacks;

import java.io.IOException;
import java.nio.file.Path;
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
  // The epoch of each recorded value, per key (val_ keys skip epochs without validation).
  private Map<String, List<Integer>> epochsOf = new LinkedHashMap<>();
  // Same keys as values, each list wrapped unmodifiable; view wraps this map.
  private Map<String, List<Double>> readOnly = new LinkedHashMap<>();
  private Map<String, List<Double>> view = Collections.unmodifiableMap(readOnly);

  @Override
  public void onTrainBegin(Logs logs) {
    // New objects rather than clear(): a view taken from a previous fit keeps that run, as in
    // Keras.
    epochs = new ArrayList<>();
    values = new LinkedHashMap<>();
    epochsOf = new LinkedHashMap<>();
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
        epochsOf.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(epoch);
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

  /**
   * The epochs at which {@code key} was recorded, in order (fewer than {@link #epoch()} for {@code
   * val_} keys under {@code validationFreq > 1}).
   */
  public List<Integer> epochsOf(String key) {
    List<Integer> e = epochsOf.get(key);
    return e == null ? List.of() : Collections.unmodifiableList(e);
  }

  /**
   * Draws the curves to a PNG, what a Keras user does with matplotlib after {@code fit}: one panel
   * per quantity ({@code loss}, each metric, {@code lr}, ...) with the training values beside the
   * validation ones, per epoch. The file is written beside {@code png} and moved into place.
   *
   * <pre>{@code
   * History h = model.fit(x, y, FitOptions.builder().epochs(20).validationSplit(0.2).build());
   * h.plot(Path.of("curves.png"));
   * }</pre>
   *
   * <p>Drawing uses XChart ({@code org.knowm.xchart:xchart}), an optional dependency of jkeras-core
   * (as matplotlib is not one of Keras'): add it to the program that draws (on the module path, the
   * module {@code org.knowm.xchart}).
   *
   * @param png the file to write
   * @return {@code png}
   * @throws IllegalStateException when nothing was recorded yet, or XChart is missing
   * @throws IOException when the file cannot be written
   */
  public Path plot(Path png) throws IOException {
    return plot(png, null);
  }

  /** {@link #plot(Path)} with {@code title} before each panel's quantity. */
  public Path plot(Path png, String title) throws IOException {
    try {
      HistoryPlot.write(this, png, title);
    } catch (NoClassDefFoundError e) {
      throw new IllegalStateException(
          "History.plot draws with XChart: add org.knowm.xchart:xchart:"
              + XCHART_VERSION
              + " to the class path (on the module path, add the module org.knowm.xchart).",
          e);
    }
    return png;
  }

  /** The XChart version jkeras is built and tested with. */
  public static final String XCHART_VERSION = "3.8.8";
}
