package jkeras.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jkeras.callbacks.CSVLogger;
import jkeras.callbacks.Callback;
import jkeras.callbacks.EarlyStopping;
import jkeras.callbacks.History;
import jkeras.callbacks.LambdaCallback;
import jkeras.callbacks.ReduceLROnPlateau;
import jkeras.data.ArrayData;
import jkeras.data.NDArray;
import jkeras.layers.Layer;
import jkeras.models.Model;
import jkeras.trainers.FitOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keras' callbacks see the same training whether the batches come from arrays in {@code fit} or
 * from a Python generator in a worker process ({@code fitGenerator}, {@code use_multiprocessing}):
 * the same losses, learning rates, stopping epoch, restored weights, CSV rows and hook order.
 */
@Tag("python")
@Tag("native")
class CallbacksInWorkersTest {
  @TempDir Path dir;

  @BeforeEach
  void resetNames() {
    Layer.resetNames();
  }

  private record Run(
      History history, List<String> hooks, List<String> csv, List<NDArray> weights) {}

  private static List<Callback> callbacks(Path csv, List<String> hooks) {
    return List.of(
        ReduceLROnPlateau.builder().monitor("loss").factor(0.5).patience(0).minDelta(1e9).build(),
        EarlyStopping.builder()
            .monitor("loss")
            .minDelta(0.02)
            .patience(1)
            .restoreBestWeights(true)
            .build(),
        new CSVLogger(csv),
        LambdaCallback.builder()
            .onTrainBegin(l -> hooks.add("train_begin"))
            .onEpochBegin((e, l) -> hooks.add("epoch_begin " + e))
            .onBatchEnd((b, l) -> hooks.add("batch_end " + b))
            .onEpochEnd((e, l) -> hooks.add("epoch_end " + e + " lr=" + l.get("lr")))
            .onTrainEnd(l -> hooks.add("train_end"))
            .build());
  }

  private static FitOptions.Builder common() {
    return FitOptions.builder().epochs(12).verbose(0).shuffle(false);
  }

  @Test
  void callbacksAgreeBetweenFitOnArraysAndAGeneratorInAWorkerProcess() throws IOException {
    Path data = Fixtures.dataFile(dir, 64);
    List<String> lines = Files.readAllLines(data);
    float[] x1 = new float[64 * 2];
    float[] x2 = new float[64 * 3];
    float[] y = new float[64];
    for (int i = 0; i < 64; i++) {
      String[] f = lines.get(i).split(",");
      for (int k = 0; k < 2; k++) x1[i * 2 + k] = Float.parseFloat(f[k]);
      for (int k = 0; k < 3; k++) x2[i * 3 + k] = Float.parseFloat(f[2 + k]);
      y[i] = Float.parseFloat(f[5]);
    }
    List<NDArray> initial;
    Run arrays;
    Run processes;
    try (Model m = Fixtures.twoInputModel()) {
      initial = m.getWeights();
      List<String> hooks = new ArrayList<>();
      Path csv = dir.resolve("arrays.csv");
      History h =
          m.fit(
              ArrayData.of(
                  Map.of("input_1", NDArray.of(x1, 64, 2), "input_2", NDArray.of(x2, 64, 3))),
              ArrayData.of(Map.of("output", NDArray.of(y, 64, 1))),
              common().batchSize(8).callbacks(callbacks(csv, hooks)).build());
      arrays = new Run(h, hooks, Files.readAllLines(csv), m.getWeights());
    }
    try (Model m = Fixtures.twoInputModel();
        PythonGenerator gen =
            Python.generator(Fixtures.module("generate_arrays_from_file", data.toString(), 8))) {
      m.setWeights(initial);
      List<String> hooks = new ArrayList<>();
      Path csv = dir.resolve("processes.csv");
      History h =
          m.fitGenerator(
              gen,
              common()
                  .stepsPerEpoch(8)
                  .workers(1)
                  .useMultiprocessing(true)
                  .callbacks(callbacks(csv, hooks))
                  .build());
      processes = new Run(h, hooks, Files.readAllLines(csv), m.getWeights());
    }
    Fixtures.assertNothingLeft();

    // minDelta 1e9: no epoch after the first improves, so the rate halves after each of them;
    // early stopping fires before the 12 epochs.
    assertThat(arrays.history().epoch()).hasSizeBetween(3, 11);
    List<Double> lr = arrays.history().history().get("lr");
    for (int i = 2; i < lr.size(); i++) assertThat(lr.get(i)).isEqualTo(lr.get(i - 1) / 2);
    assertThat(processes.history().epoch()).isEqualTo(arrays.history().epoch());
    assertThat(processes.history().history().keySet())
        .containsExactlyElementsOf(arrays.history().history().keySet());
    assertThat(processes.history().history().get("lr"))
        .isEqualTo(arrays.history().history().get("lr"));
    List<Double> a = arrays.history().history().get("loss");
    List<Double> p = processes.history().history().get("loss");
    for (int i = 0; i < a.size(); i++) assertThat(p.get(i)).isCloseTo(a.get(i), within(1e-6));
    assertThat(processes.hooks()).isEqualTo(arrays.hooks());
    assertThat(processes.csv()).hasSameSizeAs(arrays.csv());
    assertThat(processes.csv().get(0)).isEqualTo(arrays.csv().get(0)).isEqualTo("epoch,loss,lr");
    for (int i = 0; i < arrays.weights().size(); i++) {
      float[] wa = arrays.weights().get(i).toFloatArray();
      float[] wp = processes.weights().get(i).toFloatArray();
      for (int k = 0; k < wa.length; k++) assertThat(wp[k]).isCloseTo(wa[k], within(1e-5f));
    }
  }
}
