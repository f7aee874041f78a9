package jkeras.utils;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import jkeras.data.Batch;
import jkeras.internal.Errors;
import jkeras.internal.Warnings;

/**
 * Keras' {@code SequenceEnqueuer}: runs a data source on worker threads and hands its batches to
 * the training thread through a queue bounded by {@code maxQueueSize}, so batches are prepared
 * while the model trains. {@code fit}, {@code evaluate} and {@code predict} use it for {@code
 * workers >= 1}; a custom {@code trainOnBatch} loop can use it too:
 *
 * <pre>{@code
 * try (OrderedEnqueuer enqueuer = new OrderedEnqueuer(sequence, false, true)) {
 *   enqueuer.start(2, 10);
 *   Iterator<Batch> batches = enqueuer.get();
 *   for (int step = 0; step < 100; step++) {
 *     Batch b = batches.next();
 *     model.trainOnBatch(b.x(), b.y());
 *   }
 * }
 * }</pre>
 *
 * <p>{@link #stop()} (or {@code close()}) stops and joins every thread it started; an exception in
 * the source stops the enqueuer and is rethrown from {@link #next()} as it is.
 *
 * <p>No silent stall: when {@link #next()} has waited {@link #fetchTimeout()} seconds (Keras' 30 s)
 * without a batch, it warns with Keras 2.3.1's text ("The input 7 could not be retrieved. It could
 * be because a worker has died.") followed by what each worker thread is doing and for how long,
 * and goes on waiting; again after each further timeout. Nothing is dropped or fetched twice (Keras
 * 2.3.1 dropped a generator's item and fetched a Sequence's index again on the main thread).
 */
public abstract class SequenceEnqueuer implements AutoCloseable {
  /** Keras 2.3.1's wait for one batch, in seconds, before its "could not be retrieved" warning. */
  public static final double FETCH_TIMEOUT_DEFAULT = 30.0;

  /** The system property read by {@link #defaultFetchTimeout()}. */
  public static final String FETCH_TIMEOUT_PROPERTY = "jkeras.fetchTimeout";

  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final long JOIN_MILLIS = 10_000;
  private static volatile Double defaultFetchTimeout;

  private final Object source;
  private final List<Thread> threads = new CopyOnWriteArrayList<>();

  /** What each worker thread is doing, since when (for the stall warning). */
  private final Map<Thread, Activity> activities = new ConcurrentHashMap<>();

  /** {@code what}, followed by {@code n} unless it is negative (formatted only when warned). */
  private record Activity(String what, long n, long since) {
    String text() {
      return n < 0 ? what : what + n;
    }
  }

  private volatile double fetchTimeout = defaultFetchTimeout();
  private volatile boolean running;
  // Whether an epoch of passes() is announced and not yet ended; touched by the consuming thread.
  private boolean passEpochOpen;

  /** Set by {@link #stop()}; threads poll it. */
  protected volatile boolean stopping;

  protected SequenceEnqueuer(Object source) {
    this.source = source;
  }

  /**
   * Starts the workers ({@code enqueuer.start(workers, max_queue_size)}).
   *
   * @param workers the number of worker threads, at least 1
   * @param maxQueueSize how many batches may wait in the queue, at least 1
   */
  public final synchronized void start(int workers, int maxQueueSize) {
    if (workers < 1)
      throw Errors.invalidArgument("workers", "a positive integer for an enqueuer", workers);
    if (maxQueueSize < 1)
      throw Errors.invalidArgument("maxQueueSize", "a positive integer", maxQueueSize);
    if (running) throw new IllegalStateException("This enqueuer is already running.");
    stopping = false;
    running = true;
    doStart(workers, maxQueueSize);
  }

  protected abstract void doStart(int workers, int maxQueueSize);

  /**
   * The fetch timeout of the enqueuers created from now on, in seconds: {@link
   * #setDefaultFetchTimeout}, else the system property {@value #FETCH_TIMEOUT_PROPERTY}, else
   * {@value #FETCH_TIMEOUT_DEFAULT}.
   */
  public static double defaultFetchTimeout() {
    Double d = defaultFetchTimeout;
    if (d != null) return d;
    String p = System.getProperty(FETCH_TIMEOUT_PROPERTY);
    if (p == null) return FETCH_TIMEOUT_DEFAULT;
    try {
      return checkFetchTimeout(FETCH_TIMEOUT_PROPERTY, Double.parseDouble(p.trim()));
    } catch (NumberFormatException e) {
      throw Errors.invalidArgument(FETCH_TIMEOUT_PROPERTY, "a number of seconds", p);
    }
  }

  /**
   * Sets the fetch timeout (seconds) of the enqueuers created from now on; null goes back to the
   * system property or {@value #FETCH_TIMEOUT_DEFAULT}.
   */
  public static void setDefaultFetchTimeout(Double seconds) {
    defaultFetchTimeout = seconds == null ? null : checkFetchTimeout("fetchTimeout", seconds);
  }

  /**
   * How long, in seconds, {@link #next()} waits for a batch before it warns (and goes on waiting).
   */
  public double fetchTimeout() {
    return fetchTimeout;
  }

