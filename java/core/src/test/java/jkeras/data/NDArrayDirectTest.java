package jkeras.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link NDArray#wrapDirect}: views of direct memory behave like heap arrays of the same values.
 */
class NDArrayDirectTest {
  private static ByteBuffer direct(int bytes) {
    return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
  }

  private static NDArray floats(float[] v, long... shape) {
    ByteBuffer b = direct(v.length * 4);
    b.asFloatBuffer().put(v);
    return NDArray.wrapDirect(b, DType.FLOAT32, shape);
  }

  private static final float[] SIX = {1.5f, -2f, 3.25f, 4f, -5.5f, 6f};

  @Test
  void float32ViewHasTheShapeAndValuesOfTheEquivalentHeapArray() {
    NDArray d = floats(SIX, 2, 3);
    NDArray h = NDArray.of(SIX, 2, 3);
    assertThat(d.isDirect()).isTrue();
    assertThat(h.isDirect()).isFalse();
    assertThat(d.shape()).containsExactly(2, 3);
    assertThat(d.dtype()).isEqualTo(DType.FLOAT32);
    assertThat(d.size()).isEqualTo(6);
    assertThat(d.length()).isEqualTo(2);
    assertThat(d.toFloatArray()).containsExactly(SIX);
    assertThat(d.floatsView()).containsExactly(SIX);
    assertThat(d.toDoubleArray()).containsExactly(1.5, -2, 3.25, 4, -5.5, 6);
    // numpy astype('int32') truncates toward zero
    assertThat(d.toIntArray()).containsExactly(1, -2, 3, 4, -5, 6);
    assertThat(d.toLongArray()).containsExactly(1L, -2L, 3L, 4L, -5L, 6L);
    assertThat(d.toFloatMatrix()[1]).containsExactly(4f, -5.5f, 6f);
    assertThat(d.getFloat(1, 2)).isEqualTo(6f);
    assertThat(d.getDouble(0, 1)).isEqualTo(-2.0);
    assertThat(d).isEqualTo(h);
    assertThat(h).isEqualTo(d);
    assertThat(d.hashCode()).isEqualTo(h.hashCode());
    assertThat(d.toString()).isEqualTo(h.toString());
  }

  @Test
  void everyDtypeReadsItsNativeLayout() {
    ByteBuffer f64 = direct(16);
    f64.asDoubleBuffer().put(new double[] {0.1, -7});
    assertThat(NDArray.wrapDirect(f64, DType.FLOAT64, 2))
        .isEqualTo(NDArray.ofFloat64(new double[] {0.1, -7}));
    ByteBuffer i32 = direct(12);
    i32.asIntBuffer().put(new int[] {3, -1, 2_000_000_000});
    assertThat(NDArray.wrapDirect(i32, DType.INT32, 3, 1))
        .isEqualTo(NDArray.ofInts(new int[] {3, -1, 2_000_000_000}, 3, 1));
    ByteBuffer i64 = direct(16);
    i64.asLongBuffer().put(new long[] {1L << 40, -9});
    NDArray l = NDArray.wrapDirect(i64, DType.INT64, 2);
    assertThat(l).isEqualTo(NDArray.ofLongs(new long[] {1L << 40, -9}));
    assertThat(l.toLongArray()).containsExactly(1L << 40, -9L);
    assertThat(l.getDouble(0)).isEqualTo(Math.pow(2, 40));
    ByteBuffer z = direct(3);
    z.put(0, (byte) 1).put(1, (byte) 0).put(2, (byte) 7); // numpy bool: any non-zero byte is True
    NDArray bools = NDArray.wrapDirect(z, DType.BOOL, 3);
    assertThat(bools).isEqualTo(NDArray.ofBooleans(new boolean[] {true, false, true}));
    assertThat(bools.toFloatArray()).containsExactly(1f, 0f, 1f);
  }

  @Test
  void viewStartsAtTheBufferPositionAndLeavesTheBufferAlone() {
    ByteBuffer b = direct(32);
    b.asFloatBuffer().put(new float[] {9, 9, 1, 2, 3, 4, 9, 9});
    b.position(8);
    NDArray a = NDArray.wrapDirect(b, DType.FLOAT32, 4);
    assertThat(a.toFloatArray()).containsExactly(1f, 2f, 3f, 4f);
    assertThat(b.position()).isEqualTo(8);
    assertThat(b.limit()).isEqualTo(32);
  }

  @Test
  void theViewFollowsTheOwnersMemoryButCannotWriteIt() {
    ByteBuffer b = direct(8);
    NDArray a = NDArray.wrapDirect(b, DType.FLOAT32, 2);
    float[] copy = a.toFloatArray();
    b.putFloat(4, 42f);
    assertThat(a.getFloat(1)).isEqualTo(42f);
    assertThat(copy[1]).isEqualTo(0f);
    ByteBuffer view = a.directBuffer();
    assertThat(view.isReadOnly()).isTrue();
    assertThat(view.isDirect()).isTrue();
    assertThat(view.order()).isEqualTo(ByteOrder.nativeOrder());
    assertThat(view.remaining()).isEqualTo(8);
    assertThatThrownBy(() -> view.putFloat(0, 1f)).isInstanceOf(ReadOnlyBufferException.class);
    assertThat(NDArray.of(new float[] {1}).directBuffer()).isNull();
  }

