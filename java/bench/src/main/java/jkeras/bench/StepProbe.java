package jkeras.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import jkeras.config.Threading;
import jkeras.data.NDArray;
import jkeras.models.Sequential;
import jkeras.utils.RngUtils;
import org.tensorflow.Result;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.proto.StepStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jkeras bench step-probe}: where the MLP train step's time goes. In one JVM, alternating:
 * jkeras {@code trainOnBatch}, the bare loop over jkeras' own graph ({@link GraphFloor}), and the
 * hand-written graph ({@link EngineFloor}); then one traced run of each graph, its executed nodes
 * and their time summed per op type. A diagnostic, not a benchmark table.
 */
@Command(
    name = "step-probe",
    mixinStandardHelpOptions = true,
    description = "MLP train step: jkeras vs a bare loop on its graph vs a hand-written graph.")
final class StepProbe implements Callable<Integer> {
  @Option(names = "--steps", description = "Steps per round (default: ${DEFAULT-VALUE}).")
  int steps = 2000;

  @Option(names = "--rounds", description = "Alternating rounds (default: ${DEFAULT-VALUE}).")
  int rounds = 5;

  @Option(names = "--threads", description = "Intra and inter-op threads (0: jkeras' rule).")
  int threads = 0;

  @Option(names = "--trace", description = "Print a traced step of each graph.")
  boolean trace;

  @Option(
      names = "--compare-runner",
      description = "trainOnBatch of two equal MLPs, one through the C API step runner, one not.")
  boolean compareRunner;

  @Option(
      names = "--fixed-fit",
      description = "fitGenerator over one fixed MLP batch with this steps_per_execution.")
  int fixedFit;

  @Option(names = "--row", description = "A model row (cnn, bn_cnn, lstm) instead of the MLP.")
  String row;

  @Option(
      names = "--gen-probe",
      description =
          "fitGenerator's cost beyond trainOnBatch: Java iterator and Python generator, workers 0"
              + " and 1 (GenProbe); --fixed-fit sets steps_per_execution.")
  boolean genProbe;

