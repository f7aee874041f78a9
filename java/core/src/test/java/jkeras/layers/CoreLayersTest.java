package jkeras.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;
import jkeras.constraints.MaxNorm;
import jkeras.constraints.NonNeg;
import jkeras.constraints.UnitNorm;
import jkeras.data.NDArray;
import jkeras.initializers.Constant;
import jkeras.models.Model;
import jkeras.models.Sequential;
import jkeras.optimizers.SGD;
import jkeras.regularizers.Regularizers;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Keras 2.3.1's core and noise layers: values, training versus inference, shapes and configs. */
class CoreLayersTest {
  /**
   * Trains one step (lr 0: nothing moves) through {@code layer} then a probe; returns the probe.
   */
  private static NDArray trainingOutput(Layer layer, NDArray x) {
    KerasTensor in = Input.create(Run.withoutBatch(x.shape()));
    Probe probe = new Probe(x.shape()[0]);
    try (Model m = new Model(in, probe.apply(layer.apply(in)))) {
      m.compile(new SGD(0.0), "mse");
      m.trainOnBatch(x, NDArray.zeros(x.shape()));
      return probe.seen();
    }
  }

  @Nested
  @Tag("native")
  class DenseRegularizersAndConstraints {
    @Test
    void activityRegularizerAddsItsUndividedPenaltyToTheLoss() {
      // y = x . ones(2, 1) = (3, 7); mse against 0 = (9 + 49) / 2; l1(0.1) * (3 + 7) undivided.
      KerasTensor in = Input.create(2);
      Dense d =
          Dense.builder(1)
              .kernelInitializer("ones")
              .activityRegularizer(Regularizers.l1(0.1))
              .build();
      try (Model m = new Model(in, d.apply(in))) {
        m.compile(new SGD(0.0), "mse");
        NDArray x = NDArray.of(new float[] {1, 2, 3, 4}, 2, 2);
        double loss = m.testOnBatch(x, NDArray.zeros(2, 1)).scalar();
        assertThat(loss).isCloseTo(58 / 2.0 + 0.1f * 10, within(1e-5));
      }
    }

    @Test
    void constraintsApplyAfterEachUpdate() {
      // kernel (2, 2) of 3s: columns of norm 4.24; one SGD step then MaxNorm(1) on axis 0 and
      // NonNeg on the bias, whose update makes it negative.
      KerasTensor in = Input.create(2);
      Dense d =
          Dense.builder(2)
              .kernelInitializer(new Constant(3))
              .biasInitializer(new Constant(0.01))
              .kernelConstraint(new MaxNorm(1, 0))
              .biasConstraint(new NonNeg())
              .build();
      try (Model m = new Model(in, d.apply(in))) {
        m.compile(new SGD(0.01), "mse");
        m.trainOnBatch(NDArray.of(new float[] {1, 1}, 1, 2), NDArray.of(new float[] {0, 0}, 1, 2));
        float[] k = d.getWeights().get(0).toFloatArray();
        // d(mse)/dk = 2/2 * y * x = 6.01 for every entry: k = 3 - 0.0601 = 2.9399, norm 4.1577.
        double kk = 3 - 0.01 * 6.01;
        double norm = Math.sqrt(2) * kk;
        for (float v : k) assertThat((double) v).isCloseTo(kk / (1e-7 + norm), within(1e-6));
        // bias: 0.01 - 0.01 * 6.01 < 0, set to (-)0 by NonNeg (w * 0, as Keras).
        assertThat(d.getWeights().get(1).toFloatArray())
            .usingComparatorWithPrecision(0f)
            .containsExactly(0f, 0f);
      }
    }

