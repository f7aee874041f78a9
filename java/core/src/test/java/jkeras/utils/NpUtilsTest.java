package jkeras.utils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.stream.Stream;
import jkeras.data.DType;
import jkeras.data.NDArray;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keras 2.3.1's {@code to_categorical} and {@code normalize}. Expected values follow
 * keras/utils/np_utils.py; jkeras-python's NpyInteropTest checks them against tf-keras itself.
 */
class NpUtilsTest {

  @Nested
  class ToCategorical {
    @Test
    void encodesTheKerasDocstringExample() {
      NDArray y = NpUtils.toCategorical(NDArray.of(new int[] {0, 2, 1, 2, 0}));
      assertThat(y)
          .isEqualTo(NDArray.of(new float[] {1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 1, 0, 0}, 5, 3));
    }

    static Stream<Arguments> shapes() {
      return Stream.of(
          Arguments.of(new long[] {4}, new long[] {4, 3}),
          Arguments.of(new long[] {4, 1}, new long[] {4, 3}),
          Arguments.of(new long[] {2, 2}, new long[] {2, 2, 3}),
          Arguments.of(new long[] {2, 2, 1}, new long[] {2, 2, 3}),
          Arguments.of(new long[] {1, 4}, new long[] {1, 4, 3}),
          Arguments.of(new long[] {2, 1, 2}, new long[] {2, 1, 2, 3}),
          Arguments.of(new long[] {4, 1, 1}, new long[] {4, 1, 3}));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("shapes")
    void appendsTheClassesAxisDroppingATrailingOne(long[] in, long[] out) {
      NDArray y = NpUtils.toCategorical(NDArray.ofInts(new int[] {0, 2, 1, 2}, in));
      assertThat(y.shape()).containsExactly(out);
      assertThat(y.toFloatArray()).containsExactly(1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1);
    }

    @Test
    void aSingleIdOfShapeOneKeepsItsAxis() {
      assertThat(NpUtils.toCategorical(NDArray.of(new int[] {1})).shape()).containsExactly(1, 2);
    }

    @Test
    void aScalarIdGivesOneRow() {
      NDArray y = NpUtils.toCategorical(NDArray.ofLongs(new long[] {2}).reshape(), 4);
      assertThat(y).isEqualTo(NDArray.of(new float[] {0, 0, 1, 0}));
    }

    @Test
    void numClassesIsInferredAsMaxPlusOne() {
      assertThat(NpUtils.toCategorical(NDArray.of(new int[] {0, 4})).shape()).containsExactly(2, 5);
      assertThat(NpUtils.toCategorical(NDArray.of(new int[] {0, 0})).shape()).containsExactly(2, 1);
    }

    @Test
    void zeroNumClassesMeansInferredAsInKeras() {
      assertThat(NpUtils.toCategorical(NDArray.of(new int[] {1, 0}), 0))
          .isEqualTo(NpUtils.toCategorical(NDArray.of(new int[] {1, 0})));
    }

    @Test
    void extraClassesAreZeroColumns() {
      assertThat(NpUtils.toCategorical(NDArray.of(new int[] {1}), 4))
          .isEqualTo(NDArray.of(new float[] {0, 1, 0, 0}, 1, 4));
    }

    @Test
    void emptyIdsWithNumClassesGiveNoRows() {
      assertThat(NpUtils.toCategorical(NDArray.ofInts(new int[0]), 3).shape())
          .containsExactly(0, 3);
      assertThat(NpUtils.toCategorical(NDArray.ofInts(new int[0], 0, 1), 3).shape())
          .containsExactly(0, 3);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void givesTheRequestedDtype(DType dtype) {
      NDArray y = NpUtils.toCategorical(NDArray.of(new int[] {1, 0}), 2, dtype);
      assertThat(y.dtype()).isEqualTo(dtype);
      assertThat(y.toIntArray()).containsExactly(0, 1, 1, 0);
    }

    @Test
    void floatIdsAreTruncatedAndBoolsAreZeroAndOne() {
      NDArray f = NDArray.ofFloat64(new double[] {0.0, 1.9, 2.5, -0.5});
      assertThat(NpUtils.toCategorical(f))
          .isEqualTo(NpUtils.toCategorical(NDArray.of(new int[] {0, 1, 2, 0})));
      NDArray b = NDArray.ofBooleans(new boolean[] {true, false});
      assertThat(NpUtils.toCategorical(b)).isEqualTo(NDArray.of(new float[] {0, 1, 1, 0}, 2, 2));
    }

    @Test
    void directIdsWork() {
      ByteBuffer buf = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
      buf.asLongBuffer().put(new long[] {1, 0});
      NDArray y = NDArray.wrapDirect(buf, DType.INT64, 2, 1);
      assertThat(NpUtils.toCategorical(y)).isEqualTo(NDArray.of(new float[] {0, 1, 1, 0}, 2, 2));
    }

    @Test
    void anIdNotBelowNumClassesIsRejectedWithItsIndex() {
      assertThatThrownBy(
              () -> NpUtils.toCategorical(NDArray.ofInts(new int[] {0, 1, 2, 5}, 2, 2), 3))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "Expected `y` to be class indices: in [0, 3) for numClasses=3. Received: y[1, 1]=5");
    }

    @Test
    void negativeIdsAreRejectedUnlikeKerasWhichWrapsThem() {
      assertThatThrownBy(() -> NpUtils.toCategorical(NDArray.of(new int[] {0, -1}), 3))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Expected `y` to be class indices: non-negative integers. Received: y[1]=-1");
    }

    @Test
    void nonFiniteIdsAreRejected() {
      assertThatThrownBy(() -> NpUtils.toCategorical(NDArray.of(new float[] {1, Float.NaN})))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "Expected `y` to be class indices: non-negative integers. Received: y[1]=nan");
      assertThatThrownBy(() -> NpUtils.toCategorical(NDArray.ofFloat64(new double[] {7.5}), 3))
          .hasMessage(
              "Expected `y` to be class indices: in [0, 3) for numClasses=3. Received: y[0]=7.5");
    }

