package jkeras.models;

import static jkeras.models.ModelTestSupport.TOL;
import static jkeras.models.ModelTestSupport.dense;
import static jkeras.models.ModelTestSupport.flat;
import static jkeras.models.ModelTestSupport.relu;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import jkeras.data.NDArray;
import jkeras.layers.Dense;
import jkeras.layers.Dropout;
import jkeras.layers.Flatten;
import jkeras.layers.Layer;
import jkeras.models.ModelTestSupport.Params;
import jkeras.trainers.FitOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("native")
class SequentialTest {
  private static final Params P1 =
      new Params(
          new double[][] {{0.1, -0.2, 0.3, 0.4}, {0.5, 0.6, -0.7, 0.8}, {-0.9, 1.0, 1.1, -1.2}},
          new double[] {0.01, -0.02, 0.03, 0.5});
  private static final Params P2 =
      new Params(
          new double[][] {{1, -1}, {0.5, 0.25}, {-0.5, 2}, {0.75, -0.125}},
          new double[] {0.1, -0.1});
  private static final double[][] X = {{1, 2, 3}, {-1, 0.5, 2}, {0, 0, 0}, {3, -2, 1}};

  @BeforeEach
  void resetNames() {
    Layer.resetNames();
  }

  private static Sequential twoLayers() {
    return new Sequential(
        List.of(Dense.builder(4).activation("relu").inputShape(3).build(), new Dense(2)));
  }

  @Nested
  class Structure {
    @Test
    void defaultNamesAreNumberedPerJvm() {
      try (Sequential a = new Sequential();
          Sequential b = new Sequential();
          Sequential c = new Sequential("mine")) {
        assertThat(a.name()).isEqualTo("sequential_1");
        assertThat(b.name()).isEqualTo("sequential_2");
        assertThat(c.name()).isEqualTo("mine");
      }
    }

    @Test
    void layersExcludeTheImplicitInput() {
      try (Sequential m = twoLayers()) {
        assertThat(m.layers()).extracting(Layer::name).containsExactly("dense_1", "dense_2");
        assertThat(m.inputNames()).containsExactly("dense_1_input");
        assertThat(m.outputNames()).containsExactly("dense_2");
        assertThat(m.inputs().get(0).shape()).containsExactly(-1, 3);
        assertThat(m.outputs().get(0).shape()).containsExactly(-1, 2);
      }
    }

