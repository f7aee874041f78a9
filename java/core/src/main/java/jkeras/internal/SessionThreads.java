package jkeras.internal;

/**
 * The process' session thread settings ({@code jkeras.config.Threading}): what the user set, frozen
 * when the first model session starts, as TensorFlow's are once its runtime is initialised (its
 * intra-op pool and oneDNN's threads are created once per process, by the first session).
 */
public final class SessionThreads {
  /** What the user left unset: jkeras' rule decides ({@link #sessionStarting}). */
  public static final int AUTO = 0;

  private static int intraOp = AUTO;
  private static int interOp = AUTO;
  private static boolean started;
  // On by default (faster on a quiet machine; docs/performance.md has the loaded machine's figures
  // too): -Djkeras.threading.callerThread=false keeps TensorFlow's inter-op thread.
  private static boolean callerThread =
      !"false".equals(System.getProperty("jkeras.threading.callerThread"));
  private static boolean callerThreadInUse;

  private SessionThreads() {}

  /** The setting as the user set it, {@link #AUTO} when unset. */
  public static synchronized int requestedIntraOp() {
    return intraOp;
  }

  /** The setting as the user set it, {@link #AUTO} when unset. */
  public static synchronized int requestedInterOp() {
    return interOp;
  }

  public static synchronized void setIntraOp(int threads) {
    intraOp = checked("intra_op_parallelism_threads", "Intra", intraOp, threads);
  }

  public static synchronized void setInterOp(int threads) {
    interOp = checked("inter_op_parallelism_threads", "Inter", interOp, threads);
  }

  /** Whether a session whose ops run on one inter-op thread runs them on the caller's thread. */
  public static synchronized boolean callerThread() {
    return callerThread;
  }

  public static synchronized void setCallerThread(boolean on) {
    if (started && on != callerThread) {
      throw new IllegalStateException(
          "Caller's-thread execution cannot be modified after initialization: it is "
              + (callerThread ? "on" : "off")
              + " since the process' first model session started; set it before the first model"
              + " is built. Received: callerThreadExecution="
              + on);
    }
    callerThread = on;
  }

  /** Whether a model session of this process runs its ops on the caller's thread. */
  public static synchronized boolean callerThreadInUse() {
    return callerThreadInUse;
  }

  private static int checked(String name, String kind, int current, int threads) {
    if (threads < 0) {
      throw Errors.invalidArgument(name, "a non-negative integer (0: jkeras' rule)", threads);
    }
    // TensorFlow: RuntimeError('Intra op parallelism cannot be modified after initialization.')
    if (started && threads != current) {
      throw new IllegalStateException(
          kind
              + " op parallelism cannot be modified after initialization: `"
              + name
              + "` is "
              + current
              + " since the process' first model session started; set it before the first"
              + " model is built. Received: "
              + name
              + "="
              + threads);
    }
    return threads;
  }

  /**
   * Below this many multiply-adds per sample in the first model's forward pass, jkeras' rule runs
   * one intra-op and one inter-op thread; from it on, TensorFlow's default (one of each per core).
   * Measured on 2 cores (docs/performance.md): the MLP 784-128-10 (0.10M) ran 1.3-1.7x faster with
   * one thread of each, the CNN rows (0.25M, batch 64) and the LSTM row (3.9M) 2-3x slower.
   */
  public static final long SINGLE_THREAD_MAX_MACS_PER_SAMPLE = 150_000;

  /**
   * Called as a model's session is created: freezes the settings and returns {intra, inter} to put
   * in its ConfigProto (0: TensorFlow's default), jkeras' rule filling what the user left unset
   * from {@code macsPerSample}, the multiply-adds of one sample's forward pass of the first model.
   * Inter is -1 (TensorFlow runs every op on the thread calling the session) where it would be one
   * thread, caller's-thread execution is on and {@code callerThreadPossible} (the session's caller
   * can set TensorFlow's flush-to-zero around each run).
   */
  public static synchronized int[] sessionStarting(
      long macsPerSample, boolean callerThreadPossible) {
    if (!started) {
      started = true;
      ruleThreads = macsPerSample < SINGLE_THREAD_MAX_MACS_PER_SAMPLE ? 1 : 0;
    }
    int inter = interOp();
    if (inter == 1 && callerThread && callerThreadPossible) {
      callerThreadInUse = true;
      inter = -1;
    }
    return new int[] {intraOp(), inter};
  }

  private static int ruleThreads = 0;

  /** Intra-op threads a session gets: the user's setting, else the rule's. */
  static int intraOp() {
    return intraOp != AUTO ? intraOp : ruleThreads;
  }

  /** Inter-op threads a session gets: the user's setting, else the rule's (0: TensorFlow's). */
  public static synchronized int interOp() {
    return interOp != AUTO ? interOp : ruleThreads;
  }
}
