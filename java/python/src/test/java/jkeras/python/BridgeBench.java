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

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

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
            long[] t = new long[n];
            double sum = 0;
            long gc0 = gcCount();
            long a0 = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < n; i++) {
              long s = System.nanoTime();
              Batch b = gen.next();
              t[i] = System.nanoTime() - s;
              sum += ((NDArray) b.x()).getFloat(0, 0);
              b.release();
            }
            long alloc = THREADS.getCurrentThreadAllocatedBytes() - a0;
            report("bridge next(), " + mode, t, sum, alloc / (double) n, gcCount() - gc0);
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
    java.nio.ByteBuffer ddst = java.nio.ByteBuffer.allocateDirect(floats * 4);
    for (int run = 0; run < 3; run++) {
      long[] t = new long[n];
      double sum = 0;
      long gc0 = gcCount();
      long a0 = THREADS.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < n; i++) {
        long s = System.nanoTime();
        float[] dst = Arrays.copyOf(src, src.length);
        t[i] = System.nanoTime() - s;
        sum += dst[i % dst.length];
      }
      long alloc = THREADS.getCurrentThreadAllocatedBytes() - a0;
      report(
          "copy of the 101,632 bytes into a new float[]",
          t,
          sum,
          alloc / (double) n,
          gcCount() - gc0);
    }
    for (int run = 0; run < 3; run++) {
      long[] t = new long[n];
      double sum = 1;
      long gc0 = gcCount();
      long a0 = THREADS.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < n; i++) {
        long s = System.nanoTime();
        ddst.put(0, dsrc, 0, floats * 4);
        t[i] = System.nanoTime() - s;
        sum += ddst.get(i % 100);
      }
      long alloc = THREADS.getCurrentThreadAllocatedBytes() - a0;
      report(
          "copy of the 101,632 bytes between direct buffers (memcpy)",
          t,
          sum,
          alloc / (double) n,
          gcCount() - gc0);
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

  static long gcCount() {
    long c = 0;
    for (java.lang.management.GarbageCollectorMXBean g :
        java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
      c += Math.max(0, g.getCollectionCount());
    }
    return c;
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
