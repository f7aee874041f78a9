package jkeras.callbacks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jkeras.internal.Config;
import jkeras.internal.Errors;
import jkeras.internal.PyRepr;
import jkeras.internal.Warnings;

/**
 * Reduces the learning rate when a monitored quantity has stopped improving (Keras 2.3.1 {@code
 * ReduceLROnPlateau}).
 *
 * <pre>{@code
 * Callback reduceLr = ReduceLROnPlateau.builder().monitor("val_loss").factor(0.2).patience(5)
 *     .minLr(0.001).build();
 * }</pre>
 *
 * <p>At every epoch end it first writes the optimizer's learning rate into the logs as {@code lr}
 * (a float32 value, as Keras' {@code K.get_value}), so History and the callbacks after it record
 * it. Then, when the monitored value is available: during a cooldown the cooldown counter goes down
 * and the wait is reset; an improvement ({@code current < best - minDelta} in {@code min} mode,
 * {@code current > best + minDelta} in {@code max} mode) resets the wait; otherwise, outside a
 * cooldown, the wait grows and, when it reaches {@code patience} and the rate is above {@code
 * minLr}, the rate becomes {@code max(lr * factor, minLr)} for the next epoch, printed with {@code
 * verbose > 0} ("Epoch 00006: ReduceLROnPlateau reducing learning rate to 0.0001.") and a cooldown
 * of {@code cooldown} epochs starts. The rate is the optimizer's base rate; an optimizer's {@code
 * decay} still applies on top of it.
 *
 * <p>Stateful: {@link #onTrainBegin} resets the wait, the cooldown and {@code best}. Not
 * thread-safe.
 */
public class ReduceLROnPlateau extends Callback {
  /** Keras {@code monitor='val_loss'}. */
  public static final String MONITOR_DEFAULT = "val_loss";

  /** Keras {@code factor=0.1}. */
  public static final double FACTOR_DEFAULT = 0.1;

  /** Keras {@code patience=10}. */
  public static final int PATIENCE_DEFAULT = 10;

  /** Keras {@code verbose=0}. */
  public static final int VERBOSE_DEFAULT = 0;

  /** Keras {@code mode='auto'}: {@code max} when the monitor's name contains {@code acc}. */
  public static final String MODE_DEFAULT = Monitors.AUTO;

  /** Keras {@code min_delta=1e-4}. */
  public static final double MIN_DELTA_DEFAULT = 1e-4;

  /** Keras {@code cooldown=0}. */
  public static final int COOLDOWN_DEFAULT = 0;

  /** Keras {@code min_lr=0}. */
  public static final double MIN_LR_DEFAULT = 0.0;

  private static final List<String> KEYS =
      List.of(
          "monitor",
          "factor",
          "patience",
          "verbose",
          "mode",
          "min_delta",
          "cooldown",
          "min_lr",
          "epsilon");

  private final String monitor;
  private final double factor;
  private final int patience;
  private final int verbose;
  private final boolean maximize;
  private final double minDelta;
  private final int cooldown;
  private final double minLr;

  private int wait;
  private int cooldownCounter;
  private double best;

  private ReduceLROnPlateau(Builder b) {
    this.monitor = b.monitor;
    this.factor = b.factor;
    this.patience = b.patience;
    this.verbose = b.verbose;
    this.minDelta = b.minDelta;
    this.cooldown = b.cooldown;
    this.minLr = b.minLr;
    String mode = Monitors.mode(b.mode, "Learning Rate Plateau Reducing");
    this.maximize =
        !(mode.equals(Monitors.MIN) || (mode.equals(Monitors.AUTO) && !monitor.contains("acc")));
    reset();
  }

