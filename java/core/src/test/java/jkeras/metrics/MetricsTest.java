package jkeras.metrics;

import static jkeras.testing.Float32Asserts.assertClose;
import static jkeras.testing.Float32Asserts.floats;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import jkeras.backend.Prediction;
import jkeras.losses.BinaryCrossentropy;
import jkeras.losses.CategoricalCrossentropy;
import jkeras.losses.Loss;
import jkeras.losses.Losses;
import jkeras.losses.MeanSquaredError;
import jkeras.losses.SparseCategoricalCrossentropy;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class MetricsTest {
  private static final float[][] Y_ONEHOT = {{0f, 1f, 0f, 0f}, {1f, 0f, 0f, 0f}, {0f, 0f, 0f, 1f}};
  private static final float[][] P_CAT = {
    {0.1f, 0.6f, 0.2f, 0.1f}, {0.2f, 0.5f, 0.2f, 0.1f}, {0.4f, 0.3f, 0.2f, 0.1f}
  };
  private static final float[] IDS = {1f, 0f, 3f};

  @Nested
  class Naming {
    @ParameterizedTest
    @ValueSource(
        strings = {
          "mse",
          "MSE",
          "mean_squared_error",
          "mae",
          "mape",
          "msle",
          "MSLE",
          "binary_accuracy",
          "categorical_accuracy",
          "sparse_categorical_accuracy",
          "top_k_categorical_accuracy",
          "sparse_top_k_categorical_accuracy",
          "cosine",
          "cosine_proximity",
          "cosine_similarity",
          "hinge",
          "squared_hinge",
          "categorical_hinge",
          "logcosh",
          "poisson",
          "kullback_leibler_divergence",
          "binary_crossentropy",
          "categorical_crossentropy",
          "sparse_categorical_crossentropy"
        })
    void reportsTheIdentifierAsGiven(String id) {
      assertThat(Metrics.get(id).name()).isEqualTo(id);
      assertThat(Metrics.resolve(id, new MeanSquaredError(), new long[] {-1, 4}).name())
          .isEqualTo(id);
    }

    @Test
    void accuracyAndCrossentropyKeepTheGivenName() {
      Loss cce = new CategoricalCrossentropy();
      long[] shape = {-1, 10};
      for (String id : List.of("accuracy", "acc", "crossentropy", "ce")) {
        assertThat(Metrics.resolve(id, cce, shape).name()).isEqualTo(id);
      }
    }

    @Test
    void refusesToGuessAccuracyWithoutTheLoss() {
      assertThatThrownBy(() -> Metrics.get("acc"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Metrics.resolve(\"acc\", loss, outputShape)");
    }

    @Test
    void rejectsUnknownNamesListingValidOnes() {
      // 'kld' and 'huber_loss' are losses but not metric names in Keras 2.3.1.
      for (String id : List.of("acuracy", "kld", "huber_loss")) {
        assertThatThrownBy(() -> Metrics.get(id))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith(
                "Unknown metric function: `"
                    + id
                    + "`. Expected one of [accuracy, acc, crossentropy, ce, binary_accuracy,");
      }
    }

    @Test
    void objectsKeepTheirOwnNames() {
      Metric m = new TopKCategoricalAccuracy("top3", 3);
      assertThat(Metrics.get((Object) m)).isSameAs(m);
      assertThat(Metrics.resolve(m, null, new long[] {-1, 5})).isSameAs(m);
      assertThat(Metrics.get((Object) Losses.get("mse")).name()).isEqualTo("mean_squared_error");
      assertThat(Metrics.get((Object) new BinaryCrossentropy()).name())
          .isEqualTo("binary_crossentropy");
      assertThat(Metrics.custom("my_metric", (tf, y, p) -> y).name()).isEqualTo("my_metric");
      assertThat(new BinaryAccuracy().name()).isEqualTo("binary_accuracy");
      assertThatThrownBy(() -> Metrics.get((Object) 1.5))
          .hasMessageContaining("Could not interpret metric function identifier: 1.5");
      assertThatThrownBy(() -> new TopKCategoricalAccuracy("t", 0))
          .hasMessageContaining("Received: k=0");
    }

    @Test
    void namesStartWithTheCompileOnlyIdentifiers() {
      assertThat(Metrics.names())
          .startsWith("accuracy", "acc", "crossentropy", "ce")
          .contains("mse", "MAPE", "cosine_similarity")
          .doesNotContain("kld", "huber_loss")
          .doesNotHaveDuplicates();
    }
  }

  @Nested
  class ResolveAccuracy {
    @ParameterizedTest
    @MethodSource("jkeras.metrics.MetricsTest#accuracyCases")
    void followsKeras231Rule(Loss loss, long[] shape, Class<?> expected) {
      Metric m = Metrics.resolveAccuracy("acc", loss, shape);
      assertThat(m).isInstanceOf(expected);
      assertThat(m.name()).isEqualTo("acc");
    }

    @Test
    void rejectsMissingShape() {
      assertThatThrownBy(() -> Metrics.resolveAccuracy("acc", null, new long[0]))
          .hasMessageContaining("Expected `outputShape`");
    }
  }

  static Stream<Arguments> accuracyCases() {
    return Stream.of(
        // last dimension 1 wins over everything, even a sparse loss
        Arguments.of(new MeanSquaredError(), new long[] {-1, 1}, BinaryAccuracy.class),
        Arguments.of(new SparseCategoricalCrossentropy(), new long[] {-1, 1}, BinaryAccuracy.class),
        Arguments.of(Losses.get("binary_crossentropy"), new long[] {-1, 5}, BinaryAccuracy.class),
        Arguments.of(new BinaryCrossentropy(true, 0f), new long[] {-1, 3}, BinaryAccuracy.class),
        Arguments.of(
            Losses.get("sparse_categorical_crossentropy"),
            new long[] {-1, 10},
            SparseCategoricalAccuracy.class),
        Arguments.of(
            new SparseCategoricalCrossentropy(true),
            new long[] {-1, 7, 10},
            SparseCategoricalAccuracy.class),
        Arguments.of(new CategoricalCrossentropy(), new long[] {-1, 10}, CategoricalAccuracy.class),
        Arguments.of(new MeanSquaredError(), new long[] {-1, 10}, CategoricalAccuracy.class),
        Arguments.of(null, new long[] {-1, 4}, CategoricalAccuracy.class),
        // a custom loss named like a built-in is not the built-in (Keras compares the function)
        Arguments.of(
            Losses.custom("binary_crossentropy", (tf, y, p) -> y),
            new long[] {-1, 4},
            CategoricalAccuracy.class));
  }

  @Nested
  @Tag("native")
  class Numerics {
    @Test
    void binaryAccuracyRoundsHalfToEven() {
      float[][] y = {{1f, 0f, 1f, 0f}, {1f, 1f, 0f, 0f}};
      float[][] p = {{0.7f, 0.5f, 0.5f, 0.2f}, {2.0f, 0.51f, -0.4f, -0.6f}};
      // 0.5 -> 0 (hit, miss); 2.0 -> 2 (miss); -0.6 -> -1 (miss)
      assertClose(values(Metrics.get("binary_accuracy"), y, p), new double[] {0.75, 0.5});
      for (int i = 0; i < 2; i++) {
        double hits = 0;
        for (int j = 0; j < 4; j++) {
          hits += y[i][j] == Math.rint(p[i][j]) ? 1 : 0;
        }
        assertThat(values(new BinaryAccuracy(), y, p)[i]).isCloseTo(hits / 4, within(1e-6));
      }
    }

    @Test
    void binaryAccuracyWithAnotherThreshold() {
      float[][] y = {{1f, 0f, 1f, 0f}};
      float[][] p = {{0.35f, 0.25f, 2.0f, 0.31f}};
      assertClose(values(new BinaryAccuracy("ba", 0.3f), y, p), new double[] {0.75});
    }

    @Test
    void categoricalAccuracy() {
      assertClose(
          values(Metrics.get("categorical_accuracy"), Y_ONEHOT, P_CAT), new double[] {1, 0, 0});
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void sparseCategoricalAccuracyAcceptsBatchAndBatchByOne(boolean column) {
      float[][] p = {{0.1f, 0.6f, 0.2f, 0.1f}, {0.7f, 0.1f, 0.1f, 0.1f}, {0.4f, 0.3f, 0.2f, 0.1f}};
      assertClose(
          sparseValues(Metrics.get("sparse_categorical_accuracy"), column, p),
          new double[] {1, 1, 0});
    }

    @Test
    void sparseCategoricalAccuracyWithUnknownBatchDimension() {
      try (Graph g = new Graph();
          Session s = new Session(g);
          TFloat32 yT = TFloat32.vectorOf(IDS);
          TFloat32 pT = TFloat32.tensorOf(StdArrays.ndCopyOf(P_CAT))) {
        Ops tf = Ops.create(g);
        Placeholder<TFloat32> y = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
        Placeholder<TFloat32> p =
            tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 4)));
        Operand<TFloat32> acc = new SparseCategoricalAccuracy().call(tf, y, Prediction.of(p));
        Operand<TFloat32> top2 =
            new SparseTopKCategoricalAccuracy("t2", 2).call(tf, y, Prediction.of(p));
        try (Result r = s.runner().feed(y, yT).feed(p, pT).fetch(acc).fetch(top2).run()) {
          assertClose(floats((TFloat32) r.get(0)), new double[] {1, 0, 0});
          // row 1: the target's 0.2 ties with another class for second place, so it is in the top 2
          assertClose(floats((TFloat32) r.get(1)), new double[] {1, 1, 0});
        }
      }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void topKCategoricalAccuracyMatchesInTopK(int k) {
      double[] expected = new double[3];
      for (int i = 0; i < 3; i++) {
        expected[i] = inTopK(P_CAT[i], argmax(Y_ONEHOT[i]), k);
      }
      assertClose(values(new TopKCategoricalAccuracy("top", k), Y_ONEHOT, P_CAT), expected);
      assertClose(
          sparseValues(new SparseTopKCategoricalAccuracy("stop", k), true, P_CAT), expected);
      assertClose(
          sparseValues(new SparseTopKCategoricalAccuracy("stop", k), false, P_CAT), expected);
    }

    @Test
    void topKDefaultsToFiveAndCountsTiesAsIn() {
      // Row 1: target class 0 (0.2) ties with class 2 at rank 2; with k = 2 both count.
      assertClose(
          values(new TopKCategoricalAccuracy("t", 2), Y_ONEHOT, P_CAT), new double[] {1, 1, 0});
      assertClose(
          values(Metrics.get("top_k_categorical_accuracy"), Y_ONEHOT, P_CAT),
          new double[] {1, 1, 1});
    }

    @Test
    void cosineMetricIsPositive() {
      float[][] y = {{1f, 2f, 0f}, {0f, 1f, 1f}};
      float[][] p = {{2f, 4f, 0f}, {1f, 0f, 1f}};
      assertClose(values(Metrics.get("cosine"), y, p), new double[] {1, 0.5});
      assertClose(values(Metrics.get("cosine_similarity"), y, p), new double[] {1, 0.5});
      assertClose(
          values(Metrics.fromLoss("cos_loss", Losses.get("cosine")), y, p),
          new double[] {-1, -0.5});
    }

    @Test
    void lossesAsMetricsGivePerSampleLossValues() {
      float[][] y = {{1f, 2f}, {0f, -1f}};
      float[][] p = {{1.5f, 1f}, {0f, 1f}};
      assertClose(values(Metrics.get("mse"), y, p), new double[] {(0.25 + 1) / 2, 2});
      assertClose(values(Metrics.get("mae"), y, p), new double[] {0.75, 1});
    }

    @Test
    void crossentropyFollowsTheResolvedKindAndUsesLogits() {
      float[][] logits = {{2f, -1f, 0.5f}, {0f, 0f, 3f}};
      float[][] y = {{1f, 0f, 0f}, {0f, 1f, 0f}};
      Metric ce = Metrics.resolve("ce", new CategoricalCrossentropy(), new long[] {-1, 3});
      double[] v =
          run(
              tf -> {
                Operand<TFloat32> x = tf.constant(logits);
                return ce.call(tf, tf.constant(y), new Prediction(tf.nn.softmax(x), x, "softmax"));
              });
      double[] expected = new double[2];
      for (int i = 0; i < 2; i++) {
        double lse = 0;
        for (float l : logits[i]) {
          lse += Math.exp(l);
        }
        expected[i] = Math.log(lse) - logits[i][argmax(y[i])];
      }
      assertClose(v, expected);
      Metric sparseCe =
          Metrics.resolve("crossentropy", new SparseCategoricalCrossentropy(), new long[] {-1, 3});
      double[] vs =
          run(
              tf -> {
                Operand<TFloat32> x = tf.constant(logits);
                return sparseCe.call(
                    tf,
                    tf.constant(new float[] {0f, 1f}),
                    new Prediction(tf.nn.softmax(x), x, "softmax"));
              });
      assertClose(vs, expected);
    }

    @Test
    void accuracyFunctionIsExactEquality() {
      assertClose(
          values(new Accuracy(), new float[][] {{1f, 0.5f}}, new float[][] {{1f, 0.49f}}),
          new double[] {1, 0});
    }

    @Test
    void customMetricSeesThePrediction() {
      Metric m =
          Metrics.custom("mean_pred", (tf, y, p) -> tf.math.mean(p.value(), tf.constant(-1)));
      assertClose(values(m, new float[][] {{0f, 0f}}, new float[][] {{1f, 3f}}), new double[] {2});
    }
  }

  // ------------------------------------------------------------------ helpers

  static int argmax(float[] v) {
    int best = 0;
    for (int j = 1; j < v.length; j++) {
      if (v[j] > v[best]) {
        best = j;
      }
    }
    return best;
  }

  // tf.nn.in_top_k: in when fewer than k predictions are strictly larger than the target's.
  static double inTopK(float[] p, int target, int k) {
    int larger = 0;
    for (float v : p) {
      if (v > p[target]) {
        larger++;
      }
    }
    return larger < k ? 1 : 0;
  }

  static double[] values(Metric m, float[][] y, float[][] p) {
    return run(tf -> m.call(tf, tf.constant(y), Prediction.of(tf.constant(p))));
  }

  static double[] sparseValues(Metric m, boolean column, float[][] p) {
    return run(
        tf -> {
          Operand<TFloat32> y =
              column
                  ? tf.reshape(tf.constant(IDS), tf.constant(new int[] {-1, 1}))
                  : tf.constant(IDS);
          return m.call(tf, y, Prediction.of(tf.constant(p)));
        });
  }

  static double[] run(Function<Ops, Operand<TFloat32>> build) {
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Operand<TFloat32> out = build.apply(Ops.create(g));
      try (Result r = s.runner().fetch(out).run()) {
        return floats((TFloat32) r.get(0));
      }
    }
  }
}
