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

  @Option(
      names = "--compare-caller",
      description =
          "Two equal MLPs, one on TensorFlow's inter-op thread, one on the caller's thread with"
              + " flush-to-zero: trainOnBatch and fit (steps_per_execution 8), alternating.")
  boolean compareCaller;

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
    if (compareCaller) return compareCaller();
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

  /** Models built from now on: ops on the caller's thread (true) or TensorFlow's (reflection). */
  private static void callerThread(Boolean on) {
    try {
      var m =
          Class.forName("jkeras.internal.graph.ModelGraph")
              .getDeclaredMethod("overrideCallerThread", Boolean.class);
      m.setAccessible(true);
      m.invoke(null, on);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * trainOnBatch and fit with steps_per_execution 8 of two equal MLPs in one JVM: one session on
   * TensorFlow's inter-op thread (built first, so the process' inter-op pool has the one thread
   * jkeras' rule gives it), one on the caller's thread with flush-to-zero; alternating rounds.
   * Prints wall and process CPU time per step and the CPU time the threads other than the caller
   * took (TensorFlow's pools, the JVM's compiler and collector), from /proc.
   */
  private int compareCaller() {
    int f = TrainOnBatchBench.FEATURES;
    SplittableRandom rng = new SplittableRandom(0);
    float[] xFlat = new float[32 * f];
    for (int i = 0; i < xFlat.length; i++) xFlat[i] = (float) rng.nextDouble();
    int[] labels = new int[32];
    for (int i = 0; i < 32; i++) labels[i] = rng.nextInt(10);
    NDArray x = NDArray.of(xFlat, 32, f);
    NDArray y = NDArray.of(labels);
    jkeras.data.Batch fixed = jkeras.data.Batch.of(x, y);
    String[] names = {"pool", "caller"};
    Sequential[] tob = new Sequential[2];
    Sequential[] spe = new Sequential[2];
    try {
      for (int k = 0; k < 2; k++) {
        callerThread(k == 1);
        tob[k] = new Sequential();
        BenchData.addMlp(tob[k], f, TrainOnBatchBench.HIDDEN, TrainOnBatchBench.CLASSES, 1);
        spe[k] = new Sequential();
        BenchData.addMlp(spe[k], f, TrainOnBatchBench.HIDDEN, TrainOnBatchBench.CLASSES, 8);
      }
      callerThread(null);
      // [kind][mode]: wall, process CPU, other threads' CPU, per round (ms/step)
      List<List<List<double[]>>> res = new ArrayList<>();
      for (int kind = 0; kind < 2; kind++) {
        res.add(List.of(new ArrayList<>(), new ArrayList<>()));
      }
      for (int r = 0; r <= rounds; r++) {
        for (int kind = 0; kind < 2; kind++) {
          for (int j = 0; j < 2; j++) {
            int mode = (r + j) % 2; // alternate which mode goes first
            long t0 = System.nanoTime();
            long c0 = cpu();
            long o0 = otherThreadsCpu();
            long[] s0 = switches();
            if (kind == 0) {
              for (int i = 0; i < steps; i++) tob[mode].trainOnBatch(x, y);
            } else {
              fixedFit(spe[mode], fixed);
            }
            double[] v = {
              (System.nanoTime() - t0) / 1e6 / steps,
              (cpu() - c0) / 1e6 / steps,
              (otherThreadsCpu() - o0) / 1e6 / steps,
              0,
              0
            };
            long[] s1 = switches();
            v[3] = (s1[0] - s0[0]) / (double) steps;
            v[4] = (s1[1] - s0[1]) / (double) steps;
            if (r > 0) res.get(kind).get(mode).add(v);
          }
        }
        if (r == 0) continue; // warm-up
        System.out.printf(
            Locale.ROOT,
            "round %d: trainOnBatch pool %.4f caller %.4f ms; fit spe8 pool %.4f caller %.4f ms%n",
            r,
            res.get(0).get(0).get(r - 1)[0],
            res.get(0).get(1).get(r - 1)[0],
            res.get(1).get(0).get(r - 1)[0],
            res.get(1).get(1).get(r - 1)[0]);
      }
      String[] kinds = {"trainOnBatch", "fit steps_per_execution 8"};
      for (int kind = 0; kind < 2; kind++) {
        for (int mode = 0; mode < 2; mode++) {
          List<double[]> v = res.get(kind).get(mode);
          System.out.printf(
              Locale.ROOT,
              "%s, %s: wall %s, process CPU %s, other threads' CPU %s ms/step; calling thread's"
                  + " context switches per step: voluntary %s, involuntary %s%n",
              kinds[kind],
              names[mode],
              spread(v, 0),
              spread(v, 1),
              spread(v, 2),
              spread(v, 3),
              spread(v, 4));
        }
        double pool = BenchReport.median(column(res.get(kind).get(0), 0));
        double caller = BenchReport.median(column(res.get(kind).get(1), 0));
        System.out.printf(
            Locale.ROOT,
            "%s: caller's thread %.3fx the pool's speed%n",
            kinds[kind],
            pool / caller);
      }
    } finally {
      callerThread(null);
      for (Sequential m : tob) if (m != null) m.close();
      for (Sequential m : spe) if (m != null) m.close();
    }
    return 0;
  }

  private static List<Double> column(List<double[]> rows, int i) {
    List<Double> out = new ArrayList<>();
    for (double[] r : rows) out.add(r[i]);
    return out;
  }

  private static String spread(List<double[]> rows, int i) {
    List<Double> c = column(rows, i);
    return String.format(
        Locale.ROOT,
        "%.4f [%.4f..%.4f]",
        BenchReport.median(c),
        c.stream().mapToDouble(Double::doubleValue).min().orElse(0),
        c.stream().mapToDouble(Double::doubleValue).max().orElse(0));
  }

  /** The calling thread's voluntary and involuntary context switches so far (Linux /proc). */
  static long[] switches() {
    long[] out = new long[2];
    try {
      for (String line :
          java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/thread-self/status"))) {
        if (line.startsWith("voluntary_ctxt_switches:")) {
          out[0] = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
        } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
          out[1] = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      // not Linux: zeros
    }
    return out;
  }

  /** CPU time of every thread of the process but the calling one, ns (Linux /proc). */
  static long otherThreadsCpu() {
    try {
      String self =
          java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/thread-self"))
              .getFileName()
              .toString();
      long total = 0;
      try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
        for (java.nio.file.Path t : (Iterable<java.nio.file.Path>) tasks::iterator) {
          if (t.getFileName().toString().equals(self)) continue;
          try {
            String line = java.nio.file.Files.readString(t.resolve("schedstat")).trim();
            total += Long.parseLong(line.substring(0, line.indexOf(' ')));
          } catch (java.io.IOException | RuntimeException gone) {
            // a thread that ended meanwhile
          }
        }
      }
      return total;
    } catch (java.io.IOException e) {
      return 0;
    }
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
