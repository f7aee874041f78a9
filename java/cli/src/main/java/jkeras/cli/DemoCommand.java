package jkeras.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import jkeras.callbacks.History;
import jkeras.layers.Concatenate;
import jkeras.layers.Dense;
import jkeras.layers.Input;
import jkeras.layers.KerasTensor;
import jkeras.models.Model;
import jkeras.python.Python;
import jkeras.python.PythonGenerator;
import jkeras.python.PythonSource;
import jkeras.trainers.CompileOptions;
import jkeras.trainers.FitOptions;
import jkeras.utils.RngUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The seed article's {@code fit_generator} example, run as written: the Python function {@code
 * generate_arrays_from_file(path)} (python/examples/seed_example.py) feeds a two-input functional
 * model built in Java, trained with {@code fitGenerator(generator, steps_per_epoch, epochs=10,
 * workers, use_multiprocessing)}.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "The seed article's example: a Python generator feeding fitGenerator of a two-input model.")
final class DemoCommand implements Callable<Integer> {
  @Option(
      names = "--epochs",
      defaultValue = "10",
      description = "Epochs (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(
      names = "--steps-per-epoch",
      defaultValue = "1000",
      description = "Batches (lines) per epoch (default: ${DEFAULT-VALUE}).")
  int stepsPerEpoch;

  @Option(
      names = "--workers",
      defaultValue = "1",
      description = "Keras `workers` (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(
      names = "--use-multiprocessing",
      description = "Keras `use_multiprocessing`: run the generator in Python worker processes.")
  boolean useMultiprocessing;

  @Option(
      names = "--max-queue-size",
      defaultValue = "10",
      description = "Keras `max_queue_size` (default: ${DEFAULT-VALUE}).")
  int maxQueueSize;

  @Option(
      names = "--lines",
      defaultValue = "2000",
      description = "Lines in the generated data file (default: ${DEFAULT-VALUE}).")
  int lines;

  @Option(names = "--data", description = "The data file (default: generated under target/).")
  Path data;

  @Option(
      names = "--validation-lines",
      defaultValue = "200",
      description =
          "Lines of a second generated file read by the same generator for validation_data, one"
              + " validation step each; 0 for no validation (default: ${DEFAULT-VALUE}).")
  int validationLines;

  @Option(
      names = "--plot",
      description = "Where to draw the loss curves (default: history.png beside the data file).")
  Path plot;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Seed for data and weights (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--verbose",
      defaultValue = "1",
      description = "Keras `verbose` (default: ${DEFAULT-VALUE}).")
  int verbose;

  PrintStream out = System.out;

  @Override
  public Integer call() throws IOException {
    Path root = Path.of(System.getProperty("jkeras.root", "."));
    Path file = data != null ? data : root.resolve("target/demo/seed_data.txt");
    writeData(file, lines, seed);
    Path validationFile = file.resolveSibling("seed_validation_data.txt");
    if (validationLines > 0) writeData(validationFile, validationLines, seed + 1);
    Path png = plot != null ? plot : file.resolveSibling("history.png");
    RngUtils.setRandomSeed(seed);

    // The model of the article's example: inputs input_1 and input_2, output `output`.
    KerasTensor in1 = Input.create(new long[] {4}, "input_1");
    KerasTensor in2 = Input.create(new long[] {3}, "input_2");
    KerasTensor h =
        new Concatenate()
            .apply(
                List.of(
                    Dense.builder(16).activation("relu").build().apply(in1),
                    Dense.builder(16).activation("relu").build().apply(in2)));
    h = Dense.builder(16).activation("relu").build().apply(h);
    KerasTensor outT = Dense.builder(1).name("output").build().apply(h);

    PythonSource source =
        PythonSource.fromFile(
            root.resolve("python/examples/seed_example.py"),
            "generate_arrays_from_file",
            file.toString());
    long start = System.nanoTime();
    PythonSource validationSource =
        PythonSource.fromFile(
            root.resolve("python/examples/seed_example.py"),
            "generate_arrays_from_file",
            validationFile.toString());
    try (Model model = new Model(List.of(in1, in2), List.of(outT));
        PythonGenerator generator = Python.generator(source);
        PythonGenerator validation =
            validationLines > 0 ? Python.generator(validationSource) : null) {
      model.compile(
          CompileOptions.builder().optimizer("adam").loss(Map.of("output", "mse")).build());
      if (verbose > 0) model.summary(out);
      String validationArgs =
          validationLines > 0
              ? String.format(
                  Locale.ROOT,
                  ", validation_data=generate_arrays_from_file('%s'), validation_steps=%d",
                  relative(root, validationFile),
                  validationLines)
              : "";
      out.printf(
          Locale.ROOT,
          "fit_generator(generate_arrays_from_file('%s'), steps_per_epoch=%d, epochs=%d%s, workers=%d, use_multiprocessing=%s)%n",
          relative(root, file),
          stepsPerEpoch,
          epochs,
          validationArgs,
          workers,
          useMultiprocessing ? "True" : "False");
      FitOptions.Builder options =
          FitOptions.builder()
              .stepsPerEpoch(stepsPerEpoch)
              .epochs(epochs)
              .workers(workers)
              .useMultiprocessing(useMultiprocessing)
              .maxQueueSize(maxQueueSize)
              .verbose(verbose);
      if (validation != null) options.validationData(validation).validationSteps(validationLines);
      History history = model.fitGenerator(generator, options.build());
      List<Double> loss = history.history().get("loss");
      out.printf(Locale.ROOT, "%nloss by epoch: %s%n", format(loss));
      if (validation != null) {
        out.printf(
            Locale.ROOT, "val_loss by epoch: %s%n", format(history.history().get("val_loss")));
      }
      history.plot(png, "fit_generator, seed example");
      out.printf(Locale.ROOT, "training curves: %s%n", relative(root, png));
      out.printf(
          Locale.ROOT,
          "loss fell from %.4f to %.4f in %.1f s%n",
          loss.get(0),
          loss.get(loss.size() - 1),
          (System.nanoTime() - start) / 1e9);
      return loss.get(loss.size() - 1) < loss.get(0) ? 0 : 1;
    }
  }

  /** {@code p} relative to the project root when it lies under it, else absolute. */
  private static Path relative(Path root, Path p) {
    Path abs = p.toAbsolutePath().normalize();
    Path r = root.toAbsolutePath().normalize();
    return abs.startsWith(r) ? r.relativize(abs) : abs;
  }

  private static String format(List<Double> values) {
    StringBuilder sb = new StringBuilder();
    for (Double v : values)
      sb.append(sb.length() == 0 ? "" : " -> ").append(String.format(Locale.ROOT, "%.4f", v));
    return sb.toString();
  }

  /** A data file with a learnable relation: y = 0.5*sum(x1) - x2[0] + 0.3*x2[1]*x2[2] + noise. */
  static void writeData(Path file, int lines, long seed) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Random r = new Random(seed);
    try (Writer w = Files.newBufferedWriter(file)) {
      for (int i = 0; i < lines; i++) {
        double[] v = new double[7];
        for (int j = 0; j < 7; j++) v[j] = r.nextGaussian();
        double y =
            0.5 * (v[0] + v[1] + v[2] + v[3]) - v[4] + 0.3 * v[5] * v[6] + 0.05 * r.nextGaussian();
        StringBuilder sb = new StringBuilder();
        for (double d : v) sb.append(String.format(Locale.ROOT, "%.5f ", d));
        sb.append(String.format(Locale.ROOT, "%.5f%n", y));
        w.write(sb.toString());
      }
    }
  }
}
