package example;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jkeras.layers.Concatenate;
import jkeras.layers.Dense;
import jkeras.layers.Input;
import jkeras.layers.KerasTensor;
import jkeras.models.Model;
import jkeras.python.PythonSource;
import jkeras.trainers.CompileOptions;
import jkeras.trainers.EvaluateOptions;
import jkeras.trainers.FitOptions;
import jkeras.trainers.Scores;
import jkeras.utils.RngUtils;

/**
 * A two-input model trained on batches a Python generator prepares in two worker processes while
 * the model trains (Keras' fit_generator with workers=2, use_multiprocessing=True), then evaluated
 * on a fresh generator. The argument is the directory holding sensor_data.py.
 */
public final class SensorTraining {
  public static void main(String[] args) {
    Path pythonDir = Path.of(args.length > 0 ? args[0] : "src/main/python");
    RngUtils.setRandomSeed(7L);

    KerasTensor temperature = Input.create(new long[] {4}, "temperature");
    KerasTensor vibration = Input.create(new long[] {3}, "vibration");
    KerasTensor merged = new Concatenate().apply(List.of(temperature, vibration));
    KerasTensor hidden = Dense.builder(16).activation("relu").build().apply(merged);
    KerasTensor failure = Dense.builder(1).activation("sigmoid").name("failure").build().apply(hidden);

    try (Model model = new Model(List.of(temperature, vibration), List.of(failure))) {
      model.compile(CompileOptions.builder()
          .optimizer("adam").loss("binary_crossentropy").metrics(List.of("accuracy")).build());
      model.summary();

      // The bridge opens the generator for the call and closes it afterwards.
      PythonSource training = PythonSource.fromModule("sensor_data", "sensor_batches", 32, 1).withPaths(pythonDir);
      model.fitGenerator(training, FitOptions.builder()
          .stepsPerEpoch(100).epochs(5).workers(2).useMultiprocessing(true).verbose(2).build());

      PythonSource holdOut = PythonSource.fromModule("sensor_data", "sensor_batches", 256, 99).withPaths(pythonDir);
      Scores scores = model.evaluateGenerator(holdOut, EvaluateOptions.builder().steps(4).build());
      Map<String, Double> result = scores.asMap();
      System.out.println("held-out " + result);
      if (result.get("accuracy") < 0.85) {
        System.err.println("expected the model to learn the failure rule: accuracy " + result.get("accuracy"));
        System.exit(1);
      }
    }
  }
}
