package jkeras.python.process;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.List;
import jkeras.data.Batch;
import jkeras.python.PythonErrors;

/**
 * A generator's flow control over the worker processes (each runs its own copy of the generator): a
 * worker draws one item per credit, and the credits granted plus the batches waiting here stay at
 * exactly {@code maxQueueSize}, so at most {@code maxQueueSize} items are drawn beyond those {@link
 * #next()} returned. A credit freed by {@link #next()} goes to the live worker holding the fewest;
 * those of a worker whose generator ended go to the others. When every generator has ended and the
 * waiting batches are used up, the data is exhausted.
 *
 * <p>Credits travel on the frame that frees a slot ({@link WorkerProcess#grantCredit}), unless the
 * worker would keep fewer than half its share of {@code maxQueueSize} in hand: then at once.
 *
 * <p>Its state is guarded by the pool's lock; the {@link WorkerPool.Listener} methods run with it
 * held, the others take it.
 */
final class GeneratorFlow implements WorkerPool.Listener {
  /** Keras 2.3.1's warning ({@code GeneratorEnqueuer.get}), up to what jkeras does otherwise. */
  static final String KERAS_TIMEOUT_TEXT =
      "An input could not be retrieved. It could be because a worker has died.";

  private final WorkerPool pool;

  /** Batches (or failures) in arrival order. */
  private final ArrayDeque<Object> queue = new ArrayDeque<>();

  /** Credits not granted to any worker yet. */
  private int freeCredits;

  /** Credits granted and not yet used, by worker index. */
  private int[] credits = new int[0];

  /** Workers whose generator ended (StopIteration or an exception), by index. */
  private boolean[] finished = new boolean[0];

  private int turn;
  private int maxQueueSize;

  /** Batches the consumer waits for before it is woken; 0 when it does not wait. */
  private int want;

  GeneratorFlow(WorkerPool pool) {
    this.pool = pool;
  }

  /** Forgets an earlier run; before the workers start. */
  void reset(int workers, int maxQueueSize) {
    pool.lock.lock();
    try {
      this.maxQueueSize = maxQueueSize;
      queue.clear();
      freeCredits = 0;
      credits = new int[workers];
      finished = new boolean[workers];
    } finally {
      pool.lock.unlock();
    }
  }

  /** Once every worker is ready: grants the {@code maxQueueSize} credits and sends them. */
  void start() {
    pool.lock.lock();
    try {
      freeCredits = maxQueueSize;
      grant();
      for (WorkerProcess w : pool.workers()) w.flushCredits();
    } finally {
      pool.lock.unlock();
    }
  }

  @Override
  public void onReady(WorkerProcess w, JsonNode msg) {
    if (w.generation == 0) return; // the first ones get credits from start()
    grant();
    w.flushCredits();
  }

  @Override
  public String onDeath(WorkerProcess w) {
    if (finished[w.index]) return null; // its generator had ended: nothing to replace
    freeCredits += credits[w.index];
    credits[w.index] = 0;
    w.dropUnsentCredits();
    grant();
    return "A fresh copy of the generator starts in it, seeded with "
        + (pool.seedOf(pool.restarts() + 1) + w.index)
        + ": the items the dead worker had drawn and not delivered are lost, and the copy may"
        + " repeat data (the duplicate-data caveat of generators with use_multiprocessing=True;"
        + " a keras.utils.Sequence is fetched exactly once per epoch instead).";
  }

  @Override
  public String pending(WorkerProcess w) {
    if (finished[w.index]) return "its generator ended";
    int c = credits[w.index];
    return c == 0 ? "idle (no credit)" : "drawing, " + c + " item(s) granted and not delivered";
  }

  @Override
  public void onBatch(WorkerProcess w, long seq, Object result) {
    int left = --credits[w.index];
    if (left - w.unsentCredits() < lowWater()) w.flushCredits();
    queue.add(result);
  }

  @Override
  public boolean wakeOnBatch(Object result) {
    return want <= 1 || queue.size() >= want || result instanceof WorkerPool.Failure;
  }

