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
import java.util.List;
import java.util.Map;
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
 * from the same state.
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
  private final Map<Long, Object> results = new HashMap<>();

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

  /**
   * @param shuffle shuffle the index order at each pass
   * @param seed the seed of that order
   */
  SequenceDispatch(WorkerPool pool, boolean shuffle, long seed) {
    this.pool = pool;
    this.order = new PassOrder(() -> length, shuffle, seed);
  }

  /** Forgets the fetches of an earlier run; before the workers start. */
  void reset(int workers, int maxQueueSize) {
    pool.lock.lock();
    try {
      this.maxQueueSize = maxQueueSize;
      results.clear();
      released = dispatched = handed = 0;
      inFlight = new int[workers];
      epochEnding = false;
    } finally {
      pool.lock.unlock();
    }
  }

  @Override
  public void onReady(WorkerProcess w, JsonNode msg) {
    if (w.index == 0) length = msg.path("len").asInt();
  }

  @Override
  public void onBatch(WorkerProcess w, long seq, Object result) {
    results.put(seq, result);
    inFlight[w.index]--;
    pump();
  }

  @Override
  public void onError(WorkerProcess w, long seq, RuntimeException error) {
    if (seq < 0) {
      pool.setFatal(error); // on no index: the worker is broken
      return;
    }
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
    while (dispatched < released && dispatched - handed < maxQueueSize) {
      WorkerProcess idle = null;
      for (int k = 0; k < n; k++) {
        WorkerProcess w = procs.get((turn + k) % n);
        if (w.ready
            && !w.exited
            && inFlight[w.index] < FETCH_DEPTH
            && (idle == null || inFlight[w.index] < inFlight[idle.index])) {
          idle = w;
        }
      }
      if (idle == null) return;
      turn = (idle.index + 1) % n;
      int index = order.next();
      long seq = dispatched++;
      inFlight[idle.index]++;
      try {
        idle.send(WorkerProcess.GET, index, idle.takePendingFree(), seq);
      } catch (UncheckedIOException e) {
        return; // the worker died: its reader thread reports the exit status
      }
    }
  }

  /** The Sequence's {@code len()} as last reported by the workers. */
  int size() {
    pool.lock.lock();
    try {
      return length;
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

  /** The next batch in order, or the exception to throw. */
  Object next() throws InterruptedException {
    pool.lock.lock();
    try {
      if (handed >= released) {
        throw new IllegalStateException(
            "No batch was requested: call beginEpoch(steps) before next(), or use get().");
      }
      while (true) {
        Object r = results.remove(handed);
        if (r != null) {
          handed++;
          pump();
          return r instanceof WorkerPool.Failure f ? f.error() : r;
        }
        if (pool.fatal() != null) return pool.fatal();
        if (pool.stopping()) return new IllegalStateException("The enqueuer was stopped.");
        pool.awaitChange();
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
    JsonNode reply = pool.request(procs.get(0), "{\"op\":\"epoch_end\",\"share\":" + share + "}");
    if (reply == null)
      return pool.fatal() != null
          ? pool.fatal()
          : new IllegalStateException("The enqueuer was stopped.");
    if (WorkerPool.isError(reply)) return WorkerPool.error(reply);
    length = reply.path("len").asInt(length);
    JsonNode state = reply.get("state");
    if (state == null || state.isNull()) return null;
    stateFiles.add(Path.of(state.asText()));
    String load = JSON.writeValueAsString(Map.of("op", "load_state", "path", state.asText()));
    List<WorkerProcess> others = procs.subList(1, procs.size());
    for (WorkerProcess w : others) pool.sendControl(w, load);
    RuntimeException error = null;
    for (WorkerProcess w : others) {
      JsonNode r = pool.awaitControl(w);
      if (r == null) break;
      if (WorkerPool.isError(r) && error == null) error = WorkerPool.error(r);
    }
    return error;
  }

  private boolean anyInFlight() {
    for (int n : inFlight) if (n > 0) return true;
    return false;
  }
}