    @Test
    void getLayerByNameAndIndex() {
      try (Sequential m = twoLayers()) {
        // As in Keras 2.3.1, a script's get_layer('dense_1') is the first Dense.
        assertThat(m.getLayer("dense_1")).isSameAs(m.layers().get(0));
        assertThat(m.getLayer("dense_2")).isSameAs(m.layers().get(1));
        assertThat(m.getLayer(0)).isSameAs(m.layers().get(0));
        assertThatThrownBy(() -> m.getLayer("nope"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("No such layer: nope");
        assertThatThrownBy(() -> m.getLayer(2))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("Was asked to retrieve layer at index 2 but model only has 2 layers.");
      }
    }

    @Test
    void countParamsSumsTheLayers() {
      try (Sequential m = twoLayers()) {
        assertThat(m.countParams()).isEqualTo((3 * 4 + 4) + (4 * 2 + 2));
      }
    }

    @Test
    void addAndPop() {
      try (Sequential m = new Sequential()) {
        m.add(Dense.builder(4).inputShape(3).build());
        m.add(new Dense(2));
        assertThat(m.outputs().get(0).shape()).containsExactly(-1, 2);
        m.pop();
        assertThat(m.layers()).hasSize(1);
        assertThat(m.outputs().get(0).shape()).containsExactly(-1, 4);
      }
    }

    @Test
    void duplicateNamesAreRejected() {
      try (Sequential m = new Sequential()) {
        m.add(Dense.builder(2).name("same").inputShape(3).build());
        assertThatThrownBy(() -> m.add(Dense.builder(2).name("same").build()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(
                "All layers added to a Sequential model should have unique names. Name \"same\" is"
                    + " already the name of a layer in this model.");
      }
    }

    @Test
    void popOnEmptyModelFails() {
      try (Sequential m = new Sequential()) {
        assertThatThrownBy(m::pop)
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("There are no layers in the model.");
      }
    }

    @Test
    void compilingAnEmptyModelFails() {
      try (Sequential m = new Sequential()) {
        assertThatThrownBy(() -> m.compile("sgd", "mse"))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining(
                "You must add layers to the Sequential model before compiling it.");
      }
    }

    @Test
    void flattenThenDenseInfersShapes() {
      try (Sequential m =
          new Sequential(List.of(Flatten.builder().inputShape(2, 3).build(), new Dense(4)))) {
        assertThat(m.outputs().get(0).shape()).containsExactly(-1, 4);
        assertThat(m.countParams()).isEqualTo(6 * 4 + 4);
      }
    }
  }

  @Nested
  class Weights {
    @Test
    void getWeightsIsKernelThenBiasPerLayer() {
      try (Sequential m = twoLayers()) {
        List<NDArray> w = m.getWeights();
        assertThat(w)
            .extracting(a -> List.of(toBoxed(a.shape())))
            .containsExactly(List.of(3L, 4L), List.of(4L), List.of(4L, 2L), List.of(2L));
        assertThat(w.get(1)).isEqualTo(NDArray.zeros(4));
        assertThat(w.get(3)).isEqualTo(NDArray.zeros(2));
      }
    }

    @Test
    void setWeightsRoundTripsAndDrivesPredict() {
      try (Sequential m = twoLayers()) {
        List<NDArray> values =
            List.of(NDArray.of(P1.w()), NDArray.of(P1.b()), NDArray.of(P2.w()), NDArray.of(P2.b()));
        m.setWeights(values);
        assertThat(m.getWeights()).containsExactlyElementsOf(values);
        assertThat(m.getLayer(1).getWeights()).containsExactly(values.get(2), values.get(3));
        double[][] expected = dense(relu(dense(X, P1)), P2);
        NDArray p = m.predict(NDArray.of(X));
        assertThat(p.shape()).containsExactly(4, 2);
        assertThat(p.toDoubleArray()).containsExactly(flat(expected), within(TOL));
      }
    }

    @Test
    void layerWeightsExistOnceBuiltFromAnInputShape() {
      // Keras: Sequential([Dense(4, input_shape=(3,)), Dense(2)]).layers[0].get_weights() works
      // right away, with no compile or model-level call first.
      try (Sequential m = twoLayers()) {
        List<NDArray> w = m.getLayer(0).getWeights();
        assertThat(w).hasSize(2);
        assertThat(w.get(0).shape()).containsExactly(3, 4);
      }
    }

    @Test
    void layerSetWeightsIsSeenByTheModel() {
      try (Sequential m = twoLayers()) {
        m.getWeights();
        NDArray k = NDArray.of(P2.w());
        m.getLayer(1).setWeights(List.of(k, NDArray.ones(2)));
        assertThat(m.getWeights().get(2)).isEqualTo(k);
        assertThat(m.getWeights().get(3)).isEqualTo(NDArray.ones(2));
      }
    }

    @Test
    void setWeightsChecksTheCount() {
      try (Sequential m = twoLayers()) {
        assertThatThrownBy(() -> m.setWeights(List.of(NDArray.zeros(3, 4))))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(
                "with a weight list of length 1, but the model was expecting 4 weights.");
      }
    }

    @Test
    void addingAfterTheGraphIsBuiltKeepsEarlierWeightsAndNeedsANewCompile() {
      try (Sequential m = twoLayers()) {
        m.compile("sgd", "mse");
        List<NDArray> before = m.getWeights();
        m.add(new Dense(1));
        List<NDArray> after = m.getWeights();
        assertThat(after).hasSize(before.size() + 2);
        assertThat(after.subList(0, before.size())).isEqualTo(before);
        assertThat(m.compiled()).isFalse();
        assertThatThrownBy(() -> m.trainOnBatch(NDArray.zeros(1, 3), NDArray.zeros(1, 1)))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("You must compile your model before using it.");
      }
    }

    @Test
    void popRemovesTheLastLayerAndKeepsTheOthersWeights() {
      try (Sequential m = twoLayers()) {
        List<NDArray> before = m.getWeights();
        m.pop();
        assertThat(m.getWeights()).isEqualTo(before.subList(0, 2));
      }
    }
  }

  @Nested
  class DeferredBuild {
    @Test
    void buildsFromTheFirstDataSeen() {
      try (Sequential m = new Sequential(List.of(new Dense(4), new Dense(1)))) {
        assertThat(m.inputs()).isEmpty();
        NDArray p = m.predict(NDArray.of(X));
        assertThat(p.shape()).containsExactly(4, 1);
        assertThat(m.inputs().get(0).shape()).containsExactly(-1, 3);
        assertThat(m.countParams()).isEqualTo(3 * 4 + 4 + 4 + 1);
      }
    }

    @Test
    void explicitBuild() {
      try (Sequential m = new Sequential(List.of(new Dense(2)))) {
        m.build(5);
        assertThat(m.countParams()).isEqualTo(12);
      }
    }

    @Test
    void compileBeforeDataThenFit() {
      try (Sequential m = new Sequential(List.of(new Dense(1)))) {
        m.compile(new jkeras.optimizers.SGD(0.1), "mse");
        m.fit(NDArray.of(X), NDArray.zeros(4, 1), FitOptions.builder().verbose(0).build());
        assertThat(m.getWeights()).hasSize(2);
      }
    }
  }

  @Nested
  class DropoutLayer {
    @Test
    void isTheIdentityInPredict() {
      try (Sequential m = new Sequential(List.of(Dropout.builder(0.5).inputShape(3).build()))) {
        NDArray x = NDArray.of(X);
        assertThat(m.predict(x)).isEqualTo(x);
        assertThat(m.countParams()).isZero();
      }
    }
  }

  private static Long[] toBoxed(long[] a) {
    Long[] b = new Long[a.length];
    for (int i = 0; i < a.length; i++) b[i] = a[i];
    return b;
  }
}