  /** Sets {@link #fetchTimeout()}; it applies from the next wait on. */
  public void setFetchTimeout(double seconds) {
    fetchTimeout = checkFetchTimeout("fetchTimeout", seconds);
  }

  private static double checkFetchTimeout(String name, double seconds) {
    if (!(seconds > 0) || Double.isInfinite(seconds))
      throw Errors.invalidArgument(name, "a finite number of seconds > 0", seconds);
    return seconds;
  }

  /** When a wait for a batch that starts now should first warn (see {@link #checkStall}). */
  protected final long stallDue() {
    return System.nanoTime() + (long) (fetchTimeout * 1e9);
  }

  /**
   * Called while {@link #next()} waits for a batch: once {@code due} passed, warns with Keras'
   * sentence {@code keras} followed by {@link #describeWorkers()}, and returns when the next
   * warning is due.
   */
  protected final long checkStall(long due, String keras) {
    if (System.nanoTime() - due < 0) return due;
    Warnings.warn(
        keras
            + " No batch came for "
            + fetchTimeout
            + " s (fetch_timeout); still waiting, nothing is dropped. "
            + describeWorkers());
    return stallDue();
  }

  /** Keras 2.3.1's sentence for a Sequence's index {@code index}, or any input when null. */
  protected static String couldNotBeRetrieved(Integer index) {
    return (index == null ? "An input" : "The input " + index)
        + " could not be retrieved. It could be because a worker has died.";
  }

  /**
   * What is known of the worker threads, for the stall warning: each one's name, what it is doing
   * and for how long (or idle), its state and the first frame it is in outside the JDK and this
   * package (the source's code).
   */
  protected String describeWorkers() {
    StringBuilder sb = new StringBuilder("Worker threads:");
    long now = System.nanoTime(); // a worker may record its activity after this: clamped below
    for (Thread t : threads) {
      sb.append(' ').append(t.getName());
      Activity a = activities.get(t);
      if (!t.isAlive()) {
        sb.append(" ended;");
        continue;
      }
      if (a == null) sb.append(" idle");
      else
        sb.append(' ')
            .append(a.text())
            .append(String.format(Locale.ROOT, " for %.1f s", Math.max(0, now - a.since()) / 1e9));
      sb.append(" (").append(t.getState());
      for (StackTraceElement f : t.getStackTrace()) {
        String c = f.getClassName();
        if (c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("sun.")) continue;
        if (c.startsWith(SequenceEnqueuer.class.getPackageName() + ".")) break; // the loop itself
        sb.append(" at ").append(c).append('.').append(f.getMethodName());
        if (f.isNativeMethod()) sb.append("(Native Method)"); // e.g. jep running Python
        else if (f.getFileName() != null)
          sb.append('(').append(f.getFileName()).append(':').append(f.getLineNumber()).append(')');
        break;
      }
      sb.append(");");
    }
    sb.setLength(sb.length() - 1);
    return sb.append('.').toString();
  }

  /**
   * Records what the calling worker thread is doing from now on, for the stall warning; null when
   * it is idle.
   */
  protected final void activity(String what) {
    activity(what, -1);
  }

  /**
   * {@link #activity(String)} of {@code what} followed by the number {@code n} (an item or an
   * index), without building the text for each batch.
   */
  protected final void activity(String what, long n) {
    Thread t = Thread.currentThread();
    if (what == null) activities.remove(t);
    else activities.put(t, new Activity(what, n, System.nanoTime()));
  }

  /** Whether {@link #start} was called and {@link #stop} not yet. */
  public boolean isRunning() {
    return running;
  }

  /** The state check of {@link #next} and {@link #beginEpoch}. */
  protected final void checkRunning() {
    if (!isRunning())
      throw new IllegalStateException("The enqueuer is not running: call start() first.");
  }

  /**
   * Announces the batches of the coming epoch. A Sequence's enqueuer fetches exactly these, so
   * nothing of the next epoch is prepared before {@link #endEpoch()}; a generator's ignores it.
   */
  public void beginEpoch(int steps) {}

  /** Ends an epoch after its callbacks: a Sequence's {@code onEpochEnd()}. Default: nothing. */
  public void endEpoch() {}

  /** The next batch; blocks until one is ready. Throws the source's exception if it failed. */
  public abstract Batch next();

  /**
   * The next {@code n} batches in one hand-over (the trainer's group of {@code steps_per_execution}
   * steps): blocks until all {@code n} are ready, in the order {@link #next()} would give them.
   * When the source fails, is exhausted or the enqueuer stops before the group is complete, the
   * batches already taken for it are released and the exception {@link #next()} would throw at that
   * point is thrown. This default takes them one {@link #next()} at a time; the built-in enqueuers
   * take the group with one wait.
   *
   * @param n how many batches, at least 1
   */
  public List<Batch> next(int n) {
    checkGroup(n);
    List<Batch> out = new ArrayList<>(n);
    try {
      for (int i = 0; i < n; i++) out.add(next());
      return out;
    } catch (RuntimeException | Error e) {
      releaseAll(out);
      throw e;
    }
  }

