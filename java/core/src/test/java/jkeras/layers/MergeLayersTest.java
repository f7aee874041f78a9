package jkeras.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import jkeras.data.NDArray;
import jkeras.models.Model;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Keras 2.3.1's merge layers: values, broadcasting, shapes, masks, errors and functional forms. */
class MergeLayersTest {
  static final NDArray A = NDArray.of(new float[] {1, -2, 3, 4, 5, -6}, 2, 3);
  static final NDArray B = NDArray.of(new float[] {2, 2, -1, 0, 7, 1}, 2, 3);
  static final NDArray C = NDArray.of(new float[] {-1, 0, 1, 2, 3, 4}, 2, 3);

  static Stream<Arguments> elementWise() {
    return Stream.of(
        Arguments.of(
            "add",
            (Function<List<KerasTensor>, KerasTensor>) Merging::add,
            new float[] {2, 0, 3, 6, 15, -1}),
        Arguments.of(
            "subtract",
            (Function<List<KerasTensor>, KerasTensor>) ins -> Merging.subtract(ins.subList(0, 2)),
            new float[] {-1, -4, 4, 4, -2, -7}),
        Arguments.of(
            "multiply",
            (Function<List<KerasTensor>, KerasTensor>) Merging::multiply,
            new float[] {-2, 0, -3, 0, 105, -24}),
        Arguments.of(
            "average",
            (Function<List<KerasTensor>, KerasTensor>) Merging::average,
            new float[] {2 / 3f, 0, 1, 2, 5, -1 / 3f}),
        Arguments.of(
            "maximum",
            (Function<List<KerasTensor>, KerasTensor>) Merging::maximum,
            new float[] {2, 2, 3, 4, 7, 4}),
        Arguments.of(
            "minimum",
            (Function<List<KerasTensor>, KerasTensor>) Merging::minimum,
            new float[] {-1, -2, -1, 0, 3, -6}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("elementWise")
  @Tag("native")
  void elementWiseMergesCombineEveryInput(
      String what, Function<List<KerasTensor>, KerasTensor> merge, float[] expected) {
    NDArray out = Run.predict(merge, List.of(A, B, C));
    assertThat(out.shape()).containsExactly(2, 3);
    float[] got = out.toFloatArray();
    for (int i = 0; i < expected.length; i++)
      assertThat(got[i]).as("%s[%d]", what, i).isCloseTo(expected[i], within(1e-6f));
  }

  @Nested
  @Tag("native")
  class Broadcasting {
    @Test
    void sizesOfOneStretchAsKerasComputesTheShape() {
      KerasTensor a = Input.create(4, 3);
      KerasTensor b = Input.create(1, 3);
      assertThat(Merging.add(List.of(a, b)).shape()).containsExactly(-1, 4, 3);
    }

    @Test
    void aLowerRankInputGainsAxesAfterTheBatchAxis() {
      // (2, 3) and (2, 2, 3): the first becomes (2, 1, 3) and is added to both rows.
      NDArray x = NDArray.of(new float[] {1, 2, 3, 10, 20, 30}, 2, 3);
      NDArray y = NDArray.of(Run.range(12, 0, 1), 2, 2, 3);
      NDArray out = Run.predict(Merging::add, List.of(x, y));
      assertThat(out.shape()).containsExactly(2, 2, 3);
      assertThat(out.toFloatArray()).containsExactly(1, 3, 5, 4, 6, 8, 16, 27, 38, 19, 30, 41);
    }

    @Test
    void incompatibleShapesFailWithKerasMessage() {
      assertThatThrownBy(() -> Merging.multiply(List.of(Input.create(3), Input.create(4))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("Operands could not be broadcast together with shapes (3,) (4,)");
    }
  }

  @Test
  void subtractTakesExactlyTwoInputs() {
    assertThatThrownBy(
            () -> Merging.subtract(List.of(Input.create(2), Input.create(2), Input.create(2))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("A `Subtract` layer should be called on exactly 2 inputs");
  }

  @Test
  void aMergeNeedsAtLeastTwoInputs() {
    assertThatThrownBy(() -> new Maximum().apply(Input.create(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("A merge layer should be called on a list of at least 2 inputs. Got 1 inputs.");
  }

  @Nested
  @Tag("native")
  class DotLayer {
    @Test
    void twoVectorsGiveOneValuePerSample() {
      NDArray out = Run.predict(ins -> Merging.dot(ins, 1), List.of(A, B));
      assertThat(out.shape()).containsExactly(2, 1);
      assertThat(out.toFloatArray()).containsExactly(1 * 2 - 2 * 2 - 3, 0 + 35 - 6f);
    }

    @Test
    void normalizeGivesTheCosineProximity() {
      NDArray out = Run.predict(ins -> Merging.dot(ins, -1, true), List.of(A, B));
      double na = Math.sqrt(1 + 4 + 9);
      double nb = Math.sqrt(4 + 4 + 1);
      assertThat((double) out.toFloatArray()[0]).isCloseTo(-5 / (na * nb), within(1e-6));
    }

    @Test
    void matricesAlongChosenAxesAsBatchDot() {
      // x (2, 3, 2) . y (2, 3, 4) along axes (1, 1): out[b] = x[b]^T y[b], shape (2, 2, 4).
      NDArray x = NDArray.of(Run.range(12, 0, 1), 2, 3, 2);
      NDArray y = NDArray.of(Run.range(24, 1, 0.5f), 2, 3, 4);
      NDArray out = Run.predict(ins -> Merging.dot(ins, new int[] {1, 1}, false), List.of(x, y));
      assertThat(out.shape()).containsExactly(2, 2, 4);
      float[] xs = x.toFloatArray();
      float[] ys = y.toFloatArray();
      float[] got = out.toFloatArray();
      for (int b = 0; b < 2; b++)
        for (int i = 0; i < 2; i++)
          for (int j = 0; j < 4; j++) {
            double s = 0;
            for (int k = 0; k < 3; k++) s += xs[b * 6 + k * 2 + i] * ys[b * 12 + k * 4 + j];
            assertThat((double) got[b * 8 + i * 4 + j]).isCloseTo(s, within(1e-4));
          }
    }

    @Test
    void shapesFollowKeras() {
      assertThat(
              Merging.dot(List.of(Input.create(3, 4), Input.create(4, 5)), new int[] {2, 1}, false)
                  .shape())
          .containsExactly(-1, 3, 5);
      assertThat(
              Merging.dot(List.of(Input.create(3, 4), Input.create(4)), new int[] {2, 1}, false)
                  .shape())
          .containsExactly(-1, 3);
    }

    @Test
    void mismatchedDimensionsFailWithKerasMessage() {
      assertThatThrownBy(() -> Merging.dot(List.of(Input.create(3), Input.create(4)), 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Dimension incompatibility 3 != 4. Layer shapes: (None, 3), (None, 4)");
    }

    @Test
    void configWritesAxesAsGiven() {
      assertThat(new Dot(1).getConfig()).containsEntry("axes", 1).containsEntry("normalize", false);
      Dot d = Dot.builder(1, 2).normalize(true).build();
      assertThat(d.getConfig()).containsEntry("axes", List.of(1, 2));
      assertThat(Layers.deserialize("Dot", d.getConfig()).getConfig()).isEqualTo(d.getConfig());
    }
  }

  @Nested
  @Tag("native")
  class Masks {
    @Test
    void elementWiseMergesKeepAStepWhereEveryMaskedInputKeepsIt() {
      // a masks step 0, b masks step 1, c has no mask: steps 0 and 1 are masked in the sum.
      NDArray a = NDArray.of(new float[] {0, 0, 1, 1, 1, 1}, 1, 3, 2);
      NDArray b = NDArray.of(new float[] {2, 2, 0, 0, 2, 2}, 1, 3, 2);
      NDArray c = NDArray.of(new float[] {5, 5, 5, 5, 0, 0}, 1, 3, 2);
      NDArray out =
          Run.predict(
              ins -> {
                KerasTensor sum =
                    Merging.add(
                        List.of(
                            new Masking().apply(ins.get(0)),
                            new Masking().apply(ins.get(1)),
                            ins.get(2)));
                return new ShowMask().apply(sum);
              },
              List.of(a, b, c));
      assertThat(out.toFloatArray()).containsExactly(0, 0, 1);
    }

    @Test
    void concatenateGivesKerasMaskAlongTheFeatureAxis() {
      // Keras 2.3.1: an unmasked input contributes all-true; each step is kept where all entries
      // of the concatenated mask are true.
      NDArray a = NDArray.of(new float[] {0, 0, 1, 1}, 1, 2, 2);
      NDArray b = NDArray.of(new float[] {3, 3, 3, 3}, 1, 2, 2);
      NDArray out =
          Run.predict(
              ins ->
                  new ShowMask()
                      .apply(
                          Merging.concatenate(
                              List.of(new Masking().apply(ins.get(0)), ins.get(1)))),
              List.of(a, b));
      assertThat(out.toFloatArray()).containsExactly(0, 1);
    }

    @Test
    void dotDropsTheMask() {
      KerasTensor a = Input.create(2);
      KerasTensor d = Merging.dot(List.of(new Masking().apply(a), a), 1);
      // Reshape does not support masking: it would throw if a mask reached it.
      try (Model m = new Model(a, new Reshape(1).apply(d))) {
        assertThat(m.predictOnBatch(NDArray.of(new float[] {1, 2}, 1, 2)).toFloatArray())
            .containsExactly(5f);
      }
    }
  }

  /** Outputs its input's mask as 0/1 floats (the steps, without the feature axis). */
  static final class ShowMask extends Layer {
    @Override
    public boolean supportsMasking() {
      return true;
    }

    @Override
    public long[] computeOutputShape(long[] s) {
      return java.util.Arrays.copyOf(s, s.length - 1);
    }

    @Override
    public org.tensorflow.Operand<org.tensorflow.types.TFloat32> call(
        org.tensorflow.Operand<org.tensorflow.types.TFloat32> x) {
      return jkeras.backend.K.castToFloatx(jkeras.backend.CallContext.current().inputMask(0));
    }

    @Override
    public List<org.tensorflow.Operand<org.tensorflow.types.TBool>> computeMasks(
        jkeras.backend.CallContext ctx,
        List<org.tensorflow.Operand<org.tensorflow.types.TFloat32>> in,
        int outputs) {
      return java.util.Collections.nCopies(outputs, null);
    }
  }

  static Stream<Arguments> configs() {
    return Stream.of(
        Arguments.of(new Add()),
        Arguments.of(new Subtract()),
        Arguments.of(new Multiply()),
        Arguments.of(new Average()),
        Arguments.of(new Maximum()),
        Arguments.of(new Minimum()),
        Arguments.of(new Concatenate(1)),
        Arguments.of(Dot.builder(-1).normalize(true).build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void configsRoundTripThroughTheRegistry(Layer layer) {
    Map<String, Object> c = layer.getConfig();
    assertThat(Layers.deserialize(layer.getClass().getSimpleName(), c).getConfig()).isEqualTo(c);
  }
}
