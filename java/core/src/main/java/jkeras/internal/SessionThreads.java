package jkeras.internal;

/**
 * The process' session thread settings ({@code jkeras.config.Threading}): what the user set, frozen
 * when the first model session starts, as TensorFlow's are once its runtime is initialised (its
 * intra-op pool and oneDNN's threads are created once per process, by the first session).
 */
public final class SessionThreads {
  /** What the user left unset: jkeras' rule decides ({@link #intraOp()}, {@link #interOp()}). */
  public static final int AUTO = 0;

  private static int intraOp = AUTO;
  private static int interOp = AUTO;
  private static boolean started;

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
   * Called as a model's session is created: freezes the settings and returns {intra, inter} to put
   * in its ConfigProto, jkeras' rule filling what the user left unset.
   */
  public static synchronized int[] sessionStarting() {
    started = true;
    return new int[] {intraOp(), interOp()};
  }

  /**
   * Intra-op threads a session gets: the user's setting, else one thread. A Keras train step is a
   * chain of small kernels: on the measured rows (MLP, CNN, BN CNN, LSTM; docs/performance.md) a
   * second intra-op thread cost more in hand-offs than it gained.
   */
  static int intraOp() {
    return intraOp != AUTO ? intraOp : 1;
  }

  /**
   * Inter-op threads: the user's setting, else one. A model's step is one chain of dependent ops; a
   * second pool thread only adds scheduling.
   */
  static int interOp() {
    return interOp != AUTO ? interOp : 1;
  }
}
