package jkeras.losses;

import static jkeras.testing.Float32Asserts.assertClose;
import static jkeras.testing.Float32Asserts.floats;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import jkeras.backend.Prediction;
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

class LossesTest {
  private static final double EPS = 1e-7;
  // Keras clips to 1 - epsilon computed in float32, which is 1 - 1.19e-7, not 1 - 1e-7; near p = 1
  // the difference shows in log(1 - p + epsilon), so the references use the float32 bound.
  private static final double ONE_MINUS_EPS = 1f - 1e-7f;

  // Targets and predictions shared by the tests: 3 samples of 4 values.
  private static final float[][] Y_REG = {
    {0f, 1f, 2.5f, -1f}, {3f, 0f, 0.5f, 1f}, {-2f, 4f, 1f, 0f}
  };
  private static final float[][] P_REG = {
    {0.5f, 0.8f, 2f, -3f}, {2.9f, 0.3f, 0.1f, 1.7f}, {-1f, 1.5f, 1.2f, 0.4f}
  };
  private static final float[][] Y_BIN = {{0f, 1f, 1f, 0f}, {1f, 1f, 0f, 0f}, {0f, 0f, 0f, 1f}};
  private static final float[][] P_PROB = {
    {0.1f, 0.8f, 0.6f, 0.3f}, {0.95f, 0.5f, 0.02f, 0.4f}, {0.2f, 0f, 0.7f, 1f}
  };
  private static final float[][] Y_ONEHOT = {{0f, 1f, 0f}, {1f, 0f, 0f}, {0f, 0f, 1f}};
  private static final float[][] P_CAT = {
    {0.2f, 0.7f, 0.1f}, {0.6f, 0.3f, 0.3f}, {0.05f, 0f, 0.9f}
  };
  private static final float[][] LOGITS = {
    {1.5f, -0.3f, 0.2f}, {-2f, 0.5f, 2.5f}, {0.1f, 0.1f, -1f}
  };

  // ------------------------------------------------------------------ registry (no TF needed)

  @Nested
  class Registry {
    @ParameterizedTest
    @MethodSource("jkeras.losses.LossesTest#identifiers")
    void resolvesEveryKerasIdentifierToTheFunctionName(
        String identifier, String name, Class<?> type) {
      Loss loss = Losses.get(identifier);
      assertThat(loss.name()).isEqualTo(name);
      assertThat(loss).isInstanceOf(type);
    }

    @Test
    void listsFunctionsThenAliases() {
      assertThat(Losses.names())
          .startsWith("mean_squared_error", "mean_absolute_error")
          .contains(
              "mse", "MSE", "kld", "KLD", "cosine", "cosine_similarity", "huber_loss", "logcosh")
          .hasSize(27);
    }

