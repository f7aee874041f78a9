package jkeras.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import jkeras.callbacks.History;
import jkeras.layers.Dense;
import jkeras.models.Sequential;
import jkeras.trainers.CompileOptions;
import jkeras.trainers.EvaluateOptions;
import jkeras.trainers.FitOptions;
import jkeras.trainers.Scores;
import jkeras.utils.RngUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jkeras train}: the Keras "getting started" run on generated data. An MLP 784-128-10 (relu,
 * softmax) learns {@link SyntheticDigits} with Adam and sparse categorical cross-entropy, fitted
 * with a validation split and Keras' progress bar, then evaluated on held-out samples.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Trains an MLP 784-128-10 on generated 28x28 'synthetic digits' (10 stroke glyphs, randomly"
          + " shifted, inked and noised), then evaluates it on held-out samples."
    })
final class TrainCommand implements Callable<Integer> {
  static final String TEST_ACCURACY_LABEL = "Test accuracy: ";

  @Option(names = "--epochs", description = "Keras epochs (default: ${DEFAULT-VALUE}).")
  int epochs = 5;

  @Option(names = "--batch-size", description = "Keras batch_size (default: ${DEFAULT-VALUE}).")
  int batchSize = 32;

  @Option(
      names = "--samples",
      description = "Samples for fit, validation split included (default: ${DEFAULT-VALUE}).")
  int samples = 12000;

  @Option(
      names = "--test-samples",
      description = "Held-out samples for evaluate (default: a sixth of --samples, at least 100).")
  Integer testSamples;

  @Option(
      names = "--validation-split",
      description = "Keras validation_split (default: ${DEFAULT-VALUE}).")
  double validationSplit = 0.1;

  @Option(
      names = "--seed",
      description = "Seed of the data, the weights and the shuffling (default: ${DEFAULT-VALUE}).")
  long seed = 42;

  @Option(
      names = "--verbose",
      description =
          "Keras verbose for fit: 0 silent, 1 progress bar, 2 one line per epoch"
              + " (default: ${DEFAULT-VALUE}).")
  int verbose = 1;

  @Option(
      names = "--plot",
      description =
          "Where to draw the loss and accuracy curves (default: target/train/history.png).")
  Path plot;

  @Override
  public Integer call() throws IOException {
    PrintStream out = System.out;
    int nTest = testSamples != null ? testSamples : Math.max(100, samples / 6);
    long t0 = System.nanoTime();
    SyntheticDigits digits = new SyntheticDigits(seed);
    SyntheticDigits.Split train = digits.sample(samples, seed, 1);
    SyntheticDigits.Split test = digits.sample(nTest, seed, 2);
    out.printf(
        Locale.ROOT,
        "Synthetic digits: %d training samples (validation_split=%s), %d test samples, %d features,"
            + " %d classes, seed %d%n",
        train.size(),
        validationSplit,
        test.size(),
        SyntheticDigits.PIXELS,
        SyntheticDigits.CLASSES,
        seed);

    RngUtils.setRandomSeed(seed);
    try (Sequential model = new Sequential()) {
      // Keras 2.3.1's examples/mnist_mlp.py shape: Dense(128, relu), Dense(10, softmax), adam.
      model.add(Dense.builder(128).activation("relu").inputShape(SyntheticDigits.PIXELS).build());
      model.add(Dense.builder(SyntheticDigits.CLASSES).activation("softmax").build());
      model.compile(
          CompileOptions.builder()
              .optimizer("adam")
              .loss("sparse_categorical_crossentropy")
              .metrics(List.of("accuracy"))
              .build());
      model.summary(out);

      History history =
          model.fit(
              train.x(),
              train.y(),
              FitOptions.builder()
                  .batchSize(batchSize)
                  .epochs(epochs)
                  .verbose(verbose)
                  .validationSplit(validationSplit)
                  .build());
      out.println();
      printHistory(out, history);
      Path root = Path.of(System.getProperty("jkeras.root", "."));
      Path png =
          history.plot(plot != null ? plot : root.resolve("target/train/history.png"), "mnist_mlp");
      out.printf(Locale.ROOT, "training curves: %s%n", png);

      Scores scores =
          model.evaluate(
              test.x(),
              test.y(),
              EvaluateOptions.builder().batchSize(batchSize).verbose(0).build());
      Map<String, Double> s = scores.asMap();
      out.printf(Locale.ROOT, "Test loss: %.4f%n", s.get("loss"));
      out.printf(
          Locale.ROOT,
          TEST_ACCURACY_LABEL + "%.4f (chance: %.4f)%n",
          s.get("accuracy"),
          1.0 / SyntheticDigits.CLASSES);
      out.printf(Locale.ROOT, "Total time: %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }
    return 0;
  }

  /** One line per metric: its value at each epoch, so that learning is visible at a glance. */
  private static void printHistory(PrintStream out, History history) {
    // Training metrics first, then their validation counterparts (History holds val_* first, as
    // Keras 2.3.1's BaseLogger adds the training averages after the validation results).
    List<Map.Entry<String, List<Double>>> entries = new ArrayList<>(history.history().entrySet());
    entries.sort(Comparator.comparing(e -> e.getKey().startsWith("val_")));
    for (Map.Entry<String, List<Double>> e : entries) {
      StringBuilder b = new StringBuilder();
      for (Double v : e.getValue()) {
        if (b.length() > 0) b.append(" -> ");
        b.append(String.format(Locale.ROOT, "%.4f", v));
      }
      out.printf(Locale.ROOT, "%-13s by epoch: %s%n", e.getKey(), b);
    }
  }
}
