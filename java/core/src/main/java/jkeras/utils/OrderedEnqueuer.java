package jkeras.utils;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import jkeras.data.Batch;

/**
 * Keras' {@code OrderedEnqueuer} for a {@link Sequence}: {@code workers} threads fetch batches by
 * index while the model trains, and batches come out in index order (or in the epoch's shuffled
 * order), each index exactly once per pass.
 *
 * <p>Epochs: fetching is released epoch by epoch ({@link #beginEpoch}), so nothing of the next
 * epoch is fetched before {@link #endEpoch()} has called the sequence's {@code onEpochEnd()}: state
 * changed there is seen by every fetch of the next epoch. Within an epoch at most {@code
 * maxQueueSize + 1} batches are fetched beyond those handed out (the queue of pending fetches, plus
 * the one the dispatcher is waiting to queue).
 *
 * <p>The stream continues across epochs: with fewer steps per epoch than {@code size()}, the next
 * epoch goes on from where the last one stopped, as in Keras 2; a new pass (reshuffled when {@code
 * shuffle}) starts when a pass is used up, and {@code size()} is read again then.
 *
 * <p>A batch that does not come within {@link #fetchTimeout()} is warned about with Keras' text
 * naming its index and what each worker thread is doing, and still waited for.
 *
 * <p>A group ({@link #next(int)}) takes its fetches off the queue as they are queued and then waits
 * once for all of them to be done. Taken fetches count as handed out, so a group larger than {@code
 * maxQueueSize} is fetched in pieces while it is assembled.
 */
public final class OrderedEnqueuer extends SequenceEnqueuer {
  private final Sequence sequence;
  private final PassOrder order;
  private final Semaphore budget = new Semaphore(0);
  private BlockingQueue<Fetch> queue;
  private BlockingQueue<Runnable> tasks;

  /** A fetch queued in order: the Sequence index and its batch to come. */
  private record Fetch(int index, CompletableFuture<Batch> future) {}

  // Touched only by the consuming thread.
  private long requested;
  private long delivered;

  /**
   * @param sequence the batches
   * @param useMultiprocessing accepted for Keras compatibility: Java sequences always use threads
   * @param shuffle reshuffle the index order at each pass (Keras {@code shuffle})
   */
  public OrderedEnqueuer(Sequence sequence, boolean useMultiprocessing, boolean shuffle) {
    this(sequence, useMultiprocessing, shuffle, RngUtils.streamSeed());
  }

  /** With an explicit seed for the shuffled order. */
  public OrderedEnqueuer(
      Sequence sequence, boolean useMultiprocessing, boolean shuffle, long seed) {
    super(sequence);
    this.sequence = sequence;
    this.order = new PassOrder(sequence, shuffle, seed);
  }

  public OrderedEnqueuer(Sequence sequence) {
    this(sequence, false, false);
  }

  @Override
  protected void doStart(int workers, int maxQueueSize) {
    queue = new ArrayBlockingQueue<>(maxQueueSize);
    tasks = new LinkedBlockingQueue<>();
    for (int i = 0; i < workers; i++) spawn("worker", this::work);
    spawn("dispatcher", this::dispatch);
  }

  private void work() {
    try {
      while (!stopping) {
        Runnable r = tasks.poll(50, TimeUnit.MILLISECONDS);
        if (r != null) r.run();
      }
    } catch (InterruptedException e) {
      // stopping
    }
  }

  private void dispatch() {
    try {
      while (!stopping) {
        if (!budget.tryAcquire(50, TimeUnit.MILLISECONDS)) continue;
        int index = order.next();
        CompletableFuture<Batch> f = new CompletableFuture<>();
        tasks.add(
            () -> {
              activity("fetching index ", index);
              try {
                Batch b = sequence.get(index);
                if (b == null) {
                  throw new IllegalArgumentException(
                      "Output of generator should be a tuple `(x, y, sample_weight)` or `(x, y)`. Found: None");
                }
                f.complete(b);
              } catch (Throwable t) {
                f.completeExceptionally(t);
              } finally {
                activity(null);
              }
            });
        activity("waiting to queue the fetch of index ", index);
        while (!queue.offer(new Fetch(index, f), 50, TimeUnit.MILLISECONDS)) {
          if (stopping) {
            releaseWhenDone(f);
            return;
          }
        }
        activity(null);
      }
    } catch (InterruptedException e) {
      // stopping
    }
  }

