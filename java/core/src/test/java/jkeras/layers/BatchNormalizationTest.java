package jkeras.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jkeras.backend.Weight;
import jkeras.data.NDArray;
import jkeras.models.Model;
import jkeras.models.Sequential;
import jkeras.optimizers.SGD;
import jkeras.regularizers.Regularizers;
import jkeras.trainers.EvaluateOptions;
import jkeras.trainers.FitOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keras 2.3.1's BatchNormalization: arguments, config, weights, and what training and inference
 * steps compute, checked against hand computations in double precision.
 */
class BatchNormalizationTest {
  static final double TOL = 1e-5;

  @BeforeEach
  void resetNames() {
    Layer.resetNames();
  }

  @Nested
  class Configuration {
    @Test
    void defaultsAndConfigKeysAreKeras231sInOrder() {
      Map<String, Object> c =
          ConfigKeys.assertNameAndKeys(
              new BatchNormalization(),
              "batch_normalization_1",
              ConfigKeys.keys(
                  ConfigKeys.BASE,
                  "axis",
                  "momentum",
                  ConfigKeys.NORMALIZATION,
                  "beta_initializer",
                  "gamma_initializer",
                  "moving_mean_initializer",
                  "moving_variance_initializer",
                  ConfigKeys.BETA_AND_GAMMA_PENALTIES));
      assertThat(c.get("axis")).isEqualTo(-1);
      assertThat(c.get("momentum")).isEqualTo(0.99);
      assertThat(c.get("epsilon")).isEqualTo(1e-3);
      assertThat(c.get("gamma_initializer"))
          .isEqualTo(Map.of("class_name", "Ones", "config", Map.of()));
      assertThat(c.get("moving_variance_initializer"))
          .isEqualTo(Map.of("class_name", "Ones", "config", Map.of()));
      assertThat(c.get("beta_regularizer")).isNull();
    }

    @Test
    void deserializesKeras231sConfigAndWritesItBack() {
      Map<String, Object> keras = new LinkedHashMap<>();
      keras.put("name", "bn");
      keras.put("trainable", true);
      keras.put("batch_input_shape", Arrays.asList(null, 4));
      keras.put("dtype", "float32");
      keras.put("axis", -1);
      keras.put("momentum", 0.9);
      keras.put("epsilon", 0.01);
      keras.put("center", false);
      keras.put("scale", true);
      keras.put("beta_initializer", Map.of("class_name", "Zeros", "config", Map.of()));
      keras.put("gamma_initializer", Map.of("class_name", "Ones", "config", Map.of()));
      keras.put("moving_mean_initializer", Map.of("class_name", "Zeros", "config", Map.of()));
      keras.put("moving_variance_initializer", Map.of("class_name", "Ones", "config", Map.of()));
      keras.put("beta_regularizer", null);
      keras.put(
          "gamma_regularizer",
          Map.of("class_name", "L1L2", "config", Map.of("l1", 0.0, "l2", 0.01)));
      keras.put("beta_constraint", null);
      keras.put("gamma_constraint", null);
      Layer bn = Layers.deserialize("BatchNormalization", keras);
      Map<String, Object> back = bn.getConfig();
      assertThat(new ArrayList<>(back.keySet())).isEqualTo(new ArrayList<>(keras.keySet()));
      assertThat(back.get("batch_input_shape")).isEqualTo(Arrays.asList(null, 4L));
      assertThat(back.get("momentum")).isEqualTo(0.9);
      assertThat(back.get("center")).isEqualTo(false);
      assertThat(Layers.deserialize("BatchNormalization", back).getConfig()).isEqualTo(back);
    }

    @Test
    void acceptsTfKerasOneElementAxisList() {
      Layer bn = Layers.deserialize("BatchNormalization", Map.of("name", "bn", "axis", List.of(3)));
      assertThat(((BatchNormalization) bn).axis()).isEqualTo(3);
    }

    static Stream<Arguments> refusedConfigs() {
      return Stream.of(
          Arguments.of(
              Map.of("axis", List.of(1, 2)),
              "Expected `axis` to be an integer (Keras 2.3.1 normalizes one axis)"),
          Arguments.of(Map.of("momentum", 1.5), "Received: momentum=1.5"),
          Arguments.of(Map.of("renorm", true), "Unknown argument `renorm` for BatchNormalization"));
    }

    @ParameterizedTest
    @MethodSource("refusedConfigs")
    void refusesWhatItCannotDoNamingTheArgument(Map<String, Object> config, String message) {
      assertThatThrownBy(() -> Layers.deserialize("BatchNormalization", config))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(message);
    }

