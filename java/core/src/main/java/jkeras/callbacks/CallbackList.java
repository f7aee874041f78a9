package jkeras.callbacks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.DoubleSupplier;
import jkeras.internal.Errors;
import jkeras.models.Model;

/**
 * A list of callbacks that is itself a {@link Callback}: every hook is forwarded to each callback
 * in list order (Keras 2.3.1 {@code keras.callbacks.CallbackList}).
 *
 * <p>As in Keras 2.3.1, {@link #onBatchBegin}/{@link #onBatchEnd} and {@link #onTrainBatchBegin}/
 * {@link #onTrainBatchEnd} all call each callback's {@code onTrainBatch*} hook (whose default
 * forwards to {@code onBatch*}). {@code null} logs are replaced by an empty {@link Logs}, and the
 * same logs object is passed to every callback, so keys added by one are seen by the next. Keras'
 * "slow callback" timing warning is not implemented.
 *
 * <p>The training loop builds its list with {@link #configure()}. Not thread-safe.
 */
public class CallbackList extends Callback implements Iterable<Callback> {
  /** The {@code count_mode} of a bar counting batches. */
  public static final String COUNT_MODE_STEPS = "steps";

  /** The {@code count_mode} of a bar counting samples ({@code fit} on arrays without steps). */
  public static final String COUNT_MODE_SAMPLES = "samples";

  private final List<Callback> callbacks;

  /** A list holding a defensive copy of {@code callbacks} ({@code null} means none). */
  public CallbackList(List<? extends Callback> callbacks) {
    this.callbacks = new ArrayList<>();
    if (callbacks != null) {
      callbacks.forEach(this::append);
    }
  }

  public CallbackList(Callback... callbacks) {
    this(List.of(callbacks));
  }

  /** Keras {@code append}: adds a callback at the end. */
  public void append(Callback callback) {
    callbacks.add(Objects.requireNonNull(callback, "callback"));
  }

  /** The callbacks, in call order (unmodifiable view). */
  public List<Callback> callbacks() {
    return Collections.unmodifiableList(callbacks);
  }

  @Override
  public Iterator<Callback> iterator() {
    return callbacks().iterator();
  }

  @Override
  public void setParams(Map<String, Object> params) {
    super.setParams(params);
    for (Callback c : callbacks) {
      c.setParams(params());
    }
  }

  /**
   * Replaces one parameter and gives the new map to every callback again, as Keras 2.3.1 {@code
   * fit_generator} does for {@code steps} when it re-reads {@code len(sequence)} after an epoch.
   */
  public void setParam(String key, Object value) {
    Map<String, Object> updated = new LinkedHashMap<>(params());
    updated.put(key, value);
    setParams(Collections.unmodifiableMap(updated));
  }

  @Override
  public void setModel(Model model) {
    super.setModel(model);
    for (Callback c : callbacks) {
      c.setModel(model);
    }
  }

  @Override
  public void setValidationData(ValidationData validationData) {
    super.setValidationData(validationData);
    for (Callback c : callbacks) {
      c.setValidationData(validationData);
    }
  }

  /**
   * Calls {@code hook} on each callback in order, with the same logs ({@code null} becomes an empty
   * {@link Logs}), so keys one callback adds are seen by the next.
   */
  private void forward(Logs logs, BiConsumer<Callback, Logs> hook) {
    Logs l = logs == null ? new Logs() : logs;
    for (Callback c : callbacks) {
      hook.accept(c, l);
    }
  }

  @Override
  public void onTrainBegin(Logs logs) {
    forward(logs, Callback::onTrainBegin);
  }

  @Override
  public void onTrainEnd(Logs logs) {
    forward(logs, Callback::onTrainEnd);
  }

  @Override
  public void onEpochBegin(int epoch, Logs logs) {
    forward(logs, (c, l) -> c.onEpochBegin(epoch, l));
  }

  @Override
  public void onEpochEnd(int epoch, Logs logs) {
    forward(logs, (c, l) -> c.onEpochEnd(epoch, l));
  }

  @Override
  public void onBatchBegin(int batch, Logs logs) {
    onTrainBatchBegin(batch, logs);
  }

  @Override
  public void onBatchEnd(int batch, Logs logs) {
    onTrainBatchEnd(batch, logs);
  }

  @Override
  public void onTrainBatchBegin(int batch, Logs logs) {
    forward(logs, (c, l) -> c.onTrainBatchBegin(batch, l));
  }

  @Override
  public void onTrainBatchEnd(int batch, Logs logs) {
    forward(logs, (c, l) -> c.onTrainBatchEnd(batch, l));
  }