  /** Releases {@code steps} fetches: the batches of one epoch. */
  @Override
  public void beginEpoch(int steps) {
    checkRunning();
    requested += steps;
    budget.release(steps);
  }

  /** Ends an epoch: calls the sequence's {@code onEpochEnd()} on this thread. */
  @Override
  public void endEpoch() {
    sequence.onEpochEnd();
  }

  @Override
  public Batch next() {
    return take(1).get(0);
  }

  @Override
  public List<Batch> next(int n) {
    checkGroup(n);
    return take(n);
  }

  /**
   * The next {@code n} batches in order: their fetches taken off the queue, then one wait for all.
   */
  private List<Batch> take(int n) {
    checkRunning();
    if (delivered + n > requested) {
      throw new IllegalStateException(
          "No batch was requested: call beginEpoch(steps) before next(), or use get().");
    }
    delivered += n;
    long due = stallDue();
    List<Fetch> heads = new ArrayList<>(n);
    try {
      while (heads.size() < n) {
        if (queue.drainTo(heads, n - heads.size()) > 0) continue;
        Fetch head = queue.poll(50, TimeUnit.MILLISECONDS);
        if (head != null) heads.add(head);
        else {
          stopped(heads);
          due = checkStall(due, couldNotBeRetrieved(null));
        }
      }
      CompletableFuture<?> all =
          n == 1
              ? heads.get(0).future()
              : CompletableFuture.allOf(
                  heads.stream().map(Fetch::future).toArray(CompletableFuture[]::new));
      while (true) {
        try {
          all.get(50, TimeUnit.MILLISECONDS);
          break;
        } catch (TimeoutException e) {
          // still being fetched
        } catch (ExecutionException e) {
          break; // every fetch is done: the first failure in order is thrown below
        }
        stopped(heads);
        due = checkStall(due, couldNotBeRetrieved(firstPending(heads)));
      }
    } catch (InterruptedException e) {
      for (Fetch f : heads) releaseWhenDone(f.future());
      stop();
      throw interrupted(e);
    }
    handedOver();
    List<Batch> out = new ArrayList<>(n);
    Throwable failure = null;
    for (Fetch f : heads) {
      try {
        if (failure == null) out.add(f.future().join());
        else releaseWhenDone(f.future());
      } catch (CompletionException e) {
        failure = e.getCause();
      }
    }
    if (failure == null) return out;
    releaseAll(out);
    stop();
    throw rethrow(failure);
  }

  /** Throws when the enqueuer was stopped meanwhile, releasing the fetches taken. */
  private void stopped(List<Fetch> heads) {
    if (isRunning() && !stopping) return;
    for (Fetch f : heads) releaseWhenDone(f.future());
    throw new IllegalStateException("The enqueuer was stopped.");
  }

  /** The index of the first fetch not done yet, for the stall warning. */
  private static Integer firstPending(List<Fetch> heads) {
    for (Fetch f : heads) if (!f.future().isDone()) return f.index();
    return null;
  }

  /** Endless passes over the sequence, {@code onEpochEnd()} after each, as Keras' enqueuer does. */
  @Override
  public Iterator<Batch> get() {
    return passes(sequence::size);
  }

  /** Batches fetched but never handed out are released (their buffers may be recycled). */
  @Override
  protected void onStop() {
    if (tasks != null) tasks.clear();
    if (queue == null) return;
    for (Fetch f; (f = queue.poll()) != null; ) releaseWhenDone(f.future());
  }

  /** The dispatcher may have queued one more fetch while stopping. */
  @Override
  protected void onStopped() {
    onStop();
  }

  private static void releaseWhenDone(CompletableFuture<Batch> f) {
    f.thenAccept(SequenceEnqueuer::releaseQuietly);
  }
}
