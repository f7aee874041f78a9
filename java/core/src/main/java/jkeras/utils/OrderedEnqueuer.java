package jkeras.utils;

import java.util.Iterator;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
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
              activity("fetching index " + index);
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
        activity("waiting to queue the fetch of index " + index);
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
    checkRunning();
    if (delivered >= requested) {
      throw new IllegalStateException(
          "No batch was requested: call beginEpoch(steps) before next(), or use get().");
    }
    delivered++;
    long due = stallDue();
    Fetch head = null;
    try {
      while (true) {
        if (head == null) head = queue.poll(50, TimeUnit.MILLISECONDS);
        if (head != null) {
          try {
            return head.future().get(50, TimeUnit.MILLISECONDS);
          } catch (TimeoutException e) {
            // still being fetched
          } catch (ExecutionException e) {
            stop();
            throw rethrow(e.getCause());
          }
        }
        if (!isRunning() || stopping) {
          if (head != null) releaseWhenDone(head.future());
          throw new IllegalStateException("The enqueuer was stopped.");
        }
        due = checkStall(due, couldNotBeRetrieved(head == null ? null : head.index()));
      }
    } catch (InterruptedException e) {
      if (head != null) releaseWhenDone(head.future());
      stop();
      throw interrupted(e);
    }
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