    @Test
    void negativeNumClassesIsRejected() {
      assertThatThrownBy(() -> NpUtils.toCategorical(NDArray.of(new int[] {0}), -2))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "Expected `numClasses` to be a positive integer, or null or 0 to infer it as max(y) + 1. Received: numClasses=-2");
    }

    @Test
    void emptyIdsNeedNumClasses() {
      assertThatThrownBy(() -> NpUtils.toCategorical(NDArray.ofInts(new int[0])))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith(
              "Expected `y` to be non-empty when `numClasses` is not given (it is inferred as max(y) + 1). Received: y=array(shape=[0]");
    }

    @Test
    void aResultTooLargeForAnNDArrayIsRejected() {
      assertThatThrownBy(
              () -> NpUtils.toCategorical(NDArray.of(new int[] {0, 1, 2}), Integer.MAX_VALUE))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("needs more elements than an NDArray holds");
    }
  }

  @Nested
  class Normalize {
    @Test
    void scalesRowsToUnitL2NormByDefaultAndLeavesZeroRows() {
      NDArray x = NpUtils.normalize(NDArray.of(new float[][] {{3, 4}, {0, 0}, {-1, 0}}));
      assertThat(x.dtype()).isEqualTo(DType.FLOAT32);
      assertThat(x.shape()).containsExactly(3, 2);
      assertThat(x.toFloatArray()).containsExactly(0.6f, 0.8f, 0, 0, -1, 0);
    }

    @Test
    void normalizesAlongTheGivenAxis() {
      NDArray x = NpUtils.normalize(NDArray.of(new float[][] {{3, 1}, {4, 0}}), 0, 2);
      assertThat(x.toFloatArray()).containsExactly(0.6f, 1, 0.8f, 0);
      NDArray cube = NDArray.of(new float[] {1, 2, 2, 4, 0, 0, 0, 0}, 2, 2, 2);
      // axis 1 pairs (1, 2) with (2, 4): norms sqrt(5) and sqrt(20)
      assertThat(NpUtils.normalize(cube, 1, 2).toDoubleArray())
          .containsExactly(
              new double[] {
                1 / Math.sqrt(5), 2 / Math.sqrt(20), 2 / Math.sqrt(5), 4 / Math.sqrt(20), 0, 0, 0, 0
              },
              within(1e-7));
      assertThat(NpUtils.normalize(cube, -2, 2)).isEqualTo(NpUtils.normalize(cube, 1, 2));
    }

    static Stream<Arguments> orders() {
      double[] row = {1, -2, 0.5, 0};
      return Stream.of(
          Arguments.of(1, 3.5),
          Arguments.of(2, Math.sqrt(5.25)),
          Arguments.of(0, 3.0), // the number of non-zeros
          Arguments.of(3, Math.cbrt(9.125)),
          Arguments.of(
              -1, 0.0)); // 1/0 makes the sum infinite, its -1st power 0, so the norm counts as 1
    }

    @ParameterizedTest(name = "order={0}")
    @MethodSource("orders")
    void usesNumpysVectorNorms(int order, double norm) {
      NDArray x =
          NpUtils.normalize(NDArray.ofFloat64(new double[] {1, -2, 0.5, 0}, 1, 4), -1, order);
      double d = norm == 0 ? 1 : norm;
      assertThat(x.toDoubleArray())
          .containsExactly(new double[] {1 / d, -2 / d, 0.5 / d, 0}, within(1e-12));
    }

    @Test
    void integersAndBooleansGiveFloat64AsNumpy() {
      NDArray i = NpUtils.normalize(NDArray.ofInts(new int[] {3, 4}, 1, 2));
      assertThat(i.dtype()).isEqualTo(DType.FLOAT64);
      assertThat(i.toDoubleArray()).containsExactly(0.6, 0.8);
      NDArray b =
          NpUtils.normalize(NDArray.ofBooleans(new boolean[] {true, true, true, true}, 1, 4));
      assertThat(b).isEqualTo(NDArray.ofFloat64(new double[] {0.5, 0.5, 0.5, 0.5}, 1, 4));
      assertThat(NpUtils.normalize(NDArray.ofFloat64(new double[] {2}, 1)).dtype())
          .isEqualTo(DType.FLOAT64);
    }

    @Test
    void nanPropagatesToItsSlice() {
      float[] v =
          NpUtils.normalize(NDArray.of(new float[] {Float.NaN, 1, 3, 4}, 2, 2)).toFloatArray();
      assertThat(v[0]).isNaN();
      assertThat(v[1]).isNaN();
      assertThat(v[2]).isEqualTo(0.6f);
    }

    @Test
    void emptyArraysKeepTheirShape() {
      assertThat(NpUtils.normalize(NDArray.zeros(0, 3)).shape()).containsExactly(0, 3);
      assertThat(NpUtils.normalize(NDArray.zeros(3, 0)).shape()).containsExactly(3, 0);
    }

    @Test
    void anAxisOutsideTheArrayIsRejectedWithNumpysMessage() {
      assertThatThrownBy(() -> NpUtils.normalize(NDArray.zeros(2, 3), 2, 2))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("axis 2 is out of bounds for array of dimension 2");
      assertThatThrownBy(() -> NpUtils.normalize(NDArray.scalar(1f)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("axis -1 is out of bounds for array of dimension 0");
    }

    @Test
    void theInputIsUnchanged() {
      NDArray x = NDArray.of(new float[] {3, 4});
      NpUtils.normalize(x);
      assertThat(x.toFloatArray()).containsExactly(3, 4);
    }
  }
}
