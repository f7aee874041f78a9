package jkeras.python.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jkeras.data.Batch;
import jkeras.data.NDArray;
import jkeras.distribute.ReplicaContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A Sequence's index dispatch for one worker of a multi-worker job (no cluster needed: the shard is
 * a {@link ReplicaContext}): the worker processes fetch only that worker's indices, a padding step
 * comes out empty, and a shuffled pass permutes the shard.
 */
@Tag("python")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ShardedDispatchTest extends WorkerProcessTest {

  /** The batches' {@code y[0]} (the index) per epoch; an empty batch is -1. */
  private static List<List<Long>> epochs(
      int batches, boolean shuffle, ReplicaContext shard, int epochs) {
    List<List<Long>> out = new ArrayList<>();
    try (ProcessEnqueuer e =
        new ProcessEnqueuer(
            env,
            numbered(batches, Map.of()),
            true,
            shuffle,
            42,
            WorkerFaultOptions.defaults(),
            shard)) {
      e.start(2, 3);
      for (int epoch = 0; epoch < epochs; epoch++) {
        int steps = e.size();
        e.beginEpoch(steps);
        List<Long> seen = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
          Batch b = e.next();
          NDArray x = (NDArray) b.x();
          long[] y = ((NDArray) b.y()).toLongArray();
          if (x.length() == 0) {
            // Padding: the data's shapes, no samples.
            assertThat(x.shape()).containsExactly(0, 3);
            assertThat(y).isEmpty();
            seen.add(-1L);
          } else {
            seen.add(y[0]);
          }
          b.release();
        }
        e.endEpoch();
        out.add(seen);
      }
    }
    return out;
  }

  @Test
  void theWorkerProcessesServeOneClusterWorkersShardWithAnEmptyPaddingStep() {
    // 5 batches over 2 cluster workers: worker 1 takes 1 and 3, then an empty step.
    assertThat(epochs(5, false, new ReplicaContext(2, 1), 2))
        .containsExactly(List.of(1L, 3L, -1L), List.of(1L, 3L, -1L));
    assertThat(epochs(5, false, new ReplicaContext(2, 0), 1)).containsExactly(List.of(0L, 2L, 4L));
  }

  @Test
  void aShuffledPassPermutesTheShardEachEpoch() {
    // 8 batches over 3 cluster workers: worker 0 takes 0, 3, 6; worker 2 takes 2, 5 and padding.
    List<List<Long>> first = epochs(8, true, new ReplicaContext(3, 0), 4);
    for (List<Long> e : first) assertThat(e).containsExactlyInAnyOrder(0L, 3L, 6L);
    assertThat(new java.util.HashSet<>(first))
        .as("the order changes between epochs")
        .hasSizeGreaterThan(1);
    for (List<Long> e : epochs(8, true, new ReplicaContext(3, 2), 3))
      assertThat(e).containsExactlyInAnyOrder(2L, 5L, -1L);
  }
}
