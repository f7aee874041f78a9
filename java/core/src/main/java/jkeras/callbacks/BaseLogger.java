package jkeras.callbacks;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Accumulates the epoch values of the training metrics (Keras 2.3.1 {@code BaseLogger}); added
 * first to every {@code fit} callback list.
 *
 * <p>Each batch contributes {@code value * logs["size"]}; at the end of the epoch, for every name
 * in params {@code metrics} that was seen, the epoch logs get {@code sum / samples seen}, the
 * sample-weighted mean. A stateful metric (already a running mean in Keras 2.3.1) gets its last
 * batch value instead. {@code val_} keys are never accumulated, so they pass through. Values are
 * written into the shared epoch logs, so the callbacks after this one see them.
 *
 * <p>Stateful and not thread-safe.
 */
public class BaseLogger extends Callback {
  private final Set<String> statefulMetrics;
  private long seen;
  private final Map<String, Double> totals = new HashMap<>();

  /** Keras {@code BaseLogger()}: no stateful metrics. */
  public BaseLogger() {
    this(List.of());
  }

  /**
   * Keras {@code BaseLogger(stateful_metrics)}.
   *
   * @param statefulMetrics names logged as-is instead of averaged; {@code null} means none.
   */
  public BaseLogger(Collection<String> statefulMetrics) {
    this.statefulMetrics = statefulMetrics == null ? Set.of() : Set.copyOf(statefulMetrics);
  }

  /** The names logged as-is. */
  public Set<String> statefulMetrics() {
    return statefulMetrics;
  }

  @Override
  public void onEpochBegin(int epoch, Logs logs) {
    seen = 0;
    totals.clear();
  }

  @Override
  public void onBatchEnd(int batch, Logs logs) {
    if (logs == null) {
      return;
    }
    Object sizeValue = logs.get("size");
    long batchSize = sizeValue instanceof Number n ? n.longValue() : 0;
    seen += batchSize;
    for (Map.Entry<String, Object> e : logs.entrySet()) {
      if (!(e.getValue() instanceof Number n)) {
        continue; // Keras would fail on v * batch_size; nothing numeric to aggregate.
      }
      double v = n.doubleValue();
      if (statefulMetrics.contains(e.getKey())) {
        totals.put(e.getKey(), v);
      } else {
        totals.merge(e.getKey(), v * batchSize, Double::sum);
      }
    }
  }

  @Override
  public void onEpochEnd(int epoch, Logs logs) {
    if (logs == null) {
      return;
    }
    for (String k : ProgbarLogger.metricNames(params())) {
      Double total = totals.get(k);
      if (total != null) {
        logs.put(k, statefulMetrics.contains(k) ? total : total / seen);
      }
    }
  }
}
