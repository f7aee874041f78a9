package jkeras.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import jkeras.callbacks.Callback;
import jkeras.config.Threading;
import jkeras.data.Batch;
import jkeras.data.NDArray;
import jkeras.models.Sequential;
import jkeras.python.Python;
import jkeras.python.PythonGenerator;
import jkeras.python.PythonSequence;
import jkeras.python.PythonSource;
import jkeras.trainers.FitOptions;
import jkeras.utils.RngUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jkeras bench all}: every workload in tf-keras (a Python process of the project's venv,
 * {@code compat-tests/bench/tfkeras_bench.py --serve}) and in jkeras (this JVM), alternating the
 * two, one warm-up round then {@code --repetitions} timed rounds, and one table of medians with
 * minima and maxima: workload, tf-keras, jkeras, ratio. Also the engine floor (the same graph
 * driven by a bare TensorFlow Java loop), the bridge cost per batch, and peak RSS of child JVMs
 * streaming much more or less data through a bounded queue. Goals are printed beside the table; the
 * table goes to {@code --out-dir} as text, JSON and a PNG chart.
 *
 * <p>Both sides train the same MLP 784-128-10 from the same initial weights on the same data
 * ({@link BenchData} and {@code bench_sources.py} compute the same bits); the Python data sources
 * are the functions of {@code compat-tests/bench/bench_sources.py}, imported by both sides.
 */
@Command(
    name = "all",
    mixinStandardHelpOptions = true,
    description =
        "Every workload in tf-keras and in jkeras, alternating; one table (text, JSON, PNG).")
final class AllBench implements Callable<Integer> {
  static final int FEATURES = TrainOnBatchBench.FEATURES;
  static final int HIDDEN = TrainOnBatchBench.HIDDEN;
  static final int CLASSES = TrainOnBatchBench.CLASSES;
  static final int BATCH = 32;

  @Option(names = "--repetitions", description = "Timed rounds (default: ${DEFAULT-VALUE}).")
  int repetitions = 3;

  @Option(names = "--warmup", description = "Untimed rounds first (default: ${DEFAULT-VALUE}).")
  int warmup = 1;

  @Option(
      names = "--steps",
      description = "train_on_batch steps per repetition (default: ${DEFAULT-VALUE}).")
  int steps = 300;

  @Option(
      names = "--samples",
      description = "Samples of the in-memory fit epoch (default: ${DEFAULT-VALUE}).")
  int samples = 60_000;

  @Option(
      names = "--gen-steps",
      description =
          "Steps per epoch of the generator and Sequence rows (default: ${DEFAULT-VALUE}).")
  int genSteps = 200;

  @Option(
      names = "--gil-work",
      description = "Pure-Python loop iterations per GIL-bound batch (default: ${DEFAULT-VALUE}).")
  int gilWork = 60_000;

  @Option(
      names = "--gil-steps",
      description = "Steps per epoch of the GIL-bound rows (default: ${DEFAULT-VALUE}).")
  int gilSteps = 100;

  @Option(
      names = "--max-queue-size",
      description = "max_queue_size everywhere (default: ${DEFAULT-VALUE}).")
  int maxQueueSize = 10;

  @Option(
      names = "--bridge-calls",
      description = "Calls per repetition of the bridge-cost row (default: ${DEFAULT-VALUE}).")
  int bridgeCalls = 3000;

  @Option(
      names = "--memory-batch-size",
      description = "Batch size of the peak-RSS runs (default: ${DEFAULT-VALUE}).")
  int memoryBatchSize = 1024;

  @Option(
      names = "--memory-factor",
      description =
          "The large peak-RSS run streams this many times max_queue_size batches, the small one a"
              + " tenth of that (default: ${DEFAULT-VALUE}).")
  int memoryFactor = 10;

  @Option(
      names = "--memory-heap-mb",
      description =
          "Fixed, pre-touched heap of the peak-RSS child JVMs (default: ${DEFAULT-VALUE}).")
  int memoryHeapMb = 256;

  @Option(
      names = "--only",
      split = ",",
      description =
          "Run only these workloads: tob, fixed_fit, fit, gen, seq, gil, overlap, bridge, memory, and the"
              + " model rows cnn, bn_cnn, lstm (default: all).")
  List<String> only;

  @Option(
      names = "--row-steps",
      description =
          "train_on_batch steps per round of the CNN rows; the LSTM row takes half"
              + " (default: ${DEFAULT-VALUE}).")
  int rowSteps = 40;

  @Option(
      names = "--row-batches",
      description =
          "Batches per epoch of the model rows' 2-epoch fit; the LSTM row takes half"
              + " (default: ${DEFAULT-VALUE}).")
  int rowBatches = 40;

  @Option(
      names = "--intra-op-threads",
      description =
          "jkeras.config.Threading intra-op threads of the jkeras side (0: jkeras' rule; default:"
              + " ${DEFAULT-VALUE}).")
  int intraOpThreads = 0;

  @Option(
      names = "--inter-op-threads",
      description =
          "jkeras.config.Threading inter-op threads of the jkeras side (0: jkeras' rule; default:"
              + " ${DEFAULT-VALUE}).")
  int interOpThreads = 0;

  @Option(
      names = "--tf-keras-threads",
      split = ",",
      description =
          "tf.config.threading intra-op,inter-op threads of the tf-keras side (0,0: TensorFlow's"
              + " default; default: ${DEFAULT-VALUE}).")
  List<Integer> tfKerasThreads = List.of(0, 0);

  @Option(
      names = "--steps-per-execution",
      description =
          "compile(steps_per_execution) of the jkeras models: the fit, generator and Sequence"
              + " rows and the model rows' fit; train_on_batch stays one step (default:"
              + " ${DEFAULT-VALUE}).")
  int stepsPerExecution = 1;

  @Option(names = "--no-tf-keras", description = "Skip the tf-keras side.")
  boolean noTfKeras;

  @Option(names = "--no-memory", description = "Skip the peak-RSS child JVMs.")
  boolean noMemory;

