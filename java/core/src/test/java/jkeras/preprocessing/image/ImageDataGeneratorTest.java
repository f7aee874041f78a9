package jkeras.preprocessing.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import jkeras.data.NDArray;
import jkeras.internal.Warnings;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ImageDataGeneratorTest {
  static NDArray images(int n, int rows, int cols, int ch, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] d = new float[n * rows * cols * ch];
    for (int i = 0; i < d.length; i++) d[i] = (float) (r.nextDouble() * 255);
    return NDArray.of(d, n, rows, cols, ch);
  }

  static NDArray image(int rows, int cols, int ch, long seed) {
    return images(1, rows, cols, ch, seed).reshape(rows, cols, ch);
  }

  @Nested
  class Arguments_ {
    static Stream<Arguments> badConfigs() {
      return Stream.of(
          Arguments.of(Map.of("data_format", "channels_middle"), "`data_format` should be"),
          Arguments.of(
              Map.of("validation_split", 1.5),
              "`validation_split` must be strictly between 0 and 1.  Received: 1.5"),
          Arguments.of(
              Map.of("zoom_range", List.of(0.5, 1.0, 2.0)),
              "`zoom_range` should be a float or a tuple or list of two floats. Received: [0.5,"),
          Arguments.of(
              Map.of("brightness_range", List.of(0.5)),
              "`brightness_range should be tuple or list of two floats. Received: [0.5]"),
          Arguments.of(
              Map.of("fill_mode", "mirror"),
              "Expected `fillMode` to be one of [constant, nearest, reflect, wrap]. Received:"
                  + " fillMode=mirror"),
          Arguments.of(Map.of("interpolation_order", 3), "Received: interpolationOrder=3"),
          Arguments.of(
              Map.of("rotation", 10),
              "Unknown argument `rotation` for ImageDataGenerator. Expected one of"
                  + " [featurewise_center,"),
          Arguments.of(Map.of("width_shift_range", "wide"), "Received: width_shift_range=wide"));
    }

    @ParameterizedTest
    @MethodSource("badConfigs")
    void rejectsWithKerasMessage(Map<String, Object> config, String message) {
      assertThatThrownBy(() -> ImageDataGenerator.fromConfig(config))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(message);
    }

    @Test
    void fromConfigTakesKerasKeywordsAndDefaults() {
      ImageDataGenerator g =
          ImageDataGenerator.fromConfig(
              Map.of("zoom_range", 0.25, "validation_split", 0.2, "data_format", "channels_first"));
      assertThat(g.zoomRange()).containsExactly(0.75, 1.25);
      assertThat(g.validationSplit()).isEqualTo(0.2);
      assertThat(g.dataFormat()).isEqualTo("channels_first");
      assertThat(ImageDataGenerator.create().zoomRange()).containsExactly(1.0, 1.0);
    }

    @Test
    void stdNormalizationTurnsCentringOnWithKerasWarning() throws Exception {
      List<String> warnings = new ArrayList<>();
      try (AutoCloseable l = Warnings.listen(warnings::add)) {
        ImageDataGenerator g =
            ImageDataGenerator.builder()
                .featurewiseStdNormalization(true)
                .samplewiseStdNormalization(true)
                .build();
        assertThat(g.featurewiseCenter()).isTrue();
        assertThat(g.samplewiseCenter()).isTrue();
      }
      assertThat(warnings)
          .anyMatch(w -> w.contains("`featurewise_std_normalization`, which overrides"))
          .anyMatch(w -> w.contains("`samplewise_std_normalization`, which overrides"));
    }
  }

  @Nested
  class Transforms {
    final ImageDataGenerator g = ImageDataGenerator.create();

    @Test
    void identityParametersLeaveTheImageUnchanged() {
      NDArray x = image(5, 7, 3, 1);
      assertThat(g.applyTransform(x, TransformParameters.identity()).toFloatArray())
          .containsExactly(x.toFloatArray());
    }

    @Test
    void aQuarterTurnRotatesAboutKerasCentre() {
      // Keras' centre is (h / 2 + 0.5, w / 2 + 0.5), here (3.5, 3.5): output (r, c) reads the
      // input at (7 - c, r), in range for c >= 2.
      NDArray x = image(6, 6, 2, 2);
      NDArray y = g.applyTransform(x, TransformParameters.identity().withTheta(90));
      for (int r = 0; r < 6; r++)
        for (int c = 2; c < 6; c++)
          for (int k = 0; k < 2; k++)
            assertThat(y.getFloat(r, c, k)).isCloseTo(x.getFloat(7 - c, r, k), within(1e-3f));
    }

    @Test
    void horizontalFlipReversesColumnsAndVerticalRows() {
      NDArray x = image(3, 4, 1, 3);
      NDArray h = g.applyTransform(x, TransformParameters.identity().withFlips(true, false));
      NDArray v = g.applyTransform(x, TransformParameters.identity().withFlips(false, true));
      for (int r = 0; r < 3; r++)
        for (int c = 0; c < 4; c++) {
          assertThat(h.getFloat(r, c, 0)).isEqualTo(x.getFloat(r, 3 - c, 0));
          assertThat(v.getFloat(r, c, 0)).isEqualTo(x.getFloat(2 - r, c, 0));
        }
    }

    @Test
    void anIntegerShiftMovesPixelsAndFillsByMode() {
      NDArray x = image(4, 5, 1, 4);
      ImageDataGenerator constant =
          ImageDataGenerator.builder().fillMode("constant").cval(-1).build();
      // tx shifts along rows: output row r reads input row r + tx.
      NDArray y = constant.applyTransform(x, TransformParameters.identity().withShift(1, 0));
      for (int c = 0; c < 5; c++) {
        assertThat(y.getFloat(0, c, 0)).isEqualTo(x.getFloat(1, c, 0));
        assertThat(y.getFloat(3, c, 0)).isEqualTo(-1f);
      }
      NDArray n = g.applyTransform(x, TransformParameters.identity().withShift(1, 0));
      for (int c = 0; c < 5; c++) assertThat(n.getFloat(3, c, 0)).isEqualTo(x.getFloat(3, c, 0));
    }

    @Test
    void channelsFirstTransformsTheSameImage() {
      NDArray last = image(5, 6, 3, 5);
      float[] cf = new float[90];
      for (int r = 0; r < 5; r++)
        for (int c = 0; c < 6; c++)
          for (int k = 0; k < 3; k++) cf[(k * 5 + r) * 6 + c] = last.getFloat(r, c, k);
      ImageDataGenerator first = ImageDataGenerator.builder().dataFormat("channels_first").build();
      TransformParameters p = TransformParameters.identity().withTheta(33).withZoom(0.8, 1.1);
      NDArray a = g.applyTransform(last, p);
      NDArray b = first.applyTransform(NDArray.of(cf, 3, 5, 6), p);
      for (int r = 0; r < 5; r++)
        for (int c = 0; c < 6; c++)
          for (int k = 0; k < 3; k++)
            assertThat(b.getFloat(k, r, c)).isEqualTo(a.getFloat(r, c, k));
    }

    @Test
    void brightnessEndsInZeroTo255AsKerasThroughPil() {
      NDArray x = image(4, 4, 3, 6).multiply(0.01);
      NDArray y = g.applyTransform(x, TransformParameters.identity().withBrightness(0.5));
      for (float v : y.toFloatArray()) {
        assertThat(v).isBetween(0f, 127.5f);
        assertThat(v).isEqualTo((float) Math.floor(v));
      }
    }

    @Test
    void randomTransformsDrawWithinTheRanges() {
      ImageDataGenerator r =
          ImageDataGenerator.builder()
              .rotationRange(30)
              .widthShiftRange(0.5)
              .heightShiftRange(List.of(2, 3))
              .zoomRange(0.9, 1.1)
              .build();
      for (int i = 0; i < 200; i++) {
        TransformParameters p = r.getRandomTransform(new long[] {10, 20, 3});
        assertThat(p.theta()).isBetween(-30.0, 30.0);
        assertThat(Math.abs(p.ty())).isLessThanOrEqualTo(10.0);
        assertThat(Math.abs(p.tx())).isIn(2.0, 3.0);
        assertThat(p.zx()).isBetween(0.9, 1.1);
        assertThat(p.flipHorizontal()).isFalse();
      }
      TransformParameters a = r.getRandomTransform(new long[] {10, 20, 3}, 5L);
      TransformParameters b = r.getRandomTransform(new long[] {10, 20, 3}, 5L);
      assertThat(a).isEqualTo(b);
    }
  }

  @Nested
  class Standardize {
    @Test
    void samplewiseGivesMeanZeroAndUnitStd() {
      ImageDataGenerator g =
          ImageDataGenerator.builder()
              .samplewiseCenter(true)
              .samplewiseStdNormalization(true)
              .rescale(1 / 255.0)
              .build();
      float[] y = g.standardize(image(8, 8, 3, 7)).toFloatArray();
      double mean = 0;
      for (float v : y) mean += v;
      mean /= y.length;
      double var = 0;
      for (float v : y) var += (v - mean) * (v - mean);
      assertThat(mean).isCloseTo(0, within(1e-5));
      assertThat(Math.sqrt(var / y.length)).isCloseTo(1, within(1e-4));
    }

    @Test
    void featurewiseStatisticsComeFromFit() {
      ImageDataGenerator g =
          ImageDataGenerator.builder()
              .featurewiseCenter(true)
              .featurewiseStdNormalization(true)
              .build();
      NDArray x = images(10, 4, 4, 3, 8);
      g.fit(x);
      assertThat(g.mean().shape()).containsExactly(1, 1, 3);
      NDArray s = g.standardize(x);
      for (int k = 0; k < 3; k++) {
        double m = 0;
        double sq = 0;
        for (int i = 0; i < 10; i++)
          for (int r = 0; r < 4; r++)
            for (int c = 0; c < 4; c++) {
              double v = s.getFloat(i, r, c, k);
              m += v;
              sq += v * v;
            }
        assertThat(m / 160).isCloseTo(0, within(1e-5));
        assertThat(Math.sqrt(sq / 160)).isCloseTo(1, within(1e-4));
      }
    }

    @Test
    void zcaWhitenedDataHasIdentityCovariance() {
      ImageDataGenerator g =
          ImageDataGenerator.builder().zcaWhitening(true).zcaEpsilon(1e-9).build();
      NDArray x = images(200, 2, 2, 3, 9);
      g.fit(x);
      float[] w = g.standardize(x).toFloatArray();
      int d = 12;
      for (int a = 0; a < d; a++)
        for (int b = 0; b < d; b++) {
          double cov = 0;
          for (int i = 0; i < 200; i++) cov += (double) w[i * d + a] * w[i * d + b];
          assertThat(cov / 200).isCloseTo(a == b ? 1 : 0, within(1e-3));
        }
    }

    @Test
    void preprocessingFunctionRunsFirstAndMustKeepTheShape() {
      ImageDataGenerator g =
          ImageDataGenerator.builder().preprocessingFunction(x -> x.add(1)).rescale(2.0).build();
      NDArray x = image(2, 2, 1, 10);
      assertThat(g.standardize(x).getFloat(0, 0, 0)).isEqualTo((x.getFloat(0, 0, 0) + 1) * 2);
      ImageDataGenerator bad =
          ImageDataGenerator.builder().preprocessingFunction(x2 -> x2.reshape(4)).build();
      assertThatThrownBy(() -> bad.standardize(x))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("`preprocessingFunction` to return an image of shape [2, 2, 1]");
    }

    @Test
    void fitRejectsARank3ArrayWithKerasMessage() {
      assertThatThrownBy(() -> ImageDataGenerator.create().fit(image(2, 2, 1, 1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Input to `.fit()` should have rank 4. Got array with shape: (2, 2, 1)");
    }
  }
}
