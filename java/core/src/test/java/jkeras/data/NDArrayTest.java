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
  class Astype {
    static Stream<Arguments> conversions() {
      return Stream.of(
          // numpy: float -> int truncates toward zero
          Arguments.of(
              NDArray.of(new float[] {-1.7f, 2.9f, 0.5f}),
              DType.INT32,
              NDArray.ofInts(new int[] {-1, 2, 0})),
          Arguments.of(
              NDArray.ofFloat64(new double[] {-2.5, 3e9}),
              DType.INT64,
              NDArray.ofLongs(new long[] {-2, 3_000_000_000L})),
          // int64 -> int32 keeps the low 32 bits
          Arguments.of(
              NDArray.ofLongs(new long[] {(1L << 40) + 5, -1}),
              DType.INT32,
              NDArray.ofInts(new int[] {5, -1})),
          Arguments.of(
              NDArray.ofInts(new int[] {(1 << 24) + 1}),
              DType.FLOAT64,
              NDArray.ofFloat64(new double[] {(1 << 24) + 1})),
          Arguments.of(
              NDArray.ofInts(new int[] {3, 0}), DType.FLOAT32, NDArray.of(new float[] {3, 0})),
          Arguments.of(
              NDArray.ofFloat64(new double[] {0.1}), DType.FLOAT32, NDArray.of(new float[] {0.1f})),
          // bool is value != 0, and NaN != 0
          Arguments.of(
              NDArray.of(new float[] {0, -0f, 0.25f, Float.NaN}),
              DType.BOOL,
              NDArray.ofBooleans(new boolean[] {false, false, true, true})),
          Arguments.of(
              NDArray.ofLongs(new long[] {0, 7}),
              DType.BOOL,
              NDArray.ofBooleans(new boolean[] {false, true})),
          Arguments.of(
              NDArray.ofBooleans(new boolean[] {true, false}),
              DType.INT64,
              NDArray.ofLongs(new long[] {1, 0})),
          Arguments.of(
              NDArray.ofBooleans(new boolean[] {true, false}),
              DType.FLOAT64,
              NDArray.ofFloat64(new double[] {1, 0})));
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("conversions")
    void convertsLikeNumpy(NDArray x, DType dtype, NDArray expected) {
      assertThat(x.astype(dtype)).isEqualTo(expected);
    }

    @Test
    void keepsTheShape() {
      NDArray x = NDArray.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 1, 2);
      assertThat(x.astype(DType.INT32).shape()).containsExactly(3, 1, 2);
      assertThat(NDArray.scalar(2.5f).astype(DType.INT64).shape()).isEmpty();
    }

    @Test
    void invalidValuesFollowJavaCasts() {
      NDArray x = NDArray.ofFloat64(new double[] {Double.NaN, Double.POSITIVE_INFINITY, -1e300});
      assertThat(x.astype(DType.INT32).toIntArray())
          .containsExactly(0, Integer.MAX_VALUE, Integer.MIN_VALUE);
    }

    @Test
    void sameDtypeOnTheHeapIsTheSameArray() {
      NDArray x = NDArray.of(new float[] {1, 2});
      assertThat(x.astype(DType.FLOAT32)).isSameAs(x);
    }

    @Test
    void sameDtypeOnADirectArrayIsAHeapCopy() {
      java.nio.ByteBuffer b =
          java.nio.ByteBuffer.allocateDirect(8).order(java.nio.ByteOrder.nativeOrder());
      b.asFloatBuffer().put(new float[] {1, 2});
      NDArray d = NDArray.wrapDirect(b, DType.FLOAT32, 2);
      NDArray copy = d.astype(DType.FLOAT32);
      assertThat(copy.isDirect()).isFalse();
      b.putFloat(0, 9f);
      assertThat(copy.toFloatArray()).containsExactly(1f, 2f);
    }
  }

  @Nested
  class ScalarArithmetic {
    @Test
    void float32StaysFloat32AsNumpyWithAPythonFloat() {
      NDArray x = NDArray.of(new float[] {0, 51, 255}, 1, 3);
      NDArray y = x.divide(255.0);
      assertThat(y.dtype()).isEqualTo(DType.FLOAT32);
      assertThat(y.shape()).containsExactly(1, 3);
      assertThat(y.toFloatArray()).containsExactly(0f, 51f / 255f, 1f);
    }

    @Test
    void float32UsesTheValueRoundedToFloat32() {
      // numpy 2.0.2: np.float32(3) * 0.3 == 0.90000004 (0.3 rounded to float32 first), not 0.9
      assertThat(NDArray.of(new float[] {3}).multiply(0.3).toFloatArray())
          .containsExactly(0.90000004f);
    }

    @Test
    void integersAndBooleansBecomeFloat64() {
      assertThat(NDArray.ofInts(new int[] {255, 2}).divide(255.0))
          .isEqualTo(NDArray.ofFloat64(new double[] {1, 2 / 255.0}));
      assertThat(NDArray.ofLongs(new long[] {3}).add(0.5))
          .isEqualTo(NDArray.ofFloat64(new double[] {3.5}));
      assertThat(NDArray.ofBooleans(new boolean[] {true, false}).multiply(2))
          .isEqualTo(NDArray.ofFloat64(new double[] {2, 0}));
    }

    @Test
    void float64StaysFloat64() {
      assertThat(NDArray.ofFloat64(new double[] {1, 0.5}).subtract(0.25))
          .isEqualTo(NDArray.ofFloat64(new double[] {0.75, 0.25}));
    }

    @Test
    void divisionByZeroGivesInfinitiesAndNaN() {
      assertThat(NDArray.of(new float[] {1, -1, 0}).divide(0).toFloatArray())
          .containsExactly(Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN);
    }

    @Test
    void theOriginalIsUnchanged() {
      NDArray x = NDArray.of(new float[] {2});
      x.multiply(3).add(1).subtract(2);
      assertThat(x.toFloatArray()).containsExactly(2f);
    }
  }

  @Nested
  class Argmax {
    private final NDArray x =
        NDArray.of(new float[] {1, 5, 5, 0, 9, 2, 7, 7, 7, 3, -1, 8}, 2, 2, 3);

    // Expected indices computed with numpy 2.0.2: np.argmax(x, axis).ravel()

    static Stream<Arguments> axes() {
      return Stream.of(
          Arguments.of(-1, new long[] {2, 2}, new long[] {1, 1, 0, 2}),
          Arguments.of(2, new long[] {2, 2}, new long[] {1, 1, 0, 2}),
          Arguments.of(0, new long[] {2, 3}, new long[] {1, 1, 1, 1, 0, 1}),
          Arguments.of(1, new long[] {2, 3}, new long[] {0, 1, 0, 0, 0, 1}),
          Arguments.of(-3, new long[] {2, 3}, new long[] {1, 1, 1, 1, 0, 1}));
    }

    @ParameterizedTest(name = "axis={0}")
    @MethodSource("axes")
    void firstIndexOfTheMaximumAlongAxis(int axis, long[] shape, long[] expected) {
      NDArray r = x.argmax(axis);
      assertThat(r.dtype()).isEqualTo(DType.INT64);
      assertThat(r.shape()).containsExactly(shape);
      assertThat(r.toLongArray()).containsExactly(expected);
    }

    @Test
    void flattenedArgmaxIsTheFirstFlatIndex() {
      assertThat(x.argmax()).isEqualTo(4);
      assertThat(NDArray.ofInts(new int[] {3, 3, 1}).argmax()).isZero();
    }

    @Test
    void nanIsTheLargestAndTheFirstNanWins() {
      NDArray n = NDArray.of(new float[] {1, Float.NaN, 3, Float.NaN});
      assertThat(n.argmax()).isEqualTo(1);
      assertThat(n.argmax(0).toLongArray()).containsExactly(1L);
    }

    @Test
    void int64ComparesExactlyBeyondDoublePrecision() {
      long big = 1L << 60;
      assertThat(NDArray.ofLongs(new long[] {big, big + 1}).argmax()).isEqualTo(1);
    }

    @Test
    void booleansAndDirectArraysWork() {
      assertThat(NDArray.ofBooleans(new boolean[] {false, true, true}).argmax()).isEqualTo(1);
      java.nio.ByteBuffer b =
          java.nio.ByteBuffer.allocateDirect(24).order(java.nio.ByteOrder.nativeOrder());
      b.asLongBuffer().put(new long[] {4, 9, -1});
      assertThat(NDArray.wrapDirect(b, DType.INT64, 3).argmax(0).toLongArray()).containsExactly(1L);
    }

    @Test
    void aScalarAcceptsAxisZeroOrMinusOneAsNumpy() {
      NDArray s = NDArray.scalar(4f);
      assertThat(s.argmax()).isZero();
      assertThat(s.argmax(0).shape()).isEmpty();
      assertThat(s.argmax(-1).toLongArray()).containsExactly(0L);
      assertThatThrownBy(() -> s.argmax(1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("axis 1 is out of bounds for array of dimension 0");
    }

    @Test
    void axisOutOfRangeIsRejectedWithNumpysMessage() {
      assertThatThrownBy(() -> x.argmax(3))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("axis 3 is out of bounds for array of dimension 3");
      assertThatThrownBy(() -> x.argmax(-4)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void emptyAxisIsRejectedUnlessTheResultIsEmpty() {
      assertThat(NDArray.zeros(0, 3).argmax(1).shape()).containsExactly(0);
      assertThatThrownBy(() -> NDArray.zeros(0, 3).argmax(0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("attempt to get argmax of an empty sequence");
      assertThatThrownBy(() -> NDArray.zeros(0).argmax())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("attempt to get argmax of an empty sequence");
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
