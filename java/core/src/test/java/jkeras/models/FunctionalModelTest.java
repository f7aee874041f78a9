package jkeras.models;

import static jkeras.models.ModelTestSupport.TOL;
import static jkeras.models.ModelTestSupport.dense;
import static jkeras.models.ModelTestSupport.flat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jkeras.data.ArrayData;
import jkeras.data.NDArray;
import jkeras.layers.Add;
import jkeras.layers.Concatenate;
import jkeras.layers.Dense;
import jkeras.layers.Input;
import jkeras.layers.KerasTensor;
import jkeras.layers.Layer;
import jkeras.models.ModelTestSupport.Params;
import jkeras.trainers.PredictOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("native")
class FunctionalModelTest {

  @BeforeEach
  void resetNames() {
    Layer.resetNames();
  }

  /** in_a(2) -> dense_a(3); in_b(4) -> dense_b(3); concat -> out(1). */
  private static Model twoBranches() {
    KerasTensor a = Input.create(new long[] {2}, "in_a");
    KerasTensor b = Input.create(new long[] {4}, "in_b");
    KerasTensor ha = Dense.builder(3).name("dense_a").build().apply(a);
    KerasTensor hb = Dense.builder(3).name("dense_b").build().apply(b);
    KerasTensor cat = Concatenate.builder().name("cat").build().apply(List.of(ha, hb));
    KerasTensor out = Dense.builder(1).name("out").build().apply(cat);
    return new Model(List.of(a, b), List.of(out));
  }

  @Nested
  class LayerOrder {
    // Orders derived by hand from keras 2.3.1 engine/network.py _map_graph_network: a depth-first
    // walk from the outputs numbers the layers; depth = longest distance to an output; layers are
    // listed by decreasing depth, ties broken by the walk's numbering.

    @Test
    void twoInputsTwoBranchesConcatenated() {
      try (Model m = twoBranches()) {
        // walk: out 0, cat 1, dense_a 2, in_a 3, dense_b 4, in_b 5; depths: inputs 3, denses 2.
        assertThat(m.layers())
            .extracting(Layer::name)
            .containsExactly("in_a", "in_b", "dense_a", "dense_b", "cat", "out");
      }
    }

    @Test
    void unevenBranchesAreOrderedByDepthThenWalk() {
      KerasTensor a = Input.create(new long[] {2}, "in_a");
      KerasTensor b = Input.create(new long[] {2}, "in_b");
      KerasTensor a1 = Dense.builder(2).name("a1").build().apply(a);
      KerasTensor a2 = Dense.builder(2).name("a2").build().apply(a1);
      KerasTensor b1 = Dense.builder(2).name("b1").build().apply(b);
      // The short branch first in the merge: walk out 0, add 1, b1 2, in_b 3, a2 4, a1 5, in_a 6.
      // Depths: in_a 4; a1 3, in_b 3; a2 2, b1 2; add 1; out 0.
      KerasTensor sum = Add.builder().name("sum").build().apply(List.of(b1, a2));
      KerasTensor out = Dense.builder(1).name("out").build().apply(sum);
      try (Model m = new Model(List.of(a, b), List.of(out))) {
        assertThat(m.layers())
            .extracting(Layer::name)
            .containsExactly("in_a", "in_b", "a1", "b1", "a2", "sum", "out");
      }
    }

    @Test
    void weightsFollowTheLayerOrder() {
      try (Model m = twoBranches()) {
        List<NDArray> w = m.getWeights();
        assertThat(w)
            .extracting(x -> x.shape().length + ":" + x.shape()[0])
            .containsExactly("2:2", "1:3", "2:4", "1:3", "2:6", "1:1");
        assertThat(m.countParams()).isEqualTo((2 * 3 + 3) + (4 * 3 + 3) + (6 + 1));
      }
    }

