package jkeras.python.process;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import jkeras.data.Batch;
import jkeras.distribute.ReplicaContext;
import jkeras.internal.Warnings;
import jkeras.python.PythonEnvironment;
import jkeras.python.PythonSource;
import jkeras.utils.GeneratorExhaustedException;
import jkeras.utils.SequenceEnqueuer;

/**
 * Keras' {@code use_multiprocessing=True} for a Python data source: the enqueuer whose workers are
 * {@code workers} Python processes, each with its own GIL. It ties three parts together:
 *
 * <ul>
 *   <li>{@link WorkerPool}: the processes ({@code python -m jkeras.worker}), their frames, the
 *       batches they leave in shared memory, their end and their files;
 *   <li>{@link SequenceDispatch} for a Sequence ({@code isSequence}): every worker builds the
 *       Sequence; indices go out in order, or in a permutation per pass drawn from {@code seed},
 *       and {@link #next()} returns their batches strictly in that order, each index exactly once
 *       per pass; {@link #endEpoch()} runs {@code on_epoch_end()} and gives every worker its state;
 *   <li>{@link GeneratorFlow} for a generator: each worker builds its own, with {@code random} and
 *       {@code numpy.random} seeded with {@code seed + worker index}, and draws one item per
 *       credit, at most {@code maxQueueSize} beyond those {@link #next()} returned. With more than
 *       one worker Keras' duplicate-data warning is emitted. When every worker's generator has
 *       raised StopIteration and the waiting batches are used up, {@link #next()} throws {@link
 *       GeneratorExhaustedException}.
 * </ul>
 *
 * <p>Batches: the arrays of a batch are views of the worker's shared-memory slot ({@link
 * jkeras.data.NDArray#wrapDirect}), not copies; {@link Batch#release()} (the training loop calls it
 * after each step) hands the slot back to the worker. A worker has {@code maxQueueSize + 2} slots,
 * created as it needs them: enough for every batch the bounds above let it have outstanding, plus
 * the one being trained on, plus one to write into. Should a consumer keep batches without
 * releasing them, the JVM keeps one slot of each worker free by copying further batches into Java
 * arrays and freeing their slots at once, so a worker never waits for a release that does not come.
 *
 * <p>Errors: a Python exception is thrown from {@link #next()} with its type and traceback, and
 * stops every worker. A worker that dies is replaced ({@link
 * WorkerFaultOptions#maxWorkerRestarts()} per epoch, with a warning): a Sequence's indices it held
 * are fetched again in their place, a generator restarts with a fresh seed. One death more in the
 * epoch is a {@link WorkerDiedException} with its exit status and stderr tail. A wait longer than
 * {@link #fetchTimeout()} (from {@link WorkerFaultOptions#fetchTimeout()}) warns with Keras' text
 * and the state of every worker process, and goes on. {@link #stop()} closes the workers' stdin,
 * then sends SIGTERM and SIGKILL after grace periods, reaps them and deletes their files. Workers
 * also exit when the JVM dies (stdin EOF, parent pid watch) and delete their own files; a shutdown
 * hook covers normal exits.
 */
public final class ProcessEnqueuer extends SequenceEnqueuer {
  /** Keras 2.3.1's warning, word for word (including its unbalanced backtick). */
  public static final String DUPLICATE_DATA_WARNING =
      "Using a generator with `use_multiprocessing=True` and multiple workers may duplicate your data. "
          + "Please consider using the `keras.utils.Sequence class.";

  private final boolean isSequence;

  /** The processes; package-private so that tests can inspect them. */
  final WorkerPool pool;

  private final SequenceDispatch dispatch;
  private final GeneratorFlow flow;

  /**
   * @param env the Python environment whose interpreter runs the workers
   * @param source the data source, rebuilt in every worker
   * @param isSequence the source builds a Sequence ({@code __len__}, {@code __getitem__}); else a
   *     generator or iterable
   * @param shuffle shuffle a Sequence's index order at each pass
   * @param seed the seed of that order, and of the workers' generator seeds
   */
  public ProcessEnqueuer(
      PythonEnvironment env, PythonSource source, boolean isSequence, boolean shuffle, long seed) {
    this(env, source, isSequence, shuffle, seed, WorkerFaultOptions.defaults());
  }

