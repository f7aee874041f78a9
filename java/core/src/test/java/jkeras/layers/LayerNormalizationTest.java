package jkeras.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jkeras.backend.Weight;
import jkeras.data.NDArray;
import jkeras.models.Model;
import jkeras.optimizers.SGD;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** tf-keras' LayerNormalization (Keras 2.3.1 has none): config, weights, numerics. */
class LayerNormalizationTest {
  @BeforeEach
  void resetNames() {
    Layer.resetNames();
  }

  @Nested
  class Configuration {
    @Test
    void defaultsAndConfigKeysAreTfKerasInOrder() {
      Map<String, Object> c =
          ConfigKeys.assertNameAndKeys(
              new LayerNormalization(),
              "layer_normalization_1",
              ConfigKeys.keys(
                  ConfigKeys.BASE,
                  "axis",
                  ConfigKeys.NORMALIZATION,
                  "beta_initializer",
                  "gamma_initializer",
                  ConfigKeys.BETA_AND_GAMMA_PENALTIES));
      assertThat(c.get("axis")).isEqualTo(-1);
      assertThat(c.get("epsilon")).isEqualTo(1e-3);
    }

    @Test
    void onceBuiltTheAxisIsWrittenAsTfKerasDoesAListOfNonNegativeAxes() {
      LayerNormalization ln = new LayerNormalization();
      ln.apply(Input.create(5, 4));
      assertThat(ln.getConfig().get("axis")).isEqualTo(List.of(2));
      LayerNormalization two = LayerNormalization.builder().axes(-2, -1).build();
      assertThat(two.getConfig().get("axis")).isEqualTo(List.of(-2, -1));
      two.apply(Input.create(5, 4));
      assertThat(two.getConfig().get("axis")).isEqualTo(List.of(1, 2));
    }

    @Test
    void roundTripsItsConfig() {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("name", "ln");
      c.put("axis", List.of(1, 2));
      c.put("epsilon", 1e-6);
      c.put("center", false);
      Layer ln = Layers.deserialize("LayerNormalization", c);
      Map<String, Object> back = ln.getConfig();
      assertThat(back.get("axis")).isEqualTo(List.of(1, 2));
      assertThat(back.get("epsilon")).isEqualTo(1e-6);
      assertThat(Layers.deserialize("LayerNormalization", back).getConfig()).isEqualTo(back);
    }

    @Test
    void badAxesAreTfKerasErrors() {
      assertThatThrownBy(() -> LayerNormalization.builder().axis(3).build().apply(Input.create(4)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "Invalid value for `axis` argument. Expected 0 <= axis < inputs.rank (with"
                  + " inputs.rank=2). Received: axis=(3,)");
      assertThatThrownBy(
              () -> LayerNormalization.builder().axes(1, -1).build().apply(Input.create(4)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Duplicate axis: (1, 1)");
    }

    @Test
    void weightsAreGammaThenBetaOverTheNormalizedAxes() {
      LayerNormalization ln = LayerNormalization.builder().axes(1, 2).build();
      ln.apply(Input.create(3, 4));
      assertThat(ln.weights()).extracting(Weight::name).containsExactly("gamma", "beta");
      assertThat(ln.weights().get(0).shape()).containsExactly(3, 4);
      assertThat(ln.countParams()).isEqualTo(24);
    }
  }

  /**
   * The axis forms of tf-keras' two code paths: contiguous axes ending at the last (fused kernel),
   * and others (composition), with small and large epsilon.
   */
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(new int[] {-1}, 1e-3),
        Arguments.of(new int[] {-1}, 1e-6),
        Arguments.of(new int[] {1, 2}, 1e-3),
        Arguments.of(new int[] {1}, 1e-3),
        Arguments.of(new int[] {0 + 1, 2}, 1e-7));
  }

