package jkeras.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import jkeras.callbacks.Callback;
import jkeras.callbacks.Logs;
import jkeras.data.Batch;
import jkeras.data.NDArray;
import jkeras.models.Sequential;
import jkeras.trainers.FitOptions;
import jkeras.utils.RngUtils;
import jkeras.utils.Sequence;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jkeras bench fit-generator}: does {@code fitGenerator} overlap batch preparation with
 * training? The model is the MLP 784-128-10 of {@code bench train-on-batch} (adam,
 * sparse_categorical_crossentropy, accuracy) at batch 32. Its step time is measured first; then a
 * Java source (a {@link Sequence}, and an {@link Iterator}) spends that long preparing each batch,
 * either computing (real CPU work on the worker thread) or sleeping, and {@code fitGenerator} runs
 * with {@code workers} 0, 1 and 2.
 *
 * <p>With {@code workers=0} the batch is prepared on the training thread, so an epoch costs the sum
 * of producer and steps; with workers the preparation runs on other threads while the model trains,
 * so an epoch should cost about the larger of the two. The ratio epoch / max shows it: near 1 is
 * full overlap, near sum/max none. On a 2-core machine a CPU-bound producer competes with
 * TensorFlow's step for the cores; the sleeping producer shows the overlap the loop itself allows.
 *
 * <p>The measurements run in rounds: each round measures the step alone ({@code
 * fitGenerator(workers=0)} on batches that cost nothing), each producer alone ({@code steps} calls
 * on one thread, no training) and every configuration once, so that a slow phase of a shared
 * machine hits all of them alike. A configuration's epoch time is the second epoch of a 2-epoch
 * {@code fitGenerator} call (the first starts the enqueuer). The table shows medians (and minima).
 */
@Command(
    name = "fit-generator",
    mixinStandardHelpOptions = true,
    description =
        "fitGenerator throughput with a costly producer: overlap of batch preparation"
            + " and training for workers 0, 1, 2.")
final class FitGeneratorBench implements Callable<Integer> {
  @Option(names = "--batch-size", description = "Batch size (default: ${DEFAULT-VALUE}).")
  int batchSize = 32;

  @Option(names = "--steps", description = "Steps per epoch (default: ${DEFAULT-VALUE}).")
  int steps = 200;

  @Option(
      names = "--repetitions",
      description = "Rounds: each measures every configuration once (default: ${DEFAULT-VALUE}).")
  int repetitions = 7;

  @Option(
      names = "--warmup-steps",
      description = "Untimed trainOnBatch steps first (default: ${DEFAULT-VALUE}).")
  int warmupSteps = 300;

  @Option(
      names = "--workers",
      split = ",",
      description = "Worker counts (default: ${DEFAULT-VALUE}).")
  int[] workers = {0, 1, 2};

  @Option(
      names = "--max-queue-size",
      description = "fitGenerator max_queue_size (default: ${DEFAULT-VALUE}).")
  int maxQueueSize = 10;

  @Option(
      names = "--producer-ms",
      description = "Batch preparation cost in ms (default: the measured step time).")
  Double producerMs;

  @Option(
      names = "--seed",
      description = "Seed of the weights and the batches (default: ${DEFAULT-VALUE}).")
  long seed = 0;

  /** Distinct prepared batches the sources cycle through. */
  static final int POOL = 16;

  /** Keeps the busy loop's result alive, so that the JIT cannot remove the work. */
  static volatile double sink;

