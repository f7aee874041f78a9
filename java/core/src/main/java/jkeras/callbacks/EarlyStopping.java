package jkeras.callbacks;

import java.util.List;
import java.util.Map;
import jkeras.data.NDArray;
import jkeras.internal.Config;
import jkeras.internal.Errors;
import jkeras.internal.Warnings;

/**
 * Stops training when a monitored quantity has stopped improving (Keras 2.3.1 {@code
 * EarlyStopping}).
 *
 * <pre>{@code
 * EarlyStopping es = EarlyStopping.builder().monitor("val_loss").patience(3)
 *     .restoreBestWeights(true).build();
 * model.fit(x, y, FitOptions.builder().epochs(100).validationSplit(0.2).callbacks(es).build());
 * es.stoppedEpoch();   // the 0-based epoch in which training stopped, 0 if it did not
 * }</pre>
 *
 * <p>At each epoch end the monitored value improves when {@code current - minDelta < best} ({@code
 * min} mode; {@code current + minDelta > best} in {@code max} mode); then {@code best} is updated,
 * the wait starts again and, with {@code restoreBestWeights}, the weights are copied. Otherwise the
 * wait grows and, when it reaches {@code patience}, training stops after this epoch and the copied
 * weights are restored (printing "Restoring model weights from the end of the best epoch" with
 * {@code verbose > 0}). {@code onTrainEnd} then prints "Epoch 00005: early stopping" (1-based) with
 * {@code verbose > 0} when the stop came after the first epoch. A missing monitor value warns with
 * the available keys and the epoch is not counted.
 *
 * <p>Differences from Keras 2.3.1, none of which changes a run Keras 2.3.1 completes: when no epoch
 * beat the {@code baseline}, there are no best weights to restore, so nothing is restored (Keras
 * 2.3.1 failed in {@code set_weights(None)}). tf-keras' changes ({@code start_from_epoch},
 * restoring at the end of every run, its auto mode for names ending in {@code auc}) are not taken.
 *
 * <p>Stateful: {@link #onTrainBegin} resets the wait, the stopped epoch and {@code best}, so an
 * instance can be used by several {@code fit} calls. Not thread-safe.
 */
public class EarlyStopping extends Callback {
  /** Keras {@code monitor='val_loss'}. */
  public static final String MONITOR_DEFAULT = "val_loss";

  /** Keras {@code min_delta=0}. */
  public static final double MIN_DELTA_DEFAULT = 0.0;

  /** Keras {@code patience=0}. */
  public static final int PATIENCE_DEFAULT = 0;

  /** Keras {@code verbose=0}. */
  public static final int VERBOSE_DEFAULT = 0;

  /** Keras {@code mode='auto'}: {@code max} when the monitor's name contains {@code acc}. */
  public static final String MODE_DEFAULT = Monitors.AUTO;

  /** Keras {@code restore_best_weights=False}. */
  public static final boolean RESTORE_BEST_WEIGHTS_DEFAULT = false;

  private static final List<String> KEYS =
      List.of(
          "monitor",
          "min_delta",
          "patience",
          "verbose",
          "mode",
          "baseline",
          "restore_best_weights");

  private final String monitor;
  private final double minDelta;
  private final int patience;
  private final int verbose;
  private final boolean maximize;
  private final Double baseline;
  private final boolean restoreBestWeights;

  private int wait;
  private int stoppedEpoch;
  private double best;
  private List<NDArray> bestWeights;

  private EarlyStopping(Builder b) {
    this.monitor = b.monitor;
    this.patience = b.patience;
    this.verbose = b.verbose;
    this.baseline = b.baseline;
    this.restoreBestWeights = b.restoreBestWeights;
    String mode = Monitors.mode(b.mode, "EarlyStopping");
    this.maximize =
        mode.equals(Monitors.MAX) || (mode.equals(Monitors.AUTO) && monitor.contains("acc"));
    // Keras 2.3.1 turns min_delta into the signed amount added to `best`'s side of the test.
    this.minDelta = maximize ? b.minDelta : -b.minDelta;
    this.best = maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
  }

