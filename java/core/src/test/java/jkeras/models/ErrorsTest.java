package jkeras.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import jkeras.data.ArrayData;
import jkeras.data.NDArray;
import jkeras.layers.Concatenate;
import jkeras.layers.Dense;
import jkeras.layers.Input;
import jkeras.layers.KerasTensor;
import jkeras.layers.Layer;
import jkeras.optimizers.SGD;
import jkeras.trainers.CompileOptions;
import jkeras.trainers.EvaluateOptions;
import jkeras.trainers.FitOptions;
import jkeras.trainers.PredictOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The errors users see, with Keras 2.3.1's wording. */
class ErrorsTest {
  static final NDArray X = NDArray.of(new double[][] {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}, {0, 1, 0}});
  static final NDArray Y = NDArray.of(new double[][] {{1, 0}, {0, 1}, {1, 1}, {0, 0}});

  @BeforeEach
  void resetNames() {
    Layer.resetNames();
  }

  /** {@code x(3) -> dense(2)}, named x and dense. */
  static Model simple() {
    KerasTensor in = Input.create(new long[] {3}, "x");
    return new Model(in, new Dense(2).apply(in));
  }

  /** Inputs x(3) and z(2), concatenated into dense(2). */
  static Model twoInputs() {
    KerasTensor x = Input.create(new long[] {3}, "x");
    KerasTensor z = Input.create(new long[] {2}, "z");
    return new Model(
        List.of(x, z), List.of(new Dense(2).apply(new Concatenate().apply(List.of(x, z)))));
  }

  @Nested
  class Options {
    @Test
    void validationSplitOutsideTheUnitInterval() {
      assertThatThrownBy(() -> FitOptions.builder().validationSplit(1.5).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "Expected `validationSplit` to be a float in [0, 1). Received: validationSplit=1.5");
      assertThatThrownBy(() -> FitOptions.builder().validationSplit(-0.1).build())
          .isInstanceOf(IllegalArgumentException.class);
    }

    static Stream<Arguments> badOptions() {
      return Stream.of(
          Arguments.of(
              (Runnable) () -> FitOptions.builder().batchSize(0).build(),
              "Expected `batchSize` to be a positive integer. Received: batchSize=0"),
          Arguments.of(
              (Runnable) () -> FitOptions.builder().epochs(-1).build(), "Received: epochs=-1"),
          Arguments.of(
              (Runnable) () -> FitOptions.builder().initialEpoch(-2).build(),
              "Received: initialEpoch=-2"),
          Arguments.of(
              (Runnable) () -> FitOptions.builder().stepsPerEpoch(0).build(),
              "Received: stepsPerEpoch=0"),
          Arguments.of(
              (Runnable) () -> FitOptions.builder().stepsPerEpoch(2).batchSize(4).build(),
              "If steps_per_epoch is set, the `batch_size` must be None."),
          Arguments.of(
              (Runnable) () -> FitOptions.builder().validationFreq(0),
              "`validation_freq` can not be less than 1."),
          Arguments.of(
              (Runnable) () -> EvaluateOptions.builder().batchSize(-1).build(),
              "Received: batchSize=-1"),
          Arguments.of(
              (Runnable) () -> PredictOptions.builder().steps(0).build(), "Received: steps=0"));
    }

    @ParameterizedTest
    @MethodSource("badOptions")
    void invalidOptionsAreRejectedAtBuild(Runnable build, String message) {
      assertThatThrownBy(build::run)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(message);
    }

    @Test
    void kerasDefaults() {
      FitOptions f = FitOptions.defaults();
      assertThat(f.epochs()).isEqualTo(1);
      assertThat(f.verbose()).isEqualTo(1);
      assertThat(f.shuffle()).isTrue();
      assertThat(f.validationSplit()).isZero();
      assertThat(f.initialEpoch()).isZero();
      assertThat(FitOptions.BATCH_SIZE_DEFAULT).isEqualTo(32);
      assertThat(PredictOptions.defaults().verbose()).isZero();
      assertThat(EvaluateOptions.defaults().verbose()).isEqualTo(1);
      assertThat(CompileOptions.builder().loss("mse").build().optimizer()).isEqualTo("rmsprop");
    }

    @Test
    void compileKwargsAreChecked() {
      assertThatThrownBy(
              () -> CompileOptions.fromConfig(Map.of("loss", "mse", "metric", List.of())))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(
              "Unknown argument `metric` for compile. Expected one of [optimizer, loss, metrics,"
                  + " loss_weights, steps_per_execution]");
    }
  }

  @Nested
  @Tag("native")
  class Uncompiled {
    static Stream<Arguments> calls() {
      return Stream.of(
          Arguments.of(
              "fit", (Consumer<Model>) m -> m.fit(X, Y, FitOptions.builder().verbose(0).build())),
          Arguments.of("evaluate", (Consumer<Model>) m -> m.evaluate(X, Y)),
          Arguments.of("trainOnBatch", (Consumer<Model>) m -> m.trainOnBatch(X, Y)),
          Arguments.of("testOnBatch", (Consumer<Model>) m -> m.testOnBatch(X, Y)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void trainingCallsNeedCompile(String name, Consumer<Model> call) {
      try (Model m = simple()) {
        assertThatThrownBy(() -> call.accept(m))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("You must compile your model before using it.");
      }
    }

    @Test
    void compileNeedsALoss() {
      try (Model m = simple()) {
        assertThatThrownBy(() -> m.compile(CompileOptions.builder().optimizer("sgd").build()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("`loss` is required");
      }
    }
  }

  @Nested
  @Tag("native")
  class Data {
    @Test
    void wrongNumberOfInputArrays() {
      try (Model m = twoInputs()) {
        m.compile("sgd", "mse");
        assertThatThrownBy(() -> m.fit(X, Y, FitOptions.builder().verbose(0).build()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(
                "Error when checking model input: the list of Numpy arrays that you are passing to"
                    + " your model is not the size the model expected. Expected to see 2 array(s),"
                    + " but instead got the following list of 1 arrays:");
        assertThatThrownBy(() -> m.predict(ArrayData.of(X, X, X)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(
                "Expected to see 2 array(s), but instead got the following list of 3 arrays");
      }
    }

    @Test
    void dictMissingAKey() {
      try (Model m = twoInputs()) {
        assertThatThrownBy(() -> m.predict(ArrayData.of(Map.of("z", NDArray.zeros(4, 2)))))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("No data provided for \"x\". Need data for each key in: ['x', 'z']");
      }
    }

    @Test
    void wrongFeatureShape() {
      try (Model m = simple()) {
        m.compile("sgd", "mse");
        assertThatThrownBy(() -> m.trainOnBatch(NDArray.zeros(4, 4), Y))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage(
                "Error when checking input: expected x to have shape (3,) but got array with shape"
                    + " (4,)");
      }
    }

    @Test
    void wrongRank() {
      try (Model m = simple()) {
        assertThatThrownBy(() -> m.predict(NDArray.zeros(2, 3, 1)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage(
                "Error when checking input: expected x to have 2 dimensions, but got array with"
                    + " shape (2, 3, 1)");
      }
    }

    @Test
    void wrongTargetShape() {
      try (Model m = simple()) {
        m.compile("sgd", "mse");
        assertThatThrownBy(() -> m.trainOnBatch(X, NDArray.zeros(4, 3)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage(
                "Error when checking target: expected dense_1 to have shape (2,) but got array with"
                    + " shape (3,)");
      }
    }

    @Test
    void inconsistentSampleCounts() {
      try (Model m = simple()) {
        m.compile("sgd", "mse");
        assertThatThrownBy(() -> m.fit(X, Y.slice(0, 3), FitOptions.builder().verbose(0).build()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage(
                "Input arrays should have the same number of samples as target arrays. Found 4"
                    + " input samples and 3 target samples.");
      }
    }

    @Test
    void inputsWithDifferentSampleCounts() {
      try (Model m = twoInputs()) {
        assertThatThrownBy(() -> m.predict(ArrayData.of(X, NDArray.zeros(3, 2))))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage(
                "All input arrays (x) should have the same number of samples. Got array shapes:"
                    + " [(4, 3), (3, 2)]");
      }
    }

    @Test
    void sampleWeightCountMustMatch() {
      try (Model m = simple()) {
        m.compile("sgd", "mse");
        assertThatThrownBy(() -> m.trainOnBatch(X, Y, NDArray.ones(3), null))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage(
                "Sample_weight arrays should have the same number of samples as target arrays. Got"
                    + " 4 input samples and 3 target samples.");
      }
    }

    @Test
    void classWeightMustCoverEveryClass() {
      try (Model m = simple()) {
        m.compile("sgd", "mse");
        assertThatThrownBy(() -> m.trainOnBatch(X, Y, null, Map.of(0, 1.0)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage(
                "`class_weight` must contain all classes in the data. The classes {1} exist in the"
                    + " data but not in `class_weight`.");
      }
    }
  }

  @Nested
  @Tag("native")
  class Identifiers {
    @Test
    void unknownOptimizerListsValidOnes() {
      try (Model m = simple()) {
        assertThatThrownBy(() -> m.compile("adamw2", "mse"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("Unknown optimizer: `adamw2`. Expected one of [")
            .hasMessageContaining("sgd")
            .hasMessageContaining("adam");
      }
    }

    @Test
    void unknownLossListsValidOnes() {
      try (Model m = simple()) {
        assertThatThrownBy(() -> m.compile("sgd", "msee"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("Unknown loss function: `msee`. Expected one of [")
            .hasMessageContaining("mean_squared_error");
      }
    }

    @Test
    void unknownMetricListsValidOnes() {
      try (Model m = simple()) {
        assertThatThrownBy(() -> m.compile("sgd", "mse", List.of("acuracy")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("Unknown metric function: `acuracy`. Expected one of [")
            .hasMessageContaining("accuracy");
      }
    }

    @Test
    void unknownActivationListsValidOnes() {
      assertThatThrownBy(() -> new jkeras.layers.Activation("relux"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("Unknown activation function: `relux`. Expected one of [")
          .hasMessageContaining("relu");
    }

    @Test
    void lossListMustHaveOneEntryPerOutput() {
      KerasTensor in = Input.create(3);
      try (Model m =
          new Model(List.of(in), List.of(new Dense(1).apply(in), new Dense(1).apply(in)))) {
        assertThatThrownBy(() -> m.compile("sgd", List.of("mse")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(
                "When passing a list as loss, it should have one entry per model outputs. The model"
                    + " has 2 outputs, but you passed loss=[mse]");
      }
    }

    @Test
    void unknownOutputInLossDict() {
      try (Model m = simple()) {
        assertThatThrownBy(() -> m.compile("sgd", Map.of("nope", "mse")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(
                "Unknown entries in loss dictionary: ['nope']. Only expected following keys: ['dense_1']");
      }
    }
  }

  @Nested
  @Tag("native")
  class Closing {
    @Test
    void aClosedModelCannotBeUsed() {
      Model m = simple();
      m.compile(new SGD(0.1), "mse");
      m.close();
      assertThatThrownBy(() -> m.predict(X))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closed");
      assertThatThrownBy(m::getWeights)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closed");
      assertThatThrownBy(() -> m.fit(X, Y, FitOptions.builder().verbose(0).build()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closed");
    }

    @Test
    void closeIsIdempotent() {
      Model m = simple();
      m.getWeights();
      m.close();
      assertThatCode(m::close).doesNotThrowAnyException();
    }

    @Test
    void closingAnUnbuiltSequentialIsFine() {
      Sequential s = new Sequential(List.of(new Dense(1)));
      s.close();
      assertThatCode(s::close).doesNotThrowAnyException();
      assertThatThrownBy(() -> s.predict(X))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closed");
    }
  }
}
