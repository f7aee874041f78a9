package jkeras.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import jkeras.callbacks.Callback;
import jkeras.callbacks.Logs;
import jkeras.data.Batch;
import jkeras.data.NDArray;
import jkeras.models.Sequential;
import jkeras.python.Python;
import jkeras.python.PythonGenerator;
import jkeras.python.PythonSource;
import jkeras.trainers.FitOptions;

/**
 * {@code step-probe --gen-probe}: where {@code fit_generator}'s time goes beyond the train step,
 * for the MLP of the benchmark's {@code fit_generator_w1} row. In one JVM, alternating rounds of:
 * {@code trainOnBatch} on a fixed batch; {@code fitGenerator} over a Java iterator of 16 prepared
 * batches with {@code workers} 0 and 1 (the loop's own cost, then the thread hand-off); over the
 * benchmark's Python generator ({@code bench_sources.mlp_batches}) with {@code workers} 0 and 1
 * (Jep on the training thread, then on a worker thread: the row). Each {@code fitGenerator} runs 2
 * epochs of {@code steps}; the second is timed, wall and process CPU per step.
 */
final class GenProbe {
  /** GeneratorEnqueuer's diagnostic switch: wake the worker at every batch taken (as before). */
  private static final String REFILL = "jkeras.enqueuer.refillInBursts";

  /** The trainer's diagnostic switch: a group's batches one at a time (as before). */
  private static final String GROUP = "jkeras.trainer.groupHandOver";

  private final int steps;
  private final int rounds;
  private final int stepsPerExecution;

  GenProbe(int steps, int rounds, int stepsPerExecution) {
    this.steps = steps;
    this.rounds = rounds;
    this.stepsPerExecution = stepsPerExecution;
  }

  /** Wall and process CPU time of each epoch. */
  private static final class Timer extends Callback {
    long wall;
    long cpu;
    double lastWall;
    double lastCpu;

    @Override
    public void onEpochBegin(int epoch, Logs logs) {
      wall = System.nanoTime();
      cpu = StepProbe.cpu();
    }

    @Override
    public void onEpochEnd(int epoch, Logs logs) {
      lastWall = (System.nanoTime() - wall) / 1e6;
      lastCpu = (StepProbe.cpu() - cpu) / 1e6;
    }
  }

  int run() {
    int f = TrainOnBatchBench.FEATURES;
    Path sources = TfKerasProcess.projectRoot().resolve("compat-tests/bench");
    List<Batch> pool = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      NDArray[] d = BenchData.mlpData(32, f, TrainOnBatchBench.CLASSES, 0, 32L * i);
      pool.add(Batch.of(d[0], d[1]));
    }
    Batch fixed = pool.get(0);
    Map<String, List<double[]>> results = new LinkedHashMap<>();
    try (Sequential model =
        BenchData.mlp(
            f, TrainOnBatchBench.HIDDEN, TrainOnBatchBench.CLASSES, 0, stepsPerExecution)) {
      for (int i = 0; i < 300; i++) model.trainOnBatch(fixed.x(), fixed.y());
      Supplier<Iterator<Batch>> java = () -> BenchData.endless(i -> pool.get(i % pool.size()));
      for (int r = 0; r <= rounds; r++) {
        Map<String, double[]> round = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        long c0 = StepProbe.cpu();
        for (int i = 0; i < steps; i++) model.trainOnBatch(fixed.x(), fixed.y());
        round.put(
            "trainOnBatch",
            new double[] {
              (System.nanoTime() - t0) / 1e6 / steps, (StepProbe.cpu() - c0) / 1e6 / steps
            });
        round.put("java iterator, workers=0", fit(model, java.get(), 0));
        round.put("java iterator, workers=1", fit(model, java.get(), 1));
        System.setProperty(REFILL, "false");
        round.put("java iterator, workers=1, wake per batch", fit(model, java.get(), 1));
        System.clearProperty(REFILL);
        if (stepsPerExecution > 1) {
          // The group hand-over against one batch at a time, threads and one worker process.
          for (boolean group : new boolean[] {true, false}) {
            String suffix = group ? ", group hand-over" : ", one batch at a time";
            if (!group) System.setProperty(GROUP, "false");
            try {
              round.put("java iterator, workers=1" + suffix, fit(model, java.get(), 1, false));
              for (boolean mp : new boolean[] {false, true}) {
                try (PythonGenerator g =
                    Python.generator(
                        PythonSource.fromModule("bench_sources", "mlp_batches", 32)
                            .withPaths(sources))) {
                  round.put(
                      "python generator, " + (mp ? "1 process" : "workers=1") + suffix,
                      fit(model, g, 1, mp));
                }
              }
            } finally {
              System.clearProperty(GROUP);
            }
          }
        }
        for (int w : new int[] {0, 1, -1}) {
          try (PythonGenerator g =
              Python.generator(
                  PythonSource.fromModule("bench_sources", "mlp_batches", 32).withPaths(sources))) {
            if (w < 0) System.setProperty(REFILL, "false");
            try {
              round.put(
                  "python generator, workers=" + Math.abs(w) + (w < 0 ? ", wake per batch" : ""),
                  fit(model, g, Math.abs(w)));
            } finally {
              System.clearProperty(REFILL);
            }
          }
        }
        if (r == 0) continue; // warm-up
        StringBuilder line = new StringBuilder("round " + r + ":");
        for (var e : round.entrySet()) {
          results.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
          line.append(
              String.format(
                  Locale.ROOT,
                  " %s %.4f (cpu %.4f);",
                  e.getKey(),
                  e.getValue()[0],
                  e.getValue()[1]));
        }
        System.out.println(line);
      }
    }
    System.out.printf(
        Locale.ROOT,
        "gen-probe: MLP b32, steps_per_execution %d, %d steps per timed epoch, %d rounds;"
            + " median [min..max] ms/step, process CPU ms/step%n",
        stepsPerExecution,
        steps,
        rounds);
    for (var e : results.entrySet()) {
      List<Double> wall = e.getValue().stream().map(v -> v[0]).toList();
      List<Double> cpu = e.getValue().stream().map(v -> v[1]).toList();
      System.out.printf(
          Locale.ROOT,
          "  %-52s %.4f [%.4f..%.4f]  cpu %.4f%n",
          e.getKey(),
          BenchReport.median(wall),
          wall.stream().mapToDouble(Double::doubleValue).min().orElse(0),
          wall.stream().mapToDouble(Double::doubleValue).max().orElse(0),
          BenchReport.median(cpu));
    }
    return 0;
  }

  private double[] fit(Sequential model, Object data, int workers) {
    return fit(model, data, workers, false);
  }

  private double[] fit(Sequential model, Object data, int workers, boolean mp) {
    Timer t = new Timer();
    model.fitGenerator(
        data,
        FitOptions.builder()
            .stepsPerEpoch(steps)
            .epochs(2)
            .verbose(0)
            .shuffle(false)
            .workers(workers)
            .useMultiprocessing(mp)
            .maxQueueSize(10)
            .callbacks(t)
            .build());
    return new double[] {t.lastWall / steps, t.lastCpu / steps};
  }
}