  /** A builder with Keras' defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Keras' keyword form, {@code ReduceLROnPlateau(**kwargs)}: {@code monitor}, {@code factor},
   * {@code patience}, {@code verbose}, {@code mode}, {@code min_delta}, {@code cooldown}, {@code
   * min_lr}, and the deprecated {@code epsilon} (taken as {@code min_delta} with Keras' warning).
   *
   * @throws IllegalArgumentException for an unknown key, a value of the wrong type, or {@code
   *     factor >= 1}
   */
  public static ReduceLROnPlateau fromConfig(Map<String, ?> config) {
    Errors.checkKeys("ReduceLROnPlateau", config, KEYS);
    Map<String, Object> c = new LinkedHashMap<>(config);
    if (c.containsKey("epsilon")) {
      c.put("min_delta", c.remove("epsilon"));
      Warnings.warn(
          "`epsilon` argument is deprecated and will be removed, use `min_delta` instead.");
    }
    Builder b = builder();
    b.readShared(c);
    b.factor(Config.getDouble(c, "factor", FACTOR_DEFAULT));
    b.cooldown(Config.getInt(c, "cooldown", COOLDOWN_DEFAULT));
    b.minLr(Config.getDouble(c, "min_lr", MIN_LR_DEFAULT));
    return b.build();
  }

  private void reset() {
    best = maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    cooldownCounter = 0;
    wait = 0;
  }

  @Override
  public void onTrainBegin(Logs logs) {
    reset();
  }

  @Override
  public void onEpochEnd(int epoch, Logs logs) {
    logs.put("lr", (float) model().learningRate());
    Double current = logs.getDouble(monitor);
    if (current == null) {
      Warnings.warn(
          "Reduce LR on plateau conditioned on metric `"
              + monitor
              + "` which is not available. Available metrics are: "
              + Monitors.availableKeys(logs));
      return;
    }
    if (inCooldown()) {
      cooldownCounter--;
      wait = 0;
    }
    if (maximize ? current > best + minDelta : current < best - minDelta) {
      best = current;
      wait = 0;
    } else if (!inCooldown()) {
      wait++;
      if (wait >= patience) {
        double oldLr = model().learningRate();
        if (oldLr > minLr) {
          double newLr = Math.max(oldLr * factor, minLr);
          model().setLearningRate(newLr);
          if (verbose > 0) {
            Monitors.print(
                String.format(
                    "\nEpoch %05d: ReduceLROnPlateau reducing learning rate to %s.",
                    epoch + 1, PyRepr.pyFloat(newLr)));
          }
          cooldownCounter = cooldown;
          wait = 0;
        }
      }
    }
  }

  /** Keras {@code in_cooldown()}: whether epochs of the cooldown remain. */
  public boolean inCooldown() {
    return cooldownCounter > 0;
  }

  /** Keras {@code best}: the best monitored value so far (+-inf before any). */
  public double best() {
    return best;
  }

  /** Keras {@code wait}: epochs since the last improvement or reduction. */
  public int epochsWithoutImprovement() {
    return wait;
  }

  /** Keras {@code cooldown_counter}: epochs of cooldown left. */
  public int cooldownCounter() {
    return cooldownCounter;
  }

  /** Builds a {@link ReduceLROnPlateau}; every argument defaults as in Keras 2.3.1. */
  public static final class Builder extends PlateauBuilder<Builder> {
    private double factor = FACTOR_DEFAULT;
    private int cooldown = COOLDOWN_DEFAULT;
    private double minLr = MIN_LR_DEFAULT;

    private Builder() {
      super(MIN_DELTA_DEFAULT, PATIENCE_DEFAULT);
    }

    /**
     * {@code factor} (Keras {@code factor}): the new rate is {@code lr * factor}. Default 0.1.
     *
     * @throws IllegalArgumentException when {@code factor >= 1} (Keras' message)
     */
    public Builder factor(double factor) {
      if (!(factor < 1.0)) {
        throw new IllegalArgumentException("ReduceLROnPlateau does not support a factor >= 1.0.");
      }
      this.factor = factor;
      return this;
    }

    /**
     * {@code cooldown} (Keras {@code cooldown}): epochs to wait after a reduction before counting
     * again. Default 0.
     */
    public Builder cooldown(int cooldown) {
      this.cooldown = Monitors.atLeast(cooldown, 0, "cooldown");
      return this;
    }

    /** {@code minLr} (Keras {@code min_lr}): the lower bound of the rate. Default 0. */
    public Builder minLr(double minLr) {
      this.minLr = Monitors.notNaN(minLr, "minLr");
      return this;
    }

    public ReduceLROnPlateau build() {
      return new ReduceLROnPlateau(this);
    }
  }
}
