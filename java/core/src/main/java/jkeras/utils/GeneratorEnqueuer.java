package jkeras.utils;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import jkeras.data.Batch;

/**
 * Keras' {@code GeneratorEnqueuer}: {@code workers} threads draw from one iterator and queue its
 * batches. The iterator's {@code next()} is never entered by two threads at once (calls are
 * serialised on the iterator), so any iterator is safe. Batches, and a failure of the iterator,
 * come out in the order they were drawn, whatever {@code workers} is: a failure is never overtaken
 * by a batch drawn before it, nor overtakes one. At most {@code maxQueueSize + workers} batches are
 * drawn beyond those handed out: the queue's capacity plus one per worker waiting to enqueue. A
 * batch that does not come within {@link #fetchTimeout()} is warned about with Keras' text and what
 * each worker thread is doing (waiting for the iterator, in {@code next()}, queueing), and still
 * waited for.
 */
public final class GeneratorEnqueuer extends SequenceEnqueuer {
  private static final Object END = new Object();
  private final Iterator<?> generator;
  private BlockingQueue<Object> queue;
  private final AtomicInteger alive = new AtomicInteger();
  private final AtomicLong drawn = new AtomicLong();
  private volatile boolean exhausted;

  /**
   * Draw order: a ticket is taken with each item under the iterator's lock, items queue by ticket.
   */
  private final Object turn = new Object();

  private long nextTicket;
  private long nextToQueue;

  /** A failure travels through the queue in order. */
  private record Failure(Throwable error) {}

  /**
   * @param generator the iterator of batches (items as {@link Batch#from} reads them)
   * @param useMultiprocessing accepted for Keras compatibility: Java sources always run on threads
   */
  public GeneratorEnqueuer(Iterator<?> generator, boolean useMultiprocessing) {
    super(generator);
    this.generator = generator;
  }

  public GeneratorEnqueuer(Iterator<?> generator) {
    this(generator, false);
  }

  @Override
  protected void doStart(int workers, int maxQueueSize) {
    queue = new ArrayBlockingQueue<>(maxQueueSize);
    exhausted = false;
    nextTicket = 0;
    nextToQueue = 0;
    alive.set(workers);
    for (int i = 0; i < workers; i++) spawn("worker", this::work);
  }

  private void work() {
    try {
      while (!stopping && !exhausted) {
        Object item;
        long ticket;
        activity("waiting for the generator's lock");
        synchronized (generator) {
          if (stopping || exhausted) return;
          ticket = nextTicket++;
          activity("in next() for item " + ticket);
          try {
            if (!generator.hasNext()) {
              exhausted = true;
              pass(ticket);
              return;
            }
            item = generator.next();
            drawn.incrementAndGet();
          } catch (NoSuchElementException e) {
            exhausted = true;
            pass(ticket);
            return;
          } catch (Throwable t) {
            item = new Failure(t);
          }
        }
        if (item == null)
          item =
              new Failure(
                  new IllegalArgumentException(
                      "Output of generator should be a tuple `(x, y, sample_weight)` or `(x, y)`. Found: None"));
        activity("waiting to queue item " + ticket);
        if (!put(item, ticket)) {
          releaseDropped(item);
          return;
        }
        if (item instanceof Failure) return;
      }
    } finally {
      alive.decrementAndGet();
    }
  }

  /** Queues {@code item} once every item drawn before it is queued. */
  private boolean put(Object item, long ticket) {
    try {
      synchronized (turn) {
        while (nextToQueue != ticket) {
          if (stopping) return false;
          turn.wait(50);
        }
      }
      while (!queue.offer(item, 50, TimeUnit.MILLISECONDS)) {
        if (stopping) return false;
      }
      pass(ticket);
      return true;
    } catch (InterruptedException e) {
      return false;
    }
  }

  /** Ends {@code ticket}'s turn (queued, or nothing to queue). */
  private void pass(long ticket) {
    synchronized (turn) {
      if (nextToQueue == ticket) nextToQueue++;
      turn.notifyAll();
    }
  }

  /** How many items the workers have drawn from the iterator so far. */
  public long drawn() {
    return drawn.get();
  }

  @Override
  public Batch next() {
    checkRunning();
    long due = stallDue();
    try {
      while (true) {
        Object o = queue.poll(50, TimeUnit.MILLISECONDS);
        if (o instanceof Failure f) {
          stop();
          throw rethrow(f.error());
        }
        if (o != null && o != END) return Batch.from(o);
        if (alive.get() == 0 && queue.isEmpty()) {
          if (exhausted) throw new GeneratorExhaustedException();
          throw new IllegalStateException("The enqueuer was stopped.");
        }
        if (o == null) due = checkStall(due, couldNotBeRetrieved(null));
      }
    } catch (InterruptedException e) {
      stop();
      throw interrupted(e);
    }
  }

  @Override
  public Iterator<Batch> get() {
    return untilExhausted();
  }

  /** Batches dropped by stop() are handed back (their buffers may be recycled). */
  @Override
  protected void onStop() {
    if (queue == null) return;
    for (Object o; (o = queue.poll()) != null; ) releaseDropped(o);
  }

  /** A worker may have queued one more batch while stopping. */
  @Override
  protected void onStopped() {
    onStop();
  }

  private static void releaseDropped(Object item) {
    if (item instanceof Batch b) releaseQuietly(b);
  }
}
