package jkeras.python.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import jkeras.data.Batch;
import jkeras.data.NDArray;
import jkeras.internal.Warnings;
import jkeras.python.PythonSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The drills of issue 13: workers killed mid-epoch are replaced; slow fetches are reported. */
@Tag("python")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkerFaultsTest extends WorkerProcessTest {
  private static final long JVM = ProcessHandle.current().pid();

  private static long[] y(Batch b) {
    return ((NDArray) b.y()).toLongArray();
  }

  private static void kill9(long pid) throws InterruptedException {
    ProcessHandle h = ProcessHandle.of(pid).orElseThrow();
    assertThat(h.destroyForcibly()).isTrue(); // SIGKILL
    h.onExit().orTimeout(60, TimeUnit.SECONDS).join();
  }

  /** Waits (up to 60 s) until every worker, replacements included, is ready and restored. */
  private static void awaitAllReady(ProcessEnqueuer e) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      e.pool.lock.lock();
      try {
        if (e.pool.workers().stream().allMatch(w -> w.ready && !w.restoring && !w.exited)) return;
      } finally {
        e.pool.lock.unlock();
      }
      Thread.sleep(20);
    }
  }

  @Test
  void sequenceWorkerKilledMidEpochIsReplacedAndEveryIndexComesOnceInOrder() throws Exception {
    List<String> warnings = new CopyOnWriteArrayList<>();
    try (AutoCloseable l = Warnings.listen(warnings::add);
        ProcessEnqueuer e = sequenceEnqueuer(numbered(12, Map.of("delay", 0.05)))) {
      e.start(2, 4);
      List<Long> before = e.workerPids();
      for (int epoch = 0; epoch < 3; epoch++) {
        e.beginEpoch(12);
        Set<Long> servedBy = new HashSet<>();
        for (int i = 0; i < 12; i++) {
          if (epoch == 1 && i == 3) kill9(before.get(1)); // with fetches in flight in worker 1
          long[] y = y(e.next());
          assertThat(y[0]).as("index of batch %d of epoch %d", i, epoch).isEqualTo(i);
          assertThat(y[1])
              .as("on_epoch_end state seen by batch %d of epoch %d", i, epoch)
              .isEqualTo(epoch);
          servedBy.add(y[2]);
        }
        if (epoch == 2) assertThat(servedBy).doesNotContain(before.get(1)).hasSize(2);
        e.endEpoch();
        // On a loaded machine the replacement may start after epoch 1's last fetch: let it serve
        // in epoch 2.
        if (epoch == 1) awaitAllReady(e);
      }
      List<Long> after = e.workerPids();
      assertThat(after.get(0)).isEqualTo(before.get(0));
      assertThat(after.get(1)).isNotEqualTo(before.get(1));
      assertThat(e.pool.restarts()).isEqualTo(1);
      assertThat(warnings)
          .filteredOn(w -> w.contains("replaced by a new worker process"))
          .singleElement()
          .satisfies(
              w ->
                  assertThat(w)
                      .contains("Python worker process 1 (pid " + before.get(1) + ")")
                      .contains("exited with status 137 (signal 9)")
                      .contains("(pid " + after.get(1) + ")")
                      .contains("restart 1 of at most 3 in this epoch (max_worker_restarts)"));
      e.stop();
      assertThat(after).noneMatch(Fixtures::alive);
      assertThat(Fixtures.shmFiles(JVM)).isEmpty();
    }
  }

  @Test
  void theOnlySequenceWorkerKilledMidEpochIsReplacedWithTheStateOnEpochEndLeft() throws Exception {
    List<String> warnings = new CopyOnWriteArrayList<>();
    try (AutoCloseable l = Warnings.listen(warnings::add);
        ProcessEnqueuer e = sequenceEnqueuer(numbered(8, Map.of("delay", 0.05)))) {
      e.start(1, 3);
      long first = e.workerPids().get(0);
      long second = -1;
      for (int epoch = 0; epoch < 4; epoch++) {
        e.beginEpoch(8);
        for (int i = 0; i < 8; i++) {
          if (epoch == 2 && i == 3) kill9(first); // fetches of epoch 2 in flight
          if (epoch == 3 && i == 5) kill9(second = e.workerPids().get(0)); // the replacement too
          long[] y = y(e.next());
          assertThat(y[0]).as("index of batch %d of epoch %d", i, epoch).isEqualTo(i);
          assertThat(y[1])
              .as("on_epoch_end state seen by batch %d of epoch %d", i, epoch)
              .isEqualTo(epoch);
        }
        e.endEpoch();
      }
      assertThat(second).isNotIn(-1L, first);
      assertThat(e.pool.restarts()).isEqualTo(2);
      assertThat(warnings).filteredOn(w -> w.contains("replaced by a new worker")).hasSize(2);
      List<Long> last = e.workerPids();
      e.stop();
      assertThat(last).noneMatch(Fixtures::alive);
      assertThat(Fixtures.shmFiles(JVM)).isEmpty();
    }
  }

  @Test
  void aWorkerCrashingInACExtensionIsReplacedAndItsIndexFetchedAgain() throws Exception {
    List<String> warnings = new CopyOnWriteArrayList<>();
    String mark = dir.resolve("segv-" + System.nanoTime()).toString();
    try (AutoCloseable l = Warnings.listen(warnings::add);
        ProcessEnqueuer e =
            sequenceEnqueuer(numbered(8, Map.of("segv_at", 5, "segv_mark", mark, "delay", 0.02)))) {
      e.start(2, 3);
      for (int epoch = 0; epoch < 2; epoch++) {
        e.beginEpoch(8);
        for (int i = 0; i < 8; i++) {
          long[] y = y(e.next());
          assertThat(y[0]).as("index of batch %d of epoch %d", i, epoch).isEqualTo(i);
          assertThat(y[1]).as("state seen by batch %d of epoch %d", i, epoch).isEqualTo(epoch);
        }
        e.endEpoch();
      }
      assertThat(e.pool.restarts()).isEqualTo(1);
    }
    assertThat(warnings)
        .filteredOn(w -> w.contains("replaced by a new worker process"))
        .singleElement()
        .satisfies(
            w ->
                assertThat(w)
                    .contains("exited with status 139 (signal 11)")
                    .contains("are fetched again: each index is still trained once, in order."));
    assertThat(Fixtures.shmFiles(JVM)).isEmpty();
  }

  @Test
  void aSingleWorkersUnpicklableSequenceWarnsOnceAndTrainsOn() throws Exception {
    List<String> warnings = new CopyOnWriteArrayList<>();
    try (AutoCloseable l = Warnings.listen(warnings::add);
        ProcessEnqueuer e = sequenceEnqueuer(PythonSource.fromFile(module, "Unpicklable", 3))) {
      e.start(1, 2);
      for (int epoch = 0; epoch < 3; epoch++) {
        e.beginEpoch(3);
        for (int i = 0; i < 3; i++) assertThat(y(e.next())[1]).isEqualTo(epoch);
        e.endEpoch();
      }
      assertThat(warnings)
          .singleElement()
          .satisfies(
              w ->
                  assertThat(w)
                      .startsWith(
                          "The Sequence's state after on_epoch_end() could not be saved for a"
                              + " replacement of its only worker process (TypeError: With"
                              + " use_multiprocessing=True, the Sequence is pickled after"
                              + " on_epoch_end()")
                      .contains("'Unpicklable' failed")
                      .endsWith(
                          "its replacement starts from the state the source builds."
                              + " Training goes on."));
    }
    assertThat(Fixtures.shmFiles(JVM)).isEmpty();
  }

  @Test
  void generatorWorkerKilledIsReplacedByAFreshlySeededCopyWithTheCaveat() throws Exception {
    List<String> warnings = new CopyOnWriteArrayList<>();
    try (AutoCloseable l = Warnings.listen(warnings::add);
        ProcessEnqueuer e = new ProcessEnqueuer(env, gen(Map.of()), false, false, 100)) {
      e.start(2, 4);
      List<Long> before = e.workerPids();
      for (int i = 0; i < 6; i++) e.next();
      kill9(before.get(0));
      // 60 s only guard a hang: the replacement is a Python process start, slow under load.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (e.pool.restarts() == 0 && System.nanoTime() < deadline) Thread.sleep(20);
      long fresh = e.workerPids().get(0);
      assertThat(fresh).isNotEqualTo(before.get(0));
      Set<Long> pids = new HashSet<>();
      while (!pids.contains(fresh) && System.nanoTime() < deadline) pids.add(y(e.next())[1]);
      assertThat(pids).contains(fresh);
      // Seed 100 + 1 restart x 2 workers + index 0.
      assertThat(warnings)
          .filteredOn(w -> w.contains("replaced by a new worker process"))
          .singleElement()
          .satisfies(
              w ->
                  assertThat(w)
                      .contains("exited with status 137 (signal 9)")
                      .contains("A fresh copy of the generator starts in it, seeded with 102")
                      .contains("may repeat data"));
    }
  }

  @Test
  void deathsBeyondMaxWorkerRestartsInOneEpochEndTrainingWithTheWorkersStatus() throws Exception {
    List<String> warnings = new CopyOnWriteArrayList<>();
    try (AutoCloseable l = Warnings.listen(warnings::add);
        ProcessEnqueuer e =
            new ProcessEnqueuer(
                env,
                numbered(6, Map.of("crash_at", 2)),
                true,
                false,
                1,
                WorkerFaultOptions.defaults().withMaxWorkerRestarts(1))) {
      e.start(1, 2);
      e.beginEpoch(6);
      assertThat(y(e.next())[0]).isEqualTo(0);
      assertThat(y(e.next())[0]).isEqualTo(1);
      assertThatThrownBy(e::next)
          .isInstanceOfSatisfying(
              WorkerDiedException.class,
              err -> {
                assertThat(err.worker()).isZero();
                assertThat(err.exitStatus()).isEqualTo(3);
                assertThat(err.stderrTail()).contains("about to crash in __getitem__(2)");
              })
          .hasMessageContaining("exited with status 3")
          .hasMessageContaining(
              "1 worker(s) were replaced in this epoch already (max_worker_restarts=1)")
          .hasMessageContaining("about to crash");
      assertThat(warnings).filteredOn(w -> w.contains("replaced by a new worker")).hasSize(1);
      assertThat(e.isRunning()).isFalse();
      assertThat(Fixtures.shmFiles(JVM)).isEmpty();
    }
  }

  @Test
  void aSlowFetchWarnsWithKerasTextAfterTheTimeoutAndIsStillDelivered() throws Exception {
    List<String> warnings = new CopyOnWriteArrayList<>();
    try (AutoCloseable l = Warnings.listen(warnings::add);
        ProcessEnqueuer e =
            new ProcessEnqueuer(
                env,
                numbered(2, Map.of("delay", 1.5)),
                true,
                false,
                1,
                WorkerFaultOptions.defaults().withFetchTimeout(0.4))) {
      e.start(1, 1);
      e.beginEpoch(2);
      assertThat(y(e.next())[0]).isZero();
      List<Long> pids = e.workerPids();
      assertThat(warnings)
          .isNotEmpty()
          .allSatisfy(
              w ->
                  assertThat(w)
                      .startsWith(
                          "The input 0 could not be retrieved. It could be because a worker has died.")
                      .contains("still waiting, nothing is dropped")
                      .contains("0 (pid " + pids.get(0) + ") alive, asked for index 0."));
      assertThat(y(e.next())[0]).isEqualTo(1);
      assertThat(e.pool.restarts()).isZero();
    }
  }

  @Test
  void aSequenceHoldingALockAndAGeneratorSharesItsStateAfterOnEpochEnd() throws Exception {
    try (ProcessEnqueuer e =
        sequenceEnqueuer(
            PythonSource.fromFile(module, "Locked", 6).withKwargs(Map.of("delay", 0.02)))) {
      e.start(2, 2);
      for (int epoch = 0; epoch < 3; epoch++) {
        e.beginEpoch(6);
        Set<Long> servedBy = new HashSet<>();
        for (int i = 0; i < 6; i++) {
          long[] y = y(e.next());
          assertThat(y[1]).as("epoch seen by batch %d of epoch %d", i, epoch).isEqualTo(epoch);
          servedBy.add(y[2]);
        }
        assertThat(servedBy).hasSize(2);
        e.endEpoch();
      }
    }
  }

  @Test
  void imageDataGeneratorFlowRunsInSeveralWorkerProcessesAcrossEpochs() {
    try (ProcessEnqueuer e =
        new ProcessEnqueuer(env, PythonSource.fromFile(module, "image_flow"), true, false, 1)) {
      e.start(2, 2);
      assertThat(e.size()).isEqualTo(6);
      List<List<Long>> epochs = new java.util.ArrayList<>();
      for (int epoch = 0; epoch < 3; epoch++) {
        e.beginEpoch(6);
        List<Long> seen = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
          Batch b = e.next();
          assertThat(((NDArray) b.x()).shape()).containsExactly(4, 4, 4, 1);
          for (long v : y(b)) seen.add(v);
        }
        // Every sample once: the workers agree on the order on_epoch_end drew.
        assertThat(seen).as("epoch %d", epoch).hasSize(24).doesNotHaveDuplicates();
        epochs.add(seen);
        e.endEpoch();
      }
      assertThat(epochs.get(1)).isNotEqualTo(epochs.get(0));
    }
  }

  @Test
  void sharedMemoryTooSmallForTheSlotsIsAClearErrorAtTheFirstBatchAndAtTheNextStart()
      throws Exception {
    WorkerPool.freeShmForTests = 6L << 20;
    try (ProcessEnqueuer e = generatorEnqueuer(PythonSource.fromFile(module, "big", 4))) {
      e.start(2, 2);
      assertThatThrownBy(
              () -> {
                for (int i = 0; i < 10; i++) e.next();
              })
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "Shared memory cannot hold the batches of the Python worker processes: 2 workers x 4"
                  + " slots (max_queue_size + 2) x 4.0 MB per batch need 32.0 MB in /dev/shm, which"
                  + " has 6.0 MB free. Reduce `workers`, `max_queue_size` or the batch size, enlarge"
                  + " /dev/shm (in a container: `docker run --shm-size=1g`), set the system property"
                  + " jkeras.python.shmDir to a larger tmpfs, or use use_multiprocessing=False.");
      assertThat(e.isRunning()).isFalse();
      // The batch size is known now: the next start fails before any process runs.
      assertThatThrownBy(() -> e.start(2, 2))
          .hasMessageContaining("need 32.0 MB in /dev/shm, which has 6.0 MB free");
      assertThat(e.workerPids()).isEmpty();
    } finally {
      WorkerPool.freeShmForTests = -1;
    }
    assertThat(Fixtures.shmFiles(JVM)).isEmpty();
  }

  @Test
  void optionsAreCheckedAndReadFromKerasStyleKeywords() {
    WorkerFaultOptions o =
        WorkerFaultOptions.fromConfig(Map.of("max_worker_restarts", 5, "fetch_timeout", 2.5));
    assertThat(o.maxWorkerRestarts()).isEqualTo(5);
    assertThat(o.fetchTimeout()).isEqualTo(2.5);
    assertThat(WorkerFaultOptions.defaults())
        .isEqualTo(
            new WorkerFaultOptions(
                WorkerFaultOptions.MAX_WORKER_RESTARTS_DEFAULT,
                WorkerFaultOptions.FETCH_TIMEOUT_DEFAULT));
    assertThatThrownBy(() -> new WorkerFaultOptions(-1, 30))
        .hasMessage("`max_worker_restarts` must be >= 0. Received: max_worker_restarts=-1");
    assertThatThrownBy(() -> new WorkerFaultOptions(3, 0))
        .hasMessageContaining("`fetch_timeout` must be a finite number of seconds > 0");
    assertThatThrownBy(() -> WorkerFaultOptions.fromConfig(Map.of("max_restarts", 1)))
        .hasMessageContaining("Unknown worker fault option `max_restarts`");
  }
}