  /** A builder with Keras' defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Keras' keyword form, {@code EarlyStopping(**kwargs)}: {@code monitor}, {@code min_delta},
   * {@code patience}, {@code verbose}, {@code mode}, {@code baseline}, {@code
   * restore_best_weights}.
   *
   * @throws IllegalArgumentException for an unknown key or a value of the wrong type
   */
  public static EarlyStopping fromConfig(Map<String, ?> config) {
    Errors.checkKeys("EarlyStopping", config, KEYS);
    Builder b = builder();
    b.readShared(config);
    if (config.get("baseline") != null) b.baseline(Config.getDouble(config, "baseline", 0));
    b.restoreBestWeights(
        Config.getBoolean(config, "restore_best_weights", RESTORE_BEST_WEIGHTS_DEFAULT));
    return b.build();
  }

  @Override
  public void onTrainBegin(Logs logs) {
    wait = 0;
    stoppedEpoch = 0;
    if (baseline != null) best = baseline;
    else best = maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
  }

  @Override
  public void onEpochEnd(int epoch, Logs logs) {
    Double current = monitorValue(logs);
    if (current == null) return;
    if (maximize ? current - minDelta > best : current - minDelta < best) {
      best = current;
      wait = 0;
      if (restoreBestWeights) bestWeights = model().getWeights();
    } else {
      wait++;
      if (wait >= patience) {
        stoppedEpoch = epoch;
        model().setStopTraining(true);
        if (restoreBestWeights && bestWeights != null) {
          if (verbose > 0) Monitors.print("Restoring model weights from the end of the best epoch");
          model().setWeights(bestWeights);
        }
      }
    }
  }

  @Override
  public void onTrainEnd(Logs logs) {
    if (stoppedEpoch > 0 && verbose > 0) {
      Monitors.print(String.format("Epoch %05d: early stopping", stoppedEpoch + 1));
    }
  }

  private Double monitorValue(Logs logs) {
    Double v = logs.getDouble(monitor);
    if (v == null) {
      Warnings.warn(
          "Early stopping conditioned on metric `"
              + monitor
              + "` which is not available. Available metrics are: "
              + Monitors.availableKeys(logs));
    }
    return v;
  }

  /** Keras {@code stopped_epoch}: the 0-based epoch in which training stopped, else 0. */
  public int stoppedEpoch() {
    return stoppedEpoch;
  }

  /** Keras {@code best}: the best monitored value so far (the baseline, or +-inf, before any). */
  public double best() {
    return best;
  }

  /**
   * Keras {@code wait}: epochs since the last improvement (named so because {@code wait()} is
   * {@link Object#wait()}).
   */
  public int epochsWithoutImprovement() {
    return wait;
  }

  /**
   * Keras {@code best_weights}: the weights at the best epoch (with {@code restoreBestWeights}),
   * else null.
   */
  public List<NDArray> bestWeights() {
    return bestWeights;
  }

  /** Keras {@code monitor}. */
  public String monitor() {
    return monitor;
  }

  /** Builds an {@link EarlyStopping}; every argument defaults as in Keras 2.3.1. */
  public static final class Builder extends PlateauBuilder<Builder> {
    private Double baseline;
    private boolean restoreBestWeights = RESTORE_BEST_WEIGHTS_DEFAULT;

    private Builder() {
      super(MIN_DELTA_DEFAULT, PATIENCE_DEFAULT);
    }

    /**
     * {@code baseline} (Keras {@code baseline}): the value to beat; training stops after {@code
     * patience} epochs that do not beat it. Default null (none).
     */
    public Builder baseline(Double baseline) {
      this.baseline = baseline;
      return this;
    }

    /**
     * {@code restoreBestWeights} (Keras {@code restore_best_weights}): when stopping, restore the
     * weights of the best epoch. Default false.
     */
    public Builder restoreBestWeights(boolean restoreBestWeights) {
      this.restoreBestWeights = restoreBestWeights;
      return this;
    }

    public EarlyStopping build() {
      return new EarlyStopping(this);
    }
  }
}