  @Override
  public Integer call() {
    List<Batch> pool = batches();
    System.out.printf(
        Locale.ROOT,
        "fit-generator: MLP %d-%d-%d (relu, softmax), adam, sparse_categorical_crossentropy + accuracy,"
            + " batch %d, %d steps/epoch, max_queue_size %d; %d rounds;"
            + " %d CPUs%n",
        TrainOnBatchBench.FEATURES,
        TrainOnBatchBench.HIDDEN,
        TrainOnBatchBench.CLASSES,
        batchSize,
        steps,
        maxQueueSize,
        repetitions,
        Runtime.getRuntime().availableProcessors());
    RngUtils.setRandomSeed(seed);
    try (Sequential model = model()) {
      for (int i = 0; i < warmupSteps; i++) {
        Batch b = pool.get(i % POOL);
        model.trainOnBatch(b.x(), b.y());
      }
      // 1. the step time of the model: fitGenerator(workers=0) on batches that cost nothing (the
      // loop the producers are measured in; trainOnBatch per step is printed for reference)
      IntFunction<Batch> free = i -> pool.get(i % POOL);
      double stepMs =
          BenchReport.median(fitEpochs(model, sequence(free), 0, true, 1 + repetitions)) / steps;
      long t0 = System.nanoTime();
      for (int i = 0; i < steps; i++) {
        Batch b = pool.get(i % POOL);
        model.trainOnBatch(b.x(), b.y());
      }
      double tobMs = (System.nanoTime() - t0) / 1e6 / steps;
      double costMs = producerMs != null ? producerMs : stepMs;
      long costNanos = Math.round(costMs * 1e6);
      long iterations = calibrateSpin(costNanos);
      long parkNanos = calibratePark(costNanos);
      System.out.printf(
          Locale.ROOT,
          "step: %.3f ms (fitGenerator, workers=0, free batches; median of %d epochs of %d steps;"
              + " trainOnBatch: %.3f ms); producer cost per batch: %.3f ms (CPU: %d iterations of a"
              + " dependent floating-point loop; sleep: parkNanos(%.3f ms), the wake-up latency measured"
              + " here taken off)%n",
          stepMs,
          repetitions,
          steps,
          tobMs,
          costMs,
          iterations,
          parkNanos / 1e6);

      IntFunction<Batch> cpu =
          i -> {
            sink += spin(iterations, i);
            return pool.get(i % POOL);
          };
      IntFunction<Batch> sleep =
          i -> {
            sleepFor(parkNanos);
            return pool.get(i % POOL);
          };
      // "none": free batches, the loop's own cost with an enqueuer (hand-off between threads)
      List<String> kinds = List.of("none", "cpu", "sleep");
      List<IntFunction<Batch>> producers = List.of(free, cpu, sleep);
      List<String[]> configs = new ArrayList<>();
      for (String kind : kinds) {
        for (String source : List.of("Sequence", "Iterator")) {
          for (int w : workers) configs.add(new String[] {source, kind, Integer.toString(w)});
        }
      }

      // 2. rounds: every quantity is measured once per round, so that a slow phase of the machine
      // (it is shared) hits all of them alike; each fit runs 2 epochs and the second is timed
      double[] stepAlone = new double[repetitions];
      double[][] alone = new double[kinds.size()][repetitions];
      double[][] epochs = new double[configs.size()][repetitions];
      long processCpu0 = processCpuNanos();
      long wall0 = System.nanoTime();
      for (int r = 0; r < repetitions; r++) {
        stepAlone[r] = fitEpochs(model, sequence(free), 0, true, 2)[1];
        for (int k = 0; k < kinds.size(); k++) alone[k][r] = producerAlone(producers.get(k));
        for (int c = 0; c < configs.size(); c++) {
          String[] cfg = configs.get(c);
          IntFunction<Batch> producer = producers.get(kinds.indexOf(cfg[1]));
          int w = Integer.parseInt(cfg[2]);
          epochs[c][r] =
              cfg[0].equals("Sequence")
                  ? fitEpochs(model, sequence(producer), w, true, 2)[1]
                  : fitEpochs(model, BenchData.endless(producer), w, false, 2)[1];
        }
        System.out.printf(Locale.ROOT, "  round %d/%d done%n", r + 1, repetitions);
      }
      double cores = (double) (processCpuNanos() - processCpu0) / (System.nanoTime() - wall0);

      List<String[]> rows = new ArrayList<>();
      for (int c = 0; c < configs.size(); c++) {
        String[] cfg = configs.get(c);
        rows.add(
            row(
                cfg[0],
                cfg[1],
                Integer.parseInt(cfg[2]),
                epochs[c],
                BenchReport.median(alone[kinds.indexOf(cfg[1])]),
                BenchReport.median(stepAlone)));
      }
      System.out.println();
      System.out.printf(
          Locale.ROOT,
          "ms per epoch of %d steps, median [min] of %d rounds: epoch = the 2nd epoch of a"
              + " fitGenerator call; producer alone = %d batches prepared on one thread, no training;"
              + " step alone = fitGenerator(workers=0) with free batches [min %s]; the process used"
              + " %.2f cores on average over the rounds%n",
          steps,
          repetitions,
          steps,
          fmt(min(stepAlone)),
          cores);
      String[] head = {
        "source",
        "producer",
        "workers",
        "epoch",
        "producer alone",
        "step alone",
        "max",
        "sum",
        "epoch/max",
        "epoch/sum"
      };
      System.out.print(BenchReport.table(head, rows));
      System.out.println(
          "epoch/max near 1.0: preparation fully hidden behind training; near sum/max:"
              + " no overlap. Iterator: next() calls are serialised (one iterator), so workers=2 prepares"
              + " one batch at a time like workers=1; a Sequence's get(i) runs on both workers at once, so"
              + " its preparation can take producer/2 and epoch/max can fall below 1.");
    }
    return 0;
  }

  private static Sequential model() {
    Sequential model = new Sequential();
    BenchData.addMlp(
        model, TrainOnBatchBench.FEATURES, TrainOnBatchBench.HIDDEN, TrainOnBatchBench.CLASSES);
    return model;
  }

  private List<Batch> batches() {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Batch> pool = new ArrayList<>();
    for (int b = 0; b < POOL; b++) {
      float[] x = new float[batchSize * TrainOnBatchBench.FEATURES];
      for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextDouble();
      int[] y = new int[batchSize];
      for (int i = 0; i < batchSize; i++) y[i] = rng.nextInt(TrainOnBatchBench.CLASSES);
      pool.add(Batch.of(NDArray.of(x, batchSize, TrainOnBatchBench.FEATURES), NDArray.of(y)));
    }
    return pool;
  }

