package jkeras.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import jkeras.layers.Layer;
import jkeras.models.Model;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 13's drills through {@code fitGenerator} in every mode (workers 0, 2 threads, 2 processes):
 * an exception at a random step, and interrupting the training thread. (Killing a worker: {@code
 * process.WorkerFaultsTest}; killing the JVM: {@code process.ProcessEnqueuerTest}.)
 */
@Tag("python")
@Tag("native")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DrillsTest {
  @BeforeEach
  void resetNames() {
    Layer.resetNames();
  }

  private static List<Path> shmFiles() throws IOException {
    String prefix = "jkeras-" + ProcessHandle.current().pid() + "-";
    try (var s = Files.list(Path.of("/dev/shm"))) {
      return s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
    }
  }

  private static void assertNothingLeft() throws IOException {
    Fixtures.assertNothingLeft();
    assertThat(shmFiles()).isEmpty();
    assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)).isEmpty();
  }

  @ParameterizedTest(name = "workers={0}, use_multiprocessing={1}")
  @CsvSource({"0, false", "2, false", "2, true"})
  void anExceptionAtARandomStepEndsFitWithThePythonErrorAndLeavesNothing(
      int workers, boolean processes) throws Exception {
    int step = new SplittableRandom(workers * 31L + (processes ? 7 : 0)).nextInt(1, 12);
    try (Model model = Fixtures.classifier()) {
      assertThatThrownBy(
              () ->
                  model.fitGenerator(
                      Fixtures.module("failing_generator", step),
                      Fixtures.quietFit(workers)
                          .stepsPerEpoch(4)
                          .epochs(10)
                          .useMultiprocessing(processes)
                          .build()))
          .isInstanceOfSatisfying(
              PythonException.class,
              e -> {
                assertThat(e.pythonType()).isEqualTo("ValueError");
                assertThat(e.pythonMessage()).isEqualTo("corrupt record " + step);
              });
    }
    assertNothingLeft();
  }

  @ParameterizedTest(name = "workers={0}, use_multiprocessing={1}")
  @CsvSource({"0, false", "2, false", "2, true"})
  void interruptingTheTrainingThreadStopsFitAndKeepsTheFlag(
      int workers, boolean processes, @TempDir Path tmp) throws Exception {
    Path log = tmp.resolve("batches.log");
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicReference<Boolean> flag = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              try (Model model = Fixtures.classifier()) {
                model.fitGenerator(
                    Fixtures.module("slow_generator", 0.3, log.toString()),
                    Fixtures.quietFit(workers)
                        .stepsPerEpoch(1000)
                        .useMultiprocessing(processes)
                        .build());
              } catch (Throwable e) {
                thrown.set(e);
              }
              flag.set(Thread.currentThread().isInterrupted());
            },
            "drill-training");
    t.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline
        && (!Files.exists(log) || Files.readAllLines(log).size() < 3)) {
      Thread.sleep(20); // interrupt once batches flow: mid-training, not during the set-up
    }
    t.interrupt();
    t.join(30_000);
    assertThat(t.isAlive()).isFalse();
    assertThat(thrown.get()).isNotNull().hasMessageContaining("nterrupt");
    assertThat(flag.get()).as("interrupt flag kept").isTrue();
    assertNothingLeft();
  }

  @ParameterizedTest(name = "sequence={0}")
  @CsvSource({"true", "false"})
  void fitGoesOnWhenAWorkerProcessIsKilledMidEpoch(boolean sequence) throws Exception {
    List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
    int[] epoch = {0};
    List<Long> killed = new java.util.concurrent.CopyOnWriteArrayList<>();
    jkeras.callbacks.LambdaCallback killer =
        jkeras.callbacks.LambdaCallback.builder()
            .onEpochBegin((e, logs) -> epoch[0] = e)
            .onBatchEnd(
                (b, logs) -> {
                  if (epoch[0] != 1 || b != 2 || !killed.isEmpty()) return;
                  ProcessHandle w =
                      ProcessHandle.current()
                          .children()
                          .filter(p -> p.info().commandLine().orElse("").contains("jkeras.worker"))
                          .findFirst()
                          .orElseThrow();
                  killed.add(w.pid());
                  w.destroyForcibly(); // SIGKILL, mid-epoch
                  // Hold training until the pool has seen the death: with batches already queued,
                  // fit could otherwise end before the replacement (seen once at load 13).
                  long guard = System.nanoTime() + 60_000_000_000L;
                  while (warnings.stream().noneMatch(x -> x.contains("replaced by a new worker"))
                      && System.nanoTime() < guard) {
                    try {
                      Thread.sleep(5);
                    } catch (InterruptedException ie) {
                      Thread.currentThread().interrupt();
                      return;
                    }
                  }
                })
            .build();
    jkeras.callbacks.History h;
    try (AutoCloseable l = jkeras.internal.Warnings.listen(warnings::add);
        Model model = Fixtures.classifier()) {
      PythonSource src =
          sequence
              ? Fixtures.module("recording_sequence", 8, 4, 0.02)
              : Fixtures.module("slow_generator", 0.01);
      h =
          model.fitGenerator(
              src,
              Fixtures.quietFit(2)
                  .stepsPerEpoch(8)
                  .epochs(3)
                  .useMultiprocessing(true)
                  .callbacks(killer)
                  .build());
    }
    assertThat(killed).hasSize(1);
    assertThat(h.history().get("loss")).hasSize(3);
    assertThat(warnings)
        .filteredOn(w -> w.contains("replaced by a new worker process"))
        .singleElement()
        .satisfies(
            w ->
                assertThat(w)
                    .contains("(pid " + killed.get(0) + ") exited with status 137 (signal 9)")
                    .satisfiesAnyOf(
                        x ->
                            assertThat(x)
                                .contains(
                                    sequence ? "each index is still trained once" : "fresh copy"),
                        x ->
                            assertThat(x).contains(sequence ? "It held no fetch." : "fresh copy")));
    assertNothingLeft();
  }

  @ParameterizedTest(name = "sequence={0}, use_multiprocessing={1}")
  @CsvSource({"true, false", "false, false", "true, true", "false, true"})
  void aBatchSlowerThanTheFetchTimeoutIsWarnedAboutAndStillTrained(
      boolean sequence, boolean processes, @TempDir Path tmp) throws Exception {
    // The slow item lasts until two warnings came (the file `release`), not a fixed 1 s that the
    // warnings due every 0.3 s raced on a loaded machine.
    Path release = tmp.resolve("release");
    List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<String> whileHeld = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.function.Consumer<String> listener =
        w -> {
          warnings.add(w);
          if (!w.contains("could not be retrieved") || whileHeld.size() == 2) return;
          whileHeld.add(w);
          if (whileHeld.size() == 2) {
            try {
              Files.createFile(release);
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }
        };
    jkeras.python.process.WorkerFaultOptions.setDefaults(
        jkeras.python.process.WorkerFaultOptions.defaults().withFetchTimeout(0.3));
    jkeras.callbacks.History h;
    try (AutoCloseable l = jkeras.internal.Warnings.listen(listener);
        Model model = Fixtures.classifier()) {
      PythonSource src =
          sequence
              ? Fixtures.module("StallingSequence", 6, 3, 60.0, release.toString())
              // Item 1 of every copy: with processes, each worker draws its own.
              : Fixtures.module("stalling_generator", 1, 60.0, release.toString());
      h =
          model.fitGenerator(
              src, Fixtures.quietFit(2).stepsPerEpoch(6).useMultiprocessing(processes).build());
    } finally {
      jkeras.python.process.WorkerFaultOptions.setDefaults(null);
    }
    assertThat(h.history().get("loss")).hasSize(1);
    String keras =
        sequence
            ? "The input 3 could not be retrieved. It could be because a worker has died."
            : "An input could not be retrieved. It could be because a worker has died.";
    assertThat(warnings)
        .filteredOn(w -> w.contains("could not be retrieved"))
        .allSatisfy(w -> assertThat(w).contains("No batch came for 0.3 s (fetch_timeout)"));
    // Those given before the release: the slow item was still being fetched.
    assertThat(whileHeld)
        .hasSize(2)
        .allSatisfy(
            w ->
                assertThat(w)
                    .startsWith(
                        keras
                            + " No batch came for 0.3 s (fetch_timeout); still waiting, nothing is"
                            + " dropped.")
                    .contains(processes ? " Workers: 0 (pid " : " Worker threads: jkeras-worker-")
                    .contains(
                        processes
                            ? "alive"
                            : sequence ? "fetching index 3 for " : "in next() for item 1 for "));
    assertNothingLeft();
  }
}
