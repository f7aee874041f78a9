package jkeras.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jkeras.callbacks.History;
import jkeras.data.ArrayData;
import jkeras.data.Batch;
import jkeras.data.DType;
import jkeras.data.NDArray;
import jkeras.layers.Layer;
import jkeras.models.Model;
import jkeras.utils.GeneratorExhaustedException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("python")
@Tag("native")
class PythonGeneratorTest {
  @TempDir Path tmp;

  @BeforeEach
  void resetNames() {
    Layer.resetNames();
  }

  private static void assertLossFalls(History h) {
    List<Double> loss = h.history().get("loss");
    assertThat(loss).hasSize(4);
    assertThat(loss.get(3)).isLessThan(loss.get(0) * 0.5);
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {0, 1, 2})
  void kerasDocsGeneratorFromModuleTrainsAFunctionalModel(int workers) throws Exception {
    Path data = Fixtures.dataFile(tmp, 64);
    try (PythonGenerator gen =
            Python.generator(Fixtures.module("generate_arrays_from_file", data.toString()));
        Model model = Fixtures.twoInputModel()) {
      History h =
          model.fitGenerator(gen, Fixtures.quietFit(workers).stepsPerEpoch(16).epochs(4).build());
      assertLossFalls(h);
    }
    Fixtures.assertNothingLeft();
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {0, 1, 2})
  void generatorFromPyFileWithArgumentsTrains(int workers) throws Exception {
    Path data = Fixtures.dataFile(tmp, 48);
    PythonSource src =
        PythonSource.fromFile(
            Fixtures.dir().resolve("file_source.py"),
            "generate_arrays_from_file",
            data.toString(),
            6);
    try (PythonGenerator gen = Python.generator(src);
        Model model = Fixtures.twoInputModel()) {
      History h =
          model.fitGenerator(gen, Fixtures.quietFit(workers).stepsPerEpoch(8).epochs(4).build());
      assertLossFalls(h);
    }
  }

  @Test
  void aPathArgumentArrivesAsAPlainPathThatOpenReads() throws Exception {
    Path data = Fixtures.dataFile(tmp, 8);
    try (PythonGenerator gen =
        Python.generator(Fixtures.module("generate_arrays_from_file", data, 4))) {
      NDArray x1 = ((ArrayData.MapData) gen.next().x()).arrays().get("input_1");
      assertThat(x1.getFloat(1, 0)).isCloseTo((float) Math.sin(0.7), within(1e-6f));
    }
  }

  @Test
  void batchesKeepTheDictStructureAndValues() throws Exception {
    Path data = Fixtures.dataFile(tmp, 8);
    try (PythonGenerator gen =
        Python.generator(Fixtures.module("generate_arrays_from_file", data.toString(), 4))) {
      Batch b = gen.next();
      Map<String, NDArray> x = ((ArrayData.MapData) b.x()).arrays();
      assertThat(x.keySet()).containsExactly("input_1", "input_2");
      NDArray x1 = x.get("input_1");
      assertThat(x1.shape()).containsExactly(4, 2);
      assertThat(x1.dtype()).isEqualTo(DType.FLOAT32);
      // row 1 of the file: a = sin(0.7), b = cos(1.3); as float32 from 6-decimal text
      assertThat(x1.getFloat(1, 0)).isCloseTo((float) Math.sin(0.7), within(1e-6f));
      assertThat(x1.getFloat(1, 1)).isCloseTo((float) Math.cos(1.3), within(1e-6f));
      NDArray y = ((ArrayData.MapData) b.y()).arrays().get("output");
      assertThat(y.shape()).containsExactly(4, 1);
      assertThat(b.sampleWeight()).isNull();
    }
  }

  @Test
  void pythonDtypesConvertToTheMatchingArrays() {
    try (PythonGenerator gen = Python.generator(Fixtures.module("dtype_items"))) {
      Batch b = gen.next();
      NDArray f64 = (NDArray) b.x();
      assertThat(f64.dtype()).isEqualTo(DType.FLOAT64);
      assertThat(f64.toDoubleArray()).containsExactly(1.5, -2.0);
      NDArray i32 = (NDArray) b.y();
      assertThat(i32.dtype()).isEqualTo(DType.INT32);
      assertThat(i32.toIntArray()).containsExactly(1, 2);

      b = gen.next();
      assertThat(((NDArray) b.x()).dtype()).isEqualTo(DType.INT64);
      assertThat(((NDArray) b.x()).toLongArray()).containsExactly(3L, 4L);
      NDArray bool = (NDArray) b.y();
      assertThat(bool.dtype()).isEqualTo(DType.BOOL);
      assertThat(bool.toIntArray()).containsExactly(1, 0);

      b = gen.next();
      NDArray u8 = (NDArray) b.x();
      assertThat(u8.dtype()).isEqualTo(DType.INT32); // uint8 widened losslessly
      assertThat(u8.toIntArray()).containsExactly(0, 255);
      NDArray list = (NDArray) b.y();
      assertThat(list.dtype()).isEqualTo(DType.INT64); // np.asarray([1, 2, 3])
      assertThat(list.shape()).containsExactly(3);

      b = gen.next();
      // [[0.5, 1.5]] is a list of lists: one array per input, as Keras reads it
      List<NDArray> xs = ((ArrayData.ListData) b.x()).arrays();
      assertThat(xs).hasSize(1);
      assertThat(xs.get(0).dtype()).isEqualTo(DType.FLOAT64);
      assertThat(xs.get(0).toDoubleArray()).containsExactly(0.5, 1.5);
      assertThat(((NDArray) b.sampleWeight()).toFloatArray()).containsExactly(0.25f);

      assertThatThrownBy(gen::next)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Unsupported array dtype `<U1`");
    }
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {0, 1})
  void stopIterationEndsTrainingAsKeras2Does(int workers) {
    try (PythonGenerator gen = Python.generator(Fixtures.module("finite_generator", 3));
        Model model = Fixtures.classifier()) {
      assertThatThrownBy(
              () ->
                  model.fitGenerator(
                      gen, Fixtures.quietFit(workers).stepsPerEpoch(5).epochs(1).build()))
          .isInstanceOf(GeneratorExhaustedException.class);
    }
    assertThat(PythonRuntime.get().openInterpreters()).isZero();
  }

  @Test
  void exhaustedGeneratorReportsNoNext() {
    try (PythonGenerator gen = Python.generator(Fixtures.module("finite_generator", 2))) {
      assertThat(gen.hasNext()).isTrue();
      gen.next();
      gen.next();
      assertThat(gen.hasNext()).isFalse();
      assertThatThrownBy(gen::next).isInstanceOf(GeneratorExhaustedException.class);
    }
  }

  @Test
  void wrongShapesGiveKerasError() {
    try (PythonGenerator gen = Python.generator(Fixtures.module("wrong_shape", 1));
        Model model = Fixtures.classifier()) {
      assertThatThrownBy(
              () ->
                  model.fitGenerator(gen, Fixtures.quietFit(0).stepsPerEpoch(2).epochs(1).build()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(
              "Error when checking input: expected x to have shape (3,) but got array with shape (4,)");
    }
  }

  @Test
  void wrongTupleGivesKerasError() {
    try (PythonGenerator gen = Python.generatorFromExpression("iter([(1, 2, 3, 4)])", List.of())) {
      assertThatThrownBy(gen::next)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "Output of generator should be a tuple `(x, y, sample_weight)` or `(x, y)`. Found: (1, 2, 3, 4)");
    }
  }
}