  @Option(
      names = "--out-dir",
      description = "Where to write bench-all.{txt,json,png} (default: <project root>/docs/bench).")
  Path outDir;

  @Option(
      names = "--seed",
      description = "Seed of the data and weights (default: ${DEFAULT-VALUE}).")
  long seed = 0;

  /**
   * The command line this run was started with, for the report (set by bench.sh via
   * -Djkeras.bench.command).
   */
  static String commandLine() {
    return System.getProperty("jkeras.bench.command", "jkeras bench all");
  }

  private Path root;
  private Path sources;
  private TfKerasProcess tfProc;
  private String tfkNote = "skipped (--no-tf-keras)";
  private Sequential model;
  private final List<Workload> workloads = new ArrayList<>();

  /** One workload: each side a measurement returning one figure, or null when it has none. */
  abstract static class Workload {
    final String id;
    final List<Double> tfk = new ArrayList<>();
    final List<Double> jk = new ArrayList<>();
    String tfkNote;
    String jkNote;

    /**
     * The latest figure of each side, warm-up rounds included (for workloads derived from this
     * one).
     */
    Double lastTfk;

    Double lastJk;

    Workload(String id) {
      this.id = id;
    }

    abstract Double runTfKeras() throws Exception;

    abstract Double runJkeras() throws Exception;

    /** Called after both sides of a round ran (derived figures). */
    void afterRound(boolean timed) {}
  }

  private boolean selected(String id) {
    return only == null || only.contains(id);
  }