    @Test
    void multipleOutputsKeepTheirOrder() {
      KerasTensor in = Input.create(new long[] {3}, "x");
      KerasTensor h = Dense.builder(4).name("h").build().apply(in);
      KerasTensor p = Dense.builder(2).name("p").build().apply(h);
      KerasTensor q = Dense.builder(1).name("q").build().apply(in);
      try (Model m = new Model(List.of(in), List.of(p, q))) {
        // walk: p 0, h 1, x 2, q 3; depths: x 2, h 1, p 0, q 0.
        assertThat(m.layers()).extracting(Layer::name).containsExactly("x", "h", "p", "q");
        assertThat(m.outputNames()).containsExactly("p", "q");
        assertThat(m.inputNames()).containsExactly("x");
      }
    }
  }

  @Nested
  class Naming {
    @Test
    void modelsAreNumbered() {
      KerasTensor in = Input.create(1);
      KerasTensor out = new Dense(1).apply(in);
      try (Model a = new Model(in, out);
          Model b = new Model(List.of(in), List.of(out), "custom")) {
        assertThat(a.name()).isEqualTo("model_1");
        assertThat(b.name()).isEqualTo("custom");
      }
      KerasTensor in2 = Input.create(1);
      try (Model c = new Model(in2, new Dense(1).apply(in2))) {
        assertThat(c.name()).isEqualTo("model_2");
      }
    }

    @Test
    void getLayerOnAFunctionalModelIncludesInputs() {
      try (Model m = twoBranches()) {
        assertThat(m.getLayer(0).name()).isEqualTo("in_a");
        assertThat(m.getLayer("cat")).isInstanceOf(Concatenate.class);
      }
    }
  }

  @Nested
  class Predict {
    private final Params pa =
        new Params(new double[][] {{1, 0, -1}, {0.5, 2, 1}}, new double[] {0.1, 0.2, 0.3});
    private final Params pb =
        new Params(
            new double[][] {{1, 1, 1}, {-1, 0, 1}, {0, 0.5, 0}, {2, -2, 0.25}},
            new double[] {0, -0.1, 0.1});
    private final Params po =
        new Params(new double[][] {{1}, {-1}, {0.5}, {0.25}, {2}, {-0.5}}, new double[] {0.05});
    private final double[][] xa = {{1, 2}, {-1, 0.5}, {0, 3}};
    private final double[][] xb = {{1, 0, -1, 2}, {0.5, 0.5, 0.5, 0.5}, {-2, 1, 0, 1}};

    private double[][] expected() {
      double[][] ha = dense(xa, pa);
      double[][] hb = dense(xb, pb);
      double[][] cat = new double[3][6];
      for (int i = 0; i < 3; i++) {
        System.arraycopy(ha[i], 0, cat[i], 0, 3);
        System.arraycopy(hb[i], 0, cat[i], 3, 3);
      }
      return dense(cat, po);
    }

    private void setHandWeights(Model m) {
      m.getLayer("dense_a").setWeights(pa.asWeights());
      m.getLayer("dense_b").setWeights(pb.asWeights());
      m.getLayer("out").setWeights(po.asWeights());
    }

    @Test
    void concatenatedBranchesMatchTheHandComputation() {
      try (Model m = twoBranches()) {
        setHandWeights(m);
        NDArray p = m.predict(ArrayData.of(NDArray.of(xa), NDArray.of(xb)));
        assertThat(p.shape()).containsExactly(3, 1);
        assertThat(p.toDoubleArray()).containsExactly(flat(expected()), within(TOL));
      }
    }

    @Test
    void dictInputsAreMatchedByName() {
      try (Model m = twoBranches()) {
        setHandWeights(m);
        Map<String, NDArray> byName = new LinkedHashMap<>();
        byName.put("in_b", NDArray.of(xb));
        byName.put("in_a", NDArray.of(xa));
        NDArray p = m.predict(ArrayData.of(byName));
        assertThat(p.toDoubleArray()).containsExactly(flat(expected()), within(TOL));
        assertThat(m.predictOnBatch(ArrayData.of(byName))).isEqualTo(p);
      }
    }

