package jkeras.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Pure host-array behaviour: no TensorFlow involved. */
class NDArrayTest {

  @Nested
  class Factories {
    @Test
    void floatVectorWithoutShapeIsOneDimensional() {
      NDArray a = NDArray.of(new float[] {1, 2, 3});
      assertThat(a.shape()).containsExactly(3);
      assertThat(a.dtype()).isEqualTo(DType.FLOAT32);
      assertThat(a.rank()).isEqualTo(1);
      assertThat(a.size()).isEqualTo(3);
      assertThat(a.length()).isEqualTo(3);
    }

    @Test
    void floatArrayWithShapeIsRowMajor() {
      NDArray a = NDArray.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
      assertThat(a.shape()).containsExactly(2, 3);
      assertThat(a.getDouble(0, 2)).isEqualTo(3.0);
      assertThat(a.getDouble(1, 0)).isEqualTo(4.0);
      assertThat(a.dim(-1)).isEqualTo(3);
      assertThat(a.dim(0)).isEqualTo(2);
    }

    @Test
    void doublesBecomeFloat32LikeNumpyAstype() {
      NDArray a = NDArray.of(new double[] {0.1, 0.2});
      assertThat(a.dtype()).isEqualTo(DType.FLOAT32);
      assertThat(a.toFloatArray()).containsExactly(0.1f, 0.2f);
    }

    @Test
    void float64KeepsDoublePrecision() {
      NDArray a = NDArray.ofFloat64(new double[] {0.1, 0.2}, 2, 1);
      assertThat(a.dtype()).isEqualTo(DType.FLOAT64);
      assertThat(a.toDoubleArray()).containsExactly(0.1, 0.2);
      assertThat(a.shape()).containsExactly(2, 1);
    }

    @Test
    void matrixFromRows() {
      NDArray a = NDArray.of(new double[][] {{1, 2}, {3, 4}, {5, 6}});
      assertThat(a.shape()).containsExactly(3, 2);
      assertThat(a.toFloatArray()).containsExactly(1, 2, 3, 4, 5, 6);
      assertThat(a.toFloatMatrix()[2]).containsExactly(5, 6);
    }