    @Test
    void anAxisOutsideTheInputIsAnError() {
      assertThatThrownBy(() -> BatchNormalization.builder().axis(2).build().apply(Input.create(3)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "Invalid value for `axis` argument. Expected 0 <= axis < inputs.rank (with"
                  + " inputs.rank=2). Received: axis=2");
    }

    @Test
    void theNormalizedAxisMustBeDefined() {
      assertThatThrownBy(() -> new BatchNormalization().apply(Input.create(-1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "Axis -1 of input tensor should have a defined dimension but the layer received an"
                  + " input with shape (None, None).");
    }
  }

  @Nested
  @Tag("native")
  class InAModel {
    @Test
    void weightsAreGammaBetaThenTheMovingStatisticsInKerasOrder() {
      KerasTensor in = Input.create(3);
      BatchNormalization bn =
          BatchNormalization.builder().gammaRegularizer(Regularizers.l2(0.01)).build();
      try (Model m = new Model(in, bn.apply(in))) {
        assertThat(bn.weights())
            .extracting(Weight::name)
            .containsExactly("gamma", "beta", "moving_mean", "moving_variance");
        assertThat(bn.trainableWeights()).extracting(Weight::name).containsExactly("gamma", "beta");
        assertThat(bn.countParams()).isEqualTo(12);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        m.summary(new PrintStream(b, true, StandardCharsets.UTF_8));
        assertThat(b.toString(StandardCharsets.UTF_8))
            .contains("batch_normalization_1 (Batch (None, 3)                 12")
            .contains("Trainable params: 6")
            .contains("Non-trainable params: 6");
      }
    }

    @Test
    void withoutCenterAndScaleOnlyTheMovingStatisticsRemain() {
      KerasTensor in = Input.create(3);
      BatchNormalization bn = BatchNormalization.builder().center(false).scale(false).build();
      try (Model m = new Model(in, bn.apply(in))) {
        assertThat(bn.weights())
            .extracting(Weight::name)
            .containsExactly("moving_mean", "moving_variance");
      }
    }

    /** Rank-2 (composition), rank-3 (composition), rank-4 channels-last (fused kernel). */
    static Stream<Arguments> shapes() {
      return Stream.of(
          Arguments.of(new long[] {3}, -1),
          Arguments.of(new long[] {2, 3}, -1),
          Arguments.of(new long[] {2, 2, 3}, -1),
          Arguments.of(new long[] {3, 2, 2}, 1),
          Arguments.of(new long[] {2, 3}, 1));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void trainingStepsUseTheBatchAndUpdateKeras231sMovingStatisticsWhichInferenceUses(
        long[] shape, int axis) {
      double momentum = 0.8;
      double eps = 0.01;
      KerasTensor in = Input.create(shape);
      BatchNormalization bn =
          BatchNormalization.builder().axis(axis).momentum(momentum).epsilon(eps).build();
      int rank = shape.length + 1;
      int a = axis < 0 ? rank + axis : axis;
      int c = (int) shape[a - 1];
      int batch = 4;
      int size = batch * (int) jkeras.internal.Shapes.product(shape);
      float[] xv = new float[size];
      for (int i = 0; i < size; i++) xv[i] = (float) Math.sin(1.3 * i + 0.2) * (1 + i % 3);
      long[] full = new long[rank];
      full[0] = batch;
      System.arraycopy(shape, 0, full, 1, shape.length);
      NDArray x = NDArray.of(xv, full);
      NDArray y = NDArray.of(new float[size], full);
      double[] gamma = new double[c];
      double[] beta = new double[c];
      double[] mm0 = new double[c];
      double[] mv0 = new double[c];
      for (int k = 0; k < c; k++) {
        gamma[k] = 0.5 + 0.25 * k;
        beta[k] = 0.1 * k - 0.1;
        mm0[k] = 0.05 * k;
        mv0[k] = 1 + 0.5 * k;
      }
      try (Model m = new Model(in, bn.apply(in))) {
        bn.setWeights(List.of(floats(gamma), floats(beta), floats(mm0), floats(mv0)));
        m.compile(new SGD(0.0), "mse");
        // Per-channel statistics of the batch, by hand.
        int[] strides = strides(full);
        double[] sum = new double[c];
        double[] sq = new double[c];
        int n = size / c;
        for (int i = 0; i < size; i++) sum[channel(i, strides, full, a)] += xv[i];
        double[] mean = new double[c];
        for (int k = 0; k < c; k++) mean[k] = sum[k] / n;
        for (int i = 0; i < size; i++) {
          int k = channel(i, strides, full, a);
          sq[k] += (xv[i] - mean[k]) * (xv[i] - mean[k]);
        }
        double[] var = new double[c];
        for (int k = 0; k < c; k++) var[k] = sq[k] / n;
        // The training step's loss: mse of the batch-normalized output against zeros.
        double loss = 0;
        for (int i = 0; i < size; i++) {
          int k = channel(i, strides, full, a);
          double o = gamma[k] * (xv[i] - mean[k]) / Math.sqrt(var[k] + eps) + beta[k];
          loss += o * o;
        }
        loss /= size;
        assertThat(m.trainOnBatch(x, y).scalar()).isCloseTo(loss, within(TOL * Math.max(1, loss)));
        // Keras 2.3.1: moving -= (moving - batch) * (1 - momentum); variance * n / (n - 1 - eps).
        double[] mm1 = new double[c];
        double[] mv1 = new double[c];
        for (int k = 0; k < c; k++) {
          mm1[k] = mm0[k] - (mm0[k] - mean[k]) * (1 - momentum);
          double corrected = var[k] * n / (n - (1 + eps));
          mv1[k] = mv0[k] - (mv0[k] - corrected) * (1 - momentum);
        }
        List<NDArray> w = bn.getWeights();
        assertClose(w.get(2).toFloatArray(), mm1);
        assertClose(w.get(3).toFloatArray(), mv1);
        // Inference: the moving statistics.
        float[] out = m.predict(x).toFloatArray();
        for (int i = 0; i < size; i++) {
          int k = channel(i, strides, full, a);
          double o = gamma[k] * (xv[i] - mm1[k]) / Math.sqrt(mv1[k] + eps) + beta[k];
          assertThat((double) out[i]).isCloseTo(o, within(TOL));
        }
        // A test step changes nothing.
        m.testOnBatch(x, y);
        assertClose(bn.getWeights().get(2).toFloatArray(), mm1);
      }
    }

    @Test
    void aFrozenLayerNormalizesTrainingBatchesWithTheirOwnStatisticsAndKeepsItsMovingOnes() {
      KerasTensor in = Input.create(2);
      BatchNormalization bn = BatchNormalization.builder().trainable(false).build();
      NDArray x = NDArray.of(new float[][] {{1, 2}, {3, 6}});
      NDArray y = NDArray.of(new float[][] {{0, 0}, {0, 0}});
      try (Model m = new Model(in, bn.apply(in))) {
        assertThat(bn.trainableWeights()).isEmpty();
        m.compile(new SGD(0.1), "mse");
        // Batch statistics: each column becomes -1/+1 (scaled by 1/sqrt(1 + eps/var)).
        double expected = (1 / (1 + 1e-3 / 1.0) + 1 / (1 + 1e-3 / 4.0)) / 2;
        assertThat(m.trainOnBatch(x, y).scalar()).isCloseTo(expected, within(TOL));
        m.fit(x, y, FitOptions.builder().epochs(3).verbose(0).build());
        List<NDArray> w = bn.getWeights();
        assertThat(w.get(2).toFloatArray()).containsExactly(0f, 0f);
        assertThat(w.get(3).toFloatArray()).containsExactly(1f, 1f);
      }
    }

    @Test
    void theFusedKernelAndTheCompositionTrainAlike() {
      // The same values as (batch, 2, 2, 3) through the fused kernel and as (batch, 4, 3) through
      // the composition: the same statistics per channel, so the same gradients.
      float[] xv = new float[5 * 12];
      float[] yv = new float[5 * 12];
      for (int i = 0; i < xv.length; i++) {
        xv[i] = (float) Math.cos(0.7 * i) * (1 + i % 4);
        yv[i] = (float) Math.sin(0.3 * i);
      }
      List<NDArray> fused = trainAndRead(new long[] {2, 2, 3}, xv, yv);
      List<NDArray> composed = trainAndRead(new long[] {4, 3}, xv, yv);
      for (int i = 0; i < 4; i++) {
        float[] f = fused.get(i).toFloatArray();
        float[] c = composed.get(i).toFloatArray();
        for (int k = 0; k < f.length; k++) assertThat(f[k]).isCloseTo(c[k], within(1e-5f));
      }
    }

    private List<NDArray> trainAndRead(long[] shape, float[] xv, float[] yv) {
      KerasTensor in = Input.create(shape);
      BatchNormalization bn = BatchNormalization.builder().momentum(0.5).build();
      long[] full = new long[shape.length + 1];
      full[0] = 5;
      System.arraycopy(shape, 0, full, 1, shape.length);
      try (Model m = new Model(in, bn.apply(in))) {
        m.compile(new SGD(0.5), "mse");
        for (int s = 0; s < 3; s++) m.trainOnBatch(NDArray.of(xv, full), NDArray.of(yv, full));
        return bn.getWeights();
      }
    }

    @Test
    void twoSeededRunsAreIdentical() {
      float[] first = seededRun();
      assertThat(seededRun()).containsExactly(first);
    }

    /** Embedding, BatchNormalization on 4-D (fused) and 2-D: fit with shuffling and dropout. */
    private float[] seededRun() {
      jkeras.utils.RngUtils.setRandomSeed(7L);
      try {
        Layer.resetNames();
        KerasTensor ids = Input.builder().shape(6).dtype("int32").build();
        KerasTensor e = Embedding.builder(9, 4).build().apply(ids);
        KerasTensor r = new Reshape(2, 3, 4).apply(e);
        KerasTensor b = new BatchNormalization().apply(r);
        KerasTensor f = new Flatten().apply(b);
        KerasTensor d =
            new Dropout(0.3).apply(Dense.builder(5).activation("tanh").build().apply(f));
        KerasTensor out = Dense.builder(1).build().apply(new BatchNormalization().apply(d));
        int[] iv = new int[32 * 6];
        float[] yv = new float[32];
        for (int i = 0; i < iv.length; i++) iv[i] = (i * 7 + i / 5) % 9;
        for (int i = 0; i < 32; i++) yv[i] = (float) Math.sin(i);
        try (Model m = new Model(ids, out)) {
          m.compile("adam", "mse");
          m.fit(
              NDArray.ofInts(iv, 32, 6),
              NDArray.of(yv, 32, 1),
              FitOptions.builder().epochs(3).batchSize(8).verbose(0).build());
          List<Float> w = new ArrayList<>();
          for (NDArray a : m.getWeights()) for (float v : a.toFloatArray()) w.add(v);
          float[] flat = new float[w.size()];
          for (int i = 0; i < flat.length; i++) flat[i] = w.get(i);
          return flat;
        }
      } finally {
        jkeras.utils.RngUtils.setRandomSeed(null);
      }
    }

    @Test
    void trainsInASequentialModelAndMasksPassThrough() {
      jkeras.utils.RngUtils.setRandomSeed(3L);
      Sequential m =
          new Sequential(
              List.of(
                  Dense.builder(8).activation("tanh").inputShape(3).build(),
                  BatchNormalization.builder().momentum(0.5).build(),
                  Dense.builder(1).build()));
      try (m) {
        m.compile("adam", "mse");
        float[] xv = new float[64 * 3];
        float[] yv = new float[64];
        for (int i = 0; i < 64; i++) {
          for (int j = 0; j < 3; j++) xv[i * 3 + j] = (float) Math.sin(i * 0.37 + j);
          yv[i] = xv[i * 3] - 0.5f * xv[i * 3 + 2];
        }
        NDArray x = NDArray.of(xv, 64, 3);
        NDArray y = NDArray.of(yv, 64, 1);
        EvaluateOptions quiet = EvaluateOptions.builder().verbose(0).build();
        double first = m.evaluate(x, y, quiet).scalar();
        m.fit(x, y, FitOptions.builder().epochs(40).batchSize(16).verbose(0).build());
        // Evaluation uses the moving statistics: momentum 0.5 lets them follow the training.
        assertThat(m.evaluate(x, y, quiet).scalar()).isLessThan(first / 4);
      } finally {
        jkeras.utils.RngUtils.setRandomSeed(null);
      }
      assertThat(new BatchNormalization().supportsMasking()).isTrue();
    }
  }

  static NDArray floats(double[] v) {
    return NDArray.of(v);
  }

  static void assertClose(float[] actual, double[] expected) {
    assertThat(actual).hasSize(expected.length);
    for (int i = 0; i < expected.length; i++)
      assertThat((double) actual[i]).isCloseTo(expected[i], within(TOL));
  }

  static int[] strides(long[] shape) {
    int[] s = new int[shape.length];
    int acc = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      s[i] = acc;
      acc *= (int) shape[i];
    }
    return s;
  }

  static int channel(int flat, int[] strides, long[] shape, int axis) {
    return (flat / strides[axis]) % (int) shape[axis];
  }
}
