package jkeras.utils;

import java.util.Iterator;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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
 */
public final class OrderedEnqueuer extends SequenceEnqueuer {
  private final Sequence sequence;
  private final PassOrder order;
  private final Semaphore budget = new Semaphore(0);
  private BlockingQueue<CompletableFuture<Batch>> queue;
  private BlockingQueue<Runnable> tasks;
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
              try {
                Batch b = sequence.get(index);
                if (b == null) {
                  throw new IllegalArgumentException(
                      "Output of generator should be a tuple `(x, y, sample_weight)` or `(x, y)`. Found: None");
                }
                f.complete(b);
              } catch (Throwable t) {
                f.completeExceptionally(t);
              }
            });
        while (!queue.offer(f, 50, TimeUnit.MILLISECONDS)) {
          if (stopping) {
            releaseWhenDone(f);
            return;
          }
        }
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
    try {
      while (true) {
        CompletableFuture<Batch> f = queue.poll(50, TimeUnit.MILLISECONDS);
        if (f != null) {
          try {
            return f.get();
          } catch (ExecutionException e) {
            stop();
            throw rethrow(e.getCause());
          }
        }
        if (!isRunning() || stopping) throw new IllegalStateException("The enqueuer was stopped.");
      }
    } catch (InterruptedException e) {
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
    for (CompletableFuture<Batch> f; (f = queue.poll()) != null; ) releaseWhenDone(f);
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
