package jkeras.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import jkeras.callbacks.History;
import jkeras.data.NDArray;
import jkeras.layers.Layer;
import jkeras.models.Model;
import jkeras.trainers.FitOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 13's fuzzed batches: malformed items from a Python generator (pyfixtures/fuzz_batches.py)
 * in every mode (workers 0, 2 threads, 2 processes). A rejected batch ends {@code fit} with an
 * error naming what was wrong, leaves the weights as they were and leaves no thread, interpreter,
 * process or shared-memory file; NaN and Inf train, as in Keras.
 */
@Tag("python")
@Tag("native")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FuzzedBatchesTest {
  @BeforeEach
  void resetNames() {
    Layer.resetNames();
  }

  private static List<Path> shmFiles() throws IOException {
    String prefix = "jkeras-" + ProcessHandle.current().pid() + "-";
    try (var s = Files.list(Path.of("/dev/shm"))) {
      return s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
    }
  }

  private static List<float[]> weights(Model m) {
    List<float[]> out = new ArrayList<>();
    for (NDArray a : m.getWeights()) out.add(a.toFloatArray());
    return out;
  }

  private static boolean same(List<float[]> a, List<float[]> b) {
    for (int i = 0; i < a.size(); i++) if (!Arrays.equals(a.get(i), b.get(i))) return false;
    return a.size() == b.size();
  }

  /** Each case and what every mode must end in ({@code TRAINED} when Keras trains on it). */
  private static final String[][] CASES = {
    {
      "wrong_rank",
      "Error when checking input: expected x to have 2 dimensions, but got array with shape (4, 3, 1)"
    },
    {
      "wrong_shape",
      "Error when checking input: expected x to have shape (3,) but got array with shape (5,)"
    },
    {"strings", "Unsupported array dtype `<U1` in a batch: expected a numeric or bool array"},
    {
      "mixed_dtypes",
      "Unsupported array dtype `object` in a batch: expected a numeric or bool array"
    },
    {
      "none",
      "Output of generator should be a tuple `(x, y, sample_weight)` or `(x, y)`. Found: None"
    },
    {
      "none_x", "A batch structure needs x (its first entry is null). Received: [null, array, null]"
    },
    {"nan", "TRAINED"},
    {"inf", "TRAINED"},
    {"missing_key", "No data provided for \"x\". Need data for each key in: ['x']"},
    {
      "extra_key",
      "Unknown entries in input dictionary: ['extra']. Only expected the following keys: ['x']"
    },
    {"ragged", "Expected to see 1 array(s), but instead got the following list of 2 arrays"},
    {"zero_rows", "TRAINED"},
    {
      "row_mismatch",
      "Input arrays should have the same number of samples as target arrays. Found 4 input samples and 5 target samples."
    },
    {
      "huge",
      "Error when checking input: expected x to have shape (3,) but got array with shape (500000,)"
    },
    {
      "scalar_tuple",
      "Error when checking input: expected x to have 2 dimensions, but got array with shape ()"
    },
  };

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (String[] c : CASES) {
      out.add(Arguments.of(c[0], 0, false, c[1]));
      out.add(Arguments.of(c[0], 2, false, c[1]));
      out.add(Arguments.of(c[0], 2, true, c[1]));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}, workers={1}, use_multiprocessing={2}")
  @MethodSource("cases")
  void aMalformedBatchIsRejectedClearlyAndChangesNothing(
      String kase, int workers, boolean processes, String expected) throws Exception {
    try (Model model = Fixtures.classifier()) {
      List<float[]> before = weights(model);
      FitOptions options =
          Fixtures.quietFit(workers)
              .stepsPerEpoch(2)
              .maxQueueSize(1)
              .useMultiprocessing(processes)
              .build();
      PythonSource source =
          PythonSource.fromFile(Fixtures.dir().resolve("fuzz_batches.py"), "batches", kase);
      if (expected.equals("TRAINED")) {
        History h = model.fitGenerator(source, options);
        List<Double> loss = h.history().get("loss");
        // Keras trains on NaN and Inf (the loss is NaN); an empty batch has a NaN mean loss.
        assertThat(loss).hasSize(1);
        assertThat(loss.get(0)).isNaN();
        assertThat(same(before, weights(model))).isEqualTo(kase.equals("zero_rows"));
      } else {
        assertThatThrownBy(() -> model.fitGenerator(source, options))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(expected);
        assertThat(same(before, weights(model))).as("weights after a rejected batch").isTrue();
      }
    }
    Fixtures.assertNothingLeft();
    assertThat(shmFiles()).isEmpty();
    assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)).isEmpty();
  }

  private static NDArray y4() {
    return NDArray.of(new float[] {1, 0, 0, 1, 1, 0, 0, 1}, 4, 2);
  }

  /** The Java counterparts of the Python cases: one malformed item, forever. */
  private static Object javaItem(String kase) {
    return switch (kase) {
      case "wrong_rank" -> List.of(NDArray.zeros(4, 3, 1), y4());
      case "wrong_shape" -> List.of(NDArray.zeros(4, 5), y4());
      case "ints" -> List.of(NDArray.ofInts(new int[12], 4, 3), y4());
      case "null_item" -> null;
      case "nan" ->
          List.of(NDArray.of(new float[] {Float.NaN, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 4, 3), y4());
      case "missing_key" -> List.of(java.util.Map.of("not_x", NDArray.zeros(4, 3)), y4());
      case "extra_key" ->
          List.of(java.util.Map.of("x", NDArray.zeros(4, 3), "extra", NDArray.zeros(4, 3)), y4());
      case "row_mismatch" -> List.of(NDArray.zeros(4, 3), NDArray.zeros(5, 2));
      case "string" -> List.of("x", "y");
      case "null_x" -> java.util.Arrays.asList(null, y4());
      default -> throw new IllegalArgumentException(kase);
    };
  }

  private static final String[][] JAVA_CASES = {
    {
      "wrong_rank",
      "Error when checking input: expected x to have 2 dimensions, but got array with shape (4, 3, 1)"
    },
    {
      "wrong_shape",
      "Error when checking input: expected x to have shape (3,) but got array with shape (5,)"
    },
    {"ints", "TRAINED"},
    {"null_item", "Output of generator should be a tuple `(x, y, sample_weight)` or `(x, y)`."},
    {"null_x", "A batch structure needs x (its first entry is null). Received: [None, "},
    {"nan", "TRAINED"},
    {"missing_key", "No data provided for \"x\". Need data for each key in: ['x']"},
    {
      "extra_key",
      "Unknown entries in input dictionary: ['extra']. Only expected the following keys: ['x']"
    },
    {
      "row_mismatch",
      "Input arrays should have the same number of samples as target arrays. Found 4 input samples and 5 target samples."
    },
    {
      "string",
      "Output of generator should be a tuple `(x, y, sample_weight)` or `(x, y)` of arrays, lists of arrays or dicts of arrays. Found: ['x', 'y']"
    },
  };

  static Stream<Arguments> javaCases() {
    List<Arguments> out = new ArrayList<>();
    for (String[] c : JAVA_CASES) {
      out.add(Arguments.of(c[0], 0, c[1]));
      out.add(Arguments.of(c[0], 2, c[1]));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "Java {0}, workers={1}")
  @MethodSource("javaCases")
  void aMalformedJavaBatchIsRejectedClearlyAndChangesNothing(
      String kase, int workers, String expected) {
    try (Model model = Fixtures.classifier()) {
      List<float[]> before = weights(model);
      java.util.Iterator<Object> items =
          java.util.stream.Stream.generate(() -> javaItem(kase)).iterator();
      FitOptions options = Fixtures.quietFit(workers).stepsPerEpoch(2).maxQueueSize(1).build();
      if (expected.equals("TRAINED")) {
        List<Double> loss = model.fitGenerator(items, options).history().get("loss");
        assertThat(loss).hasSize(1);
        // Keras trains on NaN (the loss is NaN) and casts integer inputs.
        if (kase.equals("nan")) assertThat(loss.get(0)).isNaN();
        else assertThat(loss.get(0)).isFinite();
      } else {
        assertThatThrownBy(() -> model.fitGenerator(items, options))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(expected);
        assertThat(same(before, weights(model))).as("weights after a rejected batch").isTrue();
      }
    }
    Fixtures.assertNothingLeft();
  }
}
