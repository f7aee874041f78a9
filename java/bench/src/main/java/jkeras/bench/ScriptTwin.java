package jkeras.bench;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import jkeras.data.NDArray;
import jkeras.models.Sequential;
import jkeras.trainers.FitOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jkeras bench script-twin} (hidden): the Java side of {@code bench run-script}. The model
 * and the timing of {@code compat-tests/bench/run_script_mlp.py}, driven from Java in a fresh JVM:
 * MLP 784-128-10 (relu, softmax), adam, sparse_categorical_crossentropy with accuracy; {@code
 * --warmup} untimed {@code trainOnBatch} calls on one fixed batch, then {@code --repeats} timed
 * blocks of {@code --steps}; a warm-up {@code fit} of {@code --warmup} batches, then {@code
 * --repeats} timed calls of {@code fit(x, y, batch_size, shuffle=false, verbose=0)}, one epoch of
 * {@code --steps} batches each. Prints the script's JSON line (median and best block per way).
 */
@Command(
    name = "script-twin",
    hidden = true,
    description = "run_script_mlp.py's model and timing, driven from Java (internal).")
final class ScriptTwin implements Callable<Integer> {
  @Option(names = "--steps")
  int steps = 500;

  @Option(names = "--warmup")
  int warmup = 200;

  @Option(names = "--repeats")
  int repeats = 5;

  @Option(names = "--batch-size")
  int batchSize = 32;

  @Override
  public Integer call() {
    int b = batchSize;
    SplittableRandom rng = new SplittableRandom(0);
    float[] xf = new float[steps * b * TrainOnBatchBench.FEATURES];
    for (int i = 0; i < xf.length; i++) xf[i] = (float) rng.nextDouble();
    int[] yi = new int[steps * b];
    for (int i = 0; i < yi.length; i++) yi[i] = rng.nextInt(TrainOnBatchBench.CLASSES);
    NDArray x = NDArray.of(xf, steps * b, TrainOnBatchBench.FEATURES);
    NDArray y = NDArray.of(yi);
    try (Sequential model = new Sequential()) {
      BenchData.addMlp(
          model, TrainOnBatchBench.FEATURES, TrainOnBatchBench.HIDDEN, TrainOnBatchBench.CLASSES);
      NDArray xb = x.slice(0, b);
      NDArray yb = y.slice(0, b);
      for (int i = 0; i < warmup; i++) model.trainOnBatch(xb, yb);
      double[] tob =
          blocks(
              () -> {
                for (int i = 0; i < steps; i++) model.trainOnBatch(xb, yb);
              });
      FitOptions fit =
          FitOptions.builder().batchSize(b).epochs(1).shuffle(false).verbose(0).build();
      int warm = Math.min(warmup, steps) * b;
      model.fit(x.slice(0, warm), y.slice(0, warm), fit);
      double[] fitMs = blocks(() -> model.fit(x, y, fit));
      System.out.printf(
          Locale.ROOT,
          "{\"train_on_batch_ms\": %.4f, \"train_on_batch_best_ms\": %.4f,"
              + " \"train_on_batch_cpu_ms\": %.4f, \"train_on_batch_thread_cpu_ms\": %.4f,"
              + " \"fit_ms\": %.4f, \"fit_best_ms\": %.4f, \"fit_cpu_ms\": %.4f,"
              + " \"fit_thread_cpu_ms\": %.4f}%n",
          tob[0],
          tob[1],
          tob[2],
          tob[3],
          fitMs[0],
          fitMs[1],
          fitMs[2],
          fitMs[3]);
    }
    return 0;
  }

  /**
   * {median, best} ms per step over {@code repeats} timed runs of {@code block} ({@code steps}
   * each), then the process' and this thread's CPU ms per step over all of them (as the script's
   * {@code time.process_time()} and {@code time.thread_time()}).
   */
  private double[] blocks(Runnable block) {
    double[] ms = new double[repeats];
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    long p0 = os.getProcessCpuTime();
    long c0 = threads.getCurrentThreadCpuTime();
    for (int r = 0; r < repeats; r++) {
      long t0 = System.nanoTime();
      block.run();
      ms[r] = (System.nanoTime() - t0) / 1e6 / steps;
    }
    double calls = (double) repeats * steps;
    double cpu = (os.getProcessCpuTime() - p0) / 1e6 / calls;
    double threadCpu = (threads.getCurrentThreadCpuTime() - c0) / 1e6 / calls;
    double[] sorted = ms.clone();
    java.util.Arrays.sort(sorted);
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return new double[] {median, sorted[0], cpu, threadCpu};
  }
}