    @Test
    void addSumsBranches() {
      KerasTensor a = Input.create(2);
      KerasTensor b = Input.create(2);
      try (Model m = new Model(List.of(a, b), List.of(new Add().apply(List.of(a, b))))) {
        NDArray p =
            m.predict(
                ArrayData.of(
                    NDArray.of(new float[] {1, 2, 3, 4}, 2, 2),
                    NDArray.of(new float[] {10, 20, 30, 40}, 2, 2)));
        assertThat(p).isEqualTo(NDArray.of(new float[] {11, 22, 33, 44}, 2, 2));
      }
    }

    @Test
    void multiOutputPredictReturnsOneArrayPerOutput() {
      KerasTensor in = Input.create(new long[] {2}, "x");
      Dense d1 = Dense.builder(3).name("p").build();
      Dense d2 = Dense.builder(1).name("q").activation("relu").build();
      try (Model m = new Model(List.of(in), List.of(d1.apply(in), d2.apply(in)))) {
        Params p1 = new Params(new double[][] {{1, 2, 3}, {4, 5, 6}}, new double[] {0, 0, 1});
        Params p2 = new Params(new double[][] {{1}, {-1}}, new double[] {0});
        d1.setWeights(p1.asWeights());
        d2.setWeights(p2.asWeights());
        double[][] x = {{1, 1}, {2, -1}, {-1, 0.5}, {0, 0}, {3, 1}};
        List<NDArray> outs =
            m.predictOutputs(NDArray.of(x), PredictOptions.builder().batchSize(2).build());
        assertThat(outs).hasSize(2);
        assertThat(outs.get(0).shape()).containsExactly(5, 3);
        assertThat(outs.get(1).shape()).containsExactly(5, 1);
        assertThat(outs.get(0).toDoubleArray()).containsExactly(flat(dense(x, p1)), within(TOL));
        assertThat(outs.get(1).toDoubleArray())
            .containsExactly(flat(ModelTestSupport.relu(dense(x, p2))), within(TOL));
        assertThat(m.predictOnBatchOutputs(NDArray.of(x))).containsExactlyElementsOf(outs);
        assertThatThrownBy(() -> m.predict(NDArray.of(x)))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("use `predictOutputs`");
      }
    }

    @Test
    void predictDoesNotNeedCompile() {
      try (Model m = twoBranches()) {
        assertThat(m.compiled()).isFalse();
        assertThat(m.predict(ArrayData.of(NDArray.of(xa), NDArray.of(xb))).shape())
            .containsExactly(3, 1);
      }
    }
  }

  @Nested
  class InvalidGraphs {
    @Test
    void disconnectedGraphIsRejected() {
      KerasTensor a = Input.create(new long[] {2}, "a");
      KerasTensor b = Input.create(new long[] {2}, "b");
      KerasTensor out = new Dense(1).apply(a);
      assertThatThrownBy(() -> new Model(List.of(b), List.of(out)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Graph disconnected: cannot obtain value for tensor")
          .hasMessageContaining("at layer \"a\"");
    }

    @Test
    void inputsMustComeFromInput() {
      KerasTensor a = Input.create(2);
      KerasTensor h = new Dense(2).apply(a);
      assertThatThrownBy(() -> new Model(List.of(h), List.of(new Dense(1).apply(h))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Input tensors to a Model must come from `Input`.");
    }

    @Test
    void layerNamesMustBeUnique() {
      KerasTensor a = Input.create(2);
      KerasTensor h = Dense.builder(2).name("twin").build().apply(a);
      KerasTensor o = Dense.builder(2).name("twin").build().apply(h);
      assertThatThrownBy(() -> new Model(a, o))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(
              "The name \"twin\" is used 2 times in the model. All layer names should be unique.");
    }
  }
}