    @Test
    void configListsEveryKerasKeyInOrder() {
      Dense d =
          Dense.builder(2)
              .activityRegularizer("l2")
              .kernelConstraint("unit_norm")
              .biasConstraint(new UnitNorm(0))
              .build();
      Map<String, Object> c = d.getConfig();
      assertThat(List.copyOf(c.keySet()).subList(3, c.size()))
          .containsExactlyElementsOf(
              ConfigKeys.keys("units", "activation", "use_bias", ConfigKeys.KERNEL_AND_BIAS));
      assertThat(c.get("kernel_constraint"))
          .isEqualTo(Map.of("class_name", "UnitNorm", "config", Map.of("axis", 0)));
      assertThat(Layers.deserialize("Dense", c).getConfig()).isEqualTo(c);
    }
  }

  @Nested
  @Tag("native")
  class Dropouts {
    final NDArray ones = NDArray.ones(8, 5, 6);

    @Test
    void noiseShapeKeepsOrDropsWholeSlices() {
      NDArray out =
          trainingOutput(Dropout.builder(0.5).noiseShape(-1, 1, 6).seed(3L).build(), ones);
      float[] v = out.toFloatArray();
      for (int b = 0; b < 8; b++)
        for (int f = 0; f < 6; f++) {
          float first = v[b * 30 + f];
          assertThat(first).isIn(0f, 2f);
          for (int t = 1; t < 5; t++) assertThat(v[b * 30 + t * 6 + f]).isEqualTo(first);
        }
    }

    @Test
    void spatialDropout1dDropsWholeChannels() {
      float[] v =
          trainingOutput(SpatialDropout1D.builder(0.5).seed(5L).build(), ones).toFloatArray();
      TreeSet<Float> seen = new TreeSet<>();
      for (int b = 0; b < 8; b++)
        for (int f = 0; f < 6; f++)
          for (int t = 1; t < 5; t++) {
            assertThat(v[b * 30 + t * 6 + f]).isEqualTo(v[b * 30 + f]);
            seen.add(v[b * 30 + f]);
          }
      assertThat(seen).containsExactly(0f, 2f);
    }

    @Test
    void spatialDropout2dChannelsFirstDropsWholeMaps() {
      NDArray x = NDArray.ones(4, 3, 2, 2);
      float[] v =
          trainingOutput(
                  SpatialDropout2D.builder(0.5).dataFormat("channels_first").seed(1L).build(), x)
              .toFloatArray();
      for (int map = 0; map < 12; map++)
        for (int i = 1; i < 4; i++) assertThat(v[map * 4 + i]).isEqualTo(v[map * 4]);
    }

    @Test
    void inferenceIsTheIdentity() {
      for (Layer l :
          List.of(
              Dropout.builder(0.5).noiseShape(-1, 1, 6).build(),
              new SpatialDropout1D(0.5),
              new GaussianNoise(1.0),
              new GaussianDropout(0.5),
              new AlphaDropout(0.5))) {
        assertThat(Run.predict(l, ones)).as(l.toString()).isEqualTo(ones);
      }
    }

