package jkeras.config;

import jkeras.internal.SessionThreads;

/**
 * {@code tf.config.threading} in Java: how many threads TensorFlow uses inside one op (intra-op)
 * and to run independent ops side by side (inter-op), for every model of the process. As in
 * TensorFlow, set them before the first model is built: the first model session fixes them for the
 * process, and a later change fails naming the setting.
 *
 * <p>{@code 0}, the default, lets jkeras choose when the first model session starts: one intra-op
 * and one inter-op thread when that model's forward pass needs fewer than {@code 150,000}
 * multiply-adds per sample (an MLP such as 784-128-10: its kernels are too small to share out, and
 * a second thread costs hand-offs), TensorFlow's own choice (one of each per core) otherwise
 * (convolutions, recurrent layers, large dense layers). On the benchmark rows this was never slower
 * than TensorFlow's choice, which jkeras used for every model before (docs/performance.md).
 */
public final class Threading {
  /** TensorFlow's default for both settings: {@code 0}, the system (here jkeras) chooses. */
  public static final int PARALLELISM_THREADS_DEFAULT = SessionThreads.AUTO;

  private Threading() {}

  /** {@code tf.config.threading.get_intra_op_parallelism_threads()}: the setting, 0 if unset. */
  public static int getIntraOpParallelismThreads() {
    return SessionThreads.requestedIntraOp();
  }

  /**
   * {@code tf.config.threading.set_intra_op_parallelism_threads(num_threads)}: threads used inside
   * one op (a matrix product, a convolution) for every model of the process; 0 lets jkeras choose.
   *
   * @throws IllegalArgumentException if {@code numThreads} is negative
   * @throws IllegalStateException if a model session already started with another value
   */
  public static void setIntraOpParallelismThreads(int numThreads) {
    SessionThreads.setIntraOp(numThreads);
  }

  /** {@code tf.config.threading.get_inter_op_parallelism_threads()}: the setting, 0 if unset. */
  public static int getInterOpParallelismThreads() {
    return SessionThreads.requestedInterOp();
  }

  /**
   * {@code tf.config.threading.set_inter_op_parallelism_threads(num_threads)}: threads that run
   * independent ops at the same time; 0 lets jkeras choose.
   *
   * @throws IllegalArgumentException if {@code numThreads} is negative
   * @throws IllegalStateException if a model session already started with another value
   */
  public static void setInterOpParallelismThreads(int numThreads) {
    SessionThreads.setInterOp(numThreads);
  }

  /**
   * Whether a model whose session gets one inter-op thread (jkeras' rule for small models, or the
   * setting 1) runs its ops on the thread that calls the step instead; on unless set off here or
   * with {@code -Djkeras.threading.callerThread=false}.
   */
  public static boolean isCallerThreadExecution() {
    return SessionThreads.callerThread();
  }

  /**
   * Runs the ops of a model whose session gets one inter-op thread on the thread calling the step
   * (TensorFlow's {@code inter_op_parallelism_threads=-1}), with TensorFlow's flush-to-zero and
   * denormals-are-zero set on that thread around each run and its own floating-point modes restored
   * after it, so the numbers are those of TensorFlow's thread: no hand-off to a pool thread and
   * back at each step. On by default (with cores free, 1.1-1.4x faster on the MLP's train steps; on
   * an oversubscribed one the scheduler favours the pool's sleeping threads: docs/performance.md).
   * Linux on x86_64 and aarch64 only (elsewhere the session keeps TensorFlow's thread, with one log
   * line). Process-wide, like the thread counts: set it before the first model is built.
   *
   * @throws IllegalStateException if a model session already started with the other value
   */
  public static void setCallerThreadExecution(boolean enabled) {
    SessionThreads.setCallerThread(enabled);
  }

  /**
   * Whether a model session of this process runs its ops on the caller's thread (the setting on,
   * one inter-op thread, the platform supported).
   */
  public static boolean isCallerThreadExecutionActive() {
    return SessionThreads.callerThreadInUse();
  }
}
