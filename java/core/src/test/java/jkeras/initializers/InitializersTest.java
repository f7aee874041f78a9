package jkeras.initializers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class InitializersTest {
  /** A Dense kernel of an MNIST MLP: 100,352 samples, enough for 2-3% tolerances on std. */
  private static final long[] KERNEL = {784, 128};

  /** A Conv2D kernel 3x3, 16 -> 32 channels: fan_in = 144, fan_out = 288. */
  private static final long[] CONV = {3, 3, 16, 32};

  /** Builds {@code init} in a fresh graph and returns the values. */
  static float[] values(Initializer init, long[] shape, long engineSeed) {
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> op = init.call(tf, shape, engineSeed);
      try (Result r = s.runner().fetch(op).run()) {
        TFloat32 t = (TFloat32) r.get(0);
        assertThat(t.shape().asArray()).isEqualTo(shape);
        float[] y = new float[(int) t.shape().size()];
        t.copyTo(DataBuffers.of(y, false, false));
        return y;
      }
    }
  }

  record Stats(double min, double max, double mean, double std) {
    static Stats of(float[] v) {
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      double sum = 0;
      for (float x : v) {
        min = Math.min(min, x);
        max = Math.max(max, x);
        sum += x;
      }
      double mean = sum / v.length;
      double ss = 0;
      for (float x : v) {
        ss += (x - mean) * (x - mean);
      }
      return new Stats(min, max, mean, Math.sqrt(ss / v.length));
    }
  }

  /** Uniform in [-limit, limit): both signs, centred, variance limit^2 / 3, bounded. */
  static void assertUniform(float[] v, double lo, double hi) {
    Stats s = Stats.of(v);
    double width = hi - lo;
    assertThat(s.min()).isGreaterThanOrEqualTo(lo).isLessThan(lo + 0.01 * width);
    assertThat(s.max()).isLessThan(hi).isGreaterThan(hi - 0.01 * width);
    assertThat(s.mean()).isCloseTo((lo + hi) / 2, within(0.01 * width));
    assertThat(s.std()).isCloseTo(width / Math.sqrt(12), within(0.02 * width / Math.sqrt(12)));
  }

  /** Truncated at two (pre-truncation) standard deviations {@code sigma}; std 0.8796 * sigma. */
  static void assertTruncated(float[] v, double mean, double sigma) {
    Stats s = Stats.of(v);
    assertThat(s.min()).isGreaterThanOrEqualTo(mean - 2 * sigma * (1 + 1e-6));
    assertThat(s.max()).isLessThanOrEqualTo(mean + 2 * sigma * (1 + 1e-6));
    assertThat(s.min()).isLessThan(mean - 1.9 * sigma);
    assertThat(s.max()).isGreaterThan(mean + 1.9 * sigma);
    assertThat(s.mean()).isCloseTo(mean, within(0.02 * sigma));
    assertThat(s.std()).isCloseTo(0.87962566103423978 * sigma, within(0.02 * sigma));
  }

  @Nested
  class Constants {
    @Tag("native")
    @Test
    void zerosOnesAndConstantAreExact() {
      assertThat(values(new Zeros(), new long[] {3, 4}, 1)).containsOnly(0f).hasSize(12);
      assertThat(values(new Ones(), new long[] {5}, 1)).containsOnly(1f).hasSize(5);
      assertThat(values(new Constant(0.1), new long[] {2, 2, 2}, 1)).containsOnly(0.1f).hasSize(8);
      assertThat(values(new Constant(), new long[] {2}, 1)).containsOnly(0f);
    }

    @Tag("native")
    @Test
    void scalarShapeWorks() {
      assertThat(values(new Constant(-2.5), new long[0], 1)).containsExactly(-2.5f);
    }
  }

  @Nested
  class Distributions {
    @Tag("native")
    @Test
    void randomUniformDefaultsAreMinus005To005() {
      assertUniform(values(new RandomUniform(), KERNEL, 7), -0.05, 0.05);
    }

    @Tag("native")
    @Test
    void randomUniformCustomRange() {
      assertUniform(values(new RandomUniform(1.0, 3.0, 5L), KERNEL, 0), 1.0, 3.0);
    }

    @Tag("native")
    @Test
    void randomNormalHasMeanAndStddev() {
      Stats s = Stats.of(values(new RandomNormal(0.5, 2.0, 3L), KERNEL, 0));
      assertThat(s.mean()).isCloseTo(0.5, within(0.02 * 2.0));
      assertThat(s.std()).isCloseTo(2.0, within(0.02 * 2.0));
      // An untruncated normal reaches beyond 2 stddev (about 4.6% of the values).
      assertThat(s.max()).isGreaterThan(0.5 + 3 * 2.0);
    }

    @Tag("native")
    @Test
    void randomNormalDefaults() {
      Stats s = Stats.of(values(new RandomNormal(), KERNEL, 11));
      assertThat(s.mean()).isCloseTo(0.0, within(0.001));
      assertThat(s.std()).isCloseTo(0.05, within(0.001));
    }

    @Tag("native")
    @Test
    void truncatedNormalStaysWithinTwoStddev() {
      assertTruncated(values(new TruncatedNormal(), KERNEL, 13), 0.0, 0.05);
      assertTruncated(values(new TruncatedNormal(1.0, 0.5, 2L), KERNEL, 0), 1.0, 0.5);
    }

    @Tag("native")
    @Test
    void glorotUniformSamplesMinusLimitToLimit() {
      // The tensorflow-framework bug sampled [0, limit): min 0, mean limit / 2.
      double limit = Math.sqrt(6.0 / (784 + 128));
      float[] v = values(Initializers.glorotUniform(42), KERNEL, 0);
      Stats s = Stats.of(v);
      assertThat(s.min()).isLessThan(0);
      assertThat(s.max()).isGreaterThan(0);
      assertThat(s.mean()).isCloseTo(0.0, within(0.01 * limit));
      assertThat(s.std() * s.std()).isCloseTo(limit * limit / 3, within(0.04 * limit * limit / 3));
      assertUniform(v, -limit, limit);
    }

    @Tag("native")
    @Test
    void heAndLecunUniformLimits() {
      assertUniform(
          values(Initializers.heUniform(1), KERNEL, 0),
          -Math.sqrt(6.0 / 784),
          Math.sqrt(6.0 / 784));
      assertUniform(
          values(Initializers.lecunUniform(1), KERNEL, 0),
          -Math.sqrt(3.0 / 784),
          Math.sqrt(3.0 / 784));
    }

    @Tag("native")
    @Test
    void normalVariantsAreTruncatedWithCorrectedStddev() {
      double c = 0.87962566103423978;
      assertTruncated(values(Initializers.glorotNormal(1), KERNEL, 0), 0, Math.sqrt(2.0 / 912) / c);
      assertTruncated(values(Initializers.heNormal(1), KERNEL, 0), 0, Math.sqrt(2.0 / 784) / c);
      assertTruncated(values(Initializers.lecunNormal(1), KERNEL, 0), 0, Math.sqrt(1.0 / 784) / c);
    }

    @Tag("native")
    @Test
    void convKernelsUseReceptiveFieldFans() {
      double c = 0.87962566103423978;
      assertTruncated(values(Initializers.heNormal(3), CONV, 0), 0, Math.sqrt(2.0 / 144) / c);
      double limit = Math.sqrt(6.0 / (144 + 288));
      assertUniform(values(Initializers.glorotUniform(3), CONV, 0), -limit, limit);
    }

    @Tag("native")
    @Test
    void varianceScalingModesAndDistributions() {
      double fanOutLimit = Math.sqrt(3 * 3.0 / 128);
      assertUniform(values(vs(3.0, "fan_out", "uniform"), KERNEL, 9), -fanOutLimit, fanOutLimit);
      Stats plain = Stats.of(values(vs(0.5, "fan_in", "untruncated_normal"), KERNEL, 9));
      assertThat(plain.std()).isCloseTo(Math.sqrt(0.5 / 784), within(0.02 * Math.sqrt(0.5 / 784)));
      double sigma = Math.sqrt(1.0 / 784) / 0.87962566103423978;
      assertTruncated(values(vs(1.0, "FAN_IN", "truncated_normal"), KERNEL, 9), 0, sigma);
      assertTruncated(values(VarianceScaling.builder().build(), KERNEL, 9), 0, sigma);
    }
  }

  private static VarianceScaling vs(double scale, String mode, String distribution) {
    return VarianceScaling.builder().scale(scale).mode(mode).distribution(distribution).build();
  }

  static Stream<Arguments> seededInitializers() {
    return Stream.of(
        Arguments.of(new RandomUniform(-1, 1, 5L), new RandomUniform(-1, 1, 6L)),
        Arguments.of(new RandomNormal(0, 1, 5L), new RandomNormal(0, 1, 6L)),
        Arguments.of(new TruncatedNormal(0, 1, 5L), new TruncatedNormal(0, 1, 6L)),
        Arguments.of(Initializers.glorotUniform(5), Initializers.glorotUniform(6)),
        Arguments.of(Initializers.glorotNormal(5), Initializers.glorotNormal(6)),
        Arguments.of(Initializers.heUniform(5), Initializers.heUniform(6)),
        Arguments.of(Initializers.heNormal(5), Initializers.heNormal(6)),
        Arguments.of(Initializers.lecunUniform(5), Initializers.lecunUniform(6)),
        Arguments.of(Initializers.lecunNormal(5), Initializers.lecunNormal(6)));
  }

  @Nested
  class RngUtils {
    @Tag("native")
    @ParameterizedTest(name = "{0}")
    @MethodSource("jkeras.initializers.InitializersTest#seededInitializers")
    void sameSeedSameValuesDifferentSeedDifferentValues(Initializer a, Initializer b) {
      long[] shape = {20, 10};
      float[] first = values(a, shape, 100);
      float[] again = values(a, shape, 200); // another graph, another engine seed: ignored
      float[] other = values(b, shape, 100);
      assertThat(again).isEqualTo(first);
      assertThat(Arrays.equals(first, other)).isFalse();
    }

    @Tag("native")
    @Test
    void engineSeedIsUsedWhenUnseeded() {
      long[] shape = {20, 10};
      float[] a = values(Initializers.get("glorot_uniform"), shape, 100);
      assertThat(values(Initializers.get("glorot_uniform"), shape, 100)).isEqualTo(a);
      assertThat(Arrays.equals(values(Initializers.get("glorot_uniform"), shape, 101), a))
          .isFalse();
      // An unseeded initializer with engine seed s equals one constructed with seed s.
      assertThat(values(Initializers.glorotUniform(100), shape, 7)).isEqualTo(a);
    }

    @Tag("native")
    @Test
    void glorotUniformIsAffineInTheStatelessUniform() {
      // u * (2 * limit) - limit for the same underlying uniform draw (RandomUniform(0, 1)).
      long[] shape = {4, 3};
      float[] u = values(new RandomUniform(0, 1, 42L), shape, 0);
      float[] g = values(Initializers.glorotUniform(42), shape, 0);
      float limit = (float) Math.sqrt(3.0 * (1.0 / 3.5));
      for (int i = 0; i < u.length; i++) {
        assertThat(g[i]).isCloseTo(u[i] * (limit - -limit) + -limit, within(1e-6f));
      }
    }
  }

  @Nested
  class Fans {
    @Test
    void denseKernel() {
      assertThat(VarianceScaling.computeFans(new long[] {784, 128})).containsExactly(784, 128);
    }

    @Test
    void convKernelsMultiplyTheReceptiveField() {
      assertThat(VarianceScaling.computeFans(new long[] {5, 16, 32})).containsExactly(80, 160);
      assertThat(VarianceScaling.computeFans(CONV)).containsExactly(144, 288);
      assertThat(VarianceScaling.computeFans(new long[] {2, 3, 3, 4, 8})).containsExactly(72, 144);
    }

    @Test
    void otherRanksUseSqrtOfSizeAsKeras231() {
      assertThat(VarianceScaling.computeFans(new long[] {16})).containsExactly(4, 4);
      assertThat(VarianceScaling.computeFans(new long[0])).containsExactly(1, 1);
      assertThat(VarianceScaling.computeFans(new long[] {2, 2, 2, 2, 2, 2})).containsExactly(8, 8);
    }
  }

  @Nested
  class Configs {
    @Test
    void keysAndDefaultsAreKeras() {
      assertThat(new RandomUniform().getConfig())
          .containsExactly(
              Map.entry("minval", -0.05), Map.entry("maxval", 0.05), entry("seed", null));
      assertThat(new RandomNormal().getConfig())
          .containsExactly(Map.entry("mean", 0.0), Map.entry("stddev", 0.05), entry("seed", null));
      assertThat(new TruncatedNormal(0, 1, 3L).getConfig())
          .containsExactly(Map.entry("mean", 0.0), Map.entry("stddev", 1.0), entry("seed", 3L));
      assertThat(new Constant(0.5).getConfig()).containsExactly(Map.entry("value", 0.5));
      assertThat(new Zeros().getConfig()).isEmpty();
      assertThat(VarianceScaling.builder().build().getConfig())
          .containsExactly(
              Map.entry("scale", 1.0),
              Map.entry("mode", "fan_in"),
              Map.entry("distribution", "normal"),
              entry("seed", null));
    }

    @Test
    void namedVariantsReportTheirVarianceScalingConfig() {
      assertThat(Initializers.glorotUniform(3).getConfig())
          .containsExactly(
              Map.entry("scale", 1.0),
              Map.entry("mode", "fan_avg"),
              Map.entry("distribution", "uniform"),
              entry("seed", 3L));
      assertThat(Initializers.get("he_normal").getConfig())
          .containsEntry("scale", 2.0)
          .containsEntry("mode", "fan_in")
          .containsEntry("distribution", "normal");
      // Keras 2.3.1 writes glorot_uniform (a function) as the VarianceScaling it returns.
      assertThat(Initializers.get("glorot_uniform").className()).isEqualTo("VarianceScaling");
    }

    @Test
    void serializeDeserializeRoundTrips() {
      for (Initializer i :
          new Initializer[] {
            new Zeros(),
            new Ones(),
            new Constant(2),
            new RandomUniform(-1, 2, 4L),
            new RandomNormal(1, 2, null),
            new TruncatedNormal(0, 3, 9L),
            VarianceScaling.builder()
                .scale(2)
                .mode("fan_avg")
                .distribution("uniform")
                .seed(1L)
                .build(),
            Initializers.glorotUniform(1),
            Initializers.get("glorot_normal"),
            Initializers.heUniform(2),
            Initializers.get("he_normal"),
            Initializers.get("lecun_uniform"),
            Initializers.lecunNormal(8)
          }) {
        Initializer back = Initializers.deserialize(Initializers.serialize(i));
        assertThat(back).isInstanceOf(i.getClass());
        assertThat(back.className()).isEqualTo(i.className());
        assertThat(back.getConfig()).isEqualTo(i.getConfig());
      }
    }

    @Test
    void variantsAcceptTfKerasSeedOnlyConfig() {
      Initializer i =
          Initializers.deserialize(
              Map.of("class_name", "GlorotUniform", "config", Map.of("seed", 12)));
      assertThat(i.className()).isEqualTo("VarianceScaling");
      assertThat(((VarianceScaling) i).seed()).isEqualTo(12L);
      assertThat(i.getConfig())
          .containsEntry("mode", "fan_avg")
          .containsEntry("distribution", "uniform");
    }

    @Test
    void variantsRejectAConfigOfAnotherVariant() {
      Map<String, Object> heConfig = Initializers.get("he_uniform").getConfig();
      assertThatThrownBy(
              () ->
                  Initializers.deserialize(
                      Map.of("class_name", "GlorotUniform", "config", heConfig)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Received: scale=2.0");
    }

    @Test
    void unknownConfigKeyIsRejected() {
      assertThatThrownBy(() -> RandomUniform.fromConfig(Map.of("min_val", -1.0)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Unknown argument `min_val` for RandomUniform")
          .hasMessageContaining("minval");
    }

    @Test
    void dtypeKeyIsIgnoredAsKerasDoes() {
      assertThat(RandomNormal.fromConfig(Map.of("dtype", "float32", "stddev", 0.1)).stddev())
          .isEqualTo(0.1);
    }

    @Test
    void varianceScalingValidatesItsArguments() {
      assertThatThrownBy(() -> VarianceScaling.builder().scale(0).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Received: scale=0.0");
      assertThatThrownBy(() -> VarianceScaling.builder().mode("fan_sum").build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("fan_avg")
          .hasMessageContaining("Received: mode=fan_sum");
      assertThatThrownBy(() -> VarianceScaling.builder().distribution("gamma").build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Received: distribution=gamma");
      assertThat(VarianceScaling.builder().mode("FAN_OUT").distribution("Uniform").build().mode())
          .isEqualTo("fan_out");
    }
  }

  @Nested
  class Registry {
    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
      "glorot_uniform, VarianceScaling",
      "glorot_normal, VarianceScaling",
      "he_uniform, VarianceScaling",
      "he_normal, VarianceScaling",
      "lecun_uniform, VarianceScaling",
      "lecun_normal, VarianceScaling",
      "random_uniform, RandomUniform",
      "uniform, RandomUniform",
      "random_normal, RandomNormal",
      "normal, RandomNormal",
      "truncated_normal, TruncatedNormal",
      "zeros, Zeros",
      "zero, Zeros",
      "ones, Ones",
      "one, Ones",
      "constant, Constant",
      "VarianceScaling, VarianceScaling",
      "GlorotUniform, VarianceScaling",
      "RandomUniform, RandomUniform"
    })
    void kerasIdentifiersResolve(String identifier, String className) {
      // className() is the Java class's simple name; the presets are VarianceScaling, as in Keras
      // 2.3.1, whose glorot_uniform and the like are functions.
      assertThat(Initializers.get(identifier).className()).isEqualTo(className);
    }

    @Test
    void getPassesInstancesAndMaps() {
      Initializer i = new Constant(3);
      assertThat(Initializers.get((Object) i)).isSameAs(i);
      Map<String, Object> cfg = new LinkedHashMap<>();
      cfg.put("class_name", "Constant");
      cfg.put("config", Map.of("value", 3));
      assertThat(((Constant) Initializers.get((Object) cfg)).value()).isEqualTo(3.0);
    }

    @Test
    void unknownNameListsValidOnes() {
      assertThatThrownBy(() -> Initializers.get("xavier"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Unknown initializer: `xavier`")
          .hasMessageContaining("glorot_uniform")
          .hasMessageContaining("he_normal");
    }

    @Test
    void nullAndMalformedConfigsAreRejected() {
      assertThatThrownBy(() -> Initializers.get((Object) null))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> Initializers.deserialize(Map.of("class_name", "Zeros")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("class_name");
    }
  }

  private static Map.Entry<String, Object> entry(String k, Object v) {
    return new java.util.AbstractMap.SimpleEntry<>(k, v);
  }
}
