package jkeras.trainers;

import java.util.ArrayList;
import java.util.List;
import jkeras.internal.Errors;
import jkeras.trainers.adapters.DataAdapter;
import jkeras.trainers.adapters.StepData;

/**
 * Epochs over a data adapter, Keras 3's {@code EpochIterator}: how many steps each epoch takes
 * ({@code steps_per_epoch}, or the data's own count, which a Sequence gives again at every epoch as
 * Keras 2.3.1 re-reads {@code len(sequence)}), and the adapter's epoch life around them. The
 * adapter, and with it any enqueuer, is closed by whoever opened it.
 */
final class EpochIterator {
  /**
   * {@code -Djkeras.trainer.groupHandOver=false} draws a group's batches one at a time, as before
   * (a diagnostic switch, read when a loop starts).
   */
  static final String GROUP_HAND_OVER_PROPERTY = "jkeras.trainer.groupHandOver";

  private final DataAdapter adapter;
  private final Integer steps;
  private final boolean groupHandOver =
      !"false".equals(System.getProperty(GROUP_HAND_OVER_PROPERTY));

  /**
   * @param steps {@code steps_per_epoch} (or {@code steps}, {@code validation_steps}), or null for
   *     the data's own count
   * @param stepsArgument the Keras name of {@code steps}, for the error when a generator has none
   * @throws IllegalArgumentException Keras 2's "`steps_per_epoch=None` is only valid for a
   *     generator based on the `keras.utils.Sequence` class..." when neither says how many steps
   *     there are
   */
  EpochIterator(DataAdapter adapter, Integer steps, String stepsArgument) {
    if (steps == null && adapter.kind() == DataAdapter.Kind.GENERATOR)
      throw Errors.stepsNoneNeedsSequence(stepsArgument);
    this.adapter = adapter;
    this.steps = steps;
  }

  DataAdapter adapter() {
    return adapter;
  }

  /** Whether each epoch's steps come from the data (a Sequence without {@code steps_per_epoch}). */
  boolean stepsFromData() {
    return steps == null && adapter.kind() == DataAdapter.Kind.SEQUENCE;
  }

  /** The steps of the first epoch, known before it starts (for the callbacks' params). */
  int firstSteps() {
    return steps != null ? steps : adapter.numBatches();
  }

  /** Starts an epoch; returns its steps. */
  int beginEpoch() {
    int s = steps != null ? steps : adapter.numBatches();
    adapter.onEpochBegin(s);
    return s;
  }

  StepData next() {
    return adapter.next();
  }

  /** The next {@code n} batches in one hand-over ({@link DataAdapter#next(int)}). */
  List<StepData> next(int n) {
    if (n == 1) return List.of(adapter.next());
    if (groupHandOver) return adapter.next(n);
    List<StepData> out = new ArrayList<>(n);
    try {
      for (int i = 0; i < n; i++) out.add(adapter.next());
      return out;
    } catch (RuntimeException | Error e) {
      for (StepData b : out) b.release();
      throw e;
    }
  }

  /** After the epoch's callbacks, unless training stopped. */
  void endEpoch() {
    adapter.onEpochEnd();
  }
}