  @Override
  public void onError(WorkerProcess w, long seq, RuntimeException error) {
    queue.add(new WorkerPool.Failure(error));
    retire(w);
  }

  @Override
  public void onStop(WorkerProcess w) {
    retire(w);
    grant();
  }

  /** Grants free credits to the live workers holding the fewest. */
  private void grant() {
    if (pool.stopping()) return;
    List<WorkerProcess> procs = pool.workers();
    int n = procs.size();
    while (freeCredits > 0) {
      WorkerProcess best = null;
      for (int k = 0; k < n; k++) {
        WorkerProcess w = procs.get((turn + k) % n);
        if (!w.ready || w.exited || finished[w.index]) continue;
        if (best == null || credits[w.index] < credits[best.index]) best = w;
      }
      if (best == null) return;
      turn = (best.index + 1) % n;
      int held = ++credits[best.index];
      freeCredits--;
      // Credits ride on the next FREE frame while the worker still has enough in hand.
      best.grantCredit(held - best.unsentCredits() - 1 < lowWater());
    }
  }

  /**
   * Sent credits a worker keeps in hand before new ones are sent at once: half its share of {@code
   * maxQueueSize}, so it keeps drawing while the next release brings more.
   */
  private int lowWater() {
    return Math.max(1, maxQueueSize / (2 * Math.max(1, pool.workers().size())));
  }

  /** The worker's generator ended: its credits go back to the others. */
  private void retire(WorkerProcess w) {
    finished[w.index] = true;
    freeCredits += credits[w.index];
    credits[w.index] = 0;
    w.dropUnsentCredits();
  }

  /**
   * The next {@code n} batches in arrival order into {@code out}, with one wakeup while the queue
   * bound lets the whole group wait here (a larger group is taken in pieces, its credits granted
   * again as it is); returns null, or the exception to throw (then {@code out} holds the batches
   * taken before it, for the caller to release).
   */
  RuntimeException next(int n, List<Batch> out) throws InterruptedException {
    pool.lock.lock();
    try {
      // Workers announce up to a group's batches per write from their next credits on.
      for (WorkerProcess w : pool.workers()) w.group = n;
      long due = pool.stallDue();
      while (true) {
        boolean took = false;
        RuntimeException error = null;
        for (Object o; error == null && out.size() < n && (o = queue.poll()) != null; ) {
          freeCredits++;
          took = true;
          if (o instanceof WorkerPool.Failure f) error = f.error();
          else out.add((Batch) o);
        }
        if (took) grant();
        if (error != null) return error;
        if (out.size() == n) return null;
        if (pool.fatal() != null) return pool.fatal();
        if (allFinished()) return PythonErrors.exhausted();
        if (pool.stopping()) return new IllegalStateException("The enqueuer was stopped.");
        want = Math.min(n - out.size(), Math.max(1, maxQueueSize));
        try {
          pool.awaitChange();
        } finally {
          want = 0;
        }
        due = pool.checkStall(due, KERAS_TIMEOUT_TEXT);
      }
    } finally {
      pool.lock.unlock();
    }
  }

  /** The next batch in arrival order, or the exception to throw. */
  Object next() throws InterruptedException {
    pool.lock.lock();
    try {
      long due = pool.stallDue();
      while (true) {
        Object o = queue.poll();
        if (o != null) {
          freeCredits++;
          grant();
          return o instanceof WorkerPool.Failure f ? f.error() : o;
        }
        if (pool.fatal() != null) return pool.fatal();
        if (allFinished()) return PythonErrors.exhausted();
        if (pool.stopping()) return new IllegalStateException("The enqueuer was stopped.");
        pool.awaitChange();
        due = pool.checkStall(due, KERAS_TIMEOUT_TEXT);
      }
    } finally {
      pool.lock.unlock();
    }
  }

  private boolean allFinished() {
    for (boolean f : finished) if (!f) return false;
    return true;
  }
}
