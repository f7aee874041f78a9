package jkeras.python.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jkeras.data.Batch;
import jkeras.data.NDArray;
import jkeras.python.PythonSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Batches from worker processes are views of their shared-memory slot until released; a consumer
 * that never releases still gets every batch (copies once a worker would run out of slots).
 */
@Tag("python")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ShmViewsTest extends WorkerProcessTest {
  private static PythonSource numbered(int n) {
    return numbered(n, Map.of());
  }

  private static void awaitHeld(ProcessEnqueuer e, int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // a hang guard only
    while (Fixtures.heldSlots(e) != n && System.nanoTime() < deadline) Thread.sleep(5);
  }

  @Test
  void sequenceBatchesAreSlotViewsUntilReleased() throws Exception {
    try (ProcessEnqueuer e = sequenceEnqueuer(numbered(12))) {
      e.start(2, 3);
      for (int epoch = 0; epoch < 2; epoch++) {
        e.beginEpoch(12);
        for (int i = 0; i < 12; i++) {
          Batch b = e.next();
          NDArray x = (NDArray) b.x();
          assertThat(x.isDirect()).isTrue();
          assertThat(b.hasRelease()).isTrue();
          assertThat(x.toFloatArray()).containsOnly((float) i);
          assertThat(((NDArray) b.y()).toLongArray()[0]).isEqualTo(i);
          b.release();
          b.release(); // the slot is freed once
        }
        e.endEpoch();
      }
      awaitHeld(e, 0);
      assertThat(Fixtures.heldSlots(e)).isZero();
    }
  }

  @Test
  void aConsumerThatNeverReleasesGetsCopiesAndEveryBatchKeepsItsValues() throws Exception {
    int n = 40;
    int maxQueueSize = 2; // 4 slots per worker: at most 3 views held, then copies
    try (ProcessEnqueuer e = sequenceEnqueuer(numbered(n))) {
      e.start(1, maxQueueSize);
      e.beginEpoch(n);
      List<Batch> held = new ArrayList<>();
      for (int i = 0; i < n; i++) held.add(e.next());
      int views = 0;
      for (int i = 0; i < n; i++) {
        NDArray x = (NDArray) held.get(i).x();
        if (x.isDirect()) views++;
        assertThat(held.get(i).hasRelease()).isEqualTo(x.isDirect());
        assertThat(x.toFloatArray()).containsOnly((float) i);
      }
      assertThat(views).isEqualTo(maxQueueSize + 1);
      assertThat(Fixtures.heldSlots(e)).isEqualTo(maxQueueSize + 1);
      for (Batch b : held) b.release();
      assertThat(Fixtures.heldSlots(e)).isZero();
    }
  }

  @Test
  void generatorBatchesAreViewsAndReleasesAfterStopAreHarmless() throws Exception {
    ProcessEnqueuer e = generatorEnqueuer(gen(Map.of()));
    Batch last;
    try (e) {
      e.start(2, 4);
      for (int i = 0; i < 30; i++) {
        Batch b = e.next();
        assertThat(((NDArray) b.x()).isDirect()).isTrue();
        assertThat(((NDArray) b.x()).shape()).containsExactly(1, 2);
        b.release();
      }
      last = e.next();
    }
    // The worker is gone; its mapping stays valid for the batch, and releasing is a no-op.
    assertThat(((NDArray) last.x()).toDoubleArray()).hasSize(2);
    last.release();
  }

  @Test
  void batchLayoutsThatChangeMidStreamAreReadRight() {
    try (ProcessEnqueuer e =
        generatorEnqueuer(PythonSource.fromFile(module, "varying").withKwargs(Map.of()))) {
      e.start(1, 3);
      for (int k = 0; k < 60; k++) {
        Batch b = e.next();
        NDArray x =
            b.x() instanceof NDArray a
                ? a
                : ((jkeras.data.ArrayData.MapData) b.x()).arrays().get("a");
        assertThat(((NDArray) b.y()).toLongArray()).containsExactly(k);
        if (k % 4 == 3) {
          assertThat(x.shape()).containsExactly(2000);
          assertThat(x.toDoubleArray()).containsOnly((double) k);
        } else {
          assertThat(x.shape()).containsExactly(k % 4 + 1, 3);
          assertThat(x.toFloatArray()).containsOnly((float) k);
        }
        assertThat(b.x() instanceof NDArray).isEqualTo(k % 5 != 0);
        if (k % 2 == 0) b.release(); // odd batches stay held: copies take over when slots run short
      }
    }
  }

  @Test
  void sequenceReleasesThatLagBehindNeverStallTheWorkers() throws Exception {
    try (ProcessEnqueuer e = sequenceEnqueuer(numbered(50))) {
      e.start(2, 1); // 3 slots per worker: frees must not wait for a GET that needs them
      for (int epoch = 0; epoch < 2; epoch++) {
        e.beginEpoch(50);
        Batch previous = null;
        for (int i = 0; i < 50; i++) {
          Batch b = e.next();
          assertThat(((NDArray) b.x()).toFloatArray()).containsOnly((float) i);
          if (previous != null) previous.release();
          previous = b;
        }
        previous.release();
        e.endEpoch();
      }
      awaitHeld(e, 0);
      assertThat(Fixtures.heldSlots(e)).isZero();
    }
  }
}