  @Test
  void reshapeIsAViewAndSliceTakeConcatenateCopyToTheHeap() {
    ByteBuffer b = direct(24);
    b.asFloatBuffer().put(SIX);
    NDArray d = NDArray.wrapDirect(b, DType.FLOAT32, 3, 2);
    NDArray r = d.reshape(-1);
    assertThat(r.isDirect()).isTrue();
    assertThat(r.shape()).containsExactly(6);
    NDArray s = d.slice(1, 3);
    NDArray t = d.take(new int[] {2, 0});
    NDArray c = NDArray.concatenate(List.of(d, NDArray.of(new float[] {7, 8}, 1, 2)));
    assertThat(s.isDirect()).isFalse();
    assertThat(s).isEqualTo(NDArray.of(new float[] {3.25f, 4, -5.5f, 6}, 2, 2));
    assertThat(t).isEqualTo(NDArray.of(new float[] {-5.5f, 6, 1.5f, -2}, 2, 2));
    assertThat(c).isEqualTo(NDArray.of(new float[] {1.5f, -2, 3.25f, 4, -5.5f, 6, 7, 8}, 4, 2));
    b.putFloat(0, 100f);
    assertThat(r.getFloat(0)).isEqualTo(100f);
    assertThat(s.getFloat(0, 0)).isEqualTo(3.25f);
    assertThat(t.getFloat(1, 0)).isEqualTo(1.5f);
    assertThat(c.getFloat(0, 0)).isEqualTo(1.5f);
  }

  @Test
  void int64TakeAndConcatenateOfDirectParts() {
    ByteBuffer b = direct(24);
    b.asLongBuffer().put(new long[] {5, 6, 7});
    NDArray d = NDArray.wrapDirect(b, DType.INT64, 3);
    assertThat(d.take(new int[] {2, 2, 0})).isEqualTo(NDArray.ofLongs(new long[] {7, 7, 5}));
    assertThat(NDArray.concatenate(List.of(d, d)))
        .isEqualTo(NDArray.ofLongs(new long[] {5, 6, 7, 5, 6, 7}));
  }

  @Test
  void emptyAndScalarViews() {
    NDArray empty = NDArray.wrapDirect(direct(0), DType.FLOAT32, 0, 784);
    assertThat(empty.size()).isZero();
    assertThat(empty.toFloatArray()).isEmpty();
    assertThat(empty).isEqualTo(NDArray.zeros(0, 784));
    ByteBuffer one = direct(4);
    one.putFloat(0, 2.5f);
    NDArray scalar = NDArray.wrapDirect(one, DType.FLOAT32);
    assertThat(scalar.rank()).isZero();
    assertThat(scalar).isEqualTo(NDArray.scalar(2.5f));
  }

  @Test
  void rejectsHeapBuffersForeignByteOrderAndTooFewBytes() {
    assertThatThrownBy(
            () ->
                NDArray.wrapDirect(
                    ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()), DType.FLOAT32, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("direct buffer");
    ByteOrder other =
        ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN
            ? ByteOrder.BIG_ENDIAN
            : ByteOrder.LITTLE_ENDIAN;
    assertThatThrownBy(
            () -> NDArray.wrapDirect(ByteBuffer.allocateDirect(8).order(other), DType.FLOAT32, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("native byte order");
    assertThatThrownBy(() -> NDArray.wrapDirect(direct(8), DType.FLOAT64, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot make an array of shape [2] and dtype float64 (16 bytes) from a buffer with 8 bytes remaining.");
    assertThatThrownBy(() -> NDArray.wrapDirect(direct(8), DType.FLOAT32, -1, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Negative dimension");
  }

  @Test
  void batchReleaseRunsTheActionAndEqualityIgnoresIt() {
    int[] calls = {0};
    NDArray x = NDArray.of(new float[] {1, 2});
    Batch plain = Batch.of(x, x);
    Batch releasable = plain.withRelease(() -> calls[0]++);
    assertThat(plain.hasRelease()).isFalse();
    assertThat(releasable.hasRelease()).isTrue();
    plain.release();
    releasable.release();
    assertThat(calls[0]).isEqualTo(1);
    assertThat(releasable).isEqualTo(plain);
    assertThat(releasable.hashCode()).isEqualTo(plain.hashCode());
    assertThat(releasable.toString()).isEqualTo(plain.toString()).startsWith("(array(shape=[2]");
    assertThat(releasable.x()).isSameAs(x);
    assertThat(releasable.sampleWeight()).isNull();
  }
}
