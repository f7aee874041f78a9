package jkeras.engine;

import jkeras.utils.RngUtils;

import java.util.Iterator;
import java.util.NoSuchElementException;
import jkeras.data.Batch;
import jkeras.utils.GeneratorEnqueuer;
import jkeras.utils.GeneratorExhaustedException;
import jkeras.utils.OrderedEnqueuer;
import jkeras.utils.Sequence;

/**
 * A Sequence or generator as the training loop consumes it, epoch by epoch, on the training thread
 * ({@code workers == 0}) or through an enqueuer ({@code workers >= 1}). One interface for Java and
 * Python sources: both arrive as a {@link Sequence} or an {@link Iterator}.
 */
interface BatchStream extends AutoCloseable {
  /** Announces the steps of the coming epoch (a Sequence's enqueuer fetches exactly these). */
  void beginEpoch(int steps);

  Batch next();

  /** After the epoch's callbacks: a training Sequence's {@code onEpochEnd()}. */
  void endEpoch();

  @Override
  void close();

  /**
   * Opens a stream over {@code source}.
   *
   * @param callsOnEpochEnd whether {@link #endEpoch()} calls the Sequence's {@code onEpochEnd()}
   *     (training data: yes; validation and inference: no)
   */
  static BatchStream open(
      Object source, int workers, int maxQueueSize, boolean shuffle, boolean useMultiprocessing, boolean callsOnEpochEnd) {
    if (useMultiprocessing && workers > 0 && source instanceof jkeras.utils.ProcessCapable pc) {
      jkeras.utils.SequenceEnqueuer e = pc.processEnqueuer(shuffle, RngUtils.streamSeed());
      e.start(workers, maxQueueSize);
      return new Enqueued(e, callsOnEpochEnd);
    }
    if (source instanceof Sequence seq) {
      if (workers == 0) return new SyncSequence(seq, shuffle, callsOnEpochEnd);
      OrderedEnqueuer e = new OrderedEnqueuer(seq, useMultiprocessing, shuffle);
      e.start(workers, maxQueueSize);
      return new Enqueued(e, callsOnEpochEnd);
    }
    if (source instanceof Iterator<?> it) {
      if (workers == 0) return new SyncIterator(it);
      GeneratorEnqueuer e = new GeneratorEnqueuer(it, useMultiprocessing);
      e.start(workers, maxQueueSize);
      return new Enqueued(e, false);
    }
    throw new IllegalArgumentException(
        "Expected a `jkeras.utils.Sequence` or a `java.util.Iterator` of batches. Received: "
            + (source == null ? "null" : source.getClass().getName()));
  }

  /** {@code workers=0}, Sequence: Keras' {@code iter_sequence_infinite}, on the caller's thread. */
  final class SyncSequence implements BatchStream {
    private final Sequence seq;
    private final jkeras.utils.PassOrder order;
    private final boolean callsOnEpochEnd;

    SyncSequence(Sequence seq, boolean shuffle, boolean callsOnEpochEnd) {
      this.seq = seq;
      this.order = new jkeras.utils.PassOrder(seq, shuffle, RngUtils.streamSeed());
      this.callsOnEpochEnd = callsOnEpochEnd;
      // workers=0: the calling thread is the only worker.
      if (seq instanceof jkeras.utils.WorkerLifecycle w) w.workerStarted();
    }

    @Override
    public void beginEpoch(int steps) {}

    @Override
    public Batch next() {
      Batch b = seq.get(order.next());
      if (b == null) {
        throw new IllegalArgumentException(
            "Output of generator should be a tuple `(x, y, sample_weight)` or `(x, y)`. Found: null");
      }
      return b;
    }

    @Override
    public void endEpoch() {
      if (callsOnEpochEnd) seq.onEpochEnd();
    }

    @Override
    public void close() {
      if (seq instanceof jkeras.utils.WorkerLifecycle w) w.workerStopped();
    }
  }

  /** {@code workers=0}, generator: draws exactly what is trained on. */
  final class SyncIterator implements BatchStream {
    private final Iterator<?> it;

    SyncIterator(Iterator<?> it) {
      this.it = it;
      if (it instanceof jkeras.utils.WorkerLifecycle w) w.workerStarted();
    }

    @Override
    public void beginEpoch(int steps) {}

    @Override
    public Batch next() {
      Object item;
      synchronized (it) {
        try {
          if (!it.hasNext()) throw new GeneratorExhaustedException("The generator has no more batches.");
          item = it.next();
        } catch (GeneratorExhaustedException e) {
          throw e;
        } catch (NoSuchElementException e) {
          throw new GeneratorExhaustedException("The generator has no more batches.");
        }
      }
      if (item == null) {
        throw new IllegalArgumentException(
            "Output of generator should be a tuple `(x, y, sample_weight)` or `(x, y)`. Found: null");
      }
      return Batch.from(item);
    }

    @Override
    public void endEpoch() {}

    @Override
    public void close() {
      if (it instanceof jkeras.utils.WorkerLifecycle w) w.workerStopped();
    }
  }

  /** {@code workers>=1}: through an enqueuer, stopped and joined on close. */
  final class Enqueued implements BatchStream {
    private final jkeras.utils.SequenceEnqueuer enqueuer;
    private final boolean callsOnEpochEnd;

    Enqueued(jkeras.utils.SequenceEnqueuer enqueuer, boolean callsOnEpochEnd) {
      this.enqueuer = enqueuer;
      this.callsOnEpochEnd = callsOnEpochEnd;
    }

    @Override
    public void beginEpoch(int steps) {
      enqueuer.beginEpoch(steps);
    }

    @Override
    public Batch next() {
      return enqueuer.next();
    }

    @Override
    public void endEpoch() {
      if (callsOnEpochEnd) enqueuer.endEpoch();
    }

    @Override
    public void close() {
      enqueuer.stop();
    }
  }
}
