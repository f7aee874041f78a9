package jkeras.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import jkeras.data.ArrayData;
import jkeras.data.Batch;
import jkeras.data.DType;
import jkeras.data.NDArray;
import org.junit.jupiter.api.Test;

/**
 * The batch contract on the Java side alone (no Python): structures as batches.py and JSON give
 * them.
 */
class BatchStructureTest {
  private static final NDArray A = NDArray.of(new float[] {1, 2}, 1, 2);
  private static final NDArray B = NDArray.of(new float[] {3, 4, 5}, 1, 3);
  private static final NDArray C = NDArray.of(new float[] {6}, 1, 1);

  @Test
  void dictXAndSingleY() {
    BatchStructure s =
        BatchStructure.parse(
            List.of(List.of("dict", List.of("input_1", "input_2")), "array", "array"));
    assertThat(s.arrayCount()).isEqualTo(4);
    Batch b =
        BatchStructure.parse(
                Arrays.asList(
                    List.of("dict", List.of("input_1", "input_2")),
                    List.of("dict", List.of("output")),
                    null))
            .assemble(List.of(A, B, C));
    Map<String, NDArray> x = ((ArrayData.MapData) b.x()).arrays();
    assertThat(x.keySet()).containsExactly("input_1", "input_2");
    assertThat(x.get("input_2")).isSameAs(B);
    assertThat(((ArrayData.MapData) b.y()).arrays().get("output")).isSameAs(C);
    assertThat(b.sampleWeight()).isNull();
  }

  @Test
  void listsAndTupleShapedInput() {
    // Jep gives tuples as lists and numbers as Long; Object[] is accepted as well.
    Batch b =
        BatchStructure.parse(new Object[] {new Object[] {"list", 2L}, "array", "array"})
            .assemble(List.of(A, B, C, C));
    assertThat(((ArrayData.ListData) b.x()).arrays()).containsExactly(A, B);
    assertThat(b.y()).isSameAs(C);
    assertThat(b.sampleWeight()).isSameAs(C);
  }

  @Test
  void inputsOnly() {
    Batch b = BatchStructure.parse(Arrays.asList("array", null, null)).assemble(List.of(A));
    assertThat(b.x()).isSameAs(A);
    assertThat(b.y()).isNull();
  }

  @Test
  void rawFormRoundTrips() {
    List<Object> raw = Arrays.asList(List.of("dict", List.of("a")), List.of("list", 2), null);
    assertThat(BatchStructure.parse(raw).toRaw()).isEqualTo(raw);
  }

  @Test
  void malformedStructuresAndCountsAreRejected() {
    assertThatThrownBy(() -> BatchStructure.parse(List.of("array", "array")))
        .hasMessageContaining("3 entries");
    assertThatThrownBy(() -> BatchStructure.parse(List.of("array", "tuple", "array")))
        .hasMessageContaining("Received: tuple");
    assertThatThrownBy(() -> BatchStructure.parse(Arrays.asList(null, "array", null)))
        .hasMessageContaining("needs x");
    assertThatThrownBy(
            () -> BatchStructure.parse(Arrays.asList("array", "array", null)).assemble(List.of(A)))
        .hasMessageContaining("needs 2 arrays. Received: 1");
  }

  @Test
  void jepArraysConvertByElementType() {
    NDArray f = BatchStructure.toNDArray(new jep.NDArray<>(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
    assertThat(f.dtype()).isEqualTo(DType.FLOAT32);
    assertThat(f.shape()).containsExactly(2, 3);
    assertThat(f.getFloat(1, 2)).isEqualTo(6f);
    assertThat(BatchStructure.toNDArray(new jep.NDArray<>(new double[] {1.5}, 1)).dtype())
        .isEqualTo(DType.FLOAT64);
    assertThat(BatchStructure.toNDArray(new jep.NDArray<>(new int[] {7}, 1)).toIntArray())
        .containsExactly(7);
    assertThat(BatchStructure.toNDArray(new jep.NDArray<>(new long[] {1L << 40}, 1)).toLongArray())
        .containsExactly(1L << 40);
    assertThat(BatchStructure.toNDArray(new jep.NDArray<>(new boolean[] {true, false}, 2)).dtype())
        .isEqualTo(DType.BOOL);
    assertThatThrownBy(() -> BatchStructure.toNDArray(new jep.NDArray<>(new short[] {1}, 1)))
        .hasMessageContaining("Unsupported array element type from Python: short[]");
  }

  @Test
  void bytesInLittleEndianOrder() {
    ByteBuffer buf = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    buf.putFloat(1.25f).putFloat(-2f).putFloat(3f).putFloat(0.5f).flip();
    NDArray a = BatchStructure.fromBytes("float32", new long[] {2, 2}, buf);
    assertThat(a.toFloatArray()).containsExactly(1.25f, -2f, 3f, 0.5f);
    ByteBuffer z = ByteBuffer.wrap(new byte[] {1, 0, 1});
    assertThat(BatchStructure.fromBytes("bool", new long[] {3}, z).toIntArray())
        .containsExactly(1, 0, 1);
    ByteBuffer l = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(-3L).flip();
    assertThat(BatchStructure.fromBytes("int64", new long[] {1}, l).toLongArray())
        .containsExactly(-3L);
  }
}