    @Test
    void rejectsUnknownIdentifierListingValidNames() {
      assertThatThrownBy(() -> Losses.get("mse2"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith(
              "Unknown loss function: `mse2`. Expected one of [mean_squared_error,")
          .hasMessageContaining("huber_loss")
          .hasMessageContaining("cosine_similarity]");
    }

    @Test
    void rejectsAliasesThatKeras231DoesNotHave() {
      // 'huber' and 'log_cosh' arrived with tf.keras; Keras 2.3.1 knows only huber_loss/logcosh.
      assertThatThrownBy(() -> Losses.get("huber")).hasMessageContaining("`huber`");
      assertThatThrownBy(() -> Losses.get("log_cosh")).hasMessageContaining("`log_cosh`");
    }

    @Test
    void passesLossInstancesThroughAndNullAsNull() {
      Loss bce = new BinaryCrossentropy(true, 0.1f);
      assertThat(Losses.get((Object) bce)).isSameAs(bce);
      assertThat(Losses.get((Object) "mae").name()).isEqualTo("mean_absolute_error");
      assertThat(Losses.get((Object) null)).isNull();
      assertThatThrownBy(() -> Losses.get((Object) 3))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Could not interpret loss function identifier: 3");
    }

    @Test
    void customLossKeepsItsName() {
      Loss l = Losses.custom("my_loss", (tf, y, p) -> Losses.meanAbsoluteError(tf, y, p.value()));
      assertThat(l.name()).isEqualTo("my_loss");
      assertThat(l.toString()).isEqualTo("my_loss");
      assertThatThrownBy(() -> Losses.custom("", (tf, y, p) -> y))
          .hasMessageContaining("Expected `name` to be a non-empty string");
    }

    @Test
    void configsUseKerasKeysInKerasOrder() {
      assertThat(new BinaryCrossentropy(true, 0.2f).getConfig())
          .containsExactly(
              Map.entry("reduction", "sum_over_batch_size"),
              Map.entry("name", "binary_crossentropy"),
              Map.entry("from_logits", true),
              Map.entry("label_smoothing", 0.2f));
      assertThat(new Huber(2f).getConfig()).containsEntry("delta", 2f);
      assertThat(new MeanSquaredError().getConfig())
          .containsExactly(
              Map.entry("reduction", "sum_over_batch_size"),
              Map.entry("name", "mean_squared_error"));
    }

    @Test
    void fromConfigRoundTripsAndRejectsUnknownKeys() {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("from_logits", true);
      c.put("label_smoothing", 0.1);
      c.put("name", "bce");
      c.put("reduction", "auto");
      BinaryCrossentropy bce = BinaryCrossentropy.fromConfig(c);
      assertThat(bce.fromLogits()).isTrue();
      assertThat(bce.labelSmoothing()).isEqualTo(0.1f);
      assertThat(bce.name()).isEqualTo("bce");
      assertThat(SparseCategoricalCrossentropy.fromConfig(Map.of("from_logits", true)).fromLogits())
          .isTrue();
      assertThat(Huber.fromConfig(Map.of("delta", 0.5)).delta()).isEqualTo(0.5f);
      assertThatThrownBy(() -> CategoricalCrossentropy.fromConfig(Map.of("fromLogits", true)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Unknown argument `fromLogits` for CategoricalCrossentropy")
          .hasMessageContaining("[reduction, name, from_logits, label_smoothing]");
      assertThatThrownBy(() -> MeanSquaredError.fromConfig(Map.of("reduction", "sum")))
          .hasMessageContaining("Received: reduction=sum");
    }

    @Test
    void validatesArgumentsAtConstruction() {
      assertThatThrownBy(() -> new BinaryCrossentropy(false, 1.5f))
          .hasMessage(
              "Expected `labelSmoothing` to be a float in [0, 1]. Received: labelSmoothing=1.5");
      assertThatThrownBy(() -> new CategoricalCrossentropy(false, -0.1f))
          .hasMessageContaining("labelSmoothing=-0.1");
      assertThatThrownBy(() -> new Huber(-1f)).hasMessageContaining("Received: delta=-1.0");
    }
  }

  static Stream<Arguments> identifiers() {
    return Stream.of(
        Arguments.of("mean_squared_error", "mean_squared_error", MeanSquaredError.class),
        Arguments.of("mse", "mean_squared_error", MeanSquaredError.class),
        Arguments.of("MSE", "mean_squared_error", MeanSquaredError.class),
        Arguments.of("mae", "mean_absolute_error", MeanAbsoluteError.class),
        Arguments.of("MAE", "mean_absolute_error", MeanAbsoluteError.class),
        Arguments.of("mape", "mean_absolute_percentage_error", MeanAbsolutePercentageError.class),
        Arguments.of("MAPE", "mean_absolute_percentage_error", MeanAbsolutePercentageError.class),
        Arguments.of("msle", "mean_squared_logarithmic_error", MeanSquaredLogarithmicError.class),
        Arguments.of("MSLE", "mean_squared_logarithmic_error", MeanSquaredLogarithmicError.class),
        Arguments.of("kld", "kullback_leibler_divergence", KLDivergence.class),
        Arguments.of("KLD", "kullback_leibler_divergence", KLDivergence.class),
        Arguments.of(
            "kullback_leibler_divergence", "kullback_leibler_divergence", KLDivergence.class),
        Arguments.of("binary_crossentropy", "binary_crossentropy", BinaryCrossentropy.class),
        Arguments.of(
            "categorical_crossentropy", "categorical_crossentropy", CategoricalCrossentropy.class),
        Arguments.of(
            "sparse_categorical_crossentropy",
            "sparse_categorical_crossentropy",
            SparseCategoricalCrossentropy.class),
        Arguments.of("hinge", "hinge", Hinge.class),
        Arguments.of("squared_hinge", "squared_hinge", SquaredHinge.class),
        Arguments.of("categorical_hinge", "categorical_hinge", CategoricalHinge.class),
        Arguments.of("poisson", "poisson", Poisson.class),
        Arguments.of("logcosh", "logcosh", LogCosh.class),
        Arguments.of("huber_loss", "huber_loss", Huber.class),
        Arguments.of("cosine_proximity", "cosine_proximity", LossFunctionWrapper.class),
        Arguments.of("cosine", "cosine_proximity", LossFunctionWrapper.class),
        Arguments.of("cosine_similarity", "cosine_proximity", LossFunctionWrapper.class));
  }

  // ------------------------------------------------------------------ numerics

  @Nested
  @Tag("native")
  class Numerics {
    @Test
    void meanSquaredError() {
      check(new MeanSquaredError(), Y_REG, P_REG, rowMean((y, p) -> sq(p - y)));
    }

    @Test
    void meanAbsoluteError() {
      check(new MeanAbsoluteError(), Y_REG, P_REG, rowMean((y, p) -> Math.abs(p - y)));
    }

    @Test
    void meanAbsolutePercentageErrorClipsSmallTargets() {
      check(
          new MeanAbsolutePercentageError(),
          Y_REG,
          P_REG,
          r -> 100 * rowMean((y, p) -> Math.abs((y - p) / Math.max(Math.abs(y), EPS))).apply(r));
    }

    @Test
    void meanSquaredLogarithmicError() {
      float[][] p = {{0.5f, 0.8f, 2f, 3f}, {2.9f, 0f, 0.1f, 1.7f}, {1f, 1.5f, 1.2f, 0.4f}};
      check(
          new MeanSquaredLogarithmicError(),
          abs(Y_REG),
          p,
          rowMean((y, q) -> sq(Math.log(Math.max(q, EPS) + 1) - Math.log(Math.max(y, EPS) + 1))));
    }

    @Test
    void hingeMapsZeroOneLabelsToSigns() {
      check(new Hinge(), Y_BIN, P_REG, rowMean((y, p) -> Math.max(1 - (2 * y - 1) * p, 0)));
    }

    @Test
    void hingeKeepsSignLabels() {
      float[][] y = {{-1f, 1f, 1f, -1f}, {1f, 1f, -1f, -1f}, {-1f, -1f, 1f, 1f}};
      check(new Hinge(), y, P_REG, rowMean((t, p) -> Math.max(1 - t * p, 0)));
      check(new SquaredHinge(), y, P_REG, rowMean((t, p) -> sq(Math.max(1 - t * p, 0))));
    }

    @Test
    void squaredHinge() {
      check(
          new SquaredHinge(),
          Y_BIN,
          P_REG,
          rowMean((y, p) -> sq(Math.max(1 - (2 * y - 1) * p, 0))));
    }

    @Test
    void categoricalHinge() {
      check(
          new CategoricalHinge(),
          Y_ONEHOT,
          LOGITS,
          r -> {
            double pos = 0;
            double neg = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < r.y.length; j++) {
              pos += r.y[j] * r.p[j];
              neg = Math.max(neg, (1 - r.y[j]) * r.p[j]);
            }
            return Math.max(0, neg - pos + 1);
          });
    }

    @Test
    void logcosh() {
      check(new LogCosh(), Y_REG, P_REG, rowMean((y, p) -> Math.log(Math.cosh(p - y))));
    }

    @ParameterizedTest
    @ValueSource(floats = {1.0f, 0.5f, 2.0f})
    void huber(float delta) {
      check(
          new Huber(delta),
          Y_REG,
          P_REG,
          rowMean(
              (y, p) -> {
                double e = Math.abs(p - y);
                return e <= delta ? 0.5 * e * e : 0.5 * delta * delta + delta * (e - delta);
              }));
    }

    @Test
    void kullbackLeiblerDivergenceClipsBothSides() {
      check(
          new KLDivergence(),
          new float[][] {{0.2f, 0.8f, 0f}, {0.5f, 0.25f, 0.25f}, {0f, 0f, 1f}},
          P_CAT,
          rowSum(
              (y, p) -> {
                double t = clip(y, EPS, 1);
                return t * Math.log(t / clip(p, EPS, 1));
              }));
    }

    @Test
    void poisson() {
      check(new Poisson(), abs(Y_REG), abs(P_REG), rowMean((y, p) -> p - y * Math.log(p + EPS)));
    }

    @Test
    void cosineLossIsNegativeSimilarity() {
      Function<Row, Double> ref = r -> -cosine(r.y, r.p);
      check(Losses.get("cosine_similarity"), Y_REG, P_REG, ref);
      check(new CosineSimilarity(), Y_REG, P_REG, ref);
      double[] aligned =
          values(Losses.get("cosine"), new float[][] {{1f, 2f}}, new float[][] {{2f, 4f}});
      assertThat(aligned[0]).isCloseTo(-1.0, within(1e-6));
    }

    @Test
    void binaryCrossentropyFromProbabilitiesClipsAndAddsEpsilon() {
      check(new BinaryCrossentropy(), Y_BIN, P_PROB, rowMean(LossesTest::bceProb));
    }

    @Test
    void binaryCrossentropyOfSaturatedProbabilitiesIsBoundedByEpsilon() {
      // Hand values: p = 0 is clipped to 1e-7, so -log(1e-7 + 1e-7) = 15.4249; p = 1 is clipped to
      // float32(1 - 1e-7) = 1 - 1.1921e-7, so -log(1.1921e-7 + 1e-7) = 15.3332.
      double[] v =
          values(new BinaryCrossentropy(), new float[][] {{1f, 0f}}, new float[][] {{0f, 1f}});
      assertThat(v[0]).isCloseTo((15.424948 + 15.333239) / 2, within(1e-4));
    }

    @Test
    void binaryCrossentropyFromLogits() {
      check(new BinaryCrossentropy(true, 0f), Y_BIN, P_REG, rowMean(LossesTest::bceLogits));
    }

    @Test
    void binaryCrossentropyLabelSmoothing() {
      float s = 0.2f;
      check(
          new BinaryCrossentropy(false, s),
          Y_BIN,
          P_PROB,
          rowMean((y, p) -> bceProb(y * (1 - s) + 0.5 * s, p)));
      check(
          new BinaryCrossentropy(true, s),
          Y_BIN,
          P_REG,
          rowMean((y, p) -> bceLogits(y * (1 - s) + 0.5 * s, p)));
    }

    @Test
    void binaryCrossentropyUsesSigmoidLogitsWhenThePredictionHasThem() {
      // Logits as large as 30 saturate the sigmoid: the probability path is clipped, the logits
      // path (what Keras does for a sigmoid output) is not.
      float[][] logits = {{30f, -2f, 0.5f, -30f}};
      float[][] y = {{0f, 1f, 0f, 1f}};
      double[] viaLogits = values(new BinaryCrossentropy(), y, tf -> sigmoidPrediction(tf, logits));
      assertClose(
          viaLogits, new double[] {rowMean(LossesTest::bceLogits).apply(new Row(y[0], logits[0]))});
      assertThat(viaLogits[0]).isGreaterThan(14);
    }

    @Test
    void binaryLogitsPathAgreesWithProbabilityPathForModerateValues() {
      double[] viaLogits =
          values(new BinaryCrossentropy(), Y_BIN, tf -> sigmoidPrediction(tf, moderate(P_REG)));
      double[] viaProbs =
          values(
              new BinaryCrossentropy(),
              Y_BIN,
              tf -> Prediction.of(tf.math.sigmoid(tf.constant(moderate(P_REG)))));
      assertClose(viaProbs, viaLogits, 1e-5);
    }

    @Test
    void binaryCrossentropyFromLogitsIgnoresTheSigmoidsLogitsLikeKeras231() {
      // Keras 2.3.1 takes the output itself as logits when from_logits=True (tf-keras would use the
      // cached pre-sigmoid logits instead and warn).
      double[] v =
          values(new BinaryCrossentropy(true, 0f), Y_BIN, tf -> sigmoidPrediction(tf, P_REG));
      double[][] sig = new double[3][4];
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 4; j++) {
          sig[i][j] = 1 / (1 + Math.exp(-P_REG[i][j]));
        }
      }
      for (int i = 0; i < 3; i++) {
        double sum = 0;
        for (int j = 0; j < 4; j++) {
          sum += bceLogits(Y_BIN[i][j], sig[i][j]);
        }
        assertThat(v[i]).isCloseTo(sum / 4, within(1e-6));
      }
    }

    @Test
    void categoricalCrossentropyFromProbabilitiesRescalesThenClips() {
      check(new CategoricalCrossentropy(), Y_ONEHOT, P_CAT, LossesTest::cceProb);
    }

    @Test
    void categoricalCrossentropyFromLogits() {
      check(new CategoricalCrossentropy(true, 0f), Y_ONEHOT, LOGITS, LossesTest::cceLogits);
    }

    @Test
    void categoricalCrossentropyLabelSmoothing() {
      float s = 0.3f;
      Function<float[], float[]> smooth =
          y -> {
            float[] out = new float[y.length];
            for (int j = 0; j < y.length; j++) {
              out[j] = (float) (y[j] * (1 - s) + s / (double) y.length);
            }
            return out;
          };
      check(
          new CategoricalCrossentropy(true, s),
          Y_ONEHOT,
          LOGITS,
          r -> cceLogits(new Row(smooth.apply(r.y), r.p)));
      check(
          new CategoricalCrossentropy(false, s),
          Y_ONEHOT,
          P_CAT,
          r -> cceProb(new Row(smooth.apply(r.y), r.p)));
    }

    @Test
    void categoricalCrossentropyUsesSoftmaxLogitsWhenThePredictionHasThem() {
      float[][] big = {{40f, 0f, -5f}, {0f, 1f, 2f}, {3f, 3f, 3f}};
      double[] v =
          values(new CategoricalCrossentropy(), Y_ONEHOT, tf -> softmaxPrediction(tf, big));
      assertClose(v, refRows(Y_ONEHOT, big, LossesTest::cceLogits));
      assertThat(v[0]).isGreaterThan(39); // the probability path would stop at -log(1e-7) = 16.1
    }

    @Test
    void categoricalLogitsPathAgreesWithProbabilityPath() {
      double[] viaLogits =
          values(new CategoricalCrossentropy(), Y_ONEHOT, tf -> softmaxPrediction(tf, LOGITS));
      double[] viaProbs =
          values(
              new CategoricalCrossentropy(),
              Y_ONEHOT,
              tf -> Prediction.of(tf.nn.softmax(tf.constant(LOGITS))));
      assertClose(viaProbs, viaLogits, 1e-5);
    }

    @Test
    void categoricalCrossentropyIgnoresSigmoidLogits() {
      // Keras only looks for a Softmax op; a sigmoid output goes through the probability path.
      double[] v =
          values(new CategoricalCrossentropy(), Y_ONEHOT, tf -> sigmoidPrediction(tf, LOGITS));
      double[][] p = new double[3][3];
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
          p[i][j] = 1 / (1 + Math.exp(-LOGITS[i][j]));
        }
      }
      for (int i = 0; i < 3; i++) {
        assertThat(v[i]).isCloseTo(cceProb(Y_ONEHOT[i], p[i]), within(1e-5));
      }
    }

