package jkeras.callbacks;

import static jkeras.callbacks.CallbackTestSupport.X;
import static jkeras.callbacks.CallbackTestSupport.Y;
import static jkeras.callbacks.CallbackTestSupport.fit;
import static jkeras.callbacks.CallbackTestSupport.model;
import static jkeras.callbacks.CallbackTestSupport.printed;
import static jkeras.callbacks.CallbackTestSupport.scripted;
import static jkeras.callbacks.CallbackTestSupport.warnings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jkeras.data.NDArray;
import jkeras.internal.PyFormat;
import jkeras.models.Model;
import jkeras.models.Models;
import jkeras.models.Sequential;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keras 2.3.1's ModelCheckpoint through fit, with real files read back. */
@Tag("native")
class ModelCheckpointTest {
  @TempDir Path dir;

  /** Records the weights at each epoch end (placed before the checkpoint). */
  private static Callback weightsByEpoch(Model m, List<List<NDArray>> into) {
    return LambdaCallback.builder().onEpochEnd((e, l) -> into.add(m.getWeights())).build();
  }

  private static List<String> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static void assertWeights(List<NDArray> actual, List<NDArray> expected) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < actual.size(); i++) {
      assertThat(actual.get(i).shape()).isEqualTo(expected.get(i).shape());
      assertThat(actual.get(i).toFloatArray()).containsExactly(expected.get(i).toFloatArray());
    }
  }

  @Test
  void savesWeightsEveryPeriodEpochsToTheFormattedPathWithTheWeightsOfThatEpoch()
      throws IOException {
    ModelCheckpoint ckpt =
        ModelCheckpoint.builder(dir + "/w.{epoch:02d}-{loss:.3f}.h5")
            .saveWeightsOnly(true)
            .period(2)
            .build();
    List<List<NDArray>> seen = new ArrayList<>();
    try (Sequential m = model(0.05);
        Sequential fresh = model(0.05)) {
      Callback record = weightsByEpoch(m, seen);
      History h = m.fit(X, Y, fit(5, record, ckpt).build());
      List<Double> loss = h.history().get("loss");
      List<String> expected =
          List.of(
              "w.02-" + PyFormat.formatValue(loss.get(1), ".3f") + ".h5",
              "w.04-" + PyFormat.formatValue(loss.get(3), ".3f") + ".h5");
      assertThat(files(dir)).containsExactlyElementsOf(expected);
      fresh.loadWeights(dir.resolve(expected.get(0)));
      assertWeights(fresh.getWeights(), seen.get(1));
      fresh.loadWeights(dir.resolve(expected.get(1)));
      assertWeights(fresh.getWeights(), seen.get(3));
    }
  }

  @Test
  void saveBestOnlyKeepsTheBestEpochAndPrintsKerasMessages() throws IOException {
    Path file = dir.resolve("best.h5");
    ModelCheckpoint ckpt =
        ModelCheckpoint.builder(file).saveBestOnly(true).saveWeightsOnly(true).verbose(1).build();
    List<List<NDArray>> seen = new ArrayList<>();
    try (Sequential m = model(0.05);
        Sequential fresh = model(0.05)) {
      Callback record = weightsByEpoch(m, seen);
      var p =
          printed(
              () ->
                  m.fit(
                      X,
                      Y,
                      fit(4, scripted("val_loss", 1.0, 0.5, 0.75, 0.5), record, ckpt).build()));
      assertThat(p.out())
          .isEqualTo(
              "\nEpoch 00001: val_loss improved from inf to 1.00000, saving model to "
                  + file
                  + "\n\nEpoch 00002: val_loss improved from 1.00000 to 0.50000, saving model to "
                  + file
                  + "\n\nEpoch 00003: val_loss did not improve from 0.50000\n"
                  + "\nEpoch 00004: val_loss did not improve from 0.50000\n");
      assertThat(ckpt.best()).isEqualTo(0.5);
      assertThat(files(dir)).containsExactly("best.h5");
      fresh.loadWeights(file);
      assertWeights(fresh.getWeights(), seen.get(1));
    }
  }

  @Test
  void savesTheWholeModelLoadableWithItsOptimizer() throws IOException {
    Path file = dir.resolve("model.h5");
    ModelCheckpoint ckpt = ModelCheckpoint.builder(file).monitor("loss").verbose(1).build();
    try (Sequential m = model(0.05)) {
      var p = printed(() -> m.fit(X, Y, fit(2, ckpt).build()));
      assertThat(p.out())
          .isEqualTo(
              "\nEpoch 00001: saving model to "
                  + file
                  + "\n\nEpoch 00002: saving model to "
                  + file
                  + "\n");
      try (Model loaded = Models.loadModel(file)) {
        assertWeights(loaded.getWeights(), m.getWeights());
        assertThat(loaded.predict(X).toFloatArray()).containsExactly(m.predict(X).toFloatArray());
      }
    }
  }

  @Test
  void autoModeMaximisesAccuraciesAndFmeasures() {
    try (Sequential m = model(0.01)) {
      ModelCheckpoint acc =
          ModelCheckpoint.builder(dir + "/a.h5")
              .monitor("val_acc")
              .saveBestOnly(true)
              .saveWeightsOnly(true)
              .build();
      ModelCheckpoint f =
          ModelCheckpoint.builder(dir + "/f.h5")
              .monitor("fmeasure_x")
              .saveBestOnly(true)
              .saveWeightsOnly(true)
              .build();
      m.fit(
          X,
          Y,
          fit(3, scripted("val_acc", 0.5, 0.7, 0.6), scripted("fmeasure_x", 0.1, 0.3, 0.2), acc, f)
              .build());
      assertThat(acc.best()).isEqualTo(0.7);
      assertThat(f.best()).isEqualTo(0.3);
    }
  }

  @Test
  void warnsForAMissingMonitorAndAnUnknownMode() throws IOException {
    List<String> w =
        warnings(
            () -> {
              ModelCheckpoint ckpt =
                  ModelCheckpoint.builder(dir + "/x.h5").mode("up").saveBestOnly(true).build();
              try (Sequential m = model(0.01)) {
                m.fit(X, Y, fit(1, ckpt).build());
              }
            });
    assertThat(w)
        .containsExactly(
            "ModelCheckpoint mode up is unknown, fallback to auto mode.",
            "Can save best model only with val_loss available, skipping.");
    assertThat(files(dir)).isEmpty();
  }

  @Test
  void aFieldMissingFromTheLogsFailsAsPythonsKeyError() throws IOException {
    ModelCheckpoint ckpt = ModelCheckpoint.builder(dir + "/w-{val_loss:.2f}.h5").build();
    try (Sequential m = model(0.01)) {
      assertThatThrownBy(() -> m.fit(X, Y, fit(1, ckpt).build()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("KeyError: 'val_loss'");
    }
    assertThat(files(dir)).isEmpty();
  }

  @Test
  void fromConfigTakesKerasKeywordsAndRejectsOthers() {
    ModelCheckpoint c =
        ModelCheckpoint.fromConfig(
            Map.of("filepath", "m-{epoch}.h5", "monitor", "loss", "save_best_only", true));
    assertThat(c.filepathTemplate()).isEqualTo("m-{epoch}.h5");
    assertThat(c.monitor()).isEqualTo("loss");
    assertThat(c.best()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThatThrownBy(() -> ModelCheckpoint.fromConfig(Map.of("filepath", "m.h5", "save_freq", 3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("save_freq");
    assertThatThrownBy(() -> ModelCheckpoint.fromConfig(Map.of("monitor", "loss")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("filepath");
  }
}
