package jkeras.utils;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
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
 *
 * <p>A group ({@link #next(int)}) is handed over with one wakeup of the consumer: the workers wake
 * it when the queue holds the whole group (or {@code maxQueueSize} batches of a larger one, which
 * it then takes in pieces of at most that many), when a failure is queued, or when the last worker
 * ends.
 */
public final class GeneratorEnqueuer extends SequenceEnqueuer {
  private final Iterator<?> generator;

  /** The queue of drawn items (batches or failures), bounded by {@code maxQueueSize}. */
  private final ArrayDeque<Object> queue = new ArrayDeque<>();

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notFull = lock.newCondition();
  private final Condition ready = lock.newCondition();
  private int capacity;

  /**
   * Free places in the queue that wake the waiting workers: half the queue, so a worker of a full
   * queue refills it in bursts instead of being woken for every batch taken (the system property
   * {@value #REFILL_PROPERTY}{@code =false} wakes them at every free place, as before; a
   * diagnostic).
   */
  private int refill = 1;

  /** The diagnostic switch of {@link #refill}. */
  static final String REFILL_PROPERTY = "jkeras.enqueuer.refillInBursts";

  /** How many queued items wake the consumer (the rest of its group, capped by the capacity). */
  private int want = 1;

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
    lock.lock();
    try {
      queue.clear();
      capacity = maxQueueSize;
      want = 1;
      boolean bursts = !"false".equals(System.getProperty(REFILL_PROPERTY));
      refill = bursts ? Math.max(1, maxQueueSize / 2) : 1;
    } finally {
      lock.unlock();
    }
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
          activity("in next() for item ", ticket);
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
        activity("waiting to queue item ", ticket);
        if (!put(item, ticket)) {
          releaseDropped(item);
          return;
        }
        if (item instanceof Failure) return;
      }
    } finally {
      alive.decrementAndGet();
      wakeConsumer();
    }
  }

  /** A worker ended: the consumer may be waiting for items that will not come. */
  private void wakeConsumer() {
    lock.lock();
    try {
      ready.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Queues {@code item}, waiting while the queue is full; false when stopping. */
  private boolean offer(Object item) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (queue.size() >= capacity) {
        if (stopping) return false;
        notFull.await(50, TimeUnit.MILLISECONDS);
      }
      queue.add(item);
      if (queue.size() >= want || item instanceof Failure) ready.signal();
      return true;
    } finally {
      lock.unlock();
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
      if (!offer(item)) return false;
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
    return take(1).get(0);
  }

  @Override
  public List<Batch> next(int n) {
    checkGroup(n);
    return take(n);
  }

  /** The next {@code n} items as batches, with one wakeup while the queue can hold them all. */
  private List<Batch> take(int n) {
    checkRunning();
    List<Object> items = new ArrayList<>(n);
    RuntimeException end = null;
    Throwable failure = null;
    long due = stallDue();
    lock.lock();
    try {
      while (items.size() < n) {
        boolean took = false;
        for (Object o; items.size() < n && (o = queue.peek()) != null; ) {
          if (o instanceof Failure f) {
            failure = f.error();
            queue.poll();
            break;
          }
          items.add(queue.poll());
          took = true;
        }
        if (took && capacity - queue.size() >= refill) notFull.signalAll();
        if (failure != null || items.size() == n) break;
        if (alive.get() == 0 && queue.isEmpty()) {
          end =
              exhausted
                  ? new GeneratorExhaustedException()
                  : new IllegalStateException("The enqueuer was stopped.");
          break;
        }
        want = Math.min(n - items.size(), capacity);
        if (!ready.await(50, TimeUnit.MILLISECONDS))
          due = checkStall(due, couldNotBeRetrieved(null));
      }
    } catch (InterruptedException e) {
      end = interrupted(e);
    } finally {
      want = 1;
      lock.unlock();
    }
    handedOver();
    if (failure == null && end == null) return batches(items);
    for (Object o : items) releaseDropped(o);
    // stop() joins the workers, which need the lock: called without it.
    if (!(end instanceof GeneratorExhaustedException)) stop();
    if (failure != null) throw rethrow(failure);
    throw end;
  }

  /** The items as batches; all released if one is not a batch ({@link Batch#from}'s error). */
  private static List<Batch> batches(List<Object> items) {
    List<Batch> out = new ArrayList<>(items.size());
    try {
      for (Object o : items) out.add(Batch.from(o));
      return out;
    } catch (RuntimeException | Error e) {
      releaseAll(out);
      for (Object o : items.subList(out.size(), items.size())) releaseDropped(o);
      throw e;
    }
  }

  @Override
  public Iterator<Batch> get() {
    return untilExhausted();
  }

  /** Batches dropped by stop() are handed back (their buffers may be recycled). */
  @Override
  protected void onStop() {
    List<Object> dropped;
    lock.lock();
    try {
      dropped = new ArrayList<>(queue);
      queue.clear();
      notFull.signalAll();
    } finally {
      lock.unlock();
    }
    for (Object o : dropped) releaseDropped(o);
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
