package jkeras.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import jkeras.data.NDArray;
import jkeras.models.Model;
import jkeras.models.Models;
import jkeras.saving.Configs;
import jkeras.saving.Json;
import jkeras.saving.KerasFile;
import jkeras.saving.KerasFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code jkeras summary FILE}: what a Keras file holds, without Python. The file's kind, its Keras
 * version and backend, the model's {@code summary()} (built from the file's config, as {@code
 * load_model(compile=False)} does), the compile arguments and optimizer, and every weight with its
 * shape.
 */
@Command(
    name = "summary",
    mixinStandardHelpOptions = true,
    description = {
      "Prints a Keras file's model summary (as model.summary()), its Keras version, optimizer and"
          + " weight shapes. Reads .h5 model and weights files of Keras 2.3.1, tf-keras and Keras 3,"
          + " and Keras 3's .keras files."
    })
final class SummaryCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "A Keras .h5 or .keras file.")
  Path file;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    KerasFile f;
    try {
      f = KerasFiles.read(file);
    } catch (java.io.IOException e) {
      System.err.println("jkeras summary: " + e.getMessage());
      return 1;
    }
    out.println("File: " + file + " (" + describe(f.format()) + ")");
    out.println(
        "Keras version: " + orUnknown(f.kerasVersion()) + ", backend: " + orUnknown(f.backend()));
    if (f.modelConfig() != null) {
      out.println();
      try (Model m = Models.loadModel(file, Map.of(), false)) {
        m.summary(out);
      } catch (IllegalArgumentException e) {
        // The config names a class jkeras does not know: still show what the file holds.
        out.println("(the model cannot be built here: " + e.getMessage() + ")");
      }
    }
    out.println();
    if (f.trainingConfig() == null) {
      out.println("Optimizer: none (the model was saved without compiling)");
    } else {
      Map<String, Object> t = Configs.trainingToKeras2(f.trainingConfig());
      out.println("Optimizer: " + Json.write(t.get("optimizer_config")));
      out.println("Loss: " + Json.write(t.get("loss")));
      if (t.get("metrics") != null) out.println("Metrics: " + Json.write(t.get("metrics")));
      if (t.get("loss_weights") != null)
        out.println("Loss weights: " + Json.write(t.get("loss_weights")));
    }
    if (!f.optimizerWeights().isEmpty())
      out.println(
          "Optimizer weights: "
              + f.optimizerWeights().size()
              + " arrays ("
              + f.optimizerWeights().stream()
                  .map(w -> w.name() + " " + shape(w.value()))
                  .limit(4)
                  .collect(Collectors.joining(", "))
              + (f.optimizerWeights().size() > 4 ? ", ..." : "")
              + ")");
    out.println();
    out.println("Weights:");
    long total = 0;
    for (KerasFile.LayerWeights lw : f.layerWeights()) {
      if (lw.values().isEmpty()) continue;
      out.println("  " + lw.name());
      for (int i = 0; i < lw.values().size(); i++) {
        NDArray v = lw.values().get(i);
        String name = i < lw.weightNames().size() ? lw.weightNames().get(i) : "#" + i;
        out.println("    " + name + " " + shape(v));
        total += Arrays.stream(v.shape()).reduce(1, (a, b) -> a * b);
      }
    }
    out.printf("Total weight values: %,d%n", total);
    return 0;
  }

  private static String describe(KerasFile.Format format) {
    return switch (format) {
      case H5_MODEL -> "Keras HDF5 model";
      case H5_WEIGHTS -> "Keras HDF5 weights";
      case KERAS -> "Keras 3 .keras model";
      case KERAS3_WEIGHTS -> "Keras 3 weights";
    };
  }

  private static String orUnknown(String s) {
    return s == null ? "(not recorded)" : s;
  }

  private static String shape(NDArray v) {
    List<String> dims = Arrays.stream(v.shape()).mapToObj(Long::toString).toList();
    return "(" + String.join(", ", dims) + (dims.size() == 1 ? ",)" : ")");
  }
}