    @Test
    void rejectsANoiseShapeOfAnotherRank() {
      assertThatThrownBy(
              () -> Dropout.builder(0.5).noiseShape(-1, 6).build().apply(Input.create(5, 6)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("must have the input's rank, 3");
    }

    @Test
    void spatialDropoutChecksTheInputRank() {
      assertThatThrownBy(() -> new SpatialDropout2D(0.1).apply(Input.create(5, 6)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("expected ndim=4, found ndim=3");
    }
  }

  @Nested
  @Tag("native")
  class NoiseStatistics {
    final NDArray normal = standardNormal(2000, 10, 11);

    @Test
    void gaussianNoiseAddsNoiseOfTheGivenDeviation() {
      NDArray zeros = NDArray.zeros(2000, 10);
      double[] ms = Run.trainingMeanSquares(GaussianNoise.builder(0.5).seed(7L).build(), zeros, 3);
      // E[n^2] = 0.25; 20000 draws: relative standard error 1 %, tolerance 5 %.
      for (double m : ms) assertThat(m).isCloseTo(0.25, within(0.0125));
      assertThat(ms[0]).isNotEqualTo(ms[1]); // a new draw each step
    }

    @Test
    void gaussianDropoutMultipliesByNoiseOfMeanOne() {
      double[] ms =
          Run.trainingMeanSquares(
              GaussianDropout.builder(0.2).seed(7L).build(), NDArray.ones(2000, 10), 2);
      // E[(1 + n)^2] = 1 + rate / (1 - rate) = 1.25.
      for (double m : ms) assertThat(m).isCloseTo(1.25, within(0.05));
    }

    @Test
    void alphaDropoutKeepsMeanAndVarianceOfNormalizedInputs() {
      NDArray out = trainingOutput(AlphaDropout.builder(0.2).seed(9L).build(), normal);
      double[] v = out.toDoubleArray();
      double mean = Arrays.stream(v).average().orElseThrow();
      double var = Arrays.stream(v).map(a -> (a - mean) * (a - mean)).average().orElseThrow();
      assertThat(mean).isCloseTo(0, within(0.05));
      assertThat(var).isCloseTo(1, within(0.05));
    }

    @Test
    void alphaDropoutSetsDroppedInputsToTheAffineSaturationValue() {
      double rate = 0.3;
      double alphaP = -1.6732632423543772 * 1.0507009873554805;
      double a = Math.pow((1 - rate) * (1 + rate * alphaP * alphaP), -0.5);
      double b = -a * alphaP * rate;
      float[] v =
          trainingOutput(AlphaDropout.builder(rate).seed(2L).build(), NDArray.ones(500, 10))
              .toFloatArray();
      long dropped = 0;
      for (float x : v) {
        if (Math.abs(x - (a * alphaP + b)) < 1e-5) dropped++;
        else assertThat((double) x).isCloseTo(a + b, within(1e-5));
      }
      assertThat(dropped / 5000.0).isCloseTo(rate, within(0.03));
    }

    @Test
    void noiseLayersTrainBetweenTrainedLayers() {
      // The noise's shape comes from a trained tensor: its random op is on the gradient's path.
      KerasTensor in = Input.create(4);
      KerasTensor h = Dense.builder(8).build().apply(in);
      h = new GaussianNoise(0.1).apply(h);
      h = new GaussianDropout(0.2).apply(h);
      h = new AlphaDropout(0.1).apply(h);
      try (Model m = new Model(in, Dense.builder(1).build().apply(h))) {
        m.compile(new SGD(0.1), "mse");
        NDArray x = standardNormal(64, 4, 3);
        NDArray y = NDArray.zeros(64, 1);
        double first = m.trainOnBatch(x, y).scalar();
        for (int i = 0; i < 30; i++) m.trainOnBatch(x, y);
        assertThat(m.testOnBatch(x, y).scalar()).isLessThan(first);
      }
    }

    @Test
    void underAGlobalSeedTwoRunsDrawTheSameNoise() {
      try {
        jkeras.utils.RngUtils.setRandomSeed(7L);
        NDArray first = trainingOutput(new GaussianNoise(1), normal);
        jkeras.utils.RngUtils.setRandomSeed(7L);
        NDArray second = trainingOutput(new GaussianNoise(1), normal);
        assertThat(second).isEqualTo(first);
        jkeras.utils.RngUtils.setRandomSeed(7L);
        NDArray dropped = trainingOutput(new Dropout(0.5), normal);
        jkeras.utils.RngUtils.setRandomSeed(7L);
        assertThat(trainingOutput(new Dropout(0.5), normal)).isEqualTo(dropped);
      } finally {
        jkeras.utils.RngUtils.setRandomSeed(null);
      }
    }

    @Test
    void aSeededLayerDrawsTheSameNoiseInEveryRun() {
      NDArray first = trainingOutput(GaussianNoise.builder(1).seed(42L).build(), normal);
      NDArray second = trainingOutput(GaussianNoise.builder(1).seed(42L).build(), normal);
      assertThat(second).isEqualTo(first);
    }
  }

  private static NDArray standardNormal(int n, int d, long seed) {
    Random r = new Random(seed);
    float[] v = new float[n * d];
    for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
    return NDArray.of(v, n, d);
  }

  @Nested
  @Tag("native")
  class Reshaping {
    @Test
    void flattenChannelsFirstUsesTheChannelsLastOrder() {
      NDArray x = NDArray.of(Run.range(8, 0, 1), 1, 2, 2, 2); // channels 0..3 and 4..7
      NDArray out = Run.predict(Flatten.builder().dataFormat("channels_first").build(), x);
      assertThat(out.toFloatArray()).containsExactly(0, 4, 1, 5, 2, 6, 3, 7);
      assertThat(Run.predict(new Flatten(), x).toFloatArray()).containsExactly(Run.range(8, 0, 1));
    }

    @Test
    void flattenNeedsThreeDimensionsAsKeras231() {
      assertThatThrownBy(() -> new Flatten().apply(Input.create(3)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("expected min_ndim=3, found ndim=2");
    }

    @Test
    void permuteReordersTheNonBatchAxes() {
      NDArray x = NDArray.of(Run.range(6, 0, 1), 1, 2, 3);
      NDArray out = Run.predict(new Permute(2, 1), x);
      assertThat(out.shape()).containsExactly(1, 3, 2);
      assertThat(out.toFloatArray()).containsExactly(0, 3, 1, 4, 2, 5);
      assertThat(new Permute(3, 1, 2).apply(Input.create(4, 5, 6)).shape())
          .containsExactly(-1, 6, 4, 5);
    }

    @Test
    void permuteRejectsWhatIsNotAPermutationFromOne() {
      assertThatThrownBy(() -> new Permute(0, 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Invalid permutation argument `dims` for Permute Layer");
    }

    @Test
    void repeatVectorRepeatsEachSample() {
      NDArray out = Run.predict(new RepeatVector(3), NDArray.of(new float[] {1, 2, 3, 4}, 2, 2));
      assertThat(out.shape()).containsExactly(2, 3, 2);
      assertThat(out.toFloatArray()).containsExactly(1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4);
      assertThatThrownBy(() -> new RepeatVector(2).apply(Input.create(2, 2)))
          .hasMessageContaining("expected ndim=2, found ndim=3");
    }
  }

  @Nested
  @Tag("native")
  class MaskingLayer {
    @Test
    void zeroesMaskedStepsAndPassesTheMaskOn() {
      NDArray x = NDArray.of(new float[] {0, 0, 1, 0, 5, 5}, 1, 3, 2);
      assertThat(Run.predict(new Masking(), x).toFloatArray()).containsExactly(0, 0, 1, 0, 5, 5);
      NDArray mask =
          Run.predict(
              ins -> new MergeLayersTest.ShowMask().apply(new Masking().apply(ins.get(0))),
              List.of(x));
      assertThat(mask.toFloatArray()).containsExactly(0, 1, 1);
    }

    @Test
    void aCustomMaskValueMasksStepsWhoseFeaturesAllEqualIt() {
      NDArray x = NDArray.of(new float[] {-1, -1, -1, 2, 3, 3}, 1, 3, 2);
      // Masked steps are multiplied by 0, as Keras does: -1 * 0 is -0.
      assertThat(Run.predict(new Masking(-1), x).toFloatArray())
          .usingComparatorWithPrecision(0f)
          .containsExactly(0, 0, -1, 2, 3, 3);
    }

    @Test
    void maskedStepsCountForNothingInTheLoss() {
      KerasTensor in = Input.create(3, 1);
      try (Model m = new Model(in, new Masking().apply(in))) {
        m.compile(new SGD(0.0), "mae");
        NDArray x = NDArray.of(new float[] {0, 2, 4}, 1, 3, 1);
        NDArray y = NDArray.of(new float[] {9, 0, 0}, 1, 3, 1);
        assertThat(m.testOnBatch(x, y).scalar()).isCloseTo((2 + 4) / 3.0, within(1e-5));
      }
    }
  }

  @Test
  @Tag("native")
  void activityRegularizationAddsL1AndL2OfItsInput() {
    KerasTensor in = Input.create(2);
    try (Model m = new Model(in, new ActivityRegularization(0.1, 0.01).apply(in))) {
      m.compile(new SGD(0.0), "mse");
      NDArray x = NDArray.of(new float[] {1, -2, 3, 4}, 2, 2);
      double loss = m.testOnBatch(x, x).scalar(); // mse 0
      assertThat(loss).isCloseTo(0.1f * 10 + 0.01f * 30, within(1e-5));
    }
  }

  @Test
  @Tag("native")
  void summaryShowsKerasShapesAndParams() {
    Layer.resetNames();
    try (Sequential m =
        new Sequential(
            List.of(
                Permute.builder(2, 1).inputShape(4, 3).build(),
                new Flatten(),
                new RepeatVector(2),
                new PReLU(),
                new Masking()))) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      m.summary(new PrintStream(buf, true, StandardCharsets.UTF_8));
      String s = buf.toString(StandardCharsets.UTF_8);
      assertThat(s)
          .contains(String.format("%-29s%-26s%-10s", "permute_1 (Permute)", "(None, 3, 4)", "0"))
          .contains(String.format("%-29s%-26s%-10s", "flatten_1 (Flatten)", "(None, 12)", "0"))
          .contains("repeat_vector_1 (RepeatVecto (None, 2, 12)             0 ")
          .contains(String.format("%-29s%-26s%-10s", "p_re_lu_1 (PReLU)", "(None, 2, 12)", "24"))
          .contains(String.format("%-29s%-26s%-10s", "masking_1 (Masking)", "(None, 2, 12)", "0"));
    }
  }

  static Stream<Arguments> configs() {
    return Stream.of(
        Arguments.of(
            (Supplier<Layer>) () -> Dropout.builder(0.2).noiseShape(-1, 1, 3).seed(4L).build(),
            List.of("rate", "noise_shape", "seed")),
        Arguments.of(
            (Supplier<Layer>) () -> new SpatialDropout1D(0.3),
            List.of("rate", "noise_shape", "seed")),
        Arguments.of(
            (Supplier<Layer>) () -> new SpatialDropout2D(0.3),
            List.of("rate", "noise_shape", "seed")),
        Arguments.of(
            (Supplier<Layer>) () -> new SpatialDropout3D(0.3),
            List.of("rate", "noise_shape", "seed")),
        Arguments.of(
            (Supplier<Layer>) () -> Flatten.builder().dataFormat("channels_first").build(),
            List.of("data_format")),
        Arguments.of((Supplier<Layer>) () -> new Permute(2, 1), List.of("dims")),
        Arguments.of((Supplier<Layer>) () -> new RepeatVector(4), List.of("n")),
        Arguments.of((Supplier<Layer>) () -> new Masking(-1), List.of("mask_value")),
        Arguments.of(
            (Supplier<Layer>) () -> new ActivityRegularization(0.1, 0.2), List.of("l1", "l2")),
        Arguments.of((Supplier<Layer>) () -> new GaussianNoise(0.3), List.of("stddev")),
        Arguments.of((Supplier<Layer>) () -> new GaussianDropout(0.3), List.of("rate")),
        Arguments.of((Supplier<Layer>) () -> new AlphaDropout(0.3), List.of("rate")));
  }

  @ParameterizedTest
  @MethodSource("configs")
  void configHasKerasKeysInKerasOrderAndRoundTrips(Supplier<Layer> make, List<String> ownKeys) {
    Layer layer = make.get();
    Map<String, Object> c = layer.getConfig();
    assertThat(List.copyOf(c.keySet()).subList(3, c.size())).containsExactlyElementsOf(ownKeys);
    assertThat(Layers.deserialize(layer.getClass().getSimpleName(), c).getConfig()).isEqualTo(c);
  }

  @Test
  void rateOutsideZeroToOneIsRejectedNamingTheArgument() {
    assertThatThrownBy(() -> new GaussianDropout(1.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Expected `rate` to be a float in [0, 1). Received: rate=1.0");
    assertThatThrownBy(() -> new GaussianNoise(-1))
        .hasMessage("Expected `stddev` to be a float >= 0. Received: stddev=-1.0");
  }
}
