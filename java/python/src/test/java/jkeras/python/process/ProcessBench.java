package jkeras.python.process;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import jkeras.data.Batch;
import jkeras.data.NDArray;
import jkeras.python.JvmMeters;
import jkeras.python.PythonEnvironment;
import jkeras.python.PythonSource;

/**
 * Benchmark PROGRAM (not a test) for the worker processes: run its main with the test class path.
 *
 * <ul>
 *   <li>µs per 32x784 float32 batch with 32x10 labels delivered by worker processes (generator and
 *       Sequence), each batch released after use as the training loop does, with the bytes the
 *       consuming thread allocates per batch and the GC runs; as views of the shared memory
 *       (default) and copied into Java arrays ({@code -Djkeras.python.copyShmBatches=true}); beside
 *       one plain memory copy of the same 101,632 bytes;
 *   <li>batches/s of a pure-Python, GIL-bound generator with 1 and 2 worker processes.
 * </ul>
 */
public final class ProcessBench {
  private ProcessBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    Path dir = Files.createTempDirectory("jkeras-bench");
    Path module = Fixtures.write(dir);
    PythonEnvironment env = PythonEnvironment.discover();
    System.out.printf(
        Locale.ROOT, "machine: %d cores, %s%n", Runtime.getRuntime().availableProcessors(), env);

    double copy = copyMicros(n * 4);
    System.out.printf(
        Locale.ROOT,
        "one memory copy of 101,632 bytes (direct buffer -> float[]): %.2f us%n",
        copy);
    System.out.printf(
        Locale.ROOT,
        "one memory copy of 101,632 bytes (direct buffer -> direct buffer): %.2f us%n",
        directCopyMicros(n * 4));
    String mode = Boolean.getBoolean("jkeras.python.copyShmBatches") ? "copied" : "views";
    for (int workers : new int[] {1, 2}) {
      String g =
          transportMicros(env, PythonSource.fromFile(module, "mnist_like"), false, workers, n);
      System.out.printf(
          Locale.ROOT, "generator, %d worker(s), 32x784+32x10 float32, %s: %s%n", workers, mode, g);
      String s = transportMicros(env, PythonSource.fromFile(module, "MnistLike"), true, workers, n);
      System.out.printf(
          Locale.ROOT, "Sequence,  %d worker(s), 32x784+32x10 float32, %s: %s%n", workers, mode, s);
    }
    double one = busyRate(env, module, 1);
    double two = busyRate(env, module, 2);
    System.out.printf(
        Locale.ROOT,
        "GIL-bound generator: 1 worker %.0f batches/s, 2 workers %.0f batches/s, scaling x%.2f%n",
        one,
        two,
        two / one);
  }

  private static double copyMicros(int reps) {
    ByteBuffer src = ByteBuffer.allocateDirect(101_632).order(ByteOrder.LITTLE_ENDIAN);
    float[] dst = new float[101_632 / 4];
    long sink = 0;
    for (int i = 0; i < reps / 4; i++) {
      src.asFloatBuffer().get(dst);
      sink += (long) dst[i % dst.length];
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < reps; i++) {
      dst = new float[101_632 / 4];
      src.asFloatBuffer().get(dst);
      sink += (long) dst[i % dst.length];
    }
    long t1 = System.nanoTime();
    if (sink == 42) System.out.print("");
    return (t1 - t0) / 1e3 / reps;
  }

  private static double directCopyMicros(int reps) {
    ByteBuffer src = ByteBuffer.allocateDirect(101_632);
    ByteBuffer dst = ByteBuffer.allocateDirect(101_632);
    long sink = 0;
    for (int i = 0; i < reps / 4; i++) dst.put(0, src, 0, 101_632);
    long t0 = System.nanoTime();
    for (int i = 0; i < reps; i++) {
      dst.put(0, src, 0, 101_632);
      sink += dst.get(i % 1000);
    }
    long t1 = System.nanoTime();
    if (sink == 42) System.out.print("");
    return (t1 - t0) / 1e3 / reps;
  }

  /**
   * "us/batch, p50, B/batch allocated by the consuming thread, GCs" over n batches, each released.
   */
  private static String transportMicros(
      PythonEnvironment env, PythonSource src, boolean seq, int workers, int n) {
    try (ProcessEnqueuer e = new ProcessEnqueuer(env, src, seq, false, 1)) {
      e.start(workers, 10);
      int warm = Math.max(200, n / 10);
      if (seq) e.beginEpoch(warm + n);
      float check = 0;
      for (int i = 0; i < warm; i++) {
        Batch b = e.next();
        check += ((NDArray) b.x()).getFloat(0, 0);
        b.release();
      }
      long[] t = new long[n];
      long gc0 = JvmMeters.gcCount();
      long a0 = JvmMeters.threadAllocated();
      long all0 = JvmMeters.allThreadsAllocated();
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        long s = System.nanoTime();
        Batch b = e.next();
        t[i] = System.nanoTime() - s;
        check += ((NDArray) b.x()).getFloat(0, i % 784);
        b.release();
      }
      long t1 = System.nanoTime();
      long alloc = JvmMeters.threadAllocated() - a0;
      long allAlloc = JvmMeters.allThreadsAllocated() - all0;
      long gcs = JvmMeters.gcCount() - gc0;
      if (Float.isNaN(check)) throw new AssertionError();
      java.util.Arrays.sort(t);
      return String.format(
          Locale.ROOT,
          "%.1f us/batch (next() p50 %.1f us), %.0f B/batch on this thread, %.0f B/batch JVM-wide, %d GCs",
          (t1 - t0) / 1e3 / n,
          t[n / 2] / 1e3,
          alloc / (double) n,
          allAlloc / (double) n,
          gcs);
    }
  }

  private static double busyRate(PythonEnvironment env, Path module, int workers) {
    try (ProcessEnqueuer e =
        new ProcessEnqueuer(env, PythonSource.fromFile(module, "busy"), false, false, 1)) {
      e.start(workers, 10);
      for (int i = 0; i < 100; i++) e.next().release();
      int n = 3000;
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) e.next().release();
      long t1 = System.nanoTime();
      return n / ((t1 - t0) / 1e9);
    }
  }
}
