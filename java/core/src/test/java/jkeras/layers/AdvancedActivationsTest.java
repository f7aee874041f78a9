package jkeras.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Supplier;
import java.util.stream.Stream;
import jkeras.constraints.NonNeg;
import jkeras.data.NDArray;
import jkeras.initializers.Constant;
import jkeras.models.Model;
import jkeras.optimizers.SGD;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Keras 2.3.1's advanced activation layers: values, arguments, configs and PReLU's weight. */
class AdvancedActivationsTest {
  static final float[] X = {-3f, -1f, -0.5f, 0f, 0.25f, 0.9f, 1f, 1.5f, 6f, 7f};

  static Stream<Arguments> elementWise() {
    return Stream.of(
        Arguments.of("LeakyReLU()", (Supplier<Layer>) LeakyReLU::new, f(x -> x >= 0 ? x : 0.3 * x)),
        Arguments.of(
            "LeakyReLU(0.1)",
            (Supplier<Layer>) () -> new LeakyReLU(0.1),
            f(x -> x >= 0 ? x : 0.1 * x)),
        Arguments.of("ELU()", (Supplier<Layer>) ELU::new, f(x -> x > 0 ? x : Math.exp(x) - 1)),
        Arguments.of(
            "ELU(0.5)",
            (Supplier<Layer>) () -> new ELU(0.5),
            f(x -> x > 0 ? x : 0.5 * (Math.exp(x) - 1))),
        Arguments.of(
            "ThresholdedReLU()", (Supplier<Layer>) ThresholdedReLU::new, f(x -> x > 1 ? x : 0)),
        Arguments.of(
            "ThresholdedReLU(0.2)",
            (Supplier<Layer>) () -> new ThresholdedReLU(0.2),
            f(x -> x > 0.2 ? x : 0)),
        Arguments.of("ReLU()", (Supplier<Layer>) ReLU::new, f(x -> Math.max(x, 0))),
        Arguments.of(
            "ReLU(max_value=6)",
            (Supplier<Layer>) () -> ReLU.builder().maxValue(6.0).build(),
            f(x -> Math.min(Math.max(x, 0), 6))),
        Arguments.of(
            "ReLU(max_value=1.2, negative_slope=0.1, threshold=0.5)",
            (Supplier<Layer>)
                () -> ReLU.builder().maxValue(1.2).negativeSlope(0.1).threshold(0.5).build(),
            f(x -> x >= 1.2 ? 1.2 : x > 0.5 ? x : 0.1 * (x - 0.5))),
        Arguments.of(
            "ReLU(negative_slope=0.2)",
            (Supplier<Layer>) () -> ReLU.builder().negativeSlope(0.2).build(),
            f(x -> x >= 0 ? x : 0.2 * x)),
        Arguments.of(
            "ReLU(threshold=1)",
            (Supplier<Layer>) () -> ReLU.builder().threshold(1.0).build(),
            f(x -> x > 1 ? x : 0)),
        Arguments.of(
            "PReLU(alpha_initializer=constant(0.25))",
            (Supplier<Layer>) () -> PReLU.builder().alphaInitializer(new Constant(0.25)).build(),
            f(x -> x >= 0 ? x : 0.25 * x)));
  }