  @ParameterizedTest
  @MethodSource("cases")
  @Tag("native")
  void normalizesEachSampleOverItsAxesInTrainingAndInferenceAlike(int[] axes, double eps) {
    int b = 3;
    int t = 4;
    int f = 5;
    float[] xv = new float[b * t * f];
    for (int i = 0; i < xv.length; i++) xv[i] = (float) (Math.sin(0.9 * i) * (1 + i % 5));
    KerasTensor in = Input.create(t, f);
    LayerNormalization ln = LayerNormalization.builder().axes(axes).epsilon(eps).build();
    KerasTensor out = Dense.builder(2).name("after").build().apply(ln.apply(in));
    try (Model m = new Model(List.of(in), List.of(out, ln.apply(in)))) {
      assertThat(out.shape()).containsExactly(-1, t, 2);
      long[] ps = ln.weights().get(0).shape();
      int pn = (int) jkeras.internal.Shapes.product(ps);
      float[] g = new float[pn];
      float[] be = new float[pn];
      for (int i = 0; i < pn; i++) {
        g[i] = 0.5f + 0.1f * i;
        be[i] = 0.2f - 0.05f * i;
      }
      ln.setWeights(List.of(NDArray.of(g, ps), NDArray.of(be, ps)));
      NDArray x = NDArray.of(xv, b, t, f);
      float[] got =
          m.predictOutputs(x, jkeras.trainers.PredictOptions.builder().verbose(0).build())
              .get(1)
              .toFloatArray();
      double[] want = handLayerNorm(xv, b, t, f, axes, eps, g, be);
      for (int i = 0; i < want.length; i++)
        assertThat((double) got[i]).isCloseTo(want[i], within(2e-5));
      // The same in a training step (no batch statistics, no updates).
      m.compile(new SGD(0.0), List.of("mse", "mse"));
      double mse = 0;
      for (double w : want) mse += w * w;
      mse /= want.length;
      NDArray zeros = NDArray.of(new float[want.length], b, t, f);
      NDArray z2 = NDArray.of(new float[b * t * 2], b, t, 2);
      assertThat(
              m.trainOnBatch(
                      jkeras.data.ArrayData.of(List.of(x)),
                      jkeras.data.ArrayData.of(List.of(z2, zeros)))
                  .get(2))
          .isCloseTo(mse, within(1e-5 * Math.max(1, mse)));
    }
  }

  /**
   * (x - mean) / sqrt(var + eps) * gamma + beta per sample over {@code axes} (rank 3, in double).
   */
  static double[] handLayerNorm(
      float[] x, int b, int t, int f, int[] axes, double eps, float[] g, float[] be) {
    boolean overT = false;
    boolean overF = false;
    for (int a : axes) {
      int r = a < 0 ? 3 + a : a;
      if (r == 1) overT = true;
      if (r == 2) overF = true;
    }
    double[] out = new double[x.length];
    for (int i = 0; i < b; i++) {
      // Groups: each (i, fixed non-normalized index).
      int groupsT = overT ? 1 : t;
      int groupsF = overF ? 1 : f;
      for (int gt = 0; gt < groupsT; gt++) {
        for (int gf = 0; gf < groupsF; gf++) {
          // The group's cells: {index in x, index in gamma/beta}, gamma spanning the normalized
          // axes: (t, f), (t,) or (f,).
          List<int[]> cells = new ArrayList<>();
          for (int j = 0; j < t; j++) {
            if (!overT && j != gt) continue;
            for (int k = 0; k < f; k++) {
              if (!overF && k != gf) continue;
              cells.add(
                  new int[] {(i * t + j) * f + k, overT && overF ? j * f + k : overT ? j : k});
            }
          }
          double sum = 0;
          for (int[] c : cells) sum += x[c[0]];
          double mean = sum / cells.size();
          double sq = 0;
          for (int[] c : cells) {
            double d = x[c[0]] - mean;
            sq += d * d;
          }
          double inv = 1 / Math.sqrt(sq / cells.size() + eps);
          for (int[] c : cells) out[c[0]] = (x[c[0]] - mean) * inv * g[c[1]] + be[c[1]];
        }
      }
    }
    return out;
  }
}
