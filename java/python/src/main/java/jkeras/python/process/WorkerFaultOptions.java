package jkeras.python.process;

import java.util.Map;
import jkeras.utils.SequenceEnqueuer;

/**
 * How the Python worker processes ({@code use_multiprocessing=True}) meet faults, and how long
 * Python sources on worker threads are waited for before a warning. Keras 2.3.1 has no such
 * options; the names follow its style ({@code max_worker_restarts}, {@code fetch_timeout} in {@link
 * #fromConfig}).
 *
 * <ul>
 *   <li>{@code maxWorkerRestarts} (default {@value #MAX_WORKER_RESTARTS_DEFAULT}): a worker that
 *       dies is replaced by a new process, at most this many times per epoch over all workers; the
 *       next death ends training with a {@link WorkerDiedException}. 0: the first death ends it.
 *   <li>{@code fetchTimeout} (seconds, default {@value #FETCH_TIMEOUT_DEFAULT}, Keras' 30 s): when
 *       no batch came for this long, Keras' "could not be retrieved" warning is emitted with the
 *       state of every worker (process or thread), and the wait goes on (nothing is dropped or
 *       fetched twice). Python sources on threads ({@code use_multiprocessing=False}) use it too.
 * </ul>
 *
 * <p>{@link #defaults()} applies to every enqueuer created afterwards: set it with {@link
 * #setDefaults}, or with the system properties {@code jkeras.python.maxWorkerRestarts} and {@code
 * jkeras.python.fetchTimeout}; without either, {@code fetchTimeout} is core's {@link
 * SequenceEnqueuer#defaultFetchTimeout()} (the one Java sources use, system property {@code
 * jkeras.fetchTimeout}).
 */
public record WorkerFaultOptions(int maxWorkerRestarts, double fetchTimeout) {
  public static final int MAX_WORKER_RESTARTS_DEFAULT = 3;
  public static final double FETCH_TIMEOUT_DEFAULT = 30.0;

  private static volatile WorkerFaultOptions defaults;

  public WorkerFaultOptions {
    if (maxWorkerRestarts < 0) {
      throw new IllegalArgumentException(
          "`max_worker_restarts` must be >= 0. Received: max_worker_restarts=" + maxWorkerRestarts);
    }
    if (!(fetchTimeout > 0) || Double.isInfinite(fetchTimeout)) {
      throw new IllegalArgumentException(
          "`fetch_timeout` must be a finite number of seconds > 0. Received: fetch_timeout="
              + fetchTimeout);
    }
  }

  /** The options in force: {@link #setDefaults}, else the system properties, else the defaults. */
  public static WorkerFaultOptions defaults() {
    WorkerFaultOptions d = defaults;
    if (d != null) return d;
    return new WorkerFaultOptions(
        Integer.getInteger("jkeras.python.maxWorkerRestarts", MAX_WORKER_RESTARTS_DEFAULT),
        fetchTimeoutProperty());
  }

  /**
   * {@code jkeras.python.fetchTimeout}, else core's {@link SequenceEnqueuer#defaultFetchTimeout}.
   */
  private static double fetchTimeoutProperty() {
    String p = System.getProperty("jkeras.python.fetchTimeout");
    if (p == null) return SequenceEnqueuer.defaultFetchTimeout();
    try {
      return Double.parseDouble(p.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Expected `jkeras.python.fetchTimeout` to be a number of seconds. Received:"
              + " jkeras.python.fetchTimeout="
              + p);
    }
  }

  /** Sets the options of the enqueuers created from now on; null goes back to the defaults. */
  public static void setDefaults(WorkerFaultOptions options) {
    defaults = options;
  }

  /** The same options with {@code maxWorkerRestarts} replaced. */
  public WorkerFaultOptions withMaxWorkerRestarts(int n) {
    return new WorkerFaultOptions(n, fetchTimeout);
  }

  /** The same options with {@code fetchTimeout} (seconds) replaced. */
  public WorkerFaultOptions withFetchTimeout(double seconds) {
    return new WorkerFaultOptions(maxWorkerRestarts, seconds);
  }

  /** From Keras-style keywords {@code max_worker_restarts} and {@code fetch_timeout}. */
  public static WorkerFaultOptions fromConfig(Map<String, ?> config) {
    WorkerFaultOptions o = defaults();
    for (Map.Entry<String, ?> e : config.entrySet()) {
      Object v = e.getValue();
      switch (e.getKey()) {
        case "max_worker_restarts" -> {
          if (!(v instanceof Integer || v instanceof Long))
            throw new IllegalArgumentException(
                "`max_worker_restarts` must be an integer. Received: " + v);
          o = o.withMaxWorkerRestarts(((Number) v).intValue());
        }
        case "fetch_timeout" -> {
          if (!(v instanceof Number n))
            throw new IllegalArgumentException(
                "`fetch_timeout` must be a number of seconds. Received: " + v);
          o = o.withFetchTimeout(n.doubleValue());
        }
        default ->
            throw new IllegalArgumentException(
                "Unknown worker fault option `"
                    + e.getKey()
                    + "`. Expected one of: max_worker_restarts, fetch_timeout.");
      }
    }
    return o;
  }
}
