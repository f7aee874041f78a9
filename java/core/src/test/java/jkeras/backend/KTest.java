package jkeras.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import jkeras.data.ArrayData;
import jkeras.data.NDArray;
import jkeras.layers.Input;
import jkeras.layers.KerasTensor;
import jkeras.layers.Lambda;
import jkeras.models.Model;
import jkeras.optimizers.SGD;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Keras' backend functions, called the way a ported layer calls them (inside a layer's call,
 * without passing a graph): values against hand computations, and Keras' axis and keepdims
 * defaults.
 */
@Tag("native")
class KTest {
  /** x = [[1, -2, 3], [4, 5, -6]]. */
  static final NDArray X = NDArray.of(new float[] {1, -2, 3, 4, 5, -6}, 2, 3);

  private static NDArray run(UnaryOperator<Operand<TFloat32>> f, NDArray x) {
    KerasTensor in = Input.create(java.util.Arrays.copyOfRange(x.shape(), 1, x.shape().length));
    try (Model m = new Model(in, new Lambda(f).apply(in))) {
      return m.predictOnBatch(x);
    }
  }

  static Stream<Arguments> functions() {
    return Stream.of(
        Arguments.of(
            "sum(x) (axis=None)",
            f(x -> K.reshape(K.sum(x), 1, 1)),
            new long[] {1, 1},
            new float[] {5}),
        Arguments.of("sum(x, 1)", f(x -> K.sum(x, 1)), new long[] {2}, new float[] {2, 3}),
        Arguments.of(
            "sum(x, -1, keepdims)",
            f(x -> K.sum(x, -1, true)),
            new long[] {2, 1},
            new float[] {2, 3}),
        Arguments.of(
            "sum(x, axis=None, keepdims)",
            f(x -> K.sum(x, null, true)),
            new long[] {1, 1},
            new float[] {5}),
        Arguments.of("mean(x, 1)", f(x -> K.mean(x, 1)), new long[] {2}, new float[] {2 / 3f, 1}),
        Arguments.of("max(x, 1)", f(x -> K.max(x, 1)), new long[] {2}, new float[] {3, 5}),
        Arguments.of(
            "min(x, 0)",
            f(x -> K.reshape(K.min(x, 0), 1, 3)),
            new long[] {1, 3},
            new float[] {1, -2, -6}),
        Arguments.of("prod(x, 1)", f(x -> K.prod(x, 1)), new long[] {2}, new float[] {-6, -120}),
        Arguments.of(
            "var(x, 1)",
            f(x -> K.var(x, 1, false)),
            new long[] {2},
            new float[] {(float) (38 / 9.0), 74 / 3f}),
        Arguments.of(
            "std(x, 1)",
            f(x -> K.std(x, 1, false)),
            new long[] {2},
            new float[] {(float) Math.sqrt(38 / 9.0), (float) Math.sqrt(74 / 3.0)}),
        Arguments.of("square", f(K::square), new long[] {2, 3}, new float[] {1, 4, 9, 16, 25, 36}),
        Arguments.of("abs", f(K::abs), new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}),
        Arguments.of(
            "sqrt clips negatives to 0",
            f(K::sqrt),
            new long[] {2, 3},
            new float[] {1, 0, (float) Math.sqrt(3), 2, (float) Math.sqrt(5), 0}),
        Arguments.of("exp(x) / e", f(x -> K.divide(K.exp(x), Math.E)), new long[] {2, 3}, exp(-1)),
        Arguments.of(
            "log(abs(x))",
            f(x -> K.log(K.abs(x))),
            new long[] {2, 3},
            new float[] {
              0,
              (float) Math.log(2),
              (float) Math.log(3),
              (float) Math.log(4),
              (float) Math.log(5),
              (float) Math.log(6)
            }),
        Arguments.of(
            "pow(x, 3)",
            f(x -> K.pow(x, 3)),
            new long[] {2, 3},
            new float[] {1, -8, 27, 64, 125, -216}),
        Arguments.of(
            "clip(x, -1, 2)",
            f(x -> K.clip(x, -1.0, 2.0)),
            new long[] {2, 3},
            new float[] {1, -1, 2, 2, 2, -1}),
        Arguments.of(
            "clip(x, 2, 1) raises max to min",
            f(x -> K.clip(x, 2.0, 1.0)),
            new long[] {2, 3},
            new float[] {2, 2, 2, 2, 2, 2}),
        Arguments.of(
            "maximum(x, 0)",
            f(x -> K.maximum(x, 0)),
            new long[] {2, 3},
            new float[] {1, 0, 3, 4, 5, 0}),
        Arguments.of(
            "minimum(x, square(x))",
            f(x -> K.minimum(x, K.square(x))),
            new long[] {2, 3},
            new float[] {1, -2, 3, 4, 5, -6}),
        Arguments.of(
            "1 - x * 2 + 3 / 3 - -x",
            f(
                x ->
                    K.subtract(
                        K.add(K.subtract(1, K.multiply(x, 2)), K.divide(K.constant(3, 2, 3), 3)),
                        K.negative(x))),
            new long[] {2, 3},
            new float[] {1, 4, -1, -2, -3, 8}),
        Arguments.of("relu", f(K::relu), new long[] {2, 3}, new float[] {1, 0, 3, 4, 5, 0}),
        Arguments.of(
            "relu(alpha=0.5, max_value=4)",
            f(x -> K.relu(x, 0.5, 4.0, 0)),
            new long[] {2, 3},
            new float[] {1, -1, 3, 4, 4, -3}),
        Arguments.of(
            "elu(x, 2)",
            f(x -> K.elu(x, 2)),
            new long[] {2, 3},
            new float[] {
              1, (float) (2 * (Math.exp(-2) - 1)), 3, 4, 5, (float) (2 * (Math.exp(-6) - 1))
            }),
        Arguments.of(
            "softmax rows sum to 1",
            f(x -> K.sum(K.softmax(x), -1)),
            new long[] {2},
            new float[] {1, 1}),
        Arguments.of(
            "softmax(x, 0) columns sum to 1",
            f(x -> K.sum(K.softmax(x, 0), 0, true)),
            new long[] {1, 3},
            new float[] {1, 1, 1}),
        Arguments.of(
            "hard_sigmoid",
            f(K::hardSigmoid),
            new long[] {2, 3},
            new float[] {0.7f, 0.1f, 1, 1, 1, 0}),
        Arguments.of(
            "l2_normalize(x, 1) rows have norm 1",
            f(x -> K.sum(K.square(K.l2Normalize(x, 1)), 1)),
            new long[] {2},
            new float[] {1, 1}),
        Arguments.of(
            "l2_normalize(x) (axis=None)",
            f(x -> K.sum(K.square(K.l2Normalize(x)), null, true)),
            new long[] {1, 1},
            new float[] {1}),
        Arguments.of(
            "dot(x, ones(3, 2))",
            f(x -> K.dot(x, K.ones(3, 2))),
            new long[] {2, 2},
            new float[] {2, 2, 3, 3}),
        Arguments.of(
            "batch_dot(x, x, 1)",
            f(x -> K.batchDot(x, x, 1)),
            new long[] {2, 1},
            new float[] {14, 77}),
        Arguments.of(
            "concatenate([x, x]) axis -1",
            f(x -> K.concatenate(List.of(x, K.negative(x)))),
            new long[] {2, 6},
            new float[] {1, -2, 3, -1, 2, -3, 4, 5, -6, -4, -5, 6}),
        Arguments.of(
            "stack([x, x], 1)",
            f(x -> K.stack(List.of(x, x), 1)),
            new long[] {2, 2, 3},
            new float[] {1, -2, 3, 1, -2, 3, 4, 5, -6, 4, 5, -6}),
        Arguments.of(
            "expand_dims then squeeze",
            f(x -> K.squeeze(K.expandDims(x), 2)),
            new long[] {2, 3},
            new float[] {1, -2, 3, 4, 5, -6}),
        Arguments.of(
            "permute_dimensions + reshape",
            f(x -> K.reshape(K.permuteDimensions(K.reshape(x, -1, 3, 1), 0, 2, 1), -1, 3)),
            new long[] {2, 3},
            new float[] {1, -2, 3, 4, 5, -6}),
        Arguments.of(
            "repeat(x, 2)",
            f(x -> K.reshape(K.repeat(x, 2), -1, 6)),
            new long[] {2, 6},
            new float[] {1, -2, 3, 1, -2, 3, 4, 5, -6, 4, 5, -6}),
        Arguments.of(
            "repeat_elements(x, 2, 1)",
            f(x -> K.repeatElements(x, 2, 1)),
            new long[] {2, 6},
            new float[] {1, 1, -2, -2, 3, 3, 4, 4, 5, 5, -6, -6}),
        Arguments.of(
            "tile(x, [1, 2])",
            f(x -> K.tile(x, 1, 2)),
            new long[] {2, 6},
            new float[] {1, -2, 3, 1, -2, 3, 4, 5, -6, 4, 5, -6}),
        Arguments.of(
            "batch_flatten",
            f(x -> K.batchFlatten(K.reshape(x, -1, 3, 1))),
            new long[] {2, 3},
            new float[] {1, -2, 3, 4, 5, -6}),
        Arguments.of(
            "cast(greater(x, 0), float32)",
            f(x -> K.cast(K.greater(x, 0), "float32")),
            new long[] {2, 3},
            new float[] {1, 0, 1, 1, 1, 0}),
        Arguments.of(
            "switch(greater(x, 0), x, zeros_like(x))",
            f(x -> K.switch_(K.greater(x, 0), x, K.zerosLike(x))),
            new long[] {2, 3},
            new float[] {1, 0, 3, 4, 5, 0}),
        Arguments.of(
            "switch on a per-sample condition",
            f(x -> K.switch_(K.greater(K.sum(x, 1, true), 2.5), x, K.onesLike(x))),
            new long[] {2, 3},
            new float[] {1, 1, 1, 4, 5, -6}),
        Arguments.of(
            "any / all",
            f(
                x ->
                    K.stack(
                        List.of(
                            K.castToFloatx(K.any(K.less(x, 0), 1, false)),
                            K.castToFloatx(K.all(K.less(x, 5), 1, false))),
                        1)),
            new long[] {2, 2},
            new float[] {1, 1, 1, 0}),
        Arguments.of(
            "argmax(x)", f(x -> K.castToFloatx(K.argmax(x))), new long[] {2}, new float[] {2, 1}),
        Arguments.of(
            "cumsum(x, 1)",
            f(x -> K.cumsum(x, 1)),
            new long[] {2, 3},
            new float[] {1, -1, 2, 4, 9, 3}),
        Arguments.of(
            "logsumexp(x, 1)",
            f(x -> K.logsumexp(x, 1, false)),
            new long[] {2},
            new float[] {
              (float) Math.log(Math.exp(1) + Math.exp(-2) + Math.exp(3)),
              (float) Math.log(Math.exp(4) + Math.exp(5) + Math.exp(-6))
            }),
        Arguments.of(
            "gather(x, [1, 0])",
            f(x -> K.gather(x, K.cast(K.constant(new float[] {1, 0}), "int32"))),
            new long[] {2, 3},
            new float[] {4, 5, -6, 1, -2, 3}),
        Arguments.of(
            "in_train_phase(x, -x) at inference",
            f(x -> K.inTrainPhase(x, K.negative(x))),
            new long[] {2, 3},
            new float[] {-1, 2, -3, -4, -5, 6}),
        Arguments.of(
            "int_shape and ndim",
            f(x -> K.constant(K.intShape(x)[1] * 10 + K.ndim(x), 2, 1)),
            new long[] {2, 1},
            new float[] {32, 32}));
  }

  private static UnaryOperator<Operand<TFloat32>> f(UnaryOperator<Operand<TFloat32>> fn) {
    return fn;
  }

  private static float[] exp(int shift) {
    float[] x = X.toFloatArray();
    float[] out = new float[x.length];
    for (int i = 0; i < x.length; i++) out[i] = (float) Math.exp(x[i] + shift);
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("functions")
  void computesWhatKerasComputes(
      String what, UnaryOperator<Operand<TFloat32>> fn, long[] shape, float[] expected) {
    NDArray out = run(fn, X);
    assertThat(out.shape()).as(what).containsExactly(shape);
    float[] got = out.toFloatArray();
    for (int i = 0; i < expected.length; i++) {
      assertThat((double) got[i])
          .as("%s[%d]", what, i)
          .isCloseTo(expected[i], within(1e-5 * Math.max(1, Math.abs(expected[i]))));
    }
  }

  @Test
  void batchDotFollowsKerasShapesForHigherRanks() {
    // (2, 3, 4) . (2, 4, 5) on axes (2, 1) -> (2, 3, 5); on 2D y (2, 4) -> (2, 3).
    NDArray a = NDArray.of(rangeOf(24), 2, 3, 4);
    NDArray b = NDArray.of(rangeOf(40), 2, 4, 5);
    KerasTensor ia = Input.create(3, 4);
    KerasTensor ib = Input.create(4, 5);
    KerasTensor ic = Input.create(4);
    KerasTensor out3 =
        Lambda.listBuilder(xs -> K.batchDot(xs.get(0), xs.get(1), new int[] {2, 1}))
            .build()
            .apply(List.of(ia, ib));
    KerasTensor out2 =
        Lambda.listBuilder(xs -> K.batchDot(xs.get(0), xs.get(1))).build().apply(List.of(ia, ic));
    assertThat(out3.shape()).containsExactly(-1, 3, 5);
    assertThat(out2.shape()).containsExactly(-1, 3);
    try (Model m = new Model(List.of(ia, ib, ic), List.of(out3, out2))) {
      NDArray c = NDArray.of(rangeOf(8), 2, 4);
      List<NDArray> r = m.predictOnBatchOutputs(ArrayData.of(a, b, c));
      float[] av = a.toFloatArray();
      float[] bv = b.toFloatArray();
      float[] cv = c.toFloatArray();
      float[] r3 = r.get(0).toFloatArray();
      float[] r2 = r.get(1).toFloatArray();
      for (int n = 0; n < 2; n++)
        for (int i = 0; i < 3; i++) {
          double s2 = 0;
          for (int k = 0; k < 4; k++) s2 += av[n * 12 + i * 4 + k] * cv[n * 4 + k];
          assertThat((double) r2[n * 3 + i]).isCloseTo(s2, within(1e-3));
          for (int j = 0; j < 5; j++) {
            double s = 0;
            for (int k = 0; k < 4; k++) s += av[n * 12 + i * 4 + k] * bv[n * 20 + k * 5 + j];
            assertThat((double) r3[n * 15 + i * 5 + j]).isCloseTo(s, within(1e-3));
          }
        }
    }
  }

  @Test
  void batchDotRejectsAxisZeroWithKerasMessage() {
    assertThatThrownBy(
            () ->
                Lambda.listBuilder(xs -> K.batchDot(xs.get(0), xs.get(1), 0))
                    .build()
                    .apply(List.of(Input.create(3), Input.create(3))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Can not perform batch_dot over axis 0.");
  }

  @Test
  void learningPhaseAndRandomOpsFollowTheStep() {
    // Training: x + noise; inference: x. The loss against x is the noise's mean square.
    KerasTensor in = Input.create(1000);
    Lambda noisy =
        new Lambda(x -> K.inTrainPhase(K.add(x, K.randomNormal(K.shape(x), 0, 2, 5L)), x));
    try (Model m = new Model(in, noisy.apply(in))) {
      m.compile(new SGD(0.0), "mse");
      NDArray x = NDArray.ones(10, 1000);
      assertThat(m.predictOnBatch(x)).isEqualTo(x);
      assertThat(m.trainOnBatch(x, x).scalar()).isCloseTo(4.0, within(0.25));
      assertThat(m.testOnBatch(x, x).scalar()).isZero();
    }
  }

  @Test
  void aSigmoidOrSoftmaxFromKFeedsTheCrossEntropyItsLogitsAsKerasDoes() {
    // Keras takes the logits behind a Sigmoid op: binary_crossentropy(1, sigmoid(100)) is then
    // log(1 + exp(-100)) ~ 0 rather than clipped at -log(1 - 1e-7).
    KerasTensor in = Input.create(1);
    try (Model m = new Model(in, new Lambda(x -> K.sigmoid(x)).apply(in))) {
      m.compile(new SGD(0.0), "binary_crossentropy");
      double loss =
          m.testOnBatch(NDArray.of(new float[] {-30}, 1, 1), NDArray.of(new float[] {1}, 1, 1))
              .scalar();
      assertThat(loss).isCloseTo(30, within(1e-3)); // clipped probabilities would give 16.1
    }
  }

  @Test
  void outsideALayerCallKExplainsWhereItWorks() {
    assertThatThrownBy(() -> K.sum(null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("K's functions build ops in a layer's `call`");
  }

  @Test
  void configurationValuesAreKeras() {
    assertThat(K.epsilon()).isEqualTo(1e-7);
    assertThat(K.floatx()).isEqualTo("float32");
  }

  private static float[] rangeOf(int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) v[i] = (i % 7) - 3;
    return v;
  }
}
