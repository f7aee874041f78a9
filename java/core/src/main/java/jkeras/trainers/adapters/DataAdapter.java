package jkeras.trainers.adapters;

import java.util.ArrayList;
import java.util.List;

/**
 * One kind of input as the trainer consumes it, Keras 3's {@code DataAdapter}: it knows how many
 * batches an epoch has (when it can), produces them checked against the model, and takes part in
 * the epoch's life ({@code on_epoch_begin}/{@code on_epoch_end}). Built-in adapters serve arrays,
 * {@link jkeras.utils.Sequence}s and {@link java.util.Iterator}s; other modules add theirs through
 * a {@link DataAdapterProvider}. {@link DataAdapters} chooses.
 *
 * <p>Used from one thread (the trainer's); closing it stops whatever it started (worker threads,
 * processes) and is idempotent.
 */
public interface DataAdapter extends AutoCloseable {
  /** How the data behaves, which decides Keras' argument rules and logging. */
  enum Kind {
    /** In-memory arrays: counted in samples, sliced into batches of {@code batch_size}. */
    ARRAYS,
    /** A {@code Sequence}: a known number of batches per epoch, read again every epoch. */
    SEQUENCE,
    /** A generator: endless or exhausted, never counted. */
    GENERATOR
  }

  Kind kind();

  /**
   * The number of batches of the coming epoch when the data knows it (arrays; a Sequence's {@code
   * size()}, read now), else {@code null}.
   */
  Integer numBatches();

  /** Starts an epoch of {@code steps} batches (an enqueuer fetches exactly these). */
  void onEpochBegin(int steps);

  /** The next batch. The trainer calls {@link StepData#release()} after the step it fed. */
  StepData next();

  /**
   * The next {@code n} batches in one hand-over (a group of {@code steps_per_execution} steps), in
   * the order {@link #next()} gives them. If the data fail or end before the group is complete, the
   * batches already drawn for it are released and the exception {@link #next()} would throw there
   * is thrown. This default draws them one {@link #next()} at a time.
   */
  default List<StepData> next(int n) {
    List<StepData> out = new ArrayList<>(n);
    try {
      for (int i = 0; i < n; i++) out.add(next());
      return out;
    } catch (RuntimeException | Error e) {
      for (StepData b : out) b.release();
      throw e;
    }
  }

  /**
   * After the epoch's callbacks, unless training stopped: a training Sequence's {@code
   * onEpochEnd()}.
   */
  void onEpochEnd();

  /** The number of samples, for arrays ({@code params['samples']}); {@code null} for streams. */
  default Long samples() {
    return null;
  }

  /**
   * A batch's weight in the epoch's means and its {@code size} in the logs: its samples, or 1 when
   * every step uses all the data (arrays with {@code steps_per_epoch}).
   */
  default long logSize(StepData batch) {
    return batch.n();
  }

  /** Stops and releases what the adapter started. Idempotent. */
  @Override
  void close();
}
