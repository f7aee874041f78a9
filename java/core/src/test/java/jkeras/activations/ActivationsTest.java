package jkeras.activations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class ActivationsTest {
  /** Covers both signs, zero, the hard_sigmoid knees (±2.5) and saturation. */
  private static final float[] X = {-10f, -3f, -2.5f, -1f, -0.3f, 0f, 0.3f, 1f, 2.5f, 3f, 6f, 10f};

  private static final double SELU_ALPHA = 1.6732632423543772848170429916717;
  private static final double SELU_SCALE = 1.0507009873554804934193349852946;

  /** Runs {@code a} on {@code x} reshaped to {@code shape} and returns the flat result. */
  static float[] run(Activation a, float[] x, long... shape) {
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> in = tf.constant(Shape.of(shape), DataBuffers.of(x, true, false));
      Operand<TFloat32> out = a.call(tf, in);
      try (Result r = s.runner().fetch(out).run()) {
        TFloat32 t = (TFloat32) r.get(0);
        float[] y = new float[(int) t.shape().size()];
        t.copyTo(DataBuffers.of(y, false, false));
        return y;
      }
    }
  }

  static Stream<Arguments> elementwise() {
    return Stream.of(
        Arguments.of("linear", (DoubleUnaryOperator) x -> x),
        Arguments.of("relu", (DoubleUnaryOperator) x -> Math.max(x, 0)),
        Arguments.of("sigmoid", (DoubleUnaryOperator) x -> 1 / (1 + Math.exp(-x))),
        Arguments.of("tanh", (DoubleUnaryOperator) Math::tanh),
        Arguments.of("elu", (DoubleUnaryOperator) x -> x > 0 ? x : Math.exp(x) - 1),
        Arguments.of(
            "selu",
            (DoubleUnaryOperator) x -> SELU_SCALE * (x > 0 ? x : SELU_ALPHA * (Math.exp(x) - 1))),
        Arguments.of("softplus", (DoubleUnaryOperator) x -> Math.log(Math.exp(x) + 1)),
        Arguments.of("softsign", (DoubleUnaryOperator) x -> x / (Math.abs(x) + 1)),
        Arguments.of(
            "hard_sigmoid", (DoubleUnaryOperator) x -> Math.min(1, Math.max(0, 0.2 * x + 0.5))),
        Arguments.of("exponential", (DoubleUnaryOperator) Math::exp));
  }

  @Tag("native")
  @ParameterizedTest(name = "{0}")
  @MethodSource("elementwise")
  void elementwiseActivationsMatchKerasFormula(String name, DoubleUnaryOperator f) {
    float[] y = run(Activations.get(name), X, 3, 4);
    for (int i = 0; i < X.length; i++) {
      double expected = f.applyAsDouble(X[i]);
      assertThat((double) y[i])
          .as("%s(%s)", name, X[i])
          .isCloseTo(expected, within(1e-6 * Math.max(1, Math.abs(expected))));
    }
  }

  @Tag("native")
  @Test
  void hardSigmoidIsPiecewiseLinearNotKeras3() {
    float[] y = run(Activations.HARD_SIGMOID, new float[] {-3f, -2.5f, 1f, 2.5f, 3f}, 5, 1);
    // Keras 3's relu6(x + 3) / 6 would give 1/6 and 2/3 at x=-2 and x=1; Keras 2.3.1 gives 0 and
    // 0.7.
    assertThat(y).containsExactly(new float[] {0f, 0f, 0.7f, 1f, 1f}, within(1e-7f));
  }

  @Tag("native")
  @Test
  void softmaxRank2NormalizesEachRow() {
    float[] x = {1f, 2f, 3f, -1f, 0f, 1000f};
    float[] y = run(Activations.SOFTMAX, x, 2, 3);
    assertSoftmaxRows(x, y, 3);
  }

  @Tag("native")
  @Test
  void softmaxRank3NormalizesLastAxis() {
    float[] x = {1f, 2f, 3f, 4f, -5f, 0.5f, 0f, 0f, 7f, 8f, 9f, -1f};
    float[] y = run(Activations.SOFTMAX, x, 2, 2, 3);
    assertSoftmaxRows(x, y, 3);
  }

  @Tag("native")
  @Test
  void softmaxWithOtherAxisOnRank3() {
    float[] x = {1f, 2f, 3f, 4f, -5f, 0.5f, 0f, 0f, 7f, 8f, 9f, -1f};
    float[] y = run(Activations.softmax(1), x, 2, 2, 3);
    // Axis 1 of [2, 2, 3]: pairs (b, 0, c) and (b, 1, c).
    for (int b = 0; b < 2; b++) {
      for (int c = 0; c < 3; c++) {
        int i0 = b * 6 + c;
        int i1 = b * 6 + 3 + c;
        double m = Math.max(x[i0], x[i1]);
        double e0 = Math.exp(x[i0] - m);
        double e1 = Math.exp(x[i1] - m);
        assertThat((double) y[i0]).isCloseTo(e0 / (e0 + e1), within(1e-6));
        assertThat((double) y[i1]).isCloseTo(e1 / (e0 + e1), within(1e-6));
      }
    }
  }

  @Tag("native")
  @Test
  void softmaxRank2IgnoresAxisAsKeras231Does() {
    float[] x = {1f, 2f, 3f, -1f, 0f, 1f};
    float[] y = run(Activations.softmax(0), x, 2, 3);
    assertSoftmaxRows(x, y, 3);
  }

  @Tag("native")
  @Test
  void softmaxRejectsRank1() {
    assertThatThrownBy(() -> run(Activations.SOFTMAX, new float[] {1f, 2f}, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Cannot apply softmax to a tensor that is 1D");
  }

  private static void assertSoftmaxRows(float[] x, float[] y, int n) {
    for (int row = 0; row < x.length / n; row++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < n; j++) {
        max = Math.max(max, x[row * n + j]);
      }
      double sum = 0;
      for (int j = 0; j < n; j++) {
        sum += Math.exp(x[row * n + j] - max);
      }
      for (int j = 0; j < n; j++) {
        double expected = Math.exp(x[row * n + j] - max) / sum;
        assertThat((double) y[row * n + j]).isCloseTo(expected, within(1e-6));
      }
    }
  }

  @Nested
  class ParameterisedVariants {
    @Tag("native")
    @Test
    void eluWithAlpha() {
      float[] y = run(Activations.elu(0.5), X, 12);
      for (int i = 0; i < X.length; i++) {
        double expected = X[i] > 0 ? X[i] : 0.5 * (Math.exp(X[i]) - 1);
        assertThat((double) y[i]).isCloseTo(expected, within(1e-6));
      }
    }

    @Tag("native")
    @Test
    void reluWithAlphaMaxValueAndThreshold() {
      checkRelu(0.1, null, 0.0);
      checkRelu(0.0, 6.0, 0.0);
      checkRelu(0.0, 2.0, 0.0);
      checkRelu(0.2, 4.0, 1.0);
      checkRelu(0.0, null, 0.5);
    }

    private void checkRelu(double alpha, Double maxValue, double threshold) {
      float[] y = run(Activations.relu(alpha, maxValue, threshold), X, 12);
      for (int i = 0; i < X.length; i++) {
        double x = X[i];
        double expected;
        if (maxValue != null && x >= maxValue) {
          expected = maxValue;
        } else if (x > threshold) {
          expected = x;
        } else if (x == threshold) {
          expected = 0; // Keras multiplies by (x > threshold); alpha * (x - threshold) is 0 too.
        } else {
          expected = alpha * (x - threshold);
        }
        assertThat((double) y[i])
            .as("relu(%s, alpha=%s, max=%s, thr=%s)", x, alpha, maxValue, threshold)
            .isCloseTo(expected, within(1e-6));
      }
    }

    @Test
    void defaultReluArgumentsGiveTheBuiltin() {
      assertThat(Activations.relu(0.0, null, 0.0)).isSameAs(Activations.RELU);
      assertThat(Activations.relu(0.1, 6.0, 0.0).name()).isEqualTo("relu");
    }
  }

  @Nested
  class Registry {
    @Test
    void listsTheKerasNames() {
      assertThat(Activations.names())
          .containsExactlyInAnyOrder(
              "linear",
              "relu",
              "sigmoid",
              "tanh",
              "softmax",
              "elu",
              "selu",
              "softplus",
              "softsign",
              "hard_sigmoid",
              "exponential");
    }

    @Test
    void getReturnsTheConstantsByName() {
      for (String name : Activations.names()) {
        assertThat(Activations.get(name).name()).isEqualTo(name);
        assertThat(Activations.get(name).toString()).isEqualTo(name);
        assertThat(Activations.get(name).getConfig()).isEmpty();
      }
      assertThat(Activations.get("relu")).isSameAs(Activations.RELU);
      assertThat(Activations.get("softmax")).isSameAs(Activations.SOFTMAX);
    }

    @Test
    void nullIsLinear() {
      assertThat(Activations.get((Object) null)).isSameAs(Activations.LINEAR);
    }

    @Test
    void activationInstancesPassThrough() {
      Activation custom = Activations.elu(0.3);
      assertThat(Activations.get((Object) custom)).isSameAs(custom);
      assertThat(Activations.get((Object) "tanh")).isSameAs(Activations.TANH);
    }

    @Test
    void unknownNameListsValidOnes() {
      assertThatThrownBy(() -> Activations.get("swish"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Unknown activation function: `swish`")
          .hasMessageContaining("relu")
          .hasMessageContaining("hard_sigmoid");
    }

    @Test
    void namesAreCaseSensitiveAsInKeras() {
      assertThatThrownBy(() -> Activations.get("ReLU"))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsOtherTypes() {
      assertThatThrownBy(() -> Activations.get((Object) 3))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Received: activation=3");
    }

    @Test
    void namesIsACopy() {
      List<String> names = Activations.names();
      names.clear();
      assertThat(Activations.names()).hasSize(11);
    }
  }
}
