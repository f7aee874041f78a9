package jkeras.python;

import java.util.Arrays;
import jkeras.data.Batch;
import jkeras.data.NDArray;
import jkeras.utils.GeneratorEnqueuer;
import jkeras.utils.OrderedEnqueuer;
import jkeras.utils.SequenceEnqueuer;

/**
 * Microbenchmark of the in-process bridge (a program, not a test). Run from java/python after
 * {@code mvn -o -q -pl java/python test-compile}:
 *
 * <pre>
 * java -Djkeras.root=/work/main -cp target/test-classes:target/classes:$(cat cp.txt) jkeras.python.BridgeBench
 * </pre>
 *
 * Prints, per 32x784 float32 batch (+ 32x10 float32 labels, 101,632 bytes) through a
 * PythonGenerator, {@code next()} then {@code release()} as the training loop does: microseconds
 * (mean, p50, p99), bytes allocated by the calling thread and GC runs, for the Java-heap copy path
 * ({@code -Djkeras.python.directBatchesPerThread=0}) and the direct-buffer path; beside one copy of
 * the same bytes (into a new float[], and between direct buffers); then batches/s of a GIL-bound
 * pure-Python generator and Sequence with 1 and 2 threads.
 */
public final class BridgeBench {
  private BridgeBench() {}

  public static void main(String[] args) throws Exception {
    int warm = 2_000;
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    System.out.println("env: " + PythonRuntime.get().environment());
    for (String mode : new String[] {"heap copy", "direct buffers"}) {
      System.setProperty(BatchBuffers.MAX_SETS_PROPERTY, mode.startsWith("heap") ? "0" : "32");
      try (PythonGenerator gen = Python.generator(Fixtures.module("fixed_batch", 32, 784, 10))) {
        gen.workerStarted(); // this thread owns an interpreter, as a worker thread does
        try {
          for (int run = 0; run < 3; run++) {
            for (int i = 0; i < warm; i++) gen.next().release();
            measure(
                "bridge next(), " + mode,
                n,
                (i, sink) -> {
                  long s = System.nanoTime();
                  Batch b = gen.next();
                  long elapsed = System.nanoTime() - s;
                  sink[0] += ((NDArray) b.x()).getFloat(0, 0);
                  b.release();
                  return elapsed;
                });
          }
        } finally {
          gen.workerStopped();
        }
      }
    }
    System.clearProperty(BatchBuffers.MAX_SETS_PROPERTY);
    // One copy of the same bytes (what any transport must do at least).
    int floats = 32 * 784 + 32 * 10;
    float[] src = new float[floats];
    Arrays.fill(src, 1f);
    java.nio.ByteBuffer dsrc = java.nio.ByteBuffer.allocateDirect(floats * 4);
    for (int i = 0; i < floats; i++) dsrc.putFloat(i * 4, 1f);
    java.nio.ByteBuffer ddst = java.nio.ByteBuffer.allocateDirect(floats * 4);
    for (int run = 0; run < 3; run++) {
      measure(
          "copy of the 101,632 bytes into a new float[]",
          n,
          (i, sink) -> {
            long s = System.nanoTime();
            float[] dst = Arrays.copyOf(src, src.length);
            long elapsed = System.nanoTime() - s;
            sink[0] += dst[i % dst.length];
            return elapsed;
          });
    }
    for (int run = 0; run < 3; run++) {
      measure(
          "copy of the 101,632 bytes between direct buffers (memcpy)",
          n,
          (i, sink) -> {
            long s = System.nanoTime();
            ddst.put(0, dsrc, 0, floats * 4);
            long elapsed = System.nanoTime() - s;
            sink[0] += ddst.getFloat(i % 100 * 4);
            return elapsed;
          });
    }

    int work = 20_000;
    for (int threads : new int[] {1, 2}) {
      try (PythonGenerator gen = Python.generator(Fixtures.module("gil_bound", work))) {
        rate(
            "GIL-bound generator (" + work + "-iteration loop), " + threads + " thread(s)",
            new GeneratorEnqueuer(gen),
            threads,
            2_000);
      }
    }
    for (int threads : new int[] {1, 2}) {
      try (PythonSequence seq =
          Python.sequence(Fixtures.module("GilBoundSequence", 100_000, work))) {
        rate(
            "GIL-bound Sequence (" + work + "-iteration loop), " + threads + " thread(s)",
            new OrderedEnqueuer(seq, false, false, 1),
            threads,
            2_000);
      }
    }
  }

  /** One timed iteration: returns the nanoseconds of its timed part, adds its check to sink[0]. */
  private interface Iteration {
    long run(int i, double[] sink);
  }

  /**
   * Runs {@code n} iterations and reports their times with the bytes the calling thread allocated
   * and the GC runs meanwhile.
   */
  private static void measure(String label, int n, Iteration iteration) {
    long[] t = new long[n];
    double[] sink = {0};
    long gc0 = JvmMeters.gcCount();
    long a0 = JvmMeters.threadAllocated();
    for (int i = 0; i < n; i++) t[i] = iteration.run(i, sink);
    long alloc = JvmMeters.threadAllocated() - a0;
    report(label, t, sink[0], alloc / (double) n, JvmMeters.gcCount() - gc0);
  }

  private static void rate(String label, SequenceEnqueuer e, int threads, int batches) {
    try (e) {
      e.start(threads, 10);
      e.beginEpoch(batches + 200);
      for (int i = 0; i < 200; i++) e.next().release();
      long s = System.nanoTime();
      for (int i = 0; i < batches; i++) e.next().release();
      double secs = (System.nanoTime() - s) / 1e9;
      System.out.printf("%-70s %8.0f batches/s%n", label, batches / secs);
    }
  }

  private static void report(String label, long[] t, double sink, double bytesPerBatch, long gcs) {
    long[] s = t.clone();
    Arrays.sort(s);
    double mean = Arrays.stream(t).average().orElse(0) / 1e3;
    System.out.printf(
        java.util.Locale.ROOT,
        "%-62s mean %7.2f us  p50 %7.2f us  p99 %7.2f us  %9.0f B/batch  %3d GCs  (%s)%n",
        label,
        mean,
        s[s.length / 2] / 1e3,
        s[(int) (s.length * 0.99)] / 1e3,
        bytesPerBatch,
        gcs,
        sink > 0 ? "ok" : "?");
  }
}
