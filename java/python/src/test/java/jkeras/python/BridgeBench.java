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
 * Prints: microseconds per 32x784 float32 batch (+ 32x10 labels) through a PythonGenerator,
 * beside one Java copy of the same bytes; batches/s of a GIL-bound pure-Python generator and
 * Sequence with 1 and 2 threads.
 */
public final class BridgeBench {
  private BridgeBench() {}

  public static void main(String[] args) throws Exception {
    int warm = 2_000;
    int n = 20_000;
    System.out.println("env: " + PythonRuntime.get().environment());
    try (PythonGenerator gen = Python.generator(Fixtures.module("fixed_batch", 32, 784, 10))) {
      gen.workerStarted(); // this thread owns an interpreter, as a worker thread does
      try {
        for (int run = 0; run < 3; run++) {
          for (int i = 0; i < warm; i++) gen.next();
          long[] t = new long[n];
          double sum = 0;
          for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            Batch b = gen.next();
            t[i] = System.nanoTime() - s;
            sum += ((NDArray) b.x()).getFloat(0, 0);
          }
          report("bridge next() 32x784+32x10 float32", t, sum);
        }
      } finally {
        gen.workerStopped();
      }
    }
    // One copy of the same bytes on the Java heap (what the conversion must do at least).
    float[] src = new float[32 * 784 + 32 * 10];
    Arrays.fill(src, 1f);
    for (int run = 0; run < 3; run++) {
      long[] t = new long[n];
      double sum = 0;
      for (int i = 0; i < n; i++) {
        long s = System.nanoTime();
        float[] dst = Arrays.copyOf(src, src.length);
        t[i] = System.nanoTime() - s;
        sum += dst[i % dst.length];
      }
      report("java copy of the same 101,760 bytes (new float[] + copy)", t, sum);
    }

    int work = 20_000;
    for (int threads : new int[] {1, 2}) {
      try (PythonGenerator gen = Python.generator(Fixtures.module("gil_bound", work))) {
        rate("GIL-bound generator (" + work + "-iteration loop), " + threads + " thread(s)", new GeneratorEnqueuer(gen), threads, 2_000);
      }
    }
    for (int threads : new int[] {1, 2}) {
      try (PythonSequence seq = Python.sequence(Fixtures.module("GilBoundSequence", 100_000, work))) {
        rate("GIL-bound Sequence (" + work + "-iteration loop), " + threads + " thread(s)",
            new OrderedEnqueuer(seq, false, false, 1), threads, 2_000);
      }
    }
  }

  private static void rate(String label, SequenceEnqueuer e, int threads, int batches) {
    try (e) {
      e.start(threads, 10);
      e.beginEpoch(batches + 200);
      for (int i = 0; i < 200; i++) e.next();
      long s = System.nanoTime();
      for (int i = 0; i < batches; i++) e.next();
      double secs = (System.nanoTime() - s) / 1e9;
      System.out.printf("%-70s %8.0f batches/s%n", label, batches / secs);
    }
  }

  private static void report(String label, long[] t, double sink) {
    long[] s = t.clone();
    Arrays.sort(s);
    double mean = Arrays.stream(t).average().orElse(0) / 1e3;
    System.out.printf("%-70s mean %7.2f us  p50 %7.2f us  p99 %7.2f us  (%s)%n", label, mean, s[s.length / 2] / 1e3,
        s[(int) (s.length * 0.99)] / 1e3, sink > 0 ? "ok" : "?");
  }
}
