package jkeras.internal.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jkeras.data.DType;
import jkeras.data.NDArray;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;

@Tag("native")
class TensorsTest {
  /**
   * The one-copy feed of direct arrays reaches TF Java's raw buffers; if a packaging change (the
   * module path, say) cut that access, feeding would silently fall back to a slower heap copy.
   */
  @Test
  void directArraysAreFedWithOneNativeCopyWhetherOnTheClassPathOrTheModulePath() {
    try (org.tensorflow.Graph g = new org.tensorflow.Graph()) {
      // TensorFlow's native libraries load with the first graph, as they do in any model.
    }
    ByteBuffer b = ByteBuffer.allocateDirect(4 * 6).order(ByteOrder.nativeOrder());
    for (int i = 0; i < 6; i++) b.putFloat(i * 4, i + 0.5f);
    NDArray a = NDArray.wrapDirect(b, DType.FLOAT32, 2, 3);
    try (Tensor t = Tensors.of(a, DType.FLOAT32)) {
      assertThat(((TFloat32) t).getFloat(1, 2)).isEqualTo(5.5f);
    }
    assertThat(Tensors.directFeed()).isTrue();
  }
}