  @Override
  public Integer call() {
    if (threads > 0) {
      Threading.setIntraOpParallelismThreads(threads);
      Threading.setInterOpParallelismThreads(threads);
    }
    if (genProbe) return new GenProbe(steps, rounds, Math.max(1, fixedFit)).run();
    if (row != null) return row();
    if (compareRunner) return compareRunner();
    if (fixedFit > 0) return fixedFit();
    int f = TrainOnBatchBench.FEATURES;
    int b = 32;
    SplittableRandom rng = new SplittableRandom(0);
    float[] xFlat = new float[b * f];
    for (int i = 0; i < xFlat.length; i++) xFlat[i] = (float) rng.nextDouble();
    int[] labels = new int[b];
    float[] labelsF = new float[b];
    for (int i = 0; i < b; i++) {
      labels[i] = rng.nextInt(10);
      labelsF[i] = labels[i];
    }
    NDArray x = NDArray.of(xFlat, b, f);
    NDArray y = NDArray.of(labels);
    RngUtils.setRandomSeed(0L);
    try (Sequential model = new Sequential();
        EngineFloor hand =
            new EngineFloor(f, TrainOnBatchBench.HIDDEN, TrainOnBatchBench.CLASSES, 0, true)) {
      BenchData.addMlp(model, f, TrainOnBatchBench.HIDDEN, TrainOnBatchBench.CLASSES);
      model.trainOnBatch(x, y);
      GraphFloor floor = new GraphFloor(model, x, NDArray.of(labelsF));
      for (int i = 0; i < 300; i++) {
        model.trainOnBatch(x, y);
        floor.step();
        hand.step(xFlat, labelsF);
      }
      List<Double> jk = new ArrayList<>();
      List<Double> fl = new ArrayList<>();
      List<Double> hd = new ArrayList<>();
      List<Double> jkc = new ArrayList<>();
      List<Double> flc = new ArrayList<>();
      List<Double> hdc = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        long t0 = System.nanoTime();
        long c0 = cpu();
        for (int i = 0; i < steps; i++) model.trainOnBatch(x, y);
        jk.add((System.nanoTime() - t0) / 1e6 / steps);
        jkc.add((cpu() - c0) / 1e6 / steps);
        t0 = System.nanoTime();
        c0 = cpu();
        for (int i = 0; i < steps; i++) floor.step();
        fl.add((System.nanoTime() - t0) / 1e6 / steps);
        flc.add((cpu() - c0) / 1e6 / steps);
        t0 = System.nanoTime();
        c0 = cpu();
        for (int i = 0; i < steps; i++) hand.step(xFlat, labelsF);
        hd.add((System.nanoTime() - t0) / 1e6 / steps);
        hdc.add((cpu() - c0) / 1e6 / steps);
        System.out.printf(
            Locale.ROOT,
            "round %d: trainOnBatch %.4f ms, bare loop on jkeras' graph %.4f ms,"
                + " hand-written graph (fused Adam) %.4f ms%n",
            r + 1,
            jk.get(r),
            fl.get(r),
            hd.get(r));
      }
      System.out.printf(
          Locale.ROOT,
          "median ms/step: trainOnBatch %.4f, bare loop %.4f, hand-written %.4f%n",
          BenchReport.median(jk),
          BenchReport.median(fl),
          BenchReport.median(hd));
      System.out.printf(
          Locale.ROOT,
          "median process CPU ms/step: trainOnBatch %.4f, bare loop %.4f, hand-written %.4f%n",
          BenchReport.median(jkc),
          BenchReport.median(flc),
          BenchReport.median(hdc));
      if (trace) {
        System.out.println("-- jkeras' graph, one traced step");
        printStats(floor.tracedStep());
        System.out.println("-- hand-written graph, one traced step");
        printStats(hand.tracedStep(xFlat, labelsF));
      }
    }
    return 0;
  }

  /** Whether models built from now on run their steps through the C API (reflection: a probe). */
  private static void stepRunner(boolean on) {
    try {
      var m =
          Class.forName("jkeras.internal.graph.StepRunner")
              .getDeclaredMethod("setEnabled", boolean.class);
      m.setAccessible(true);
      m.invoke(null, on);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private int compareRunner() {
    int f = TrainOnBatchBench.FEATURES;
    int b = 32;
    SplittableRandom rng = new SplittableRandom(0);
    float[] xFlat = new float[b * f];
    for (int i = 0; i < xFlat.length; i++) xFlat[i] = (float) rng.nextDouble();
    int[] labels = new int[b];
    for (int i = 0; i < b; i++) labels[i] = rng.nextInt(10);
    NDArray x = NDArray.of(xFlat, b, f);
    NDArray y = NDArray.of(labels);
    try (Sequential on = new Sequential();
        Sequential off = new Sequential()) {
      stepRunner(true);
      BenchData.addMlp(on, f, TrainOnBatchBench.HIDDEN, TrainOnBatchBench.CLASSES);
      on.trainOnBatch(x, y);
      stepRunner(false);
      BenchData.addMlp(off, f, TrainOnBatchBench.HIDDEN, TrainOnBatchBench.CLASSES);
      off.trainOnBatch(x, y);
      stepRunner(true);
      for (int i = 0; i < 300; i++) {
        on.trainOnBatch(x, y);
        off.trainOnBatch(x, y);
      }
      List<Double> wOn = new ArrayList<>();
      List<Double> wOff = new ArrayList<>();
      List<Double> cOn = new ArrayList<>();
      List<Double> cOff = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        for (int k = 0; k < 2; k++) {
          boolean first = (r + k) % 2 == 0;
          Sequential m = first ? on : off;
          long t0 = System.nanoTime();
          long c0 = cpu();
          for (int i = 0; i < steps; i++) m.trainOnBatch(x, y);
          (first ? wOn : wOff).add((System.nanoTime() - t0) / 1e6 / steps);
          (first ? cOn : cOff).add((cpu() - c0) / 1e6 / steps);
        }
        System.out.printf(
            Locale.ROOT,
            "round %d: C API runner %.4f ms (CPU %.4f), Session.Runner %.4f ms (CPU %.4f)%n",
            r + 1,
            wOn.get(r),
            cOn.get(r),
            wOff.get(r),
            cOff.get(r));
      }
      System.out.printf(
          Locale.ROOT,
          "median ms/step: C API runner %.4f, Session.Runner %.4f (%.3fx); process CPU %.4f vs"
              + " %.4f (%.3fx)%n",
          BenchReport.median(wOn),
          BenchReport.median(wOff),
          BenchReport.median(wOff) / BenchReport.median(wOn),
          BenchReport.median(cOn),
          BenchReport.median(cOff),
          BenchReport.median(cOff) / BenchReport.median(cOn));
    }
    return 0;
  }

  private int fixedFit() {
    int f = TrainOnBatchBench.FEATURES;
    SplittableRandom rng = new SplittableRandom(0);
    float[] xFlat = new float[32 * f];
    for (int i = 0; i < xFlat.length; i++) xFlat[i] = (float) rng.nextDouble();
    int[] labels = new int[32];
    for (int i = 0; i < 32; i++) labels[i] = rng.nextInt(10);
    NDArray x = NDArray.of(xFlat, 32, f);
    NDArray y = NDArray.of(labels);
    jkeras.data.Batch fixed = jkeras.data.Batch.of(x, y);
    try (Sequential one = new Sequential();
        Sequential chained = new Sequential()) {
      BenchData.addMlp(one, f, TrainOnBatchBench.HIDDEN, TrainOnBatchBench.CLASSES, 1);
      BenchData.addMlp(chained, f, TrainOnBatchBench.HIDDEN, TrainOnBatchBench.CLASSES, fixedFit);
      List<Double> tob = new ArrayList<>();
      List<Double> fit1 = new ArrayList<>();
      List<Double> fitK = new ArrayList<>();
      List<Double> tobC = new ArrayList<>();
      List<Double> fit1C = new ArrayList<>();
      List<Double> fitKC = new ArrayList<>();
      for (int r = 0; r <= rounds; r++) {
        long t0 = System.nanoTime();
        long c0 = cpu();
        for (int i = 0; i < steps; i++) one.trainOnBatch(x, y);
        double a = (System.nanoTime() - t0) / 1e6 / steps;
        double ac = (cpu() - c0) / 1e6 / steps;
        t0 = System.nanoTime();
        c0 = cpu();
        fixedFit(one, fixed);
        double b = (System.nanoTime() - t0) / 1e6 / steps;
        double bc = (cpu() - c0) / 1e6 / steps;
        t0 = System.nanoTime();
        c0 = cpu();
        fixedFit(chained, fixed);
        double c = (System.nanoTime() - t0) / 1e6 / steps;
        double cc = (cpu() - c0) / 1e6 / steps;
        if (r == 0) continue; // warm-up (the chained graph is built in it)
        tob.add(a);
        fit1.add(b);
        fitK.add(c);
        tobC.add(ac);
        fit1C.add(bc);
        fitKC.add(cc);
        System.out.printf(
            Locale.ROOT,
            "round %d: trainOnBatch %.4f, fit %.4f, fit steps_per_execution %d %.4f ms/step"
                + " (process CPU %.4f, %.4f, %.4f)%n",
            r,
            a,
            b,
            fixedFit,
            c,
            ac,
            bc,
            cc);
      }
      System.out.printf(
          Locale.ROOT,
          "median ms/step: trainOnBatch %.4f, fit %.4f, fit steps_per_execution %d %.4f;"
              + " process CPU %.4f, %.4f, %.4f%n",
          BenchReport.median(tob),
          BenchReport.median(fit1),
          fixedFit,
          BenchReport.median(fitK),
          BenchReport.median(tobC),
          BenchReport.median(fit1C),
          BenchReport.median(fitKC));
    }
    return 0;
  }

  private void fixedFit(Sequential m, jkeras.data.Batch fixed) {
    m.fitGenerator(
        BenchData.endless(i -> fixed),
        jkeras.trainers.FitOptions.builder()
            .stepsPerEpoch(steps)
            .epochs(1)
            .verbose(0)
            .workers(0)
            .build());
  }

  private int row() {
    try (Sequential model = BenchData.rowModel(row, 0)) {
      NDArray[] batch = BenchData.rowData(row, 1, 0);
      model.trainOnBatch(batch[0], batch[1]);
      GraphFloor floor = new GraphFloor(model, batch[0], batch[1]);
      for (int i = 0; i < 20; i++) {
        model.trainOnBatch(batch[0], batch[1]);
        floor.step();
      }
      List<Double> jk = new ArrayList<>();
      List<Double> fl = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        // Alternate which goes first, so neither always follows the other.
        for (int k = 0; k < 2; k++) {
          boolean jkFirst = (r + k) % 2 == 0;
          long t0 = System.nanoTime();
          for (int i = 0; i < steps; i++) {
            if (jkFirst) model.trainOnBatch(batch[0], batch[1]);
            else floor.step();
          }
          (jkFirst ? jk : fl).add((System.nanoTime() - t0) / 1e6 / steps);
        }
        System.out.printf(
            Locale.ROOT,
            "round %d: trainOnBatch %.3f ms, bare loop %.3f ms%n",
            r + 1,
            jk.get(r),
            fl.get(r));
      }
      System.out.printf(
          Locale.ROOT,
          "median ms/step: trainOnBatch %.3f, bare loop %.3f (floor/jkeras %.3f)%n",
          BenchReport.median(jk),
          BenchReport.median(fl),
          BenchReport.median(jk) / BenchReport.median(fl));
      if (trace) {
        System.out.println("-- traced step");
        printStats(floor.tracedStep());
      }
    }
    return 0;
  }

  /** CPU time of the whole process (every thread, TensorFlow's pools too), ns. */
  static long cpu() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  static RunOptions fullTrace() {
    return RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build();
  }

  static RunMetadata metadata(Result r) {
    return r.getMetadata().orElseThrow();
  }

  private static void printStats(RunMetadata md) {
    StepStats ss = md.getStepStats();
    Map<String, long[]> byType = new TreeMap<>();
    int nodes = 0;
    for (var dev : ss.getDevStatsList()) {
      for (NodeExecStats n : dev.getNodeStatsList()) {
        nodes++;
        if (System.getenv("PROBE_NODES") != null) System.out.println("    " + n.getTimelineLabel());
        String label = n.getTimelineLabel();
        int eq = label.indexOf('(');
        String op = label.contains("= ") ? label.substring(label.indexOf("= ") + 2) : label;
        int par = op.indexOf('(');
        String type = par > 0 ? op.substring(0, par) : (eq > 0 ? label.substring(0, eq) : op);
        long[] a = byType.computeIfAbsent(type.trim(), k -> new long[2]);
        a[0]++;
        a[1] += n.getAllEndRelMicros();
      }
    }
    System.out.printf(Locale.ROOT, "%d nodes executed%n", nodes);
    byType.entrySet().stream()
        .sorted((p, q) -> Long.compare(q.getValue()[1], p.getValue()[1]))
        .forEach(
            e ->
                System.out.printf(
                    Locale.ROOT,
                    "  %-40s %4d  %6d us%n",
                    e.getKey(),
                    e.getValue()[0],
                    e.getValue()[1]));
  }
}