    @Test
    void categoricalCrossentropyOnRank3Outputs() {
      float[][][] y = {{{0f, 1f}, {1f, 0f}}, {{1f, 0f}, {0f, 1f}}};
      float[][][] logits = {{{0.5f, -1f}, {2f, 1f}}, {{0f, 0f}, {-3f, 1f}}};
      Out out =
          run(
              tf ->
                  new CategoricalCrossentropy(true, 0f)
                      .call(tf, tf.constant(y), Prediction.of(tf.constant(logits))));
      assertThat(out.shape).containsExactly(2, 2);
      List<Double> expected = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        for (int t = 0; t < 2; t++) {
          expected.add(cceLogits(new Row(y[i][t], logits[i][t])));
        }
      }
      assertClose(out.values, expected.stream().mapToDouble(Double::doubleValue).toArray());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void sparseCategoricalCrossentropyAcceptsBatchAndBatchByOneLabels(boolean columnLabels) {
      float[] ids = {1f, 0f, 2f};
      double[] fromLogits =
          values(new SparseCategoricalCrossentropy(true), labels(ids, columnLabels), LOGITS);
      assertClose(fromLogits, refRows(Y_ONEHOT, LOGITS, LossesTest::cceLogits));
      double[] fromProbs =
          values(new SparseCategoricalCrossentropy(), labels(ids, columnLabels), P_CAT);
      double[] expected = new double[3];
      for (int i = 0; i < 3; i++) {
        // log(clip(p)) then softmax: the clipped probabilities are renormalised.
        double sum = 0;
        for (float v : P_CAT[i]) {
          sum += clip(v, EPS, ONE_MINUS_EPS);
        }
        expected[i] = -Math.log(clip(P_CAT[i][(int) ids[i]], EPS, ONE_MINUS_EPS)) + Math.log(sum);
      }
      assertClose(fromProbs, expected);
    }