  @Override
  public Integer call() throws Exception {
    // Before the first model: the first session fixes the process' threads.
    Threading.setIntraOpParallelismThreads(intraOpThreads);
    Threading.setInterOpParallelismThreads(interOpThreads);
    root = TfKerasProcess.projectRoot();
    sources = root.resolve("compat-tests/bench");
    Path out = outDir != null ? outDir : root.resolve("docs/bench");
    long wall0 = System.nanoTime();
    System.out.printf(
        Locale.ROOT,
        "bench all: MLP %d-%d-%d (relu, softmax), adam, sparse_categorical_crossentropy + accuracy, batch %d;"
            + " %d warm-up + %d timed rounds, tf-keras and jkeras alternating; %d CPUs%n",
        FEATURES,
        HIDDEN,
        CLASSES,
        BATCH,
        warmup,
        repetitions,
        Runtime.getRuntime().availableProcessors());

    RngUtils.setRandomSeed(seed);
    NDArray[] batch = BenchData.mlpData(BATCH, FEATURES, CLASSES, seed, 0);
    Map<String, Object> initialLoss = new LinkedHashMap<>();
    List<Row> rows = new ArrayList<>();
    List<Goal> goals = new ArrayList<>();
    Map<String, Object> extra = new LinkedHashMap<>();
    System.out.printf(
        Locale.ROOT,
        "jkeras: intra_op %d, inter_op %d (0: jkeras' rule), steps_per_execution %d; tf-keras"
            + " threads %s (0: TensorFlow's default)%n",
        intraOpThreads,
        interOpThreads,
        stepsPerExecution,
        tfKerasThreads);
    // The process' first model session fixes jkeras' default threads (jkeras.config.Threading):
    // with only model rows selected, the first row's model comes first, so the rows run with the
    // threads jkeras gives that model (the MLP would get one thread of each).
    List<String> rowKinds =
        GraphFloor.kinds().stream().filter(k -> only != null && only.contains(k)).toList();
    if (only != null && !rowKinds.isEmpty() && only.stream().allMatch(rowKinds::contains)) {
      BenchData.rowModel(rowKinds.get(0), seed).close();
    }
    try (Sequential m = BenchData.mlp(FEATURES, HIDDEN, CLASSES, seed, stepsPerExecution);
        EngineFloor floor =
            selected("tob") ? new EngineFloor(FEATURES, HIDDEN, CLASSES, seed) : null) {
      model = m;
      initialLoss.put("jkeras", model.testOnBatch(batch[0], batch[1]).get(0));
      startTfKeras();
      if (tfProc != null && tfProc.field("initial_loss") != null) {
        initialLoss.put("tf_keras", Double.parseDouble(tfProc.field("initial_loss")));
      }
      System.out.println(
          "initial loss on the first batch (same weights, same data): " + initialLoss);

      TrainOnBatch tob = selected("tob") ? new TrainOnBatch(batch, floor) : null;
      FitArrays fit = selected("fit") ? new FitArrays() : null;
      FixedFit fixedFit = selected("fixed_fit") ? new FixedFit(batch) : null;
      SourceFit gen = null;
      if (selected("gen") || selected("overlap")) {
        gen = new SourceFit("gen", "generator", "mlp_batches", List.of(BATCH), genSteps, 1, false);
      }
      SourceFit seq =
          selected("seq")
              ? new SourceFit(
                  "seq", "sequence", "MlpSequence", List.of(BATCH, genSteps), genSteps, 2, true)
              : null;
      SourceFit gil1 = null;
      SourceFit gil2 = null;
      if (selected("gil")) {
        gil1 =
            new SourceFit(
                "gil1", "generator", "gil_batches", List.of(BATCH, gilWork), gilSteps, 1, true);
        gil2 =
            new SourceFit(
                "gil2", "generator", "gil_batches", List.of(BATCH, gilWork), gilSteps, 2, true);
      }
      Overlap overlap = selected("overlap") ? new Overlap(gen) : null;
      BridgeCost bridge = selected("bridge") ? new BridgeCost() : null;
      for (Workload w : Arrays.asList(tob, fixedFit, fit, gen, seq, gil1, gil2, overlap, bridge)) {
        if (w != null) workloads.add(w);
      }
      List<ModelRow> modelRows = new ArrayList<>();
      for (String kind : GraphFloor.kinds()) {
        if (!selected(kind)) continue;
        ModelRow row = new ModelRow(kind);
        modelRows.add(row);
        workloads.add(row.tob);
        workloads.add(row.fit);
      }
      if (!processesAvailable()) {
        for (SourceFit s : Arrays.asList(seq, gil1, gil2)) {
          if (s != null) s.jkNote = "pending: worker processes";
        }
      }

      for (int round = 0; round < warmup + repetitions; round++) {
        boolean timed = round >= warmup;
        long t0 = System.nanoTime();
        for (Workload w : workloads) {
          // Alternate who goes first, so that a slow phase of the machine hits both alike.
          boolean tfFirst = round % 2 == 0;
          for (int side = 0; side < 2; side++) {
            boolean tf = (side == 0) == tfFirst;
            measure(w, tf, timed);
          }
          w.afterRound(timed);
        }
        System.out.printf(
            Locale.ROOT,
            "  %s round %d/%d done (%.1f s)%n",
            timed ? "timed" : "warm-up",
            timed ? round - warmup + 1 : round + 1,
            timed ? repetitions : warmup,
            (System.nanoTime() - t0) / 1e9);
      }
      if (gen != null && !selected("gen")) workloads.remove(gen);

      String model =
          String.format(Locale.ROOT, "MLP %d-%d-%d, batch %d", FEATURES, HIDDEN, CLASSES, BATCH);
      if (tob != null) {
        rows.add(Row.of("train_on_batch", "train_on_batch loop, " + model, "steps/s", tob));
        rows.add(Row.floor(tob.floor, tob.jk));
      }
      if (fixedFit != null) {
        rows.add(
            Row.of(
                "fit_fixed_batch",
                String.format(
                    Locale.ROOT,
                    "fit, one fixed batch (Java iterator, workers=0), steps_per_execution %d",
                    stepsPerExecution),
                "steps/s",
                fixedFit));
      }
      if (fit != null) {
        rows.add(
            Row.of(
                "fit_arrays",
                String.format(Locale.ROOT, "fit, arrays, 1 epoch of %,d samples", samples),
                "samples/s",
                fit));
      }
      if (selected("gen") && gen != null) {
        rows.add(
            Row.of(
                "fit_generator_w1", "fit_generator, Python generator, workers=1", "steps/s", gen));
      }
      if (seq != null) {
        rows.add(
            Row.of(
                "sequence_w2_mp",
                "Python Sequence, workers=2, use_multiprocessing",
                "steps/s",
                seq));
      }
      if (gil1 != null) {
        String g = "GIL-bound generator, ";
        rows.add(Row.of("gil_w1", g + "1 worker process", "steps/s", gil1));
        rows.add(Row.of("gil_w2", g + "2 worker processes", "steps/s", gil2));
        rows.add(Row.scaling(gil1, gil2));
        if (!gil1.jk.isEmpty() && tob != null && !tob.jk.isEmpty()) {
          // At 1 worker the epoch is producer-bound, so 1/rate ~ the producer's CPU time per batch;
          // with 2
          // processes the batches cost producer + step of CPU in all, on availableProcessors cores.
          double producer = 1 / BenchReport.median(gil1.jk);
          double step = 1 / BenchReport.median(tob.jk);
          int cpus = Runtime.getRuntime().availableProcessors();
          double bound = Math.min(2 / producer, cpus / (producer + step)) * producer;
          extra.put("gil_scaling_cpu_bound", Math.round(bound * 100) / 100.0);
        }
      }
      if (overlap != null) {
        rows.add(
            Row.of(
                    "producer_eq_step",
                    "producer ~ step, workers=1: epoch/max(producer, step)",
                    "ratio",
                    overlap)
                .lowerIsBetter());
        Map<String, Object> pm = new LinkedHashMap<>();
        pm.put("tf_keras", overlap.tfkMs);
        pm.put("jkeras", overlap.jkMs);
        extra.put("producer_ms", pm);
      }
      for (ModelRow r : modelRows) {
        rows.addAll(r.rows());
        extra.put("initial_loss_" + r.kind, r.initialLosses());
      }
      if (bridge != null) rows.add(Row.bridge(bridge));
    } finally {
      if (tfProc != null) tfProc.close();
      for (Workload w : workloads) {
        if (w instanceof BridgeCost c) c.close();
        if (w instanceof ModelRow.Tob t) t.row().close();
      }
    }

    if (!noMemory && selected("memory")) {
      for (String source : List.of("java", "python")) rows.add(memoryRow(source));
    }

    goals.addAll(Goal.evaluate(rows));
    BenchReport report =
        new BenchReport(
            rows,
            goals,
            tfkNote,
            initialLoss,
            extra,
            repetitions,
            warmup,
            (System.nanoTime() - wall0) / 1e9,
            notes(initialLoss, extra));
    System.out.println();
    String text = report.text();
    System.out.print(text);
    report.write(out);
    System.out.println(
        "written: " + out.resolve("bench-all.txt") + ", bench-all.json, bench-all.png");
    return 0;
  }

