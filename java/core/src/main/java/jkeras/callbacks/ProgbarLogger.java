package jkeras.callbacks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import jkeras.internal.Errors;
import jkeras.utils.Progbar;

/**
 * Prints the training progress (Keras 2.3.1 {@code ProgbarLogger}); added to the {@code fit}
 * callback list when {@code verbose != 0}.
 *
 * <p>For every epoch it prints {@code Epoch i/n} (even when {@code n == 1}) and starts a {@link
 * Progbar} whose target is params {@code steps} (count mode {@code steps}) or params {@code
 * samples} (count mode {@code samples}, counting batch {@code size}s). After each batch it passes
 * the logs' values of the names in params {@code metrics}, except after the batch that reaches the
 * target: that update is made at the epoch end, with the epoch logs (BaseLogger's means and the
 * {@code val_} results) appended to the last batch's values. Keras 2.3.1 quirks kept: the final
 * value of an averaged key is {@code (sum of batch values + epoch value) / (n + 1)} weighted by the
 * counts, and the per-unit time always reads {@code /step}, also when counting samples.
 *
 * <p>Stateful and not thread-safe.
 */
public class ProgbarLogger extends Callback {
  /** Keras {@code count_mode='samples'}. */
  public static final String COUNT_MODE_DEFAULT = CallbackList.COUNT_MODE_SAMPLES;

  private final boolean useSteps;
  private final Appendable output;
  private final UnaryOperator<Progbar.Builder> display;

  private int verbose;
  private int epochs;
  private Integer target;
  private Progbar progbar;
  private int seen;
  private List<Map.Entry<String, Double>> logValues = new ArrayList<>();

  /** Keras {@code ProgbarLogger()}: counts samples, no stateful metrics, writes to stdout. */
  public ProgbarLogger() {
    this(builder());
  }

  /**
   * Keras {@code ProgbarLogger(count_mode, stateful_metrics)}.
   *
   * @throws IllegalArgumentException for a count mode other than {@code steps}/{@code samples}.
   */
  public ProgbarLogger(String countMode, Collection<String> statefulMetrics) {
    this(builder().countMode(countMode).statefulMetrics(statefulMetrics));
  }

  private ProgbarLogger(Builder b) {
    if (CallbackList.COUNT_MODE_SAMPLES.equals(b.countMode)) {
      useSteps = false;
    } else if (CallbackList.COUNT_MODE_STEPS.equals(b.countMode)) {
      useSteps = true;
    } else {
      // Keras: ValueError('Unknown `count_mode`: ' + str(count_mode))
      throw new IllegalArgumentException("Unknown `count_mode`: " + b.countMode);
    }
    this.output = b.output();
    this.display = b.display();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code true} when counting steps, {@code false} when counting samples. */
  public boolean useSteps() {
    return useSteps;
  }

  /** The bar of the current epoch, {@code null} before the first epoch or when silent. */
  public Progbar progbar() {
    return progbar;
  }

  @Override
  public void onTrainBegin(Logs logs) {
    verbose = intParam(params(), "verbose", 0);
    epochs = intParam(params(), "epochs", 0);
  }

  @Override
  public void onEpochBegin(int epoch, Logs logs) {
    if (verbose != 0) {
      String key = useSteps ? "steps" : "samples";
      target = params().get(key) == null ? null : intParam(params(), key, 0);
      // The header is written to the bar's stream, before the bar captures its start time.
      Progbar.print(output, "Epoch " + (epoch + 1) + "/" + epochs + "\n");
      progbar = display.apply(Progbar.builder(target).verbose(verbose)).build();
    }
    seen = 0;
    // Keras only resets these in on_batch_begin; an epoch without batches would reuse stale ones.
    logValues = new ArrayList<>();
  }

  @Override
  public void onBatchBegin(int batch, Logs logs) {
    if (belowTarget()) {
      logValues = new ArrayList<>();
    }
  }

  @Override
  public void onBatchEnd(int batch, Logs logs) {
    Logs l = logs == null ? new Logs() : logs;
    Object size = l.get("size");
    int batchSize = size instanceof Number n ? n.intValue() : 0;
    // tf-keras' key for a batch that stands for several steps (steps_per_execution).
    Object numSteps = l.get("num_steps");
    seen += useSteps ? (numSteps instanceof Number n ? n.intValue() : 1) : batchSize;
    appendValues(l);
    // The update of the last batch is made by onEpochEnd, with the epoch logs.
    if (verbose != 0 && belowTarget()) {
      progbar.update(seen, logValues);
    }
  }

  @Override
  public void onEpochEnd(int epoch, Logs logs) {
    appendValues(logs == null ? new Logs() : logs);
    if (verbose != 0) {
      progbar.update(seen, logValues);
    }
  }

  private boolean belowTarget() {
    // An unknown target (null) never counts as reached; Keras 2.3.1 would fail comparing to None.
    return target == null || seen < target;
  }

  private void appendValues(Logs logs) {
    for (String k : metricNames(params())) {
      if (logs.get(k) instanceof Number n) {
        logValues.add(Map.entry(k, n.doubleValue()));
      }
    }
  }

  /** Params {@code metrics} as a list of names; empty when absent. */
  static List<String> metricNames(Map<String, Object> params) {
    Object m = params.get("metrics");
    if (m == null) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    for (Object o : (Collection<?>) m) {
      names.add(String.valueOf(o));
    }
    return names;
  }

  private static int intParam(Map<String, Object> params, String key, int dflt) {
    Object v = params.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Number n) {
      return n.intValue();
    }
    if (v instanceof Boolean bool) {
      return bool ? 1 : 0;
    }
    throw Errors.invalidArgument("params." + key, "an integer", v);
  }

  /**
   * Options of a {@link ProgbarLogger}; defaults are those of Keras. The display options ({@code
   * statefulMetrics}, {@code output}, {@code clock}, {@code dynamicDisplay}) are those of each
   * epoch's {@link Progbar}.
   */
  public static final class Builder extends Progbar.DisplayBuilder<Builder> {
    private String countMode = COUNT_MODE_DEFAULT;

    private Builder() {}

    private Appendable output() {
      return currentOutput();
    }

    private UnaryOperator<Progbar.Builder> display() {
      return displayOptions();
    }

    /**
     * Keras {@code count_mode}: {@code "steps"} (batches) or {@code "samples"}. Default {@code
     * "samples"}.
     */
    public Builder countMode(String countMode) {
      this.countMode = countMode;
      return this;
    }

    /**
     * @throws IllegalArgumentException for an unknown count mode.
     */
    public ProgbarLogger build() {
      return new ProgbarLogger(this);
    }
  }
}
