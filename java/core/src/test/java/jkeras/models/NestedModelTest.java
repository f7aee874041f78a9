package jkeras.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jkeras.backend.Weight;
import jkeras.data.ArrayData;
import jkeras.data.NDArray;
import jkeras.initializers.Constant;
import jkeras.layers.Dense;
import jkeras.layers.Dropout;
import jkeras.layers.Input;
import jkeras.layers.KerasTensor;
import jkeras.layers.Layer;
import jkeras.layers.Masking;
import jkeras.layers.Merging;
import jkeras.optimizers.SGD;
import jkeras.trainers.FitOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Models used as layers (Keras' {@code model(x)}): the outer model builds the inner model's layers
 * in its own graph with the same weights, so training either trains both, and {@code getWeights} of
 * each always reads the current values.
 */
@Tag("native")
class NestedModelTest {
  static final NDArray X = NDArray.of(new float[] {1, 2, -1, 0.5f}, 2, 2);

  @BeforeEach
  void resetNames() {
    Layer.resetNames();
  }

  /** A Sequential 2 -> 3 (relu) -> 1 with fixed weights. */
  static Sequential encoder() {
    return new Sequential(
        List.of(
            Dense.builder(3)
                .activation("relu")
                .inputShape(2)
                .kernelInitializer(new Constant(0.5))
                .biasInitializer(new Constant(0.1))
                .build(),
            Dense.builder(1).kernelInitializer(new Constant(-1)).build()));
  }

  @Test
  void aModelCalledOnATensorComputesWhatItComputesAlone() {
    try (Sequential inner = encoder()) {
      KerasTensor in = Input.create(2);
      KerasTensor out = Dense.builder(1).kernelInitializer("ones").build().apply(inner.apply(in));
      try (Model outer = new Model(in, out)) {
        NDArray alone = inner.predict(X);
        assertThat(outer.predict(X)).isEqualTo(alone);
        assertThat(outer.layers())
            .extracting(Layer::name)
            .containsExactly("input_1", "sequential_1", "dense_3");
        assertThat(outer.countParams()).isEqualTo(inner.countParams() + 2);
        assertThat(outer.getWeights()).hasSize(6);
      }
    }
  }

  @Test
  void reusingAModelSharesItsWeights() {
    try (Sequential inner = encoder()) {
      KerasTensor a = Input.create(new long[] {2}, "a");
      KerasTensor b = Input.create(new long[] {2}, "b");
      KerasTensor diff = Merging.subtract(List.of(inner.apply(a), inner.apply(b)));
      try (Model siamese = new Model(List.of(a, b), List.of(diff))) {
        assertThat(siamese.getWeights()).hasSize(4);
        assertThat(siamese.predictOnBatch(ArrayData.of(X, X)).toFloatArray()).containsOnly(0f);
        // Keras numbers a model's calls from 1 (node 0 links its own inputs to its outputs).
        assertThat(inner.nodeCount()).isEqualTo(3);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        siamese.summary(new PrintStream(buf, true, StandardCharsets.UTF_8));
        String fn = "%-32s%-21s%-12s%-33s";
        assertThat(buf.toString(StandardCharsets.UTF_8))
            .contains(String.format(fn, "sequential_1 (Sequential)", "(None, 1)", "13", "a[0][0]"))
            .contains(String.format(fn, "", "", "", "b[0][0]"))
            .contains(
                String.format(fn, "subtract_1 (Subtract)", "(None, 1)", "0", "sequential_1[1][0]"))
            .contains(String.format(fn, "", "", "", "sequential_1[2][0]"));
      }
    }
  }

  @Test
  void trainingTheOuterModelTrainsTheInnerWeights() {
    try (Sequential inner = encoder()) {
      KerasTensor in = Input.create(2);
      try (Model outer = new Model(in, inner.apply(in))) {
        List<NDArray> before = inner.getWeights();
        outer.compile(new SGD(0.1), "mse");
        NDArray y = NDArray.of(new float[] {1, -1}, 2, 1);
        outer.fit(X, y, FitOptions.builder().epochs(3).batchSize(2).verbose(0).build());
        List<NDArray> after = inner.getWeights();
        assertThat(after.get(0)).isNotEqualTo(before.get(0));
        assertThat(after).isEqualTo(outer.getWeights());
        // The inner model's own graph runs on the trained values too.
        assertThat(inner.predict(X)).isEqualTo(outer.predict(X));
        // And the other way: training the inner model alone moves the outer model's output.
        inner.compile(new SGD(0.1), "mse");
        inner.fit(X, NDArray.zeros(2, 1), FitOptions.builder().epochs(2).verbose(0).build());
        assertThat(outer.predict(X)).isEqualTo(inner.predict(X));
        assertThat(outer.getWeights()).isEqualTo(inner.getWeights());
      }
      // Closing the outer model keeps what it trained in the inner model.
      NDArray last = inner.predict(X);
      assertThat(inner.getWeights()).hasSize(4);
      assertThat(inner.predict(X)).isEqualTo(last);
    }
  }

  @Test
  void closingTheOuterModelHandsItsTrainedValuesBack() {
    try (Sequential inner = encoder()) {
      KerasTensor in = Input.create(2);
      NDArray trained;
      try (Model outer = new Model(in, inner.apply(in))) {
        outer.compile(new SGD(0.5), "mse");
        outer.trainOnBatch(X, NDArray.of(new float[] {3, 3}, 2, 1));
        trained = outer.predict(X);
      }
      assertThat(inner.predict(X)).isEqualTo(trained);
    }
  }

  @Test
  void setWeightsOnEitherModelIsSeenByBoth() {
    try (Sequential inner = encoder()) {
      KerasTensor in = Input.create(2);
      try (Model outer = new Model(in, inner.apply(in))) {
        outer.predict(X); // the outer graph now holds the values
        List<NDArray> w = inner.getWeights();
        NDArray zeroKernel = NDArray.zeros(3, 1);
        inner.setWeights(List.of(w.get(0), w.get(1), zeroKernel, NDArray.of(new float[] {7}, 1)));
        assertThat(outer.predict(X).toFloatArray()).containsOnly(7f);
        assertThat(inner.predict(X).toFloatArray()).containsOnly(7f);
      }
    }
  }

  @Test
  void aFunctionalModelCanStartASequentialModel() {
    KerasTensor in = Input.create(2);
    try (Model inner = new Model(in, Dense.builder(3).kernelInitializer("ones").build().apply(in));
        Sequential outer =
            new Sequential(List.of(inner, Dense.builder(1).kernelInitializer("ones").build()))) {
      assertThat(outer.predict(X).toFloatArray()).containsExactly(9f, -1.5f);
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      outer.summary(new PrintStream(buf, true, StandardCharsets.UTF_8));
      assertThat(buf.toString(StandardCharsets.UTF_8))
          .contains(String.format("%-29s%-26s%-10s", "model_1 (Model)", "(None, 3)", "9"))
          .contains("Total params: 13");
    }
  }

  @Test
  void aNestedModelsWeightsListTrainableOnesFirstAsKeras() {
    KerasTensor in = Input.create(2);
    Dense frozen = Dense.builder(2).trainable(false).build();
    Dense free = Dense.builder(1).build();
    try (Model inner = new Model(in, free.apply(frozen.apply(in)))) {
      assertThat(inner.weights())
          .extracting(Weight::path)
          .containsExactly("dense_2/kernel", "dense_2/bias", "dense_1/kernel", "dense_1/bias");
      KerasTensor in2 = Input.create(2);
      try (Model outer = new Model(in2, inner.apply(in2))) {
        assertThat(outer.getWeights()).hasSize(4);
        assertThat(outer.getWeights().get(0).shape()).containsExactly(2, 1);
      }
    }
  }

  @Test
  void dropoutInsideANestedModelDropsOnlyInTraining() {
    KerasTensor in = Input.create(100);
    try (Model inner = new Model(in, new Dropout(0.5).apply(in))) {
      KerasTensor in2 = Input.create(100);
      try (Model outer = new Model(in2, inner.apply(in2))) {
        outer.compile(new SGD(0.0), "mse");
        NDArray ones = NDArray.ones(20, 100);
        assertThat(outer.predict(ones)).isEqualTo(ones);
        // Kept units are doubled, dropped ones 0: the mse against 1 is 1 in training.
        assertThat(outer.trainOnBatch(ones, ones).scalar()).isCloseTo(1.0, within(1e-6));
      }
    }
  }

  @Test
  void masksPassThroughANestedModel() {
    KerasTensor in = Input.create(3, 1);
    try (Model inner = new Model(in, new Masking().apply(in))) {
      KerasTensor in2 = Input.create(3, 1);
      try (Model outer = new Model(in2, inner.apply(in2))) {
        outer.compile(new SGD(0.0), "mae");
        NDArray x = NDArray.of(new float[] {0, 2, 4}, 1, 3, 1);
        NDArray y = NDArray.of(new float[] {9, 0, 0}, 1, 3, 1);
        assertThat(outer.testOnBatch(x, y).scalar()).isCloseTo(2.0, within(1e-5));
      }
    }
  }

  @Test
  void aLayerSharedByTwoModelsKeepsOneValue() {
    Dense shared = Dense.builder(1).kernelInitializer("ones").build();
    KerasTensor a = Input.create(2);
    KerasTensor b = Input.create(2);
    try (Model first = new Model(a, shared.apply(a));
        Model second =
            new Model(
                b, Dense.builder(1).kernelInitializer("ones").build().apply(shared.apply(b)))) {
      first.compile(new SGD(0.1), "mse");
      first.trainOnBatch(X, NDArray.of(new float[] {5, 5}, 2, 1));
      NDArray trained = shared.getWeights().get(0);
      assertThat(trained).isNotEqualTo(NDArray.ones(2, 1));
      // The second model runs on the kernel the first one trained.
      float[] out = second.predict(X).toFloatArray();
      float[] k = trained.toFloatArray();
      float bias = shared.getWeights().get(1).toFloatArray()[0];
      assertThat((double) out[0]).isCloseTo(1 * k[0] + 2 * k[1] + bias, within(1e-5));
      assertThat(second.getWeights().get(0)).isEqualTo(trained);
    }
  }

  @Test
  void callingAModelOnAnIncompatibleTensorFailsWithKerasMessage() {
    try (Sequential inner = encoder()) {
      assertThatThrownBy(() -> inner.apply(Input.create(3)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "Input 0 is incompatible with layer sequential_1: expected shape=(None, 2), found"
                  + " shape=(None, 3)");
    }
  }

  @Test
  void aSequentialWithoutInputShapeBuildsFromTheTensorItIsCalledOn() {
    try (Sequential inner =
        new Sequential(List.of(Dense.builder(2).kernelInitializer("ones").build()))) {
      KerasTensor in = Input.create(3);
      try (Model outer = new Model(in, inner.apply(in))) {
        assertThat(outer.predict(NDArray.ones(1, 3)).toFloatArray()).containsExactly(3f, 3f);
      }
    }
  }
}