  private List<String> notes(Map<String, Object> initialLoss, Map<String, Object> extra) {
    List<String> n = new ArrayList<>();
    n.add(
        String.format(
            Locale.ROOT,
            "settings: jkeras intra_op %d, inter_op %d (0: jkeras' rule, by the first model's size),"
                + " ops on the caller's thread %s, steps_per_execution %d; tf-keras"
                + " tf.config.threading %s (0: TensorFlow's default, one per core).",
            intraOpThreads,
            interOpThreads,
            Threading.isCallerThreadExecutionActive() ? "yes" : "no",
            stepsPerExecution,
            tfKerasThreads));
    n.add(
        "Both sides: the same MLP, initial weights and data (bench_sources.py / BenchData, bit for bit);"
            + " loss on the first batch before training: "
            + initialLoss
            + ".");
    n.add(
        String.format(
            Locale.ROOT,
            "train_on_batch: %d calls per round on one fixed batch; the engine floor runs"
                + " right after jkeras in the same round (ratio jkeras/floor).",
            steps));
    n.add(
        "fit, arrays: the whole fit(x, y, batch_size=32, epochs=1, verbose=0) call (default shuffle), samples/s.");
    n.add(
        String.format(
            Locale.ROOT,
            "generator and Sequence rows: steps/s of the 2nd epoch of a 2-epoch fit"
                + " (fit_generator in jkeras, fit in tf-keras), %d steps/epoch (GIL rows %d), max_queue_size %d;"
                + " sources: compat-tests/bench/bench_sources.py, imported by both sides.",
            genSteps,
            gilSteps,
            maxQueueSize));
    n.add(
        String.format(
                Locale.ROOT,
                "GIL-bound: gil_batches, a %,d-iteration pure-Python loop before each batch,"
                    + " use_multiprocessing=True, workers 1 and 2; scaling = steps/s at 2 / at 1, per round.",
                gilWork)
            + (extra.get("gil_scaling_cpu_bound") instanceof Number b
                ? String.format(
                    Locale.ROOT,
                    " The CPU bound of that scaling here (producer %s + train step of CPU per batch on %d cores) is about %.2fx.",
                    "time",
                    Runtime.getRuntime().availableProcessors(),
                    b.doubleValue())
                : ""));
    if (extra.get("producer_ms") instanceof Map<?, ?> pm) {
      n.add(
          String.format(
              Locale.ROOT,
              "producer ~ step: sleepy_batches sleeping each side's own step time (tf-keras"
                  + " %s ms, jkeras %s ms, from the workers=1 generator row), workers=1; producer alone = the same"
                  + " generator drawn without training; epoch/max near 1.0 = full overlap.",
              fmt3(pm.get("tf_keras")),
              fmt3(pm.get("jkeras"))));
    }
    if (only == null || GraphFloor.kinds().stream().anyMatch(only::contains)) {
      n.add(
          String.format(
              Locale.ROOT,
              "model rows: the same model, kernels (bench_sources.det_kernels) and data on both"
                  + " sides (loss on the first batch before training: %s), adam; train_on_batch:"
                  + " %d calls per round on one fixed batch (LSTM %d),"
                  + " the engine floor (the model's own graph and session, a bare Session.run loop)"
                  + " right after jkeras; fit: fit(x, y, epochs=2, shuffle=False) over %d batches"
                  + " (LSTM %d), steps/s of the 2nd epoch.",
              rowLosses(extra),
              rowSteps,
              Math.max(1, rowSteps / 2),
              rowBatches,
              Math.max(1, rowBatches / 2)));
    }
    n.add(
        String.format(
            Locale.ROOT,
            "bridge: p50 of PythonGenerator.next() on a fixed 32x784 float32 batch + int"
                + " labels, vs p50 of one Arrays.copyOf of the same 101,760 bytes, %d calls per round.",
            bridgeCalls));
    n.add(
        String.format(
            Locale.ROOT,
            "peak RSS: VmHWM of a fresh child JVM per run (heap fixed at %d MB and"
                + " pre-touched), fitGenerator(workers=1) over new %dx%d float32 batches (%.1f MB each), max_queue_size"
                + " %d.",
            memoryHeapMb,
            memoryBatchSize,
            FEATURES,
            memoryBatchSize * FEATURES * 4 / 1048576.0,
            maxQueueSize));
    return n;
  }

