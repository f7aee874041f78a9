package jkeras.trainers;

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
  private final DataAdapter adapter;
  private final Integer steps;

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
    return n == 1 ? List.of(adapter.next()) : adapter.next(n);
  }

  /** After the epoch's callbacks, unless training stopped. */
  void endEpoch() {
    adapter.onEpochEnd();
  }
}