  private static DoubleUnaryOperator f(DoubleUnaryOperator op) {
    return op;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("elementWise")
  @Tag("native")
  void computesKerasFormulaElementWise(String what, Supplier<Layer> layer, DoubleUnaryOperator fn) {
    NDArray out = Run.predict(layer.get(), NDArray.of(X, 2, 5));
    assertThat(out.shape()).containsExactly(2, 5);
    float[] got = out.toFloatArray();
    for (int i = 0; i < X.length; i++) {
      assertThat((double) got[i]).as("x=%s", X[i]).isCloseTo(fn.applyAsDouble(X[i]), within(1e-6));
    }
  }

  @Nested
  @Tag("native")
  class SoftmaxLayer {
    @Test
    void normalizesTheLastAxisByDefault() {
      float[] out =
          Run.predict(new Softmax(), NDArray.of(new float[] {1, 2, 3, 1, 1, 1}, 2, 3))
              .toFloatArray();
      double e = Math.exp(1) + Math.exp(2) + Math.exp(3);
      assertThat((double) out[2]).isCloseTo(Math.exp(3) / e, within(1e-6));
      assertThat((double) out[4]).isCloseTo(1 / 3.0, within(1e-6));
    }

    @Test
    void normalizesAnotherAxisOfA3dInput() {
      // (1, 2, 2): along axis 1, each column sums to 1.
      float[] out =
          Run.predict(new Softmax(1), NDArray.of(new float[] {0, 5, 2, 5}, 1, 2, 2)).toFloatArray();
      double e = Math.exp(0) + Math.exp(2);
      assertThat((double) out[0]).isCloseTo(1 / e, within(1e-6));
      assertThat((double) out[2]).isCloseTo(Math.exp(2) / e, within(1e-6));
      assertThat((double) out[1]).isCloseTo(0.5, within(1e-6));
    }
  }

  @Nested
  @Tag("native")
  class PReLUWeights {
    @Test
    void oneAlphaPerInputElementNamedAlpha() {
      KerasTensor in = Input.create(3, 4);
      PReLU p = PReLU.builder().name("p").build();
      try (Model m = new Model(in, p.apply(in))) {
        assertThat(p.weights()).extracting(w -> w.name()).containsExactly("alpha");
        assertThat(p.getWeights().get(0).shape()).containsExactly(3, 4);
        assertThat(p.getWeights().get(0)).isEqualTo(NDArray.zeros(3, 4));
        assertThat(p.countParams()).isEqualTo(12);
      }
    }

    @Test
    void sharedAxesShareOneAlphaAlongThem() {
      KerasTensor in = Input.create(5, 6, 3);
      PReLU p = PReLU.builder().sharedAxes(1, 2).build();
      try (Model m = new Model(in, p.apply(in))) {
        assertThat(p.getWeights().get(0).shape()).containsExactly(1, 1, 3);
      }
    }

    @Test
    void alphaIsLearnedAndConstrained() {
      // x = -1: y = -alpha = -0.5, mse against 0 has d/d(alpha) = 2 * y * (-relu(-x)) = 1, so SGD
      // with lr = 1 gives alpha = -0.5, which NonNeg sets to 0.
      KerasTensor in = Input.create(1);
      PReLU p =
          PReLU.builder().alphaInitializer(new Constant(0.5)).alphaConstraint(new NonNeg()).build();
      try (Model m = new Model(in, p.apply(in))) {
        m.compile(new SGD(1.0), "mse");
        m.trainOnBatch(NDArray.of(new float[] {-1}, 1, 1), NDArray.of(new float[] {0}, 1, 1));
        assertThat(p.getWeights().get(0).toFloatArray()[0]).isEqualTo(0f);
      }
    }

    @Test
    void rejectsSharedAxesOutsideTheInput() {
      assertThatThrownBy(() -> PReLU.builder().sharedAxes(3).build().apply(Input.create(4, 2)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Expected `sharedAxes` to be axes in [1, 2]");
    }
  }

  @Test
  void reluRejectsNegativeArgumentsWithKerasMessages() {
    assertThatThrownBy(() -> ReLU.builder().maxValue(-1.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max_value of ReLU layer cannot be negative value: -1.0");
    assertThatThrownBy(() -> ReLU.builder().negativeSlope(-0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("negative_slope of ReLU layer cannot be negative value: -0.5");
  }

  static Stream<Arguments> configs() {
    return Stream.of(
        Arguments.of(new LeakyReLU(), List.of("alpha"), Map.of("alpha", (double) 0.3f)),
        Arguments.of(new ELU(), List.of("alpha"), Map.of("alpha", 1.0)),
        Arguments.of(new ThresholdedReLU(0.5), List.of("theta"), Map.of("theta", 0.5)),
        Arguments.of(new Softmax(), List.of("axis"), Map.of("axis", -1)),
        Arguments.of(
            ReLU.builder().maxValue(6.0).negativeSlope(0.1).build(),
            List.of("max_value", "negative_slope", "threshold"),
            Map.of("max_value", 6.0, "negative_slope", (double) 0.1f, "threshold", 0.0)),
        Arguments.of(
            PReLU.builder().sharedAxes(1).alphaConstraint("non_neg").build(),
            List.of("alpha_initializer", "alpha_regularizer", "alpha_constraint", "shared_axes"),
            Map.of(
                "alpha_initializer",
                Map.of("class_name", "Zeros", "config", Map.of()),
                "alpha_constraint",
                Map.of("class_name", "NonNeg", "config", Map.of()),
                "shared_axes",
                List.of(1))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void configHasKerasKeysInKerasOrderAndRoundTrips(
      Layer layer, List<String> ownKeys, Map<String, Object> values) {
    Map<String, Object> c = layer.getConfig();
    assertThat(List.copyOf(c.keySet()).subList(3, c.size())).containsExactlyElementsOf(ownKeys);
    values.forEach((k, v) -> assertThat(c.get(k)).as(k).isEqualTo(v));
    Layer again = Layers.deserialize(layer.getClass().getSimpleName(), c);
    assertThat(again.getConfig()).isEqualTo(c);
  }
}