  private Sequence sequence(IntFunction<Batch> producer) {
    return new Sequence() {
      @Override
      public int size() {
        return steps;
      }

      @Override
      public Batch get(int index) {
        return producer.apply(index);
      }
    };
  }

  /** Wall time (ms) of each epoch of one fitGenerator call. */
  private double[] fitEpochs(
      Sequential model, Object source, int w, boolean isSequence, int epochCount) {
    EpochTimer timer = new EpochTimer();
    FitOptions.Builder o =
        FitOptions.builder()
            .epochs(epochCount)
            .verbose(0)
            .shuffle(false)
            .workers(w)
            .maxQueueSize(maxQueueSize)
            .callbacks(timer);
    if (isSequence) {
      model.fitGenerator((Sequence) source, o.build());
    } else {
      model.fitGenerator((Iterator<?>) source, o.stepsPerEpoch(steps).build());
    }
    return timer.millis.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Time (ms) to prepare one epoch's batches on this thread, with no training. */
  private double producerAlone(IntFunction<Batch> producer) {
    long t0 = System.nanoTime();
    for (int i = 0; i < steps; i++) producer.apply(i);
    return (System.nanoTime() - t0) / 1e6;
  }

  /** CPU time of the whole process (all threads, TensorFlow's included), or -1 if unknown. */
  private static long processCpuNanos() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : -1;
  }

  /** Times each epoch from {@code onEpochBegin} to {@code onEpochEnd}. */
  static final class EpochTimer extends Callback {
    final List<Double> millis = new ArrayList<>();
    private long start;

    @Override
    public void onEpochBegin(int epoch, Logs logs) {
      start = System.nanoTime();
    }

    @Override
    public void onEpochEnd(int epoch, Logs logs) {
      millis.add((System.nanoTime() - start) / 1e6);
    }
  }

  /** Real CPU work: a loop-carried floating-point recurrence of {@code iterations} steps. */
  static double spin(long iterations, double start) {
    double a = 1.0 + start * 1e-9;
    for (long i = 0; i < iterations; i++) {
      a = a * 1.000000119 + 1e-9;
      if (a > 2.0) a -= 1.0;
    }
    return a;
  }

  /**
   * Iterations of {@link #spin} that take {@code nanos} on one thread (fastest of several runs).
   */
  static long calibrateSpin(long nanos) {
    return spinIterations(nanos, nanosPerSpin());
  }

  /** Iterations that take {@code nanos} at {@code nanosPerIteration} each (at least one). */
  static long spinIterations(long nanos, double nanosPerIteration) {
    return Math.max(1, Math.round(nanos / nanosPerIteration));
  }

  /** The time of one {@link #spin} iteration on this machine: the fastest of several probes. */
  static double nanosPerSpin() {
    long probe = 200_000;
    for (int i = 0; i < 20; i++) sink += spin(probe, i); // JIT
    double best = Double.MAX_VALUE;
    for (int r = 0; r < 15; r++) {
      long t0 = System.nanoTime();
      sink += spin(probe, r);
      best = Math.min(best, (double) (System.nanoTime() - t0) / probe);
    }
    return best;
  }

  /**
   * The park time that sleeps {@code nanos} in total: {@code nanos} minus the median oversleep of
   * {@code parkNanos(nanos)} on this machine (tens to hundreds of microseconds).
   */
  static long calibratePark(long nanos) {
    double[] over = new double[41];
    for (int i = 0; i < over.length; i++) {
      long t0 = System.nanoTime();
      LockSupport.parkNanos(nanos);
      over[i] = System.nanoTime() - t0 - nanos;
    }
    return Math.max(0, nanos - Math.max(0, Math.round(BenchReport.median(over))));
  }

  /**
   * Sleeps (parks) until {@code nanos} have passed; parkNanos may wake early, so loop to the
   * deadline.
   */
  static void sleepFor(long nanos) {
    long deadline = System.nanoTime() + nanos;
    for (long left = nanos; left > 0; left = deadline - System.nanoTime())
      LockSupport.parkNanos(left);
  }

  private String[] row(
      String source, String kind, int w, double[] epochs, double producer, double step) {
    double med = BenchReport.median(epochs);
    double max = Math.max(producer, step);
    double sum = producer + step;
    return new String[] {
      source,
      kind,
      Integer.toString(w),
      fmt(med) + " [" + fmt(min(epochs)) + "]",
      fmt(producer),
      fmt(step),
      fmt(max),
      fmt(sum),
      String.format(Locale.ROOT, "%.2f", med / max),
      String.format(Locale.ROOT, "%.2f", med / sum)
    };
  }

  private static double min(double[] v) {
    return Arrays.stream(v).min().orElse(Double.NaN);
  }

  private static String list(double[] v) {
    StringBuilder b = new StringBuilder();
    for (double d : v) b.append(b.length() == 0 ? "" : " ").append(fmt(d));
    return b.toString();
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.0f", v);
  }
}
