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
 * --warmup} untimed {@code trainOnBatch} calls on one fixed batch, then {@code --steps} timed ones;
 * a warm-up {@code fit} of {@code --warmup} batches, then one timed epoch of {@code fit(x, y,
 * batch_size, shuffle=false, verbose=0)} over {@code --steps} batches. Prints the script's JSON
 * line.
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
      long t0 = System.nanoTime();
      for (int i = 0; i < steps; i++) model.trainOnBatch(xb, yb);
      double tob = (System.nanoTime() - t0) / 1e6 / steps;

      FitOptions fit =
          FitOptions.builder().batchSize(b).epochs(1).shuffle(false).verbose(0).build();
      int warm = Math.min(warmup, steps) * b;
      model.fit(x.slice(0, warm), y.slice(0, warm), fit);
      t0 = System.nanoTime();
      model.fit(x, y, fit);
      double fitMs = (System.nanoTime() - t0) / 1e6 / steps;
      System.out.printf(
          Locale.ROOT, "{\"train_on_batch_ms\": %.4f, \"fit_ms\": %.4f}%n", tob, fitMs);
    }
    return 0;
  }
}
