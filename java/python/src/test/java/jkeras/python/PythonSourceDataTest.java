package jkeras.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import jep.Interpreter;
import jkeras.callbacks.History;
import jkeras.data.NDArray;
import jkeras.layers.Layer;
import jkeras.models.Model;
import jkeras.trainers.EvaluateOptions;
import jkeras.trainers.PredictOptions;
import jkeras.trainers.Scores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A {@link PythonSource} given straight to fit and friends: the bridge opens it for the call and
 * closes it.
 */
@Tag("python")
@Tag("native")
class PythonSourceDataTest {
  @BeforeEach
  void resetNames() {
    Layer.resetNames();
  }

  private static long liveHandles() {
    try (Interpreter py = PythonRuntime.get().openInterpreter()) {
      py.exec("from jkeras import bridge as _b");
      return ((Number) py.getValue("len(_b._objects)")).longValue();
    }
  }

  @ParameterizedTest(name = "workers={0}, use_multiprocessing={1}")
  @CsvSource({"0, false", "2, false", "2, true"})
  void aGeneratorSourceTrainsAndIsClosedAfterTheCall(
      int workers, boolean processes, @TempDir Path tmp) throws Exception {
    Path data = Fixtures.dataFile(tmp, 64);
    long before = liveHandles();
    try (Model model = Fixtures.twoInputModel()) {
      History h =
          model.fitGenerator(
              Fixtures.module("generate_arrays_from_file", data.toString(), 8),
              Fixtures.quietFit(workers)
                  .stepsPerEpoch(8)
                  .epochs(3)
                  .useMultiprocessing(processes)
                  .build());
      assertThat(h.history().get("loss").get(2)).isLessThan(h.history().get("loss").get(0));
    }
    assertThat(liveHandles()).isEqualTo(before);
    assertThat(Fixtures.jkerasThreads()).isEmpty();
  }

  @Test
  void aSequenceSourceServesEvaluateAndPredictWithItsOwnLength() {
    long before = liveHandles();
    try (Model model = Fixtures.classifier()) {
      Scores s =
          model.evaluateGenerator(
              Fixtures.module("recording_sequence", 8, 4), EvaluateOptions.defaults());
      assertThat(s.scalar()).isFinite();
      NDArray p =
          model.predict(
              Fixtures.module("recording_sequence", 8, 4),
              PredictOptions.builder().workers(0).build());
      assertThat(p.shape()).containsExactly(32, 2); // 8 batches of 4
    }
    assertThat(liveHandles()).isEqualTo(before);
  }

  @Test
  void aSourceIsClosedWhenTheCallFails() {
    long before = liveHandles();
    try (Model model = Fixtures.classifier()) {
      assertThatThrownBy(
              () ->
                  model.fit(
                      Fixtures.module("failing_generator", 2),
                      Fixtures.quietFit(0).stepsPerEpoch(5).build()))
          .isInstanceOf(PythonException.class)
          .hasMessageContaining("corrupt record 2");
    }
    assertThat(liveHandles()).isEqualTo(before);
  }
}
