package jkeras.trainers.adapters;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.IntSupplier;
import jkeras.data.Batch;
import jkeras.utils.GeneratorEnqueuer;
import jkeras.utils.GeneratorExhaustedException;
import jkeras.utils.OrderedEnqueuer;
import jkeras.utils.PassOrder;
import jkeras.utils.RngUtils;
import jkeras.utils.Sequence;
import jkeras.utils.SequenceEnqueuer;
import jkeras.utils.WorkerLifecycle;

/**
 * The adapter of a {@link Sequence} or a generator ({@link Iterator} of batches), Keras 2.3.1's
 * {@code fit_generator} data path: on the caller's thread for {@code workers == 0} (exactly the
 * batches trained on are drawn), else through an enqueuer's worker threads, or through any {@link
 * SequenceEnqueuer} a provider brings (worker processes). Each batch is checked against the model
 * as it arrives.
 *
 * <p>A training Sequence's {@code onEpochEnd()} runs once per epoch, after the epoch's callbacks;
 * validation and inference data never call it. The stream continues across epochs (with fewer steps
 * than {@code size()}, the next epoch goes on where the last stopped, as in Keras 2).
 */
public final class StreamAdapter implements DataAdapter {
  private static final String NULL_ITEM =
      "Output of generator should be a tuple `(x, y, sample_weight)` or `(x, y)`. Found: None";

  private final Source source;
  private final Kind kind;
  private final IntSupplier size;
  private final AdapterContext context;
  private final AutoCloseable owned;
  private boolean closed;

  private StreamAdapter(
      Source source, Kind kind, IntSupplier size, AdapterContext context, AutoCloseable owned) {
    this.source = source;
    this.kind = kind;
    this.size = size;
    this.context = context;
    this.owned = owned;
  }

  /**
   * The built-in adapter of a {@link Sequence} or an {@link Iterator}: synchronous for {@code
   * workers == 0}, else an {@link OrderedEnqueuer} or a {@link GeneratorEnqueuer} (Java sources use
   * threads whatever {@code useMultiprocessing} says: JVM threads have no GIL).
   */
  static StreamAdapter of(Object data, AdapterContext ctx) {
    boolean shuffle = ctx.shuffle() && ctx.role() == AdapterContext.Role.TRAIN;
    if (data instanceof Sequence seq) {
      if (ctx.workers() == 0)
        return new StreamAdapter(
            new SyncSequence(seq, shuffle), Kind.SEQUENCE, seq::size, ctx, null);
      return enqueued(
          new OrderedEnqueuer(seq, ctx.useMultiprocessing(), shuffle),
          Kind.SEQUENCE,
          seq::size,
          ctx,
          null);
    }
    Iterator<?> it = (Iterator<?>) data;
    if (ctx.workers() == 0)
      return new StreamAdapter(new SyncIterator(it), Kind.GENERATOR, null, ctx, null);
    return enqueued(
        new GeneratorEnqueuer(it, ctx.useMultiprocessing()), Kind.GENERATOR, null, ctx, null);
  }

  /**
   * An adapter over an enqueuer that is not started yet, which it starts with the context's {@code
   * workers} and {@code maxQueueSize} when the first epoch begins (so a call rejected for its
   * arguments draws nothing) and stops on close: the way for a {@link DataAdapterProvider} to serve
   * a stream with its own workers (e.g. processes).
   *
   * @param kind {@link Kind#SEQUENCE} or {@link Kind#GENERATOR}
   * @param size a Sequence's {@code size()}, read at each epoch's start; null for a generator
   * @param owned closed after the enqueuer stops (e.g. a source the provider opened), or null
   */
  public static StreamAdapter enqueued(
      SequenceEnqueuer enqueuer,
      Kind kind,
      IntSupplier size,
      AdapterContext ctx,
      AutoCloseable owned) {
    if (kind == Kind.ARRAYS)
      throw new IllegalArgumentException("A stream is a Sequence or a generator, not arrays.");
    return new StreamAdapter(
        new Enqueued(enqueuer, ctx.workers(), ctx.maxQueueSize()), kind, size, ctx, owned);
  }

  /** The built-in adapter over {@code data} that also closes {@code owned} when it closes. */
  public static StreamAdapter owning(Object data, AdapterContext ctx, AutoCloseable owned) {
    StreamAdapter a = of(data, ctx);
    return new StreamAdapter(a.source, a.kind, a.size, ctx, owned);
  }

  @Override
  public Kind kind() {
    return kind;
  }

  @Override
  public Integer numBatches() {
    return size == null ? null : size.getAsInt();
  }

  @Override
  public void onEpochBegin(int steps) {
    source.beginEpoch(steps);
  }

  @Override
  public StepData next() {
    return standardize(source.next());
  }

