package jkeras.callbacks;

import java.util.Objects;
import java.util.function.IntToDoubleFunction;
import jkeras.internal.PyRepr;

/**
 * Sets the learning rate at the start of every epoch from a schedule (Keras 2.3.1 {@code
 * LearningRateScheduler}): a function of the 0-based epoch and the current rate, or of the epoch
 * alone (Keras' old form).
 *
 * <pre>{@code
 * Callback halve = new LearningRateScheduler((epoch, lr) -> epoch < 10 ? lr : lr * Math.exp(-0.1));
 * Callback steps = LearningRateScheduler.builder(epoch -> 0.01 * Math.pow(0.5, epoch / 10))
 *     .verbose(1).build();
 * }</pre>
 *
 * <p>The new rate is stored in the optimizer's float32 learning-rate variable (its base rate: an
 * optimizer's {@code decay} still applies on top of it). With {@code verbose > 0} it prints "Epoch
 * 00001: LearningRateScheduler setting learning rate to 0.01." (the value as the schedule returned
 * it). At every epoch end the rate is written into the logs as {@code lr}, so History records it.
 */
public class LearningRateScheduler extends Callback {
  /** Keras {@code verbose=0}. */
  public static final int VERBOSE_DEFAULT = 0;

  /** A schedule of the epoch and the current rate: Keras' {@code schedule(epoch, lr)}. */
  @FunctionalInterface
  public interface Schedule {
    /**
     * @param epoch the 0-based epoch about to start
     * @param lr the current learning rate (the float32 variable's value)
     * @return the rate for this epoch
     */
    double apply(int epoch, double lr);
  }

  private final Schedule schedule;
  private final int verbose;

  /** Keras {@code LearningRateScheduler(schedule)}. */
  public LearningRateScheduler(Schedule schedule) {
    this(schedule, VERBOSE_DEFAULT);
  }

  /**
   * Keras {@code LearningRateScheduler(schedule)} with Keras' old form, {@code schedule(epoch)}.
   */
  public LearningRateScheduler(IntToDoubleFunction schedule) {
    this(epochOnly(schedule), VERBOSE_DEFAULT);
  }

  private LearningRateScheduler(Schedule schedule, int verbose) {
    this.schedule = Monitors.required(schedule, "schedule");
    this.verbose = verbose;
  }

  private static Schedule epochOnly(IntToDoubleFunction schedule) {
    Objects.requireNonNull(schedule, "schedule");
    return (epoch, lr) -> schedule.applyAsDouble(epoch);
  }

  /** A builder for {@code LearningRateScheduler(schedule, verbose=...)}. */
  public static Builder builder(Schedule schedule) {
    return new Builder(Monitors.required(schedule, "schedule"));
  }

  /** A builder for the old form, {@code schedule(epoch)}. */
  public static Builder builder(IntToDoubleFunction schedule) {
    return new Builder(epochOnly(schedule));
  }

  @Override
  public void onEpochBegin(int epoch, Logs logs) {
    double lr = schedule.apply(epoch, model().learningRate());
    model().setLearningRate(lr);
    if (verbose > 0) {
      Monitors.print(
          String.format(
              "\nEpoch %05d: LearningRateScheduler setting learning rate to %s.",
              epoch + 1, PyRepr.pyFloat(lr)));
    }
  }

  @Override
  public void onEpochEnd(int epoch, Logs logs) {
    logs.put("lr", (float) model().learningRate());
  }

  /** Builds a {@link LearningRateScheduler}. */
  public static final class Builder {
    private final Schedule schedule;
    private int verbose = VERBOSE_DEFAULT;

    private Builder(Schedule schedule) {
      this.schedule = schedule;
    }

    /** {@code verbose} (Keras {@code verbose}): 1 prints the rate set each epoch. Default 0. */
    public Builder verbose(int verbose) {
      this.verbose = verbose;
      return this;
    }

    public LearningRateScheduler build() {
      return new LearningRateScheduler(schedule, verbose);
    }
  }
}