  @Override
  public void onTestBegin(Logs logs) {
    forward(logs, Callback::onTestBegin);
  }

  @Override
  public void onTestEnd(Logs logs) {
    forward(logs, Callback::onTestEnd);
  }

  @Override
  public void onTestBatchBegin(int batch, Logs logs) {
    forward(logs, (c, l) -> c.onTestBatchBegin(batch, l));
  }

  @Override
  public void onTestBatchEnd(int batch, Logs logs) {
    forward(logs, (c, l) -> c.onTestBatchEnd(batch, l));
  }

  @Override
  public void onPredictBegin(Logs logs) {
    forward(logs, Callback::onPredictBegin);
  }

  @Override
  public void onPredictEnd(Logs logs) {
    forward(logs, Callback::onPredictEnd);
  }

  @Override
  public void onPredictBatchBegin(int batch, Logs logs) {
    forward(logs, (c, l) -> c.onPredictBatchBegin(batch, l));
  }

  @Override
  public void onPredictBatchEnd(int batch, Logs logs) {
    forward(logs, (c, l) -> c.onPredictBatchEnd(batch, l));
  }

  // ---------------------------------------------------------------------------------------------
  // Setup used by the training loop.

  /**
   * Builds the callback list of a {@code fit} call the way Keras 2.3.1 {@code fit_loop} and {@code
   * fit_generator} do: {@code [BaseLogger, ProgbarLogger if verbose != 0, *user, History]}, with
   * the model and the params set on every callback. The loop then calls {@code onTrainBegin}.
   *
   * <pre>{@code
   * CallbackList.Configured c = CallbackList.configure()
   *     .userCallbacks(callbacks).model(model).verbose(1).epochs(10)
   *     .samples(1000).batchSize(32).metricsNames(List.of("loss", "accuracy"))
   *     .doValidation(true).build();
   * c.callbacks().onTrainBegin(null);
   * }</pre>
   */
  public static FitSetup configure() {
    return new FitSetup();
  }

  /**
   * The positional form of {@link #configure()}, with the defaults of {@link FitSetup} for the
   * Progbar clock and display.
   *
   * @param out where the ProgbarLogger writes; {@code null} means {@code System.out}.
   */
  public static Configured configure(
      List<? extends Callback> user,
      Model model,
      boolean doValidation,
      int verbose,
      int epochs,
      Integer samples,
      Integer steps,
      Integer batchSize,
      String countMode,
      List<String> metricsNames,
      List<String> statefulMetricNames,
      Appendable out) {
    return configure()
        .userCallbacks(user)
        .model(model)
        .doValidation(doValidation)
        .verbose(verbose)
        .epochs(epochs)
        .samples(samples)
        .steps(steps)
        .batchSize(batchSize)
        .countMode(countMode)
        .metricsNames(metricsNames)
        .statefulMetricNames(statefulMetricNames)
        .output(out)
        .build();
  }

  /**
   * The result of {@link #configure()}: the list to call and the {@link History} it ends with
   * (Keras {@code model.history}, returned by {@code fit}).
   */
  public record Configured(CallbackList callbacks, History history) {}

  /**
   * Arguments of {@link #configure()}. Defaults: no user callbacks, no model, {@code verbose=1},
   * {@code epochs=1}, unknown samples/steps/batch size, no validation, {@code metricsNames=[loss]},
   * count mode and stateful metrics as Keras 2.3.1 derives them.
   */
  public static final class FitSetup {
    private List<? extends Callback> user = List.of();
    private Model model;
    private boolean doValidation;
    private int verbose = 1;
    private int epochs = 1;
    private Integer samples;
    private Integer steps;
    private Integer batchSize;
    private String countMode;
    private List<String> metricsNames = List.of("loss");
    private List<String> statefulMetricNames;
    private Appendable output;
    private DoubleSupplier clock;
    private Boolean dynamicDisplay;

    private FitSetup() {}

    /** Keras {@code fit(callbacks=...)}; {@code null} means none. Copied. */
    public FitSetup userCallbacks(List<? extends Callback> user) {
      this.user = user == null ? List.of() : List.copyOf(user);
      return this;
    }

    /** The model given to {@link Callback#setModel}. */
    public FitSetup model(Model model) {
      this.model = model;
      return this;
    }

    /** Params {@code do_validation}; also adds the {@code val_} names to params {@code metrics}. */
    public FitSetup doValidation(boolean doValidation) {
      this.doValidation = doValidation;
      return this;
    }