    @Test
    void raggedRowsAreRejected() {
      assertThatThrownBy(() -> NDArray.of(new float[][] {{1, 2}, {3}}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Ragged rows: row 1 has 1 values, expected 2");
    }

    @Test
    void intLongAndBoolFactoriesKeepTheirDtype() {
      assertThat(NDArray.of(new int[] {1, 0}).dtype()).isEqualTo(DType.INT32);
      assertThat(NDArray.ofInts(new int[] {1, 2, 3, 4}, 2, 2).shape()).containsExactly(2, 2);
      assertThat(NDArray.ofLongs(new long[] {7L}).dtype()).isEqualTo(DType.INT64);
      assertThat(NDArray.ofBooleans(new boolean[] {true, false}).dtype()).isEqualTo(DType.BOOL);
    }

    @Test
    void scalarHasRankZeroAndNoLength() {
      NDArray s = NDArray.scalar(2.5f);
      assertThat(s.rank()).isZero();
      assertThat(s.shape()).isEmpty();
      assertThat(s.getDouble()).isEqualTo(2.5);
      assertThatThrownBy(s::length).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void zerosAndOnes() {
      assertThat(NDArray.zeros(2, 3).toFloatArray()).containsOnly(0f).hasSize(6);
      assertThat(NDArray.ones(4).toFloatArray()).containsExactly(1, 1, 1, 1);
      assertThat(NDArray.zeros(0, 3).size()).isZero();
    }

    @Test
    void shapeMustMatchTheNumberOfValues() {
      assertThatThrownBy(() -> NDArray.of(new float[] {1, 2, 3}, 2, 2))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Cannot make an array of shape [2, 2] (4 elements) from 3 values.");
    }

    @Test
    void negativeDimensionsAreRejected() {
      assertThatThrownBy(() -> NDArray.of(new float[] {1, 2}, -2, -1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Negative dimension");
    }

    @Test
    void factoriesCopyTheirInput() {
      float[] src = {1, 2, 3};
      NDArray a = NDArray.of(src);
      src[0] = 99;
      assertThat(a.getDouble(0)).isEqualTo(1.0);
      float[] out = a.toFloatArray();
      out[1] = 99;
      assertThat(a.getDouble(1)).isEqualTo(2.0);
    }

    @Test
    void shapeAccessorReturnsACopy() {
      NDArray a = NDArray.zeros(2, 3);
      a.shape()[0] = 7;
      assertThat(a.shape()).containsExactly(2, 3);
    }
  }

  @Nested
  class Indexing {
    @Test
    void getDoubleChecksTheNumberOfIndices() {
      NDArray a = NDArray.zeros(2, 2);
      assertThatThrownBy(() -> a.getDouble(1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Expected 2 indices, got 1");
    }

    @Test
    void getDoubleChecksBounds() {
      NDArray a = NDArray.zeros(2, 2);
      assertThatThrownBy(() -> a.getDouble(2, 0)).isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> a.getDouble(0, -1)).isInstanceOf(IndexOutOfBoundsException.class);
    }
  }

  @Nested
  class Reshape {
    private final NDArray a = NDArray.of(new float[] {0, 1, 2, 3, 4, 5}, 2, 3);

    static Stream<Arguments> shapes() {
      return Stream.of(
          Arguments.of(new long[] {-1}, new long[] {6}),
          Arguments.of(new long[] {3, -1}, new long[] {3, 2}),
          Arguments.of(new long[] {-1, 1, 2}, new long[] {3, 1, 2}),
          Arguments.of(new long[] {6, 1}, new long[] {6, 1}));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void inferredDimensionAndValuesKept(long[] requested, long[] expected) {
      NDArray r = a.reshape(requested);
      assertThat(r.shape()).containsExactly(expected);
      assertThat(r.toFloatArray()).containsExactly(0, 1, 2, 3, 4, 5);
      assertThat(r.dtype()).isEqualTo(DType.FLOAT32);
    }

    @Test
    void twoUnknownDimensionsAreRejected() {
      assertThatThrownBy(() -> a.reshape(-1, -1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Only one dimension can be -1");
    }

    @Test
    void sizeMustBeUnchanged() {
      assertThatThrownBy(() -> a.reshape(4, 2)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> a.reshape(4, -1)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class RowSelection {
    private final NDArray a = NDArray.of(new float[] {0, 1, 10, 11, 20, 21, 30, 31}, 4, 2);

    @Test
    void sliceTakesRowsFromInclusiveToExclusive() {
      NDArray s = a.slice(1, 3);
      assertThat(s.shape()).containsExactly(2, 2);
      assertThat(s.toFloatArray()).containsExactly(10, 11, 20, 21);
      assertThat(a.slice(2, 2).shape()).containsExactly(0, 2);
    }

    @Test
    void sliceOutOfRangeIsRejected() {
      assertThatThrownBy(() -> a.slice(3, 5)).isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> a.slice(2, 1)).isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> NDArray.scalar(1).slice(0, 1))
          .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void takeGathersRowsInTheGivenOrder() {
      NDArray t = a.take(new int[] {3, 0, 3});
      assertThat(t.shape()).containsExactly(3, 2);
      assertThat(t.toFloatArray()).containsExactly(30, 31, 0, 1, 30, 31);
      assertThatThrownBy(() -> a.take(new int[] {4})).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void takeKeepsIntegerDtype() {
      NDArray ints = NDArray.ofInts(new int[] {5, 6, 7});
      assertThat(ints.take(new int[] {2, 0})).isEqualTo(NDArray.ofInts(new int[] {7, 5}));
    }

    @Test
    void concatenateJoinsAlongTheFirstAxis() {
      NDArray c = NDArray.concatenate(List.of(a.slice(0, 1), a.slice(1, 4)));
      assertThat(c).isEqualTo(a);
      NDArray d =
          NDArray.concatenate(
              List.of(NDArray.ofLongs(new long[] {1}), NDArray.ofLongs(new long[] {2, 3})));
      assertThat(d).isEqualTo(NDArray.ofLongs(new long[] {1, 2, 3}));
    }

    @Test
    void concatenateRejectsMismatchedShapesAndDtypes() {
      assertThatThrownBy(
              () -> NDArray.concatenate(List.of(NDArray.zeros(1, 2), NDArray.zeros(1, 3))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Cannot concatenate arrays of shapes [1, 2] and [1, 3]");
      assertThatThrownBy(
              () -> NDArray.concatenate(List.of(NDArray.zeros(1), NDArray.ofInts(new int[] {1}))))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> NDArray.concatenate(List.of()))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class Conversions {
    @Test
    void intsToFloatsAndDoubles() {
      NDArray a = NDArray.ofInts(new int[] {-3, 0, 7});
      assertThat(a.toFloatArray()).containsExactly(-3f, 0f, 7f);
      assertThat(a.toDoubleArray()).containsExactly(-3.0, 0.0, 7.0);
      assertThat(a.toLongArray()).containsExactly(-3L, 0L, 7L);
    }

    @Test
    void floatsToIntsTruncateTowardZeroLikeNumpy() {
      NDArray a = NDArray.of(new float[] {-1.7f, 2.9f, 0.5f});
      assertThat(a.toIntArray()).containsExactly(-1, 2, 0);
      assertThat(NDArray.ofFloat64(new double[] {-2.5, 3.99}).toIntArray()).containsExactly(-2, 3);
    }

    @Test
    void booleansAreOneAndZero() {
      NDArray b = NDArray.ofBooleans(new boolean[] {true, false, true});
      assertThat(b.toFloatArray()).containsExactly(1f, 0f, 1f);
      assertThat(b.toIntArray()).containsExactly(1, 0, 1);
      assertThat(b.getDouble(1)).isZero();
    }

    @Test
    void longsKeepFullPrecisionAsLongs() {
      long big = (1L << 40) + 1;
      NDArray a = NDArray.ofLongs(new long[] {big});
      assertThat(a.toLongArray()).containsExactly(big);
      assertThat(a.toDoubleArray()).containsExactly((double) big);
    }

    @Test
    void int32ToDoublesIsExactBeyondFloatPrecision() {
      int big = (1 << 24) + 1; // not representable as a float32
      assertThat(NDArray.ofInts(new int[] {big, -big}).toDoubleArray()).containsExactly(big, -big);
    }

    @Test
    void floatsToLongsTruncateWithoutTheInt32Range() {
      assertThat(NDArray.ofFloat64(new double[] {3e9, -5e9, -1.5}).toLongArray())
          .containsExactly(3_000_000_000L, -5_000_000_000L, -1L);
      assertThat(NDArray.of(new float[] {4.0e9f}).toLongArray()).containsExactly(4_000_000_000L);
    }

    @Test
    void toFloatMatrixNeedsTwoDimensions() {
      assertThatThrownBy(() -> NDArray.zeros(2).toFloatMatrix())
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Nested
  class Equality {
    @Test
    void equalWhenShapeDtypeAndValuesMatch() {
      NDArray a = NDArray.of(new float[] {1, 2, 3, 4}, 2, 2);
      NDArray b = NDArray.of(new double[][] {{1, 2}, {3, 4}});
      assertThat(a).isEqualTo(b);
      assertThat(a.hashCode()).isEqualTo(b.hashCode());
    }

    @Test
    void differentShapeDtypeOrValuesAreNotEqual() {
      NDArray a = NDArray.of(new float[] {1, 2, 3, 4}, 2, 2);
      assertThat(a).isNotEqualTo(a.reshape(4));
      assertThat(a).isNotEqualTo(NDArray.ofFloat64(new double[] {1, 2, 3, 4}, 2, 2));
      assertThat(a).isNotEqualTo(NDArray.of(new float[] {1, 2, 3, 5}, 2, 2));
      assertThat(a).isNotEqualTo(NDArray.ofInts(new int[] {1, 2, 3, 4}, 2, 2));
      assertThat(a).isNotEqualTo("not an array");
    }

    @Test
    void toStringShowsShapeDtypeAndFirstValues() {
      String s = NDArray.ofInts(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9}).toString();
      assertThat(s).startsWith("array(shape=[9], dtype=int32, [1, 2, 3").endsWith(", ...])");
    }
  }

  @Nested
  class DTypes {
    @ParameterizedTest
    @MethodSource("jkeras.data.NDArrayTest#dtypeNames")
    void kerasNamesRoundTrip(DType type, String name) {
      assertThat(type.kerasName()).isEqualTo(name);
      assertThat(DType.of(name)).isEqualTo(type);
    }

    @Test
    void unknownDtypeListsValidNames() {
      assertThatThrownBy(() -> DType.of("float16"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "Unknown dtype: `float16`. Expected one of [float32, float64, int32, int64, bool].");
    }
  }

  static Stream<Arguments> dtypeNames() {
    return Stream.of(
        Arguments.of(DType.FLOAT32, "float32"),
        Arguments.of(DType.FLOAT64, "float64"),
        Arguments.of(DType.INT32, "int32"),
        Arguments.of(DType.INT64, "int64"),
        Arguments.of(DType.BOOL, "bool"));
  }

  @Nested
  class ArrayDataForms {
    @Test
    void listAndMapFormsKeepOrder() {
      NDArray a = NDArray.zeros(1);
      NDArray b = NDArray.ones(1);
      ArrayData list = ArrayData.of(a, b);
      assertThat(list).isInstanceOf(ArrayData.ListData.class);
      assertThat(((ArrayData.ListData) list).arrays()).containsExactly(a, b);
      Map<String, NDArray> m = new java.util.LinkedHashMap<>();
      m.put("z", a);
      m.put("a", b);
      ArrayData map = ArrayData.of(m);
      assertThat(((ArrayData.MapData) map).arrays().keySet()).containsExactly("z", "a");
      m.clear();
      assertThat(((ArrayData.MapData) map).arrays()).hasSize(2);
    }
  }
}
