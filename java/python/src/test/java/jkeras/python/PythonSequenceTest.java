package jkeras.python;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jep.Interpreter;
import jkeras.callbacks.History;
import jkeras.data.NDArray;
import jkeras.layers.Layer;
import jkeras.models.Model;
import jkeras.utils.RngUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("python")
@Tag("native")
class PythonSequenceTest {
  @BeforeEach
  void resetNames() {
    Layer.resetNames();
  }

  @AfterEach
  void clearSeed() {
    RngUtils.setRandomSeed(null);
  }

  /**
   * The recorded (epoch, index, thread) calls and the on_epoch_end count of the last
   * RecordingSequence.
   */
  private record Recorded(List<long[]> calls, long epochEnds, boolean tensorflowLoaded) {}

  @SuppressWarnings("unchecked")
  private static Recorded recorded() {
    try (Interpreter py = PythonRuntime.get().openInterpreter()) {
      py.exec("import sys, bridge_fixtures as _bf");
      List<List<Long>> calls =
          (List<List<Long>>) py.getValue("[list(c) for c in _bf.LAST['seq'].calls]");
      long ends = (Long) py.getValue("_bf.LAST['seq'].epoch_ends");
      boolean tf = (Boolean) py.getValue("'tensorflow' in sys.modules");
      List<long[]> out = new ArrayList<>();
      for (List<Long> c : calls) out.add(new long[] {c.get(0), c.get(1), c.get(2)});
      return new Recorded(out, ends, tf);
    }
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {0, 2})
  void everyIndexOncePerEpochAndOnEpochEndOncePerEpoch(int workers) {
    int n = 8;
    int epochs = 3;
    // Seeded weights and order (epoch 3's loss is 0.60x epoch 1's); unseeded it came at 0.35x to
    // 0.72x in 30 runs, a margin the initial weights decided.
    RngUtils.setRandomSeed(5L);
    try (PythonSequence seq = Python.sequence(Fixtures.module("recording_sequence", n, 4, 0.005));
        Model model = Fixtures.classifier()) {
      assertThat(seq.size()).isEqualTo(n);
      History h =
          model.fitGenerator(seq, Fixtures.quietFit(workers).epochs(epochs).shuffle(true).build());
      assertThat(h.history().get("loss")).hasSize(epochs);
      assertThat(h.history().get("loss").get(epochs - 1))
          .isLessThan(h.history().get("loss").get(0));

      Recorded r = recorded();
      Map<Long, List<Long>> byEpoch = new HashMap<>();
      Set<Long> threads = new HashSet<>();
      for (long[] c : r.calls()) {
        byEpoch.computeIfAbsent(c[0], k -> new ArrayList<>()).add(c[1]);
        threads.add(c[2]);
      }
      assertThat(byEpoch.keySet()).containsExactlyInAnyOrder(0L, 1L, 2L);
      for (List<Long> indices : byEpoch.values()) {
        assertThat(indices).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
      }
      // Keras calls on_epoch_end after each epoch (the last one included).
      assertThat(r.epochEnds()).isEqualTo(epochs);
      if (workers == 2) assertThat(threads).hasSizeGreaterThanOrEqualTo(2);
      else assertThat(threads).hasSize(1);
      // `from keras.utils import Sequence, to_categorical` in the fixture did not load TensorFlow.
      assertThat(r.tensorflowLoaded()).isFalse();
    }
    Fixtures.assertNothingLeft();
  }

  @Test
  void getReturnsTheBatchOfTheIndex() {
    try (PythonSequence seq = Python.sequence(Fixtures.module("recording_sequence", 3, 2, 0.0))) {
      NDArray x = (NDArray) seq.get(1).x();
      NDArray y = (NDArray) seq.get(1).y();
      assertThat(x.shape()).containsExactly(2, 3);
      assertThat(y.shape()).containsExactly(2, 2);
      // to_categorical rows: exactly one 1 per row
      float[] yf = y.toFloatArray();
      assertThat(yf[0] + yf[1]).isEqualTo(1f);
      assertThat(yf[2] + yf[3]).isEqualTo(1f);
      seq.onEpochEnd();
      List<long[]> calls = recorded().calls();
      assertThat(calls).hasSize(2);
      assertThat(calls.get(0)[1]).isEqualTo(1);
      assertThat(recorded().epochEnds()).isEqualTo(1);
    }
  }

  @Test
  void sequenceFromExpressionRunsInProcess() {
    try (AutoCloseable o =
        Python.fromExpression("bridge_fixtures.RecordingSequence(5)", List.of(Fixtures.dir()))) {
      assertThat(o).isInstanceOf(PythonSequence.class);
      PythonSequence s = (PythonSequence) o;
      assertThat(s.size()).isEqualTo(5);
      assertThat(((NDArray) s.get(4).x()).shape()).containsExactly(4, 3);
      assertThat(s.source()).isNull();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