  /**
   * How many times the consumer took batches: one per {@link #next()}, one per group of {@link
   * #next(int)} (a diagnostic, e.g. for tests that check a group came in one hand-over).
   */
  public final long handOvers() {
    return handOvers;
  }

  /** Counts one hand-over (a batch or a group); called by the consuming thread. */
  protected final void handedOver() {
    handOvers++;
  }

  private volatile long handOvers;

  /** The argument check of {@link #next(int)}. */
  protected static void checkGroup(int n) {
    if (n < 1) throw Errors.invalidArgument("n", "a positive number of batches", n);
  }

  /** Releases batches taken for a group that will not be handed over. */
  protected static void releaseAll(List<Batch> batches) {
    for (Batch b : batches) releaseQuietly(b);
  }

  /**
   * The batches as an endless iterator ({@code enqueuer.get()}); a Sequence runs pass after pass,
   * calling {@code onEpochEnd()} after each, a generator until it is exhausted.
   */
  public abstract Iterator<Batch> get();

  /**
   * {@link #get()} of a Sequence: endless passes of {@code passSize} batches (read again at each
   * pass), each announced by {@link #beginEpoch} and ended by {@link #endEpoch} before the next.
   */
  protected final Iterator<Batch> passes(IntSupplier passSize) {
    return new Iterator<>() {
      private int left;

      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Batch next() {
        if (left == 0) {
          if (passEpochOpen) endEpoch();
          left = passSize.getAsInt();
          passEpochOpen = true;
          beginEpoch(left);
        }
        left--;
        return SequenceEnqueuer.this.next();
      }
    };
  }

  /**
   * {@link #get()} of a generator: the batches of {@link #next()} until it throws {@link
   * GeneratorExhaustedException}.
   */
  protected final Iterator<Batch> untilExhausted() {
    return new Iterator<>() {
      private Batch pending;

      @Override
      public boolean hasNext() {
        if (pending != null) return true;
        try {
          pending = SequenceEnqueuer.this.next();
          return true;
        } catch (GeneratorExhaustedException e) {
          return false;
        }
      }

      @Override
      public Batch next() {
        if (!hasNext()) throw new GeneratorExhaustedException();
        Batch b = pending;
        pending = null;
        return b;
      }
    };
  }

  /** Stops the workers and waits for them to end ({@code enqueuer.stop()}). Idempotent. */
  public final synchronized void stop() {
    if (!running) return;
    // An interrupted caller (the training thread, interrupted while it waited for a batch) still
    // waits for the threads and processes to end; its flag is set again afterwards.
    boolean interrupted = Thread.interrupted();
    try {
      stopAndJoin();
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  private void stopAndJoin() {
    stopping = true;
    onStop();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_MILLIS);
    // Every worker is interrupted before any is joined: a worker waiting for the generator's lock
    // can only end once the one holding it (say, asleep in next()) has been interrupted too.
    for (Thread t : threads) t.interrupt();
    for (Thread t : threads) {
      try {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left > 0) t.join(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      if (t.isAlive()) {
        Warnings.warn(
            "Worker thread "
                + t.getName()
                + " did not stop within "
                + JOIN_MILLIS / 1000
                + " s: the data source is blocked and ignores interruption.");
      }
    }
    threads.clear();
    activities.clear();
    onStopped();
    running = false;
  }

  /** Wakes up whatever the subclass blocks on; threads are interrupted and joined afterwards. */
  protected void onStop() {}

  /** After {@link #stop()} joined the threads: e.g. release what they queued meanwhile. */
  protected void onStopped() {}

  @Override
  public void close() {
    stop();
  }

  /**
   * Starts a named daemon thread that runs {@code body}, with the source's {@link WorkerLifecycle}
   * hooks around it; {@link #stop()} joins it.
   */
  protected final Thread spawn(String role, Runnable body) {
    ThreadFactory f =
        r -> {
          Thread t = new Thread(r, "jkeras-" + role + "-" + THREADS.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    Thread t =
        f.newThread(
            () -> {
              WorkerLifecycle hooks = source instanceof WorkerLifecycle w ? w : null;
              if (hooks != null) hooks.workerStarted();
              try {
                body.run();
              } finally {
                if (hooks != null) hooks.workerStopped();
              }
            });
    threads.add(t);
    t.start();
    return t;
  }

  /** The threads currently started by this enqueuer (for tests and diagnostics). */
  public List<Thread> threads() {
    return List.copyOf(threads);
  }

  /** Rethrows a source failure as the original unchecked exception, or wrapped when checked. */
  protected static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) return r;
    if (t instanceof Error e) throw e;
    return new IllegalStateException("The data source failed: " + t, t);
  }

  /** Hands back a batch nobody will read (dropped on stop); a failure then is ignored. */
  protected static void releaseQuietly(Batch b) {
    try {
      b.release();
    } catch (RuntimeException e) {
      // stopping: the source is going away anyway
    }
  }

  /** The interrupted training thread's exception, with the interrupt flag kept. */
  protected static RuntimeException interrupted(InterruptedException e) {
    Thread.currentThread().interrupt();
    return new IllegalStateException("Interrupted while waiting for the next batch.", e);
  }
}
