package jkeras.python.process;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jkeras.data.Batch;
import jkeras.distribute.ReplicaContext;
import jkeras.internal.Warnings;
import jkeras.trainers.adapters.ShardedSequence;
import jkeras.utils.PassOrder;

/**
 * A Sequence's index dispatch over the worker processes (every worker builds the Sequence): the
 * indices come in the order of {@link PassOrder} (each exactly once per pass, shuffled per pass
 * when asked), go to the least busy workers, and their batches are handed out strictly in that
 * order, whichever worker finishes first.
 *
 * <p>Fetches are released by {@link #beginEpoch}: at most {@code maxQueueSize} are ever started
 * beyond the batches {@link #next()} has returned (in progress in a worker or waiting here). {@link
 * #endEpoch()} waits for the fetches in progress, runs {@code on_epoch_end()} in worker 0 and, with
 * several workers, has the others load its pickled Sequence, so every worker starts the next epoch
 * from the same state. A single worker pickles its Sequence too while dead workers may be replaced
 * ({@code max_worker_restarts > 0}): a replacement, of any worker, first loads that state.
 *
 * <p>In multi-worker training ({@code shard} distributed) the order runs over this cluster worker's
 * share of the indices, as {@link ShardedSequence} takes them: local index {@code i} is the
 * Sequence's {@code i * k + r}; a local index past the end is a padding step, fetched as the last
 * index for its shapes and handed out with no samples.
 *
 * <p>Its state is guarded by the pool's lock; the {@link WorkerPool.Listener} methods run with it
 * held, the others take it.
 */
final class SequenceDispatch implements WorkerPool.Listener {
  /** Fetches queued per worker at once. */
  static final int FETCH_DEPTH = 2;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final WorkerPool pool;
  private final PassOrder order;
  private final ReplicaContext shard;
  private final Map<Long, Object> results = new HashMap<>();

  /** The fetches (by seq) that are padding steps of a shard: handed out empty. */
  private final Set<Long> padding = new HashSet<>();

  /** Fetches sent and not yet answered: seq to {index, worker index}. */
  private final Map<Long, int[]> outstanding = new HashMap<>();

  /** Fetches of dead workers to send again, by seq: they go out before any new one. */
  private final java.util.TreeMap<Long, Integer> redo = new java.util.TreeMap<>();

  /**
   * The Sequence's latest pickled state (after on_epoch_end: shared by several workers, kept for a
   * replacement of a single one), or null.
   */
  private Path lastState;

  /** Whether the single worker's state could not be kept once (warned once per run). */
  private boolean stateErrorWarned;

  /** The Sequence's {@code len()} as the workers last reported it. */
  private int length;

  /** Fetches allowed so far (the steps of the epochs begun). */
  private long released;

  /** Fetches sent to a worker; {@code seq} of the next one. */
  private long dispatched;

  /** Batches returned by {@link #next()}; {@code seq} of the next one. */
  private long handed;

  /** Fetches sent and not yet answered, by worker index. */
  private int[] inFlight = new int[0];

  private int turn;
  private int maxQueueSize;
  private boolean epochEnding;

  /** Batches in order the consumer waits for before it is woken; 0 when it does not wait. */
  private int want;

  /**
   * @param shuffle shuffle the index order at each pass
   * @param seed the seed of that order
   */
  SequenceDispatch(WorkerPool pool, boolean shuffle, long seed) {
    this(pool, shuffle, seed, ReplicaContext.SINGLE);
  }

  /**
   * @param shard the cluster worker whose share of the indices to fetch (multi-worker training)
   */
  SequenceDispatch(WorkerPool pool, boolean shuffle, long seed, ReplicaContext shard) {
    this.pool = pool;
    this.shard = shard;
    this.order = new PassOrder(this::localSize, shuffle, seed);
  }

  /** This cluster worker's steps per pass: all the indices when training alone. */
  private int localSize() {
    return ShardedSequence.localSize(length, shard.numReplicasInSync());
  }