  private static String rowLosses(Map<String, Object> extra) {
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, Object> e : extra.entrySet()) {
      if (e.getKey().startsWith("initial_loss_")) {
        parts.add(e.getKey().substring("initial_loss_".length()) + " " + e.getValue());
      }
    }
    return String.join(", ", parts);
  }

  private static String fmt3(Object v) {
    return v instanceof Number x ? String.format(Locale.ROOT, "%.2f", x.doubleValue()) : "n/a";
  }

  private void measure(Workload w, boolean tf, boolean timed) {
    if (tf ? (tfProc == null || w.tfkNote != null) : w.jkNote != null) return;
    try {
      Double v = tf ? w.runTfKeras() : w.runJkeras();
      if (tf) w.lastTfk = v;
      else w.lastJk = v;
      if (v != null && timed) (tf ? w.tfk : w.jk).add(v);
    } catch (Exception | Error e) {
      String msg = "error: " + e.getClass().getSimpleName() + ": " + firstLine(e.getMessage());
      if (tf) w.tfkNote = msg;
      else w.jkNote = msg;
      System.err.println("[bench all] " + w.id + " " + (tf ? "tf-keras" : "jkeras") + " " + msg);
    }
  }

  private static String firstLine(String s) {
    if (s == null) return "";
    int i = s.indexOf('\n');
    return i < 0 ? s : s.substring(0, i);
  }

  static boolean processesAvailable() {
    try {
      Class.forName("jkeras.python.process.ProcessEnqueuer");
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private void startTfKeras() {
    if (noTfKeras) return;
    try {
      tfProc =
          TfKerasProcess.start(
              TfKerasProcess.python(root),
              sources.resolve("tfkeras_bench.py"),
              List.of(
                  "--batch-size",
                  Integer.toString(BATCH),
                  "--features",
                  Integer.toString(FEATURES),
                  "--hidden",
                  Integer.toString(HIDDEN),
                  "--classes",
                  Integer.toString(CLASSES),
                  "--warmup-steps",
                  "50",
                  "--seed",
                  Long.toString(seed),
                  "--init",
                  "det",
                  "--intra-op-threads",
                  Integer.toString(tfKerasThreads.get(0)),
                  "--inter-op-threads",
                  Integer.toString(tfKerasThreads.get(tfKerasThreads.size() - 1))));
      tfkNote =
          "tensorflow "
              + tfProc.field("tensorflow")
              + ", tf_keras "
              + tfProc.field("tf_keras")
              + " (CPU, own process)";
    } catch (Exception e) {
      tfkNote = "unavailable: " + e.getMessage();
      System.err.println("[bench all] tf-keras side " + tfkNote);
    }
  }

  private PythonSource source(String fn, List<?> args) {
    return PythonSource.fromModule("bench_sources", fn, args.toArray()).withPaths(sources);
  }

  private FitOptions.Builder fitOptions(int epochs, int workers, boolean mp, Callback timer) {
    return FitOptions.builder()
        .epochs(epochs)
        .verbose(0)
        .shuffle(false)
        .workers(workers)
        .useMultiprocessing(mp)
        .maxQueueSize(maxQueueSize)
        .callbacks(timer);
  }

  // ---------------------------------------------------------------------------------------------
  // Workloads

  /** train_on_batch steps/s; the engine floor runs in the jkeras turn, right after jkeras. */
  final class TrainOnBatch extends Workload {
    final NDArray[] batch;
    final EngineFloor engine;
    final List<Double> floor = new ArrayList<>();
    final float[] xFlat;
    final float[] yFlat;

    TrainOnBatch(NDArray[] batch, EngineFloor engine) {
      super("tob");
      this.batch = batch;
      this.engine = engine;
      xFlat = batch[0].toFloatArray();
      int[] labels = BenchData.labels(BATCH, CLASSES, 2 * seed + 1, 0);
      yFlat = new float[labels.length];
      for (int i = 0; i < labels.length; i++) yFlat[i] = labels[i];
    }

    @Override
    Double runTfKeras() throws IOException {
      return tfProc.trainOnBatch(steps);
    }

    @Override
    Double runJkeras() {
      long t0 = System.nanoTime();
      for (int i = 0; i < steps; i++) model.trainOnBatch(batch[0], batch[1]);
      double jkRate = steps / ((System.nanoTime() - t0) / 1e9);
      t0 = System.nanoTime();
      for (int i = 0; i < steps; i++) engine.step(xFlat, yFlat);
      pendingFloor = steps / ((System.nanoTime() - t0) / 1e9);
      return jkRate;
    }

    private double pendingFloor = Double.NaN;

    @Override
    void afterRound(boolean timed) {
      if (timed && !Double.isNaN(pendingFloor)) floor.add(pendingFloor);
      pendingFloor = Double.NaN;
    }
  }

  /**
   * fitGenerator over a Java iterator giving the train_on_batch row's batch again and again, one
   * epoch of {@code --steps} steps, workers=0: the fit loop and the train step (chained with
   * steps_per_execution) without the arrays' shuffling and row gathering. jkeras only.
   */
  final class FixedFit extends Workload {
    private final Batch fixed;

    FixedFit(NDArray[] batch) {
      super("fixed_fit");
      this.fixed = Batch.of(batch[0], batch[1]);
    }

    @Override
    Double runTfKeras() {
      return null;
    }

    @Override
    Double runJkeras() {
      long t0 = System.nanoTime();
      model.fitGenerator(
          BenchData.endless(i -> fixed),
          FitOptions.builder().stepsPerEpoch(steps).epochs(1).verbose(0).workers(0).build());
      return steps / ((System.nanoTime() - t0) / 1e9);
    }
  }

  /** fit(x, y) on in-memory arrays, one epoch, samples/s of the whole call. */
  final class FitArrays extends Workload {
    private NDArray[] data;

    FitArrays() {
      super("fit");
    }

    @Override
    Double runTfKeras() throws IOException {
      Map<String, Object> a =
          tfProc.request(
              Map.of("cmd", "fit_arrays", "samples", samples, "batch_size", BATCH, "seed", seed));
      return ((Number) a.get("samples_per_s")).doubleValue();
    }

    @Override
    Double runJkeras() {
      if (data == null) data = BenchData.mlpData(samples, FEATURES, CLASSES, seed, 0);
      long t0 = System.nanoTime();
      model.fit(
          data[0], data[1], FitOptions.builder().batchSize(BATCH).epochs(1).verbose(0).build());
      return samples / ((System.nanoTime() - t0) / 1e9);
    }
  }

  /**
   * fit over a Python generator or Sequence of bench_sources: steps/s of the second epoch of a
   * 2-epoch call (the first starts the enqueuer and, in tf-keras, its data pipeline).
   */
  final class SourceFit extends Workload {
    final String kind;
    final String fn;
    final List<?> args;
    final int stepsPerEpoch;
    final int workers;
    final boolean mp;

    SourceFit(
        String id,
        String kind,
        String fn,
        List<?> args,
        int stepsPerEpoch,
        int workers,
        boolean mp) {
      super(id);
      this.kind = kind;
      this.fn = fn;
      this.args = args;
      this.stepsPerEpoch = stepsPerEpoch;
      this.workers = workers;
      this.mp = mp;
    }

    Map<String, Object> request() {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("cmd", "fit_source");
      r.put("kind", kind);
      r.put("fn", fn);
      r.put("args", args);
      r.put("steps", stepsPerEpoch);
      r.put("epochs", 2);
      r.put("workers", workers);
      r.put("mp", mp);
      r.put("max_queue_size", maxQueueSize);
      return r;
    }

    @Override
    Double runTfKeras() throws IOException {
      return ((Number) tfProc.request(request()).get("steps_per_s")).doubleValue();
    }

    @Override
    Double runJkeras() {
      return stepsPerEpoch / (secondEpochMillis(fn, args) / 1e3);
    }

    double secondEpochMillis(String function, List<?> arguments) {
      FitGeneratorBench.EpochTimer timer = new FitGeneratorBench.EpochTimer();
      if (kind.equals("sequence")) {
        try (PythonSequence s = Python.sequence(source(function, arguments))) {
          model.fitGenerator(s, fitOptions(2, workers, mp, timer).build());
        }
      } else {
        try (PythonGenerator g = Python.generator(source(function, arguments))) {
          model.fitGenerator(
              g, fitOptions(2, workers, mp, timer).stepsPerEpoch(stepsPerEpoch).build());
        }
      }
      return timer.millis.get(timer.millis.size() - 1);
    }
  }

  /**
   * A producer that costs about one step (each side's own, from the free generator row of the same
   * round): a sleeping Python generator at workers=1; the figure is epoch / max(producer alone,
   * steps alone), near 1.0 when preparation fully overlaps training.
   */
  final class Overlap extends Workload {
    final SourceFit free;
    Double tfkMs;
    Double jkMs;

    Overlap(SourceFit free) {
      super("overlap");
      this.free = free;
    }

    private double stepMs(Double lastRate) {
      return 1e3 / lastRate;
    }

    @Override
    Double runTfKeras() throws IOException {
      if (free.lastTfk == null) return null;
      if (tfkMs == null) tfkMs = stepMs(free.lastTfk);
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("cmd", "producer_alone");
      r.put("fn", "sleepy_batches");
      r.put("args", List.of(BATCH, tfkMs));
      r.put("steps", free.stepsPerEpoch);
      double producer = ((Number) tfProc.request(r).get("seconds")).doubleValue() * 1e3;
      Map<String, Object> f = new LinkedHashMap<>(free.request());
      f.put("fn", "sleepy_batches");
      f.put("args", List.of(BATCH, tfkMs));
      double epoch =
          free.stepsPerEpoch / ((Number) tfProc.request(f).get("steps_per_s")).doubleValue() * 1e3;
      double step = free.stepsPerEpoch * stepMs(free.lastTfk);
      return epoch / Math.max(producer, step);
    }

    @Override
    Double runJkeras() {
      if (free.lastJk == null) return null;
      if (jkMs == null) jkMs = stepMs(free.lastJk);
      List<Object> args = List.of(BATCH, jkMs);
      double producer;
      try (PythonGenerator g = Python.generator(source("sleepy_batches", args))) {
        g.workerStarted();
        try {
          g.next();
          long t0 = System.nanoTime();
          for (int i = 0; i < free.stepsPerEpoch; i++) g.next();
          producer = (System.nanoTime() - t0) / 1e6;
        } finally {
          g.workerStopped();
        }
      }
      double epoch = free.secondEpochMillis("sleepy_batches", args);
      double step = free.stepsPerEpoch * stepMs(free.lastJk);
      return epoch / Math.max(producer, step);
    }
  }

  /**
   * A model row (issue 9): the model of {@link BenchData#rowModel}, same kernels and data on both
   * sides; train_on_batch steps/s on one fixed batch (the engine floor right after jkeras, in the
   * same round) and steps/s of the second epoch of a 2-epoch fit over in-memory batches.
   */
  final class ModelRow {
    final String kind;
    final String label;
    final int steps;
    final int batches;
    final Tob tob = new Tob();
    final Fit fit = new Fit();
    final List<Double> floor = new ArrayList<>();
    private Sequential model;
    private NDArray[] batch;
    private GraphFloor engine;
    private Double tfkInitialLoss;
    private Double jkInitialLoss;

    ModelRow(String kind) {
      this.kind = kind;
      this.label =
          switch (kind) {
            case "cnn" -> "small CNN (Conv2D 32, MaxPooling2D, Dense), batch 64";
            case "bn_cnn" -> "CNN + BatchNormalization (Conv2D 32, BN, relu, MaxPool, Dense), b64";
            default -> "LSTM text classifier (Embedding 10,000x128, LSTM 64, Dense; 80 steps), b32";
          };
      boolean lstm = kind.equals("lstm");
      this.steps = lstm ? Math.max(1, rowSteps / 2) : rowSteps;
      this.batches = lstm ? Math.max(1, rowBatches / 2) : rowBatches;
    }

    private Map<String, Object> request(String cmd) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("cmd", cmd);
      r.put("model", kind);
      r.put("seed", seed);
      return r;
    }

    private void ensureModel() {
      if (model != null) return;
      model = BenchData.rowModel(kind, seed, stepsPerExecution);
      batch = BenchData.rowData(kind, 1, seed);
      jkInitialLoss = model.testOnBatch(batch[0], batch[1]).get(0);
      model.trainOnBatch(batch[0], batch[1]);
      engine = new GraphFloor(model, batch[0], batch[1]);
    }

    Map<String, Object> initialLosses() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("jkeras", jkInitialLoss);
      m.put("tf_keras", tfkInitialLoss);
      return m;
    }

    List<Row> rows() {
      List<Row> out = new ArrayList<>();
      out.add(Row.of(kind + "_train_on_batch", label + ": train_on_batch", "steps/s", tob));
      Row f = Row.floor(floor, tob.jk);
      f.id = kind + "_engine_floor";
      f.workload = "  engine floor (jkeras column): bare TF Java loop, same graph";
      out.add(f);
      out.add(
          Row.of(
              kind + "_fit",
              String.format(
                  Locale.ROOT, "  fit, 2nd epoch of %d batches (tf-keras compiled)", batches),
              "steps/s",
              fit));
      return out;
    }

    void close() {
      if (model != null) model.close();
    }

    /** train_on_batch on one fixed batch; the floor right after jkeras. */
    final class Tob extends Workload {
      private double pendingFloor = Double.NaN;

      Tob() {
        super(kind + "_tob");
      }

      ModelRow row() {
        return ModelRow.this;
      }

      @Override
      Double runTfKeras() throws IOException {
        if (tfkInitialLoss == null) {
          tfkInitialLoss =
              ((Number) tfProc.request(request("model_init")).get("initial_loss")).doubleValue();
        }
        Map<String, Object> r = request("model_tob");
        r.put("steps", steps);
        return ((Number) tfProc.request(r).get("steps_per_s")).doubleValue();
      }

      @Override
      Double runJkeras() {
        ensureModel();
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) model.trainOnBatch(batch[0], batch[1]);
        double rate = steps / ((System.nanoTime() - t0) / 1e9);
        t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) engine.step();
        pendingFloor = steps / ((System.nanoTime() - t0) / 1e9);
        return rate;
      }

      @Override
      void afterRound(boolean timed) {
        if (timed && !Double.isNaN(pendingFloor)) floor.add(pendingFloor);
        pendingFloor = Double.NaN;
      }
    }

    /** A 2-epoch fit over {@code batches} in-memory batches: steps/s of the second epoch. */
    final class Fit extends Workload {
      private NDArray[] data;

      Fit() {
        super(kind + "_fit");
      }

      @Override
      Double runTfKeras() throws IOException {
        Map<String, Object> r = request("model_fit");
        r.put("batches", batches);
        return ((Number) tfProc.request(r).get("steps_per_s")).doubleValue();
      }

      @Override
      Double runJkeras() {
        ensureModel();
        if (data == null) data = BenchData.rowData(kind, batches, seed);
        FitGeneratorBench.EpochTimer timer = new FitGeneratorBench.EpochTimer();
        model.fit(
            data[0],
            data[1],
            FitOptions.builder()
                .batchSize(BenchData.rowBatch(kind))
                .epochs(2)
                .shuffle(false)
                .verbose(0)
                .callbacks(timer)
                .build());
        return batches / (timer.millis.get(1) / 1e3);
      }
    }
  }

  /** PythonGenerator.next() on a fixed 32x784 batch vs one Java copy of its bytes (p50, µs). */
  final class BridgeCost extends Workload {
    final List<Double> copy = new ArrayList<>();
    private PythonGenerator gen;

    BridgeCost() {
      super("bridge");
      tfkNote = "-";
    }

    @Override
    Double runTfKeras() {
      return null;
    }

    @Override
    Double runJkeras() {
      if (gen == null) {
        gen = Python.generator(source("mlp_batches", List.of(BATCH, 1)));
        gen.workerStarted();
      }
      long[] t = new long[bridgeCalls];
      double sink = 0;
      for (int i = 0; i < bridgeCalls; i++) {
        long s = System.nanoTime();
        Batch b = gen.next();
        t[i] = System.nanoTime() - s;
        sink += ((NDArray) b.x()).getFloat(0, 0);
      }
      float[] src = new float[BATCH * FEATURES + BATCH * CLASSES];
      Arrays.fill(src, 1f);
      long[] c = new long[bridgeCalls];
      for (int i = 0; i < bridgeCalls; i++) {
        long s = System.nanoTime();
        float[] dst = Arrays.copyOf(src, src.length);
        c[i] = System.nanoTime() - s;
        sink += dst[i % dst.length];
      }
      FitGeneratorBench.sink += sink;
      pendingCopy = p50(c) / 1e3;
      return p50(t) / 1e3;
    }

    private double pendingCopy = Double.NaN;

    @Override
    void afterRound(boolean timed) {
      if (timed && !Double.isNaN(pendingCopy)) copy.add(pendingCopy);
      pendingCopy = Double.NaN;
    }

    void close() {
      if (gen != null) {
        gen.workerStopped();
        gen.close();
      }
    }
  }

  static double p50(long[] t) {
    long[] s = t.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  // ---------------------------------------------------------------------------------------------
  // Memory: child JVMs

  private Row memoryRow(String source) {
    int large = memoryFactor * maxQueueSize;
    int small = Math.max(1, large / 10);
    String what = source.equals("java") ? "Java Iterator" : "Python generator";
    String workload =
        String.format(
            Locale.ROOT, "peak RSS, fitGenerator, %s, %d vs %d batches", what, large, small);
    try {
      double big =
          MemoryChild.peakRssMb(source, large, memoryBatchSize, maxQueueSize, memoryHeapMb);
      double little =
          MemoryChild.peakRssMb(source, small, memoryBatchSize, maxQueueSize, memoryHeapMb);
      System.out.printf(
          Locale.ROOT,
          "  peak RSS (%s): %d batches %.0f MB, %d batches %.0f MB%n",
          source,
          large,
          big,
          small,
          little);
      return Row.memory("memory_" + source, workload, big, little, large, small);
    } catch (Exception e) {
      return Row.skipped("memory_" + source, workload, "MB", "error: " + firstLine(e.getMessage()));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Rows and goals

  /** One line of the table. Figures are lists over the timed rounds; a null list has a note. */
  static final class Row {
    String id;
    String workload;
    String unit;
    List<Double> tfk;
    List<Double> jk;
    String tfkNote;
    String jkNote;

    /** Per-round ratio values and what they are. */
    List<Double> ratio = List.of();

    String ratioLabel = "jkeras/tf-keras";
    boolean higherIsBetter = true;
    String jkText;

    Row(String id, String workload, String unit) {
      this.id = id;
      this.workload = workload;
      this.unit = unit;
    }

    static Row of(String id, String workload, String unit, Workload w) {
      Row r = new Row(id, workload, unit);
      r.tfk = w.tfk;
      r.jk = w.jk;
      r.tfkNote = w.tfkNote != null ? w.tfkNote : (w.tfk.isEmpty() ? "n/a" : null);
      r.jkNote = w.jkNote != null ? w.jkNote : (w.jk.isEmpty() ? "n/a" : null);
      r.ratio = paired(w.jk, w.tfk);
      return r;
    }

    Row lowerIsBetter() {
      higherIsBetter = false;
      return this;
    }

    static Row floor(List<Double> floor, List<Double> jk) {
      Row r =
          new Row(
              "engine_floor",
              "engine floor (jkeras column): bare TF Java loop, same graph",
              "steps/s");
      r.tfk = List.of();
      r.tfkNote = "-";
      r.jk = floor;
      r.jkNote = floor.isEmpty() ? "n/a" : null;
      r.ratio = paired(jk, floor);
      r.ratioLabel = "jkeras/floor";
      return r;
    }

    static Row scaling(Workload w1, Workload w2) {
      Row r = new Row("gil_scaling", "GIL-bound generator: scaling 1 -> 2 processes", "factor");
      r.tfk = paired(w2.tfk, w1.tfk);
      r.jk = paired(w2.jk, w1.jk);
      r.tfkNote = r.tfk.isEmpty() ? (w1.tfkNote != null ? w1.tfkNote : "n/a") : null;
      r.jkNote = r.jk.isEmpty() ? (w1.jkNote != null ? w1.jkNote : "n/a") : null;
      r.ratio = paired(r.jk, r.tfk);
      return r;
    }

    static Row bridge(BridgeCost b) {
      Row r = new Row("bridge_cost", "bridge: PythonGenerator.next(), 32x784 batch, p50", "us");
      r.tfk = List.of();
      r.tfkNote = "-";
      r.jk = b.jk;
      r.jkNote = b.jkNote != null ? b.jkNote : (b.jk.isEmpty() ? "n/a" : null);
      r.ratio = paired(b.jk, b.copy);
      r.ratioLabel = "next/copy";
      r.higherIsBetter = false;
      return r;
    }

    static Row memory(String id, String workload, double big, double little, int large, int small) {
      Row r = new Row(id, workload, "MB");
      r.tfk = List.of();
      r.tfkNote = "-";
      r.jk = List.of(big);
      r.jkText = String.format(Locale.ROOT, "%.0f (%d batches: %.0f)", big, small, little);
      r.ratio = List.of(big / little);
      r.ratioLabel = large + "/" + small + " batches";
      r.higherIsBetter = false;
      return r;
    }

    static Row skipped(String id, String workload, String unit, String note) {
      Row r = new Row(id, workload, unit);
      r.tfk = List.of();
      r.jk = List.of();
      r.tfkNote = note;
      r.jkNote = note;
      return r;
    }
  }

  /** {@code a[i] / b[i]} for the rounds both have. */
  static List<Double> paired(List<Double> a, List<Double> b) {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) out.add(a.get(i) / b.get(i));
    return out;
  }

  /** A goal of issue 5: the measured median against the target. */
  record Goal(String goal, String target, String measured, Boolean met) {
    static List<Goal> evaluate(List<Row> rows) {
      Map<String, Row> by = BenchReport.byId(rows);
      List<Goal> out = new ArrayList<>();
      // 1. >= 2x tf-keras on every small-model throughput row
      List<String> parts = new ArrayList<>();
      Boolean all = null;
      for (String id :
          List.of(
              "train_on_batch",
              "fit_arrays",
              "fit_generator_w1",
              "sequence_w2_mp",
              "gil_w1",
              "gil_w2")) {
        Double m = BenchReport.medianRatio(by, id);
        if (m == null) continue;
        parts.add(id + " " + BenchReport.fmtRatio(m));
        all = (all == null || all) && m >= 2.0;
      }
      out.add(
          new Goal(
              "jkeras >= 2x tf-keras on every small-model row",
              ">= 2.00x",
              String.join(", ", parts),
              all));
      Double floor = BenchReport.medianRatio(by, "engine_floor");
      if (floor != null) {
        out.add(
            new Goal(
                "train step within 1.15x of the engine floor",
                "floor/jkeras <= 1.15",
                String.format(Locale.ROOT, "floor/jkeras %.2f", 1 / floor),
                1 / floor <= 1.15));
      }
      Double m = BenchReport.medianRatio(by, "bridge_cost");
      if (m != null) {
        Row bridge = by.get("bridge_cost");
        out.add(
            new Goal(
                "bridge cost per batch within 2x of one memcpy of the batch",
                "next/copy <= 2.0",
                String.format(
                    Locale.ROOT,
                    "next %.1f us, copy %.1f us: %.1fx",
                    BenchReport.median(bridge.jk),
                    BenchReport.median(bridge.jk) / m,
                    m),
                m <= 2.0));
      }
      Row gil = by.get("gil_scaling");
      if (gil != null) {
        Boolean met = gil.jk.isEmpty() ? null : BenchReport.median(gil.jk) >= 1.8;
        out.add(
            new Goal(
                "GIL-bound generator: >= 1.8x from 1 to 2 worker processes",
                ">= 1.80x",
                (gil.jk.isEmpty()
                        ? "jkeras " + gil.jkNote
                        : "jkeras " + BenchReport.fmtRatio(BenchReport.median(gil.jk)))
                    + (gil.tfk.isEmpty()
                        ? ""
                        : ", tf-keras " + BenchReport.fmtRatio(BenchReport.median(gil.tfk))),
                met));
      }
      Row ov = by.get("producer_eq_step");
      if (ov != null) {
        Boolean met = ov.jk.isEmpty() ? null : BenchReport.median(ov.jk) <= 1.1;
        out.add(
            new Goal(
                "producer ~ step: epoch within 1.1x of max(producer, step)",
                "<= 1.10",
                (ov.jk.isEmpty()
                        ? "jkeras n/a"
                        : String.format(Locale.ROOT, "jkeras %.2f", BenchReport.median(ov.jk)))
                    + (ov.tfk.isEmpty()
                        ? ""
                        : String.format(
                            Locale.ROOT, ", tf-keras %.2f", BenchReport.median(ov.tfk))),
                met));
      }
      // Issue 9: each model row within 1.05x of its engine floor, and at least as fast as
      // tf-keras' compiled fit.
      for (String kind : GraphFloor.kinds()) {
        Double f = BenchReport.medianRatio(by, kind + "_engine_floor");
        if (f != null) {
          out.add(
              new Goal(
                  kind + ": train step within 1.05x of its engine floor",
                  "floor/jkeras <= 1.05",
                  String.format(Locale.ROOT, "floor/jkeras %.2f", 1 / f),
                  1 / f <= 1.05));
        }
        Double fit = BenchReport.medianRatio(by, kind + "_fit");
        if (fit != null) {
          out.add(
              new Goal(
                  kind + ": fit at least as fast as tf-keras' compiled fit",
                  ">= 1.00x",
                  "jkeras/tf-keras " + BenchReport.fmtRatio(fit),
                  fit >= 1.0));
        }
      }
      for (String id : List.of("memory_java", "memory_python")) {
        Row r = by.get(id);
        if (r == null) continue;
        Boolean met = r.ratio.isEmpty() ? null : r.ratio.get(0) <= 1.05;
        out.add(
            new Goal(
                "bounded queue: peak RSS equal within noise, 10x vs 1x data ("
                    + id.substring(7)
                    + ")",
                "large/small <= 1.05",
                r.ratio.isEmpty() ? r.jkNote : String.format(Locale.ROOT, "%.3f", r.ratio.get(0)),
                met));
      }
      return out;
    }
  }
}
