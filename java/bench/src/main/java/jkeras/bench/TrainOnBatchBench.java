package jkeras.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import jkeras.data.NDArray;
import jkeras.models.Sequential;
import jkeras.trainers.Scores;
import jkeras.utils.RngUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jkeras bench train-on-batch}: steps/s of {@code trainOnBatch} on an MLP 784-128-10 (relu,
 * softmax; adam, sparse_categorical_crossentropy, accuracy) at batch 32, next to tf-keras' {@code
 * train_on_batch} on the same model and batch (a Python subprocess) and to the "engine floor", the
 * same graph driven by a bare TensorFlow Java loop. Repetitions of the three alternate so that a
 * slow phase of the machine hits all of them alike.
 */
@Command(
    name = "train-on-batch",
    mixinStandardHelpOptions = true,
    description = "trainOnBatch steps/s: jkeras vs tf-keras vs a bare TensorFlow Java loop.")
final class TrainOnBatchBench implements Callable<Integer> {
  static final int FEATURES = 784;
  static final int HIDDEN = 128;
  static final int CLASSES = 10;

  @Option(names = "--batch-size", description = "Batch size (default: ${DEFAULT-VALUE}).")
  int batchSize = 32;

  @Option(
      names = "--warmup-steps",
      description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
  int warmupSteps = 100;

  @Option(
      names = "--steps",
      description = "Steps per timed repetition (default: ${DEFAULT-VALUE}).")
  int steps = 300;

  @Option(
      names = "--repetitions",
      description = "Timed repetitions of each (default: ${DEFAULT-VALUE}).")
  int repetitions = 5;

  @Option(
      names = "--seed",
      description = "Seed of the weights and the batch (default: ${DEFAULT-VALUE}).")
  long seed = 0;

  @Option(names = "--no-tf-keras", description = "Skip the tf-keras side.")
  boolean noTfKeras;

  @Option(names = "--no-floor", description = "Skip the bare TensorFlow Java loop.")
  boolean noFloor;

  @Override
  public Integer call() throws Exception {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] xFlat = new float[batchSize * FEATURES];
    for (int i = 0; i < xFlat.length; i++) xFlat[i] = (float) rng.nextDouble();
    int[] labels = new int[batchSize];
    float[] labelsF = new float[batchSize];
    for (int i = 0; i < batchSize; i++) {
      labels[i] = rng.nextInt(CLASSES);
      labelsF[i] = labels[i];
    }
    NDArray x = NDArray.of(xFlat, batchSize, FEATURES);
    NDArray y = NDArray.of(labels);

    System.out.printf(
        Locale.ROOT,
        "train-on-batch: MLP %d-%d-%d (relu, softmax), adam, sparse_categorical_crossentropy +"
            + " accuracy, batch %d; %d warm-up steps, %d x %d timed steps each, alternating; %d CPUs%n",
        FEATURES,
        HIDDEN,
        CLASSES,
        batchSize,
        warmupSteps,
        repetitions,
        steps,
        Runtime.getRuntime().availableProcessors());

    RngUtils.setRandomSeed(seed);
    TfKerasProcess tfk = null;
    String tfkNote = "skipped (--no-tf-keras)";
    try (Sequential model = new Sequential();
        EngineFloor floor = noFloor ? null : new EngineFloor(FEATURES, HIDDEN, CLASSES, seed)) {
      BenchData.addMlp(model, FEATURES, HIDDEN, CLASSES);

      if (!noTfKeras) {
        try {
          Path root = TfKerasProcess.projectRoot();
          tfk =
              TfKerasProcess.start(
                  TfKerasProcess.python(root),
                  root.resolve("compat-tests/bench/tfkeras_bench.py"),
                  List.of(
                      "--batch-size", Integer.toString(batchSize),
                      "--features", Integer.toString(FEATURES),
                      "--hidden", Integer.toString(HIDDEN),
                      "--classes", Integer.toString(CLASSES),
                      "--warmup-steps", Integer.toString(warmupSteps),
                      "--seed", Long.toString(seed)));
          tfkNote = "tensorflow " + tfk.field("tensorflow") + ", tf_keras " + tfk.field("tf_keras");
        } catch (Exception e) {
          tfkNote = "unavailable: " + e.getMessage();
          System.err.println("[bench] tf-keras side " + tfkNote);
        }
      }

      Scores last = null;
      for (int i = 0; i < warmupSteps; i++) last = model.trainOnBatch(x, y);
      if (floor != null) for (int i = 0; i < warmupSteps; i++) floor.step(xFlat, labelsF);

      List<Double> jk = new ArrayList<>();
      List<Double> tk = new ArrayList<>();
      List<Double> tf = new ArrayList<>();
      List<Double> fl = new ArrayList<>();
      for (int rep = 0; rep < repetitions; rep++) {
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) last = model.trainOnBatch(x, y);
        jk.add(steps / ((System.nanoTime() - t0) / 1e9));
        if (tfk != null) {
          tk.add(tfk.trainOnBatch(steps));
          tf.add(tfk.trainFunction(steps));
        }
        if (floor != null) {
          t0 = System.nanoTime();
          for (int i = 0; i < steps; i++) floor.step(xFlat, labelsF);
          fl.add(steps / ((System.nanoTime() - t0) / 1e9));
        }
        System.out.printf(
            Locale.ROOT,
            "  repetition %d/%d: jkeras %s, tf-keras train_on_batch %s, tf-keras train_function %s,"
                + " TF Java floor %s steps/s%n",
            rep + 1,
            repetitions,
            fmt(jk.get(rep)),
            tk.isEmpty() ? "-" : fmt(tk.get(rep)),
            tf.isEmpty() ? "-" : fmt(tf.get(rep)),
            fl.isEmpty() ? "-" : fmt(fl.get(rep)));
      }
      if (last != null) {
        System.out.printf(Locale.ROOT, "  (jkeras last step: %s = %s)%n", last.names(), last);
      }
      System.out.println();
      printTable(jk, tk, tf, fl, tfkNote);
    } finally {
      if (tfk != null) tfk.close();
    }
    return 0;
  }

  private void printTable(
      List<Double> jk, List<Double> tk, List<Double> tf, List<Double> fl, String tfkNote) {
    String[] head = {"workload", "tf-keras", "jkeras", "ratio"};
    String model =
        String.format(Locale.ROOT, "MLP %d-%d-%d, batch %d", FEATURES, HIDDEN, CLASSES, batchSize);
    List<String[]> rows = new ArrayList<>();
    rows.add(row("train_on_batch, " + model, tk, jk));
    rows.add(row("train step (tf-keras: compiled train_function)", tf, jk));
    if (!fl.isEmpty()) {
      rows.add(
          new String[] {
            "engine floor: same graph, bare TF Java loop",
            "-",
            stats(fl),
            String.format(
                Locale.ROOT,
                "jkeras at %.0f%%",
                100 * BenchReport.median(jk) / BenchReport.median(fl))
          });
    }
    System.out.printf(
        Locale.ROOT,
        "steps/s, median [min..max] over %d repetitions of %d steps; ratio = jkeras / tf-keras"
            + " (medians)%n",
        repetitions,
        steps);
    System.out.print(BenchReport.table(head, rows));
    System.out.println(
        "engine floor: one Session.run per step on a hand-written TF Java graph of the same model,"
            + " loss, metric and Adam update, no jkeras around it.");
    System.out.println("tf-keras: " + tfkNote);
  }

  private static String[] row(String workload, List<Double> tfKeras, List<Double> jkeras) {
    boolean both = !tfKeras.isEmpty() && !jkeras.isEmpty();
    return new String[] {
      workload,
      tfKeras.isEmpty() ? "n/a" : stats(tfKeras),
      jkeras.isEmpty() ? "n/a" : stats(jkeras),
      both
          ? String.format(
              Locale.ROOT, "%.2fx", BenchReport.median(jkeras) / BenchReport.median(tfKeras))
          : "n/a",
    };
  }

  private static String stats(List<Double> v) {
    double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return String.format(
        Locale.ROOT, "%s [%s..%s]", fmt(BenchReport.median(v)), fmt(s[0]), fmt(s[s.length - 1]));
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.0f", v);
  }
}