    @Test
    void sparseCategoricalCrossentropyUsesSoftmaxLogitsAndMatchesCategorical() {
      float[] ids = {1f, 0f, 2f};
      double[] sparse =
          values(
              new SparseCategoricalCrossentropy(),
              labels(ids, true),
              tf -> softmaxPrediction(tf, LOGITS));
      double[] dense =
          values(new CategoricalCrossentropy(), Y_ONEHOT, tf -> softmaxPrediction(tf, LOGITS));
      assertClose(sparse, dense, 1e-6);
      assertClose(sparse, refRows(Y_ONEHOT, LOGITS, LossesTest::cceLogits));
    }

    /**
     * The sparse kernel (with its registered gradient) gives what the dense kernel gives on one-hot
     * labels: the gradient bit for bit (so the same weights), the loss within one ulp; 200 rows of
     * 10 random logits.
     */
    @Test
    void sparseKernelGivesTheDenseKernelsGradientBitForBitAndItsLossWithinAnUlp() {
      int n = 200;
      int k = 10;
      java.util.Random r = new java.util.Random(3);
      float[][] logits = new float[n][k];
      float[][] ids = new float[n][1];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < k; j++) logits[i][j] = (float) (4 * r.nextGaussian());
        ids[i][0] = r.nextInt(k);
      }
      try (Graph g = new Graph();
          Session s = new Session(g);
          TFloat32 yT = TFloat32.tensorOf(StdArrays.ndCopyOf(ids));
          TFloat32 xT = TFloat32.tensorOf(StdArrays.ndCopyOf(logits))) {
        Ops tf = Ops.create(g);
        Placeholder<TFloat32> y =
            tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 1)));
        Placeholder<TFloat32> x =
            tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, k)));
        Operand<TFloat32> sparse =
            new SparseCategoricalCrossentropy(true).call(tf, y, Prediction.of(x));
        Operand<org.tensorflow.types.TInt32> labels =
            tf.dtypes.cast(
                tf.reshape(y, tf.constant(new int[] {-1})), org.tensorflow.types.TInt32.class);
        Operand<TFloat32> dense =
            tf.nn
                .softmaxCrossEntropyWithLogits(
                    x, tf.oneHot(labels, tf.constant(k), tf.constant(1f), tf.constant(0f)))
                .loss();
        Operand<?> gs = tf.gradients(tf.reduceSum(sparse, tf.constant(0)), List.of(x)).dy(0);
        Operand<?> gd = tf.gradients(tf.reduceSum(dense, tf.constant(0)), List.of(x)).dy(0);
        try (Result res =
            s.runner()
                .feed(y, yT)
                .feed(x, xT)
                .fetch(sparse)
                .fetch(dense)
                .fetch(gs)
                .fetch(gd)
                .run()) {
          assertThat(floats((TFloat32) res.get(2))).containsExactly(floats((TFloat32) res.get(3)));
          // The loss takes another rounding path inside the kernels: within one float32 ulp (12
          // of these 200 rows differ by one), as Keras 2.3.1's sparse op computes it.
          double[] a = floats((TFloat32) res.get(0));
          double[] b = floats((TFloat32) res.get(1));
          for (int i = 0; i < n; i++) {
            assertThat(a[i]).isCloseTo(b[i], within(1.5 * Math.ulp((float) b[i])));
          }
        }
      }
    }

    @Test
    void sparseCategoricalCrossentropyWorksWithUnknownBatchAndHasAGradient() {
      try (Graph g = new Graph();
          Session s = new Session(g);
          TFloat32 yT = TFloat32.tensorOf(StdArrays.ndCopyOf(new float[][] {{1f}, {0f}, {2f}}));
          TFloat32 xT = TFloat32.tensorOf(StdArrays.ndCopyOf(LOGITS))) {
        Ops tf = Ops.create(g);
        Placeholder<TFloat32> y =
            tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 1)));
        Placeholder<TFloat32> x =
            tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 3)));
        Operand<TFloat32> loss =
            new SparseCategoricalCrossentropy(true).call(tf, y, Prediction.of(x));
        Operand<TFloat32> total = tf.reduceSum(loss, tf.constant(0));
        Operand<?> grad = tf.gradients(total, List.of(x)).dy(0);
        try (Result r = s.runner().feed(y, yT).feed(x, xT).fetch(loss).fetch(grad).run()) {
          assertClose(
              floats((TFloat32) r.get(0)), refRows(Y_ONEHOT, LOGITS, LossesTest::cceLogits));
          double[] dx = floats((TFloat32) r.get(1));
          for (int i = 0; i < 3; i++) {
            double[] sm = softmax(LOGITS[i]);
            for (int j = 0; j < 3; j++) {
              assertThat(dx[i * 3 + j]).isCloseTo(sm[j] - Y_ONEHOT[i][j], within(1e-6));
            }
          }
        }
      }
    }

    @Test
    void sparseCategoricalCrossentropyFailsOnOutOfRangeLabels() {
      assertThatThrownBy(
              () ->
                  values(
                      new SparseCategoricalCrossentropy(true),
                      new float[][] {{3f}, {0f}, {1f}},
                      LOGITS))
          .hasMessageContaining(
              "Received a label value of 3 which is outside the valid range of [0, 3)");
    }

    @Test
    void customLossReceivesThePrediction() {
      Loss l =
          Losses.custom(
              "half_mae",
              (tf, y, p) ->
                  tf.math.mul(tf.constant(0.5f), Losses.meanAbsoluteError(tf, y, p.value())));
      check(l, Y_REG, P_REG, r -> 0.5 * rowMean((y, p) -> Math.abs(p - y)).apply(r));
    }
  }

  // ------------------------------------------------------------------ reference formulas (double)

  record Row(float[] y, float[] p) {}

  interface Elem {
    double apply(double y, double p);
  }

  static Function<Row, Double> rowMean(Elem f) {
    return r -> rowSum(f).apply(r) / r.y.length;
  }

  static Function<Row, Double> rowSum(Elem f) {
    return r -> {
      double s = 0;
      for (int j = 0; j < r.y.length; j++) {
        s += f.apply(r.y[j], r.p[j]);
      }
      return s;
    };
  }

  static double bceProb(double y, double p) {
    double q = clip(p, EPS, ONE_MINUS_EPS);
    return -(y * Math.log(q + EPS) + (1 - y) * Math.log(1 - q + EPS));
  }

  static double bceLogits(double y, double x) {
    return Math.max(x, 0) - x * y + Math.log1p(Math.exp(-Math.abs(x)));
  }

  static double cceProb(Row r) {
    double[] p = new double[r.p.length];
    for (int j = 0; j < p.length; j++) {
      p[j] = r.p[j];
    }
    return cceProb(r.y, p);
  }

  static double cceProb(float[] y, double[] p) {
    double sum = 0;
    for (double v : p) {
      sum += v;
    }
    double loss = 0;
    for (int j = 0; j < y.length; j++) {
      loss -= y[j] * Math.log(clip(p[j] / sum, EPS, ONE_MINUS_EPS));
    }
    return loss;
  }

  static double cceLogits(Row r) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : r.p) {
      max = Math.max(max, v);
    }
    double lse = 0;
    for (float v : r.p) {
      lse += Math.exp(v - max);
    }
    lse = max + Math.log(lse);
    double loss = 0;
    for (int j = 0; j < r.y.length; j++) {
      loss -= r.y[j] * (r.p[j] - lse);
    }
    return loss;
  }

  static double[] softmax(float[] x) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : x) {
      max = Math.max(max, v);
    }
    double[] e = new double[x.length];
    double s = 0;
    for (int j = 0; j < x.length; j++) {
      e[j] = Math.exp(x[j] - max);
      s += e[j];
    }
    for (int j = 0; j < x.length; j++) {
      e[j] /= s;
    }
    return e;
  }

  static double cosine(float[] a, float[] b) {
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int j = 0; j < a.length; j++) {
      ab += a[j] * (double) b[j];
      aa += a[j] * (double) a[j];
      bb += b[j] * (double) b[j];
    }
    return ab / Math.sqrt(Math.max(aa, 1e-12)) / Math.sqrt(Math.max(bb, 1e-12));
  }

  static double clip(double v, double lo, double hi) {
    return Math.min(Math.max(v, lo), hi);
  }

  static double sq(double v) {
    return v * v;
  }

  static float[][] abs(float[][] a) {
    float[][] out = new float[a.length][];
    for (int i = 0; i < a.length; i++) {
      out[i] = new float[a[i].length];
      for (int j = 0; j < a[i].length; j++) {
        out[i][j] = Math.abs(a[i][j]);
      }
    }
    return out;
  }

  static float[][] moderate(float[][] a) {
    float[][] out = new float[a.length][];
    for (int i = 0; i < a.length; i++) {
      out[i] = new float[a[i].length];
      for (int j = 0; j < a[i].length; j++) {
        out[i][j] = Math.max(-3f, Math.min(3f, a[i][j]));
      }
    }
    return out;
  }

  static float[][] labels(float[] ids, boolean column) {
    if (!column) {
      return new float[][] {ids};
    }
    float[][] out = new float[ids.length][1];
    for (int i = 0; i < ids.length; i++) {
      out[i][0] = ids[i];
    }
    return out;
  }

  static double[] refRows(float[][] y, float[][] p, Function<Row, Double> f) {
    double[] out = new double[y.length];
    for (int i = 0; i < y.length; i++) {
      out[i] = f.apply(new Row(y[i], p[i]));
    }
    return out;
  }

  // ------------------------------------------------------------------ graph evaluation

  record Out(double[] values, long[] shape) {}

  static Prediction sigmoidPrediction(Ops tf, float[][] logits) {
    Operand<TFloat32> x = tf.constant(logits);
    return new Prediction(tf.math.sigmoid(x), x, "sigmoid");
  }

  static Prediction softmaxPrediction(Ops tf, float[][] logits) {
    Operand<TFloat32> x = tf.constant(logits);
    return new Prediction(tf.nn.softmax(x), x, "softmax");
  }

  static void check(Loss loss, float[][] y, float[][] p, Function<Row, Double> ref) {
    double[] actual = values(loss, y, p);
    assertThat(actual).hasSize(y.length);
    assertClose(actual, refRows(y, p, ref));
  }

  /**
   * Per-sample values of {@code loss}; a single-row {@code y} is taken as a {@code [batch]} vector.
   */
  static double[] values(Loss loss, float[][] y, float[][] p) {
    return values(loss, y, tf -> Prediction.of(tf.constant(p)));
  }

  static double[] values(Loss loss, float[][] y, Function<Ops, Prediction> pred) {
    return run(tf -> {
          Operand<TFloat32> yT =
              y.length == 1 && y[0].length > 1 && loss instanceof SparseCategoricalCrossentropy
                  ? tf.constant(y[0])
                  : tf.constant(y);
          return loss.call(tf, yT, pred.apply(tf));
        })
        .values;
  }

  static Out run(Function<Ops, Operand<TFloat32>> build) {
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Operand<TFloat32> out = build.apply(Ops.create(g));
      try (Result r = s.runner().fetch(out).run()) {
        TFloat32 t = (TFloat32) r.get(0);
        return new Out(floats(t), t.shape().asArray());
      }
    }
  }
}