    /** Params {@code verbose}; a ProgbarLogger is added when non-zero. */
    public FitSetup verbose(int verbose) {
      this.verbose = verbose;
      return this;
    }

    /**
     * Params {@code epochs}: the final epoch index (exclusive), shown as {@code Epoch i/epochs}.
     */
    public FitSetup epochs(int epochs) {
      this.epochs = epochs;
      return this;
    }

    /** Params {@code samples}: number of training samples, {@code null} when unknown. */
    public FitSetup samples(Integer samples) {
      this.samples = samples;
      return this;
    }

    /** Params {@code steps}: {@code steps_per_epoch}, {@code null} when counting samples. */
    public FitSetup steps(Integer steps) {
      this.steps = steps;
      return this;
    }

    /** Params {@code batch_size}, {@code null} when unknown. */
    public FitSetup batchSize(Integer batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /**
     * The ProgbarLogger {@code count_mode}, {@value #COUNT_MODE_STEPS} or {@value
     * #COUNT_MODE_SAMPLES}. Default as {@code fit_loop}: steps when {@code steps} is set, else
     * samples ({@code fit_generator} always uses steps and always sets {@code steps}).
     */
    public FitSetup countMode(String countMode) {
      this.countMode = countMode;
      return this;
    }

    /**
     * Keras {@code model.metrics_names} ({@code loss} first). Params {@code metrics} is these
     * names, followed by {@code val_} + each name when validating.
     */
    public FitSetup metricsNames(List<String> metricsNames) {
      this.metricsNames = List.copyOf(metricsNames);
      return this;
    }

    /**
     * Names that BaseLogger and the Progbar take as-is instead of averaging. Default as Keras
     * 2.3.1: {@code metricsNames} without its first entry (the loss), since metrics report running
     * means.
     */
    public FitSetup statefulMetricNames(List<String> statefulMetricNames) {
      this.statefulMetricNames =
          statefulMetricNames == null ? null : List.copyOf(statefulMetricNames);
      return this;
    }

    /** ProgbarLogger output; {@code null} means {@code System.out}. */
    public FitSetup output(Appendable output) {
      this.output = output;
      return this;
    }

    /** ProgbarLogger clock in seconds; default {@link jkeras.utils.Progbar#SYSTEM_CLOCK}. */
    public FitSetup clock(DoubleSupplier clock) {
      this.clock = clock;
      return this;
    }

    /** ProgbarLogger line rewriting; default as {@link jkeras.utils.Progbar.Builder}. */
    public FitSetup dynamicDisplay(boolean dynamicDisplay) {
      this.dynamicDisplay = dynamicDisplay;
      return this;
    }

    /**
     * Builds the list, sets the model and the params on every callback.
     *
     * @throws IllegalArgumentException for an unknown count mode or empty {@code metricsNames}.
     */
    public Configured build() {
      if (metricsNames.isEmpty()) {
        throw Errors.invalidArgument(
            "metricsNames", "a non-empty list starting with the loss", metricsNames);
      }
      List<String> stateful =
          statefulMetricNames != null
              ? statefulMetricNames
              : metricsNames.subList(1, metricsNames.size());
      String mode =
          countMode != null ? countMode : steps != null ? COUNT_MODE_STEPS : COUNT_MODE_SAMPLES;

      History history = new History();
      List<Callback> all = new ArrayList<>();
      all.add(new BaseLogger(stateful));
      if (verbose != 0) {
        ProgbarLogger.Builder b =
            ProgbarLogger.builder().countMode(mode).statefulMetrics(stateful).output(output);
        if (clock != null) {
          b.clock(clock);
        }
        if (dynamicDisplay != null) {
          b.dynamicDisplay(dynamicDisplay);
        }
        all.add(b.build());
      }
      all.addAll(user);
      all.add(history);
      CallbackList list = new CallbackList(all);

      List<String> callbackMetrics = new ArrayList<>(metricsNames);
      if (doValidation) {
        for (String n : metricsNames) {
          callbackMetrics.add("val_" + n);
        }
      }
      // Same keys, same order as Keras 2.3.1 fit_loop; null stands for Python's None.
      Map<String, Object> params = new LinkedHashMap<>();
      params.put("batch_size", batchSize);
      params.put("epochs", epochs);
      params.put("steps", steps);
      params.put("samples", samples);
      params.put("verbose", verbose);
      params.put("do_validation", doValidation);
      params.put("metrics", List.copyOf(callbackMetrics));

      list.setModel(model);
      list.setParams(Collections.unmodifiableMap(params));
      return new Configured(list, history);
    }
  }
}
