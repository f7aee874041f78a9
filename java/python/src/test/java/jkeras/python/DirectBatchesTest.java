package jkeras.python;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import jkeras.callbacks.History;
import jkeras.data.ArrayData;
import jkeras.data.Batch;
import jkeras.data.DType;
import jkeras.data.NDArray;
import jkeras.layers.Layer;
import jkeras.models.Model;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The in-process bridge's direct path: batches copied by numpy into this thread's Java-owned
 * buffers ({@link BatchBuffers}), handed out as {@link NDArray#wrapDirect} views and recycled on
 * {@link Batch#release()}.
 */
@Tag("python")
@Tag("native")
class DirectBatchesTest {
  @BeforeEach
  void resetNames() {
    Layer.resetNames();
  }

  @AfterEach
  void clearProperty() {
    System.clearProperty(BatchBuffers.MAX_SETS_PROPERTY);
  }

  /** Values {@code i * 10 + position} (see bridge_fixtures.layouts). */
  private static double[] seq(int i, int n) {
    double[] v = new double[n];
    for (int k = 0; k < n; k++) v[k] = i * 10 + k;
    return v;
  }

  private static void expectArray(
      ArrayData a, DType dtype, long[] shape, double[] values, boolean direct) {
    NDArray n = (NDArray) a;
    assertThat(n.dtype()).isEqualTo(dtype);
    assertThat(n.shape()).containsExactly(shape);
    assertThat(n.toDoubleArray()).containsExactly(values);
    assertThat(n.isDirect()).isEqualTo(direct);
  }

  /** Checks batch {@code i} of bridge_fixtures.layouts(). */
  private static void expectLayout(int i, Batch b, boolean direct) {
    switch (i) {
      case 0, 1, 6 -> {
        int rows = i == 1 ? 2 : 4;
        expectArray(b.x(), DType.FLOAT32, new long[] {rows, 3}, seq(i, rows * 3), direct);
        expectArray(b.y(), DType.INT64, new long[] {rows}, seq(i, rows), direct);
        assertThat(b.sampleWeight()).isNull();
      }
      case 2 -> {
        expectArray(b.x(), DType.FLOAT32, new long[] {64, 3}, seq(2, 192), direct);
        expectArray(b.y(), DType.INT64, new long[] {64}, seq(2, 64), direct);
      }
      case 3 -> {
        Map<String, NDArray> x = ((ArrayData.MapData) b.x()).arrays();
        assertThat(x.keySet()).containsExactly("a", "b");
        expectArray(x.get("a"), DType.FLOAT64, new long[] {2, 2}, seq(3, 4), direct);
        expectArray(x.get("b"), DType.INT32, new long[] {2}, seq(3, 2), direct);
        // big-endian float32 arrives in native order
        expectArray(b.y(), DType.FLOAT32, new long[] {2, 1}, seq(3, 2), direct);
      }
      case 4 -> {
        List<NDArray> x = ((ArrayData.ListData) b.x()).arrays();
        assertThat(x).hasSize(2);
        expectArray(x.get(0), DType.BOOL, new long[] {3}, new double[] {1, 1, 1}, direct);
        expectArray(x.get(1), DType.INT32, new long[] {3, 2}, seq(4, 6), direct); // uint8 widened
        expectArray(b.y(), DType.FLOAT32, new long[] {3}, seq(4, 3), direct);
        expectArray(b.sampleWeight(), DType.FLOAT32, new long[] {3}, seq(4, 3), direct);
      }
      case 5 -> {
        expectArray(b.x(), DType.FLOAT32, new long[] {0, 3}, new double[0], direct);
        expectArray(b.y(), DType.INT64, new long[] {0}, new double[0], direct);
      }
      default -> throw new AssertionError(i);
    }
  }

  /**
   * Runs {@code body} with a generator of {@code source} that this thread draws from as a worker
   * thread does (its own interpreter and buffer sets), then ends its turn and closes it.
   */
  private static void asWorker(PythonSource source, Consumer<PythonGenerator> body) {
    try (PythonGenerator gen = Python.generator(source)) {
      gen.workerStarted();
      try {
        body.accept(gen);
      } finally {
        gen.workerStopped();
      }
    }
  }

  private static BatchBuffers myBuffers() {
    return PythonRuntime.get().currentBridge().buffers();
  }

  @Test
  void changingLayoutsReuseOneReleasedBufferSet() {
    asWorker(
        Fixtures.module("layouts"),
        gen -> {
          for (int i = 0; i < 7; i++) {
            Batch b = gen.next();
            assertThat(b.hasRelease()).isTrue();
            expectLayout(i, b, true);
            b.release();
            b.release(); // idempotent for the pool
          }
          assertThat(gen.hasNext()).isFalse();
          assertThat(myBuffers().sets().size()).isEqualTo(1);
          assertThat(myBuffers().freeCount()).isEqualTo(1);
        });
  }

  @Test
  void batchesNeverReleasedKeepTheirValues() {
    asWorker(
        Fixtures.module("layouts"),
        gen -> {
          List<Batch> held = new ArrayList<>();
          while (gen.hasNext()) held.add(gen.next());
          assertThat(held).hasSize(7);
          for (int i = 0; i < 7; i++) expectLayout(i, held.get(i), true);
          // One set per held batch, plus the one the final draw (StopIteration) took and gave back.
          assertThat(myBuffers().sets().size()).isEqualTo(8);
          assertThat(myBuffers().freeCount()).isEqualTo(1);
        });
  }

  @Test
  void beyondTheCapBatchesAreCopiedToTheHeap() {
    System.setProperty(BatchBuffers.MAX_SETS_PROPERTY, "3");
    asWorker(
        Fixtures.module("numbered", 10),
        gen -> {
          List<Batch> held = new ArrayList<>();
          for (int k = 0; k < 10; k++) held.add(gen.next());
          for (int k = 0; k < 10; k++) {
            NDArray x = (NDArray) held.get(k).x();
            assertThat(x.isDirect()).isEqualTo(k < 3);
            assertThat(held.get(k).hasRelease()).isEqualTo(k < 3);
            assertThat(x.toFloatArray()).containsOnly((float) k);
            assertThat(((NDArray) held.get(k).y()).toLongArray()).containsOnly(k);
          }
        });
  }

  @Test
  void zeroSetsTurnsTheDirectPathOff() {
    System.setProperty(BatchBuffers.MAX_SETS_PROPERTY, "0");
    asWorker(
        Fixtures.module("layouts"),
        gen -> {
          for (int i = 0; i < 7; i++) expectLayout(i, gen.next(), false);
        });
  }

  @Test
  void closingTheThreadsInterpreterUnbindsItsBuffers() throws Exception {
    asWorker(
        Fixtures.module("numbered", -1),
        gen -> {
          for (int k = 0; k < 3; k++) gen.next();
        });
    try (jep.Interpreter py = PythonRuntime.get().openInterpreter()) {
      py.exec("import jkeras.bridge");
      assertThat(((Number) py.getValue("len(jkeras.bridge._sets)")).intValue()).isZero();
    }
  }

  /** Same training with direct batches and with heap copies, threads 0, 1 and 2. */
  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {0, 1, 2})
  void trainingOnDirectBatchesEqualsTrainingOnHeapCopies(int workers) {
    List<List<Double>> losses = new ArrayList<>();
    List<List<Double>> weights = new ArrayList<>();
    for (String sets : new String[] {"0", "32"}) {
      System.setProperty(BatchBuffers.MAX_SETS_PROPERTY, sets);
      Layer.resetNames();
      jkeras.utils.RngUtils.setRandomSeed(7L);
      try (PythonSequence seq = Python.sequence(Fixtures.module("recording_sequence", 8, 4, 0.0));
          Model model = Fixtures.classifier()) {
        History h =
            model.fit(
                seq, Fixtures.quietFit(workers).epochs(3).shuffle(false).maxQueueSize(3).build());
        losses.add(h.history().get("loss"));
        List<Double> w = new ArrayList<>();
        for (NDArray a : model.getWeights()) for (double v : a.toDoubleArray()) w.add(v);
        weights.add(w);
      } finally {
        jkeras.utils.RngUtils.setRandomSeed(null);
      }
    }
    assertThat(losses.get(0)).hasSize(3);
    assertThat(losses.get(0).get(2)).isLessThan(losses.get(0).get(0));
    assertThat(losses.get(1)).isEqualTo(losses.get(0));
    assertThat(weights.get(1)).isEqualTo(weights.get(0));
    assertThat(PythonRuntime.get().openInterpreters()).isZero();
  }
}
