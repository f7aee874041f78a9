package jkeras.callbacks;

import static jkeras.callbacks.CallbackTestSupport.X;
import static jkeras.callbacks.CallbackTestSupport.Y;
import static jkeras.callbacks.CallbackTestSupport.fit;
import static jkeras.callbacks.CallbackTestSupport.model;
import static jkeras.callbacks.CallbackTestSupport.printed;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import jkeras.data.NDArray;
import jkeras.models.Sequential;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("native")
class TerminateOnNaNTest {
  @Test
  void stopsAfterTheBatchWhoseLossOverflowsWithKerasMessage() {
    float[] x = X.toFloatArray();
    x[2 * 5] = 1e30f; // row 5, in batch 1 of 4 rows: its squared error overflows float32
    NDArray bad = NDArray.of(x, 16, 2);
    List<Integer> batches = new ArrayList<>();
    Callback seen = LambdaCallback.builder().onBatchEnd((b, l) -> batches.add(b)).build();
    try (Sequential m = model(0.01)) {
      m.setWeights(List.of(NDArray.of(new float[] {1, 1}, 2, 1), NDArray.zeros(1)));
      var p = printed(() -> m.fit(bad, Y, fit(3, seen, new TerminateOnNaN()).build()));
      assertThat(p.out()).isEqualTo("Batch 1: Invalid loss, terminating training\n");
      assertThat(batches).containsExactly(0, 1);
      assertThat(p.result().epoch()).containsExactly(0);
      assertThat(p.result().history().get("loss").get(0)).isInfinite();
    }
  }
}