  /**
   * @param faults how dead workers and slow fetches are met
   */
  public ProcessEnqueuer(
      PythonEnvironment env,
      PythonSource source,
      boolean isSequence,
      boolean shuffle,
      long seed,
      WorkerFaultOptions faults) {
    this(env, source, isSequence, shuffle, seed, faults, ReplicaContext.SINGLE);
  }

  /**
   * @param shard in multi-worker training, the cluster worker whose share of a Sequence's indices
   *     to fetch ({@link jkeras.trainers.adapters.ShardedSequence}'s)
   */
  public ProcessEnqueuer(
      PythonEnvironment env,
      PythonSource source,
      boolean isSequence,
      boolean shuffle,
      long seed,
      WorkerFaultOptions faults,
      ReplicaContext shard) {
    super(source);
    setFetchTimeout(faults.fetchTimeout());
    this.isSequence = isSequence;
    this.pool =
        new WorkerPool(env, source, isSequence, seed, this::spawn, faults, this::fetchTimeout);
    if (isSequence) {
      dispatch = new SequenceDispatch(pool, shuffle, seed, shard);
      flow = null;
      pool.listen(dispatch);
    } else {
      dispatch = null;
      flow = new GeneratorFlow(pool);
      pool.listen(flow);
    }
  }

  @Override
  protected void doStart(int workers, int maxQueueSize) {
    if (isSequence) dispatch.reset(workers, maxQueueSize);
    else flow.reset(workers, maxQueueSize);
    if (!isSequence && workers > 1) Warnings.warn(DUPLICATE_DATA_WARNING);
    RuntimeException failure = pool.start(workers, maxQueueSize);
    if (failure != null) {
      stop();
      throw failure;
    }
    if (!isSequence) flow.start();
  }

  /**
   * The Sequence's {@code len()} as last reported by the workers, or this cluster worker's share of
   * it (0 for a generator).
   */
  public int size() {
    return isSequence ? dispatch.size() : 0;
  }

  /** Releases {@code steps} fetches: the batches of one epoch. Ignored for a generator. */
  @Override
  public void beginEpoch(int steps) {
    checkRunning();
    pool.newEpoch();
    if (isSequence) dispatch.beginEpoch(steps);
  }

  /**
   * Runs {@code on_epoch_end()} in worker 0 once the fetches in progress are done and, with several
   * workers, loads its pickled Sequence into the others before any further fetch (a single worker
   * keeps it for a replacement).
   */
  @Override
  public void endEpoch() {
    if (!isSequence || !isRunning()) return;
    RuntimeException error = dispatch.endEpoch();
    if (error != null) {
      stop();
      throw error;
    }
  }

  @Override
  public Batch next() {
    checkRunning();
    handedOver();
    Object outcome;
    try {
      outcome = isSequence ? dispatch.next() : flow.next();
    } catch (InterruptedException e) {
      outcome = interrupted(e);
    }
    if (outcome instanceof Batch b) return b;
    RuntimeException error = (RuntimeException) outcome;
    if (!(error instanceof GeneratorExhaustedException)) stop();
    throw error;
  }

  /**
   * The next {@code n} batches in one hand-over: one lock and, while {@code maxQueueSize} allows
   * the whole group to wait, one wakeup for all of them; on a failure or the generator's end inside
   * the group the batches taken for it are released (their slots go back to the workers).
   */
  @Override
  public List<Batch> next(int n) {
    checkGroup(n);
    checkRunning();
    List<Batch> out = new ArrayList<>(n);
    RuntimeException error;
    try {
      error = isSequence ? dispatch.next(n, out) : flow.next(n, out);
    } catch (InterruptedException e) {
      error = interrupted(e);
    }
    handedOver();
    if (error == null) return out;
    releaseAll(out);
    if (!(error instanceof GeneratorExhaustedException)) stop();
    throw error;
  }

  @Override
  public Iterator<Batch> get() {
    return isSequence ? passes(this::size) : untilExhausted();
  }

  /**
   * The worker processes' pids, in worker order: to find a worker with {@code ps}, a profiler or a
   * debugger.
   */
  public List<Long> workerPids() {
    return pool.pids();
  }

  @Override
  protected void onStop() {
    pool.stop();
  }

  /**
   * The exception for an interrupted wait of the enqueuer's parts, with the interrupt flag kept.
   */
  static RuntimeException interruption(InterruptedException e) {
    return interrupted(e);
  }
}