  /**
   * A group through the source's own group hand-over (one wait for an enqueuer's {@code n}
   * batches), each batch then checked; all are released if one check fails.
   */
  @Override
  public List<StepData> next(int n) {
    if (n == 1) return List.of(next());
    List<Batch> group = source.next(n);
    List<StepData> out = new ArrayList<>(n);
    try {
      for (Batch b : group) {
        out.add(standardize(b));
      }
      return out;
    } catch (RuntimeException | Error e) {
      // standardize released the failed batch; the earlier ones are checked, the later unread.
      for (StepData d : out) d.release();
      for (Batch b : group.subList(out.size() + 1, group.size())) b.release();
      throw e;
    }
  }

  private StepData standardize(Batch b) {
    try {
      return Standardize.batch(
          b,
          context.role(),
          context.spec(),
          context.role() == AdapterContext.Role.TRAIN ? context.classWeight() : null,
          context.replicas().distributed());
    } catch (RuntimeException | Error e) {
      b.release();
      throw e;
    }
  }

  @Override
  public void onEpochEnd() {
    if (context.role() == AdapterContext.Role.TRAIN) source.endEpoch();
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    try {
      source.close();
    } finally {
      if (owned != null) {
        try {
          owned.close();
        } catch (RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IllegalStateException("Closing the data source failed: " + e, e);
        }
      }
    }
  }

  /** Where the batches come from: the caller's thread or an enqueuer. */
  private interface Source {
    void beginEpoch(int steps);

    Batch next();

    /** {@code n} batches; those drawn are released if a later one fails. */
    default List<Batch> next(int n) {
      List<Batch> out = new ArrayList<>(n);
      try {
        for (int i = 0; i < n; i++) out.add(next());
        return out;
      } catch (RuntimeException | Error e) {
        for (Batch b : out) b.release();
        throw e;
      }
    }

    void endEpoch();

    void close();
  }

  /** {@code workers=0}, Sequence: Keras' {@code iter_sequence_infinite}, on the caller's thread. */
  private static final class SyncSequence implements Source {
    private final Sequence seq;
    private final PassOrder order;

    SyncSequence(Sequence seq, boolean shuffle) {
      this.seq = seq;
      this.order = new PassOrder(seq, shuffle, RngUtils.streamSeed());
      // workers=0: the calling thread is the only worker.
      if (seq instanceof WorkerLifecycle w) w.workerStarted();
    }

    @Override
    public void beginEpoch(int steps) {}

    @Override
    public Batch next() {
      Batch b = seq.get(order.next());
      if (b == null) throw new IllegalArgumentException(NULL_ITEM);
      return b;
    }

    @Override
    public void endEpoch() {
      seq.onEpochEnd();
    }

    @Override
    public void close() {
      if (seq instanceof WorkerLifecycle w) w.workerStopped();
    }
  }

  /** {@code workers=0}, generator: draws exactly what is trained on. */
  private static final class SyncIterator implements Source {
    private final Iterator<?> it;

    SyncIterator(Iterator<?> it) {
      this.it = it;
      if (it instanceof WorkerLifecycle w) w.workerStarted();
    }

    @Override
    public void beginEpoch(int steps) {}

    @Override
    public Batch next() {
      Object item;
      synchronized (it) {
        try {
          if (!it.hasNext()) throw new GeneratorExhaustedException();
          item = it.next();
        } catch (GeneratorExhaustedException e) {
          throw e;
        } catch (NoSuchElementException e) {
          throw new GeneratorExhaustedException();
        }
      }
      if (item == null) throw new IllegalArgumentException(NULL_ITEM);
      return Batch.from(item);
    }

    @Override
    public void endEpoch() {}

    @Override
    public void close() {
      if (it instanceof WorkerLifecycle w) w.workerStopped();
    }
  }

  /**
   * {@code workers>=1}: through an enqueuer, started with the first epoch, stopped and joined on
   * close.
   */
  private static final class Enqueued implements Source {
    private final SequenceEnqueuer enqueuer;
    private final int workers;
    private final int maxQueueSize;

    Enqueued(SequenceEnqueuer enqueuer, int workers, int maxQueueSize) {
      this.enqueuer = enqueuer;
      this.workers = workers;
      this.maxQueueSize = maxQueueSize;
    }

    @Override
    public void beginEpoch(int steps) {
      if (!enqueuer.isRunning()) enqueuer.start(workers, maxQueueSize);
      enqueuer.beginEpoch(steps);
    }

    @Override
    public Batch next() {
      return enqueuer.next();
    }

    @Override
    public List<Batch> next(int n) {
      return enqueuer.next(n);
    }

    @Override
    public void endEpoch() {
      enqueuer.endEpoch();
    }

    @Override
    public void close() {
      enqueuer.stop();
    }
  }
}