  /** Forgets the fetches of an earlier run; before the workers start. */
  void reset(int workers, int maxQueueSize) {
    pool.lock.lock();
    try {
      this.maxQueueSize = maxQueueSize;
      results.clear();
      outstanding.clear();
      redo.clear();
      padding.clear();
      lastState = null;
      stateErrorWarned = false;
      released = dispatched = handed = 0;
      inFlight = new int[workers];
      epochEnding = false;
    } finally {
      pool.lock.unlock();
    }
  }

  @Override
  public void onReady(WorkerProcess w, JsonNode msg) {
    if (w.generation == 0) {
      if (w.index == 0) length = msg.path("len").asInt();
      return;
    }
    // A replacement: it starts from the source; give it the state on_epoch_end left, if shared.
    if (lastState != null) {
      try {
        w.restoring = true;
        w.sendJson(
            WorkerProcess.CONTROL,
            JSON.writeValueAsString(Map.of("op", "load_state", "path", lastState.toString())));
      } catch (JsonProcessingException | UncheckedIOException e) {
        w.restoring = false; // it died again: its reader reports that
        return;
      }
    }
    pump();
  }

  @Override
  public String pending(WorkerProcess w) {
    List<Integer> indices = new ArrayList<>();
    outstanding.entrySet().stream()
        .filter(e -> e.getValue()[1] == w.index)
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> indices.add(e.getValue()[0]));
    if (w.restoring) return "loading the Sequence's state";
    if (indices.isEmpty()) return "idle";
    return indices.size() == 1
        ? "asked for index " + indices.get(0)
        : "asked for indices " + indices;
  }

  @Override
  public void onRestored(WorkerProcess w) {
    pump();
  }

  @Override
  public String onDeath(WorkerProcess w) {
    List<Long> again = new ArrayList<>();
    for (var it = outstanding.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (e.getValue()[1] != w.index) continue;
      redo.put(e.getKey(), e.getValue()[0]);
      again.add(e.getKey());
      it.remove();
    }
    inFlight[w.index] = 0;
    pump(); // the other workers take them meanwhile
    if (again.isEmpty()) return "It held no fetch.";
    List<Integer> indices = new ArrayList<>();
    again.stream().sorted().forEach(q -> indices.add(redo.getOrDefault(q, -1)));
    return "The Sequence indices it was fetching, "
        + indices
        + ", are fetched again: each index is still trained once, in order.";
  }

  @Override
  public void onBatch(WorkerProcess w, long seq, Object result) {
    outstanding.remove(seq);
    results.put(seq, result);
    inFlight[w.index]--;
    pump();
  }

  @Override
  public boolean wakeOnBatch(Object result) {
    if (want <= 1 || epochEnding || result instanceof WorkerPool.Failure) return true;
    for (int k = 0; k < want; k++) if (!results.containsKey(handed + k)) return false;
    return true;
  }

  @Override
  public void onError(WorkerProcess w, long seq, RuntimeException error) {
    if (seq < 0) {
      pool.setFatal(error); // on no index: the worker is broken
      return;
    }
    outstanding.remove(seq);
    results.put(seq, new WorkerPool.Failure(error));
    inFlight[w.index]--;
  }

  @Override
  public void onStop(WorkerProcess w) {
    // Only a generator stops.
  }

  /**
   * Hands indices to the least busy workers while the epoch's budget and the queue bound allow, up
   * to {@value #FETCH_DEPTH} per worker: the next request waits in the worker's pipe, so it starts
   * as soon as the last batch is out instead of a round trip later.
   */
  private void pump() {
    if (pool.fatal() != null || pool.stopping() || epochEnding) return;
    List<WorkerProcess> procs = pool.workers();
    int n = procs.size();
    while (!redo.isEmpty() || (dispatched < released && dispatched - handed < maxQueueSize)) {
      WorkerProcess idle = null;
      for (int k = 0; k < n; k++) {
        WorkerProcess w = procs.get((turn + k) % n);
        if (w.ready
            && !w.exited
            && !w.restoring
            && inFlight[w.index] < FETCH_DEPTH
            && (idle == null || inFlight[w.index] < inFlight[idle.index])) {
          idle = w;
        }
      }
      if (idle == null) return;
      turn = (idle.index + 1) % n;
      int index;
      long seq;
      if (!redo.isEmpty()) {
        var first = redo.pollFirstEntry();
        seq = first.getKey();
        index = first.getValue();
      } else {
        seq = dispatched++;
        index =
            ShardedSequence.globalIndex(
                order.next(), length, shard.numReplicasInSync(), shard.replicaId());
        if (index < 0) {
          padding.add(seq);
          index = length - 1;
        }
      }
      outstanding.put(seq, new int[] {index, idle.index});
      inFlight[idle.index]++;
      try {
        idle.send(WorkerProcess.GET, index, idle.takePendingFree(), seq);
      } catch (UncheckedIOException e) {
        return; // the worker died: its reader thread reports the exit status
      }
    }
  }

  /** Keras 2.3.1's warning for the index awaited ({@code OrderedEnqueuer.get}). */
  private String kerasTimeoutText() {
    int[] o = outstanding.get(handed);
    Integer index = o != null ? Integer.valueOf(o[0]) : redo.get(handed);
    return "The input "
        + (index == null ? "#" + handed : index)
        + " could not be retrieved. It could be because a worker has died.";
  }

  /**
   * The Sequence's {@code len()} as last reported by the workers; in multi-worker training this
   * cluster worker's share of it ({@code ceil(len / k)}).
   */
  int size() {
    pool.lock.lock();
    try {
      return localSize();
    } finally {
      pool.lock.unlock();
    }
  }

  /** Releases {@code steps} fetches: the batches of one epoch. */
  void beginEpoch(int steps) {
    pool.lock.lock();
    try {
      released += steps;
      pump();
    } finally {
      pool.lock.unlock();
    }
  }

  /**
   * The next {@code n} batches in order into {@code out}, taken as they come with one wakeup while
   * the queue bound lets the whole group wait here (a group larger than {@code maxQueueSize} is
   * taken in pieces, the fetches going on as it is); returns null, or the exception to throw (then
   * {@code out} holds the batches taken before it, for the caller to release).
   */
  RuntimeException next(int n, List<Batch> out) throws InterruptedException {
    pool.lock.lock();
    try {
      if (handed + n > released) {
        throw new IllegalStateException(
            "No batch was requested: call beginEpoch(steps) before next(), or use get().");
      }
      long due = pool.stallDue();
      while (true) {
        boolean took = false;
        for (Object r; out.size() < n && (r = results.remove(handed)) != null; ) {
          boolean pad = padding.remove(handed);
          handed++;
          took = true;
          if (r instanceof WorkerPool.Failure f) {
            pump();
            return f.error();
          }
          // A shard's padding step: the batch's shapes with no samples (as next() gives it).
          out.add(pad ? ShardedSequence.emptyLike((Batch) r) : (Batch) r);
        }
        if (took) pump();
        if (out.size() == n) return null;
        if (pool.fatal() != null) return pool.fatal();
        if (pool.stopping()) return new IllegalStateException("The enqueuer was stopped.");
        want = Math.min(n - out.size(), Math.max(1, maxQueueSize));
        try {
          pool.awaitChange();
        } finally {
          want = 0;
        }
        due = pool.checkStall(due, kerasTimeoutText());
      }
    } finally {
      pool.lock.unlock();
    }
  }

  /** The next batch in order, or the exception to throw. */
  Object next() throws InterruptedException {
    pool.lock.lock();
    try {
      if (handed >= released) {
        throw new IllegalStateException(
            "No batch was requested: call beginEpoch(steps) before next(), or use get().");
      }
      long due = pool.stallDue();
      while (true) {
        Object r = results.remove(handed);
        if (r != null) {
          boolean pad = padding.remove(handed);
          handed++;
          pump();
          if (r instanceof WorkerPool.Failure f) return f.error();
          return pad && r instanceof Batch b ? ShardedSequence.emptyLike(b) : r;
        }
        if (pool.fatal() != null) return pool.fatal();
        if (pool.stopping()) return new IllegalStateException("The enqueuer was stopped.");
        pool.awaitChange();
        due = pool.checkStall(due, kerasTimeoutText());
      }
    } finally {
      pool.lock.unlock();
    }
  }

  /**
   * Runs {@code on_epoch_end()} in worker 0 once the fetches in progress are done and, with several
   * workers, loads its pickled Sequence into the others before any further fetch.
   *
   * @return the failure that ends the run, or null
   */
  RuntimeException endEpoch() {
    RuntimeException error = null;
    List<Path> stateFiles = new ArrayList<>();
    pool.lock.lock();
    try {
      epochEnding = true;
      while (pool.fatal() == null && anyInFlight()) pool.awaitChange();
      if (pool.fatal() == null) error = shareEpochEnd(stateFiles);
      if (error == null) error = pool.fatal();
    } catch (InterruptedException e) {
      error = ProcessEnqueuer.interruption(e);
    } catch (JsonProcessingException | UncheckedIOException e) {
      error = new IllegalStateException("Cannot reach the Python worker processes: " + e, e);
    } finally {
      epochEnding = false;
      if (error == null) pump();
      pool.lock.unlock();
    }
    for (Path p : stateFiles) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        // the worker deletes it at exit
      }
    }
    return error;
  }

  /**
   * {@code on_epoch_end()} in worker 0, its state into the others; adds the state file to delete.
   */
  private RuntimeException shareEpochEnd(List<Path> stateFiles)
      throws InterruptedException, JsonProcessingException {
    List<WorkerProcess> procs = pool.workers();
    boolean share = procs.size() > 1;
    // The only worker's state is kept too while a replacement may need it.
    boolean keep = !share && pool.faults().maxWorkerRestarts() > 0;
    JsonNode reply = null;
    while (reply == null) {
      // Worker 0 may be a replacement: it runs on_epoch_end once it is ready and restored.
      WorkerProcess first = procs.get(0);
      while (pool.fatal() == null && !pool.stopping() && (!first.ready || first.restoring)) {
        pool.awaitChange();
        first = procs.get(0);
      }
      if (pool.fatal() != null) return pool.fatal();
      if (pool.stopping()) return new IllegalStateException("The enqueuer was stopped.");
      try {
        reply =
            pool.request(
                first, "{\"op\":\"epoch_end\",\"share\":" + share + ",\"keep\":" + keep + "}");
      } catch (UncheckedIOException e) {
        pool.awaitChange(); // it died: its reader reports that, and a replacement comes
      }
    }
    if (WorkerPool.isError(reply)) return WorkerPool.error(reply);
    length = reply.path("len").asInt(length);
    JsonNode stateError = reply.get("state_error");
    if (stateError != null && !stateErrorWarned) {
      stateErrorWarned = true;
      Warnings.warn(
          "The Sequence's state after on_epoch_end() could not be saved for a replacement of its"
              + " only worker process ("
              + stateError.asText()
              + "): if that process dies, its replacement starts from the state the source"
              + " builds. Training goes on.");
    }
    JsonNode state = reply.get("state");
    if (state == null || state.isNull()) return null;
    if (lastState != null) stateFiles.add(lastState);
    lastState = Path.of(state.asText());
    if (!share) return null;
    String load = JSON.writeValueAsString(Map.of("op", "load_state", "path", state.asText()));
    // A replacement not ready yet loads lastState when it is.
    List<WorkerProcess> others = new ArrayList<>();
    for (WorkerProcess w : procs.subList(1, procs.size())) if (w.ready && !w.exited) others.add(w);
    for (WorkerProcess w : others) {
      try {
        pool.sendControl(w, load);
      } catch (UncheckedIOException e) {
        // it died: its replacement loads lastState
      }
    }
    RuntimeException error = null;
    for (WorkerProcess w : others) {
      JsonNode r = pool.awaitControl(w);
      if (r == null) {
        if (pool.fatal() != null || pool.stopping()) break;
        continue; // it died: its replacement loads lastState
      }
      if (WorkerPool.isError(r) && error == null) error = WorkerPool.error(r);
    }
    return error;
  }

  private boolean anyInFlight() {
    for (int n : inFlight) if (n > 0) return true;
    return false;
  }
}
