package jkeras.python.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import jkeras.data.Batch;
import jkeras.data.NDArray;
import jkeras.internal.Warnings;
import jkeras.python.PythonException;
import jkeras.python.PythonSource;
import jkeras.utils.GeneratorExhaustedException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Tag("python")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProcessEnqueuerTest extends WorkerProcessTest {
  private static final long JVM = ProcessHandle.current().pid();

  private static long[] y(Batch b) {
    return ((NDArray) b.y()).toLongArray();
  }

  /** Waits until the log has {@code n} lines; 60 s only guard a hang (worker starts under load). */
  private static void awaitLines(Path log, int n) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (Fixtures.lines(log).size() < n && System.nanoTime() < deadline) Thread.sleep(20);
  }

  @Test
  void sequenceBatchesComeInOrderExactlyOncePerEpochFromTwoWorkers() throws Exception {
    Path log = dir.resolve("order.log");
    try (ProcessEnqueuer e =
        sequenceEnqueuer(numbered(10, Map.of("log", log.toString(), "delay", 0.01)))) {
      e.start(2, 4);
      assertThat(e.size()).isEqualTo(10);
      for (int epoch = 0; epoch < 2; epoch++) {
        e.beginEpoch(10);
        for (int i = 0; i < 10; i++) {
          Batch b = e.next();
          NDArray x = (NDArray) b.x();
          assertThat(x.shape()).containsExactly(2, 3);
          assertThat(x.toFloatArray()).containsOnly((float) i);
          assertThat(y(b)[0]).isEqualTo(i);
        }
        e.endEpoch();
      }
      List<String> lines = Fixtures.lines(log);
      assertThat(lines).hasSize(20);
      Map<String, Integer> count = new HashMap<>();
      Set<String> pids = new HashSet<>();
      for (String l : lines) {
        String[] f = l.split(" ");
        pids.add(f[0]);
        count.merge(f[1] + "/" + f[2], 1, Integer::sum);
      }
      assertThat(count).hasSize(20).allSatisfy((k, v) -> assertThat(v).isEqualTo(1));
      assertThat(pids)
          .hasSize(2)
          .containsExactlyInAnyOrderElementsOf(
              e.workerPids().stream().map(String::valueOf).toList());
    }
  }

  @Test
  void shuffledPassesArePermutationsFixedBySeed() {
    List<List<Long>> runs = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      try (ProcessEnqueuer e = new ProcessEnqueuer(env, numbered(8, Map.of()), true, true, 42)) {
        e.start(2, 3);
        List<Long> seen = new ArrayList<>();
        for (int epoch = 0; epoch < 2; epoch++) {
          e.beginEpoch(8);
          for (int i = 0; i < 8; i++) seen.add(y(e.next())[0]);
          e.endEpoch();
        }
        runs.add(seen);
      }
    }
    List<Long> a = runs.get(0);
    assertThat(a.subList(0, 8)).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(a.subList(8, 16)).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(a.subList(0, 8)).isNotEqualTo(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L));
    assertThat(a.subList(0, 8)).isNotEqualTo(a.subList(8, 16));
    assertThat(runs.get(1)).isEqualTo(a);
  }

  @Test
  void onEpochEndStateIsSeenByEveryWorkerInTheNextEpoch() throws Exception {
    Path log = dir.resolve("epochs.log");
    try (ProcessEnqueuer e =
        sequenceEnqueuer(numbered(6, Map.of("log", log.toString(), "delay", 0.02)))) {
      e.start(2, 2);
      for (int epoch = 0; epoch < 3; epoch++) {
        e.beginEpoch(6);
        Set<Long> servedBy = new HashSet<>();
        for (int i = 0; i < 6; i++) {
          long[] y = y(e.next());
          assertThat(y[1])
              .as("epoch counter seen by batch %d of epoch %d", i, epoch)
              .isEqualTo(epoch);
          servedBy.add(y[2]);
        }
        assertThat(servedBy).as("workers that served epoch %d", epoch).hasSize(2);
        e.endEpoch();
      }
    }
  }

  @Test
  void sequenceFetchesAtMostMaxQueueSizeAheadOfConsumption() throws Exception {
    Path log = dir.resolve("seqbound.log");
    try (ProcessEnqueuer e = sequenceEnqueuer(numbered(20, Map.of("log", log.toString())))) {
      e.start(2, 3);
      Thread.sleep(300);
      assertThat(Fixtures.lines(log)).as("nothing fetched before beginEpoch").isEmpty();
      e.beginEpoch(20);
      awaitLines(log, 3);
      Thread.sleep(500);
      assertThat(Fixtures.lines(log)).hasSize(3);
      e.next();
      e.next();
      awaitLines(log, 5);
      Thread.sleep(500);
      assertThat(Fixtures.lines(log)).hasSize(5);
    }
  }

  @Test
  void generatorDrawsAtMostMaxQueueSizeAheadOfConsumption() throws Exception {
    Path log = dir.resolve("genbound.log");
    try (ProcessEnqueuer e = generatorEnqueuer(gen(Map.of("log", log.toString())))) {
      e.start(2, 3);
      awaitLines(log, 3);
      Thread.sleep(500);
      assertThat(Fixtures.lines(log)).hasSize(3);
      for (int i = 0; i < 4; i++) e.next();
      awaitLines(log, 7);
      Thread.sleep(500);
      assertThat(Fixtures.lines(log)).hasSize(7);
    }
  }

  /** Python's own first random.random() after random.seed(s), from the venv's interpreter. */
  private static double pythonFirstRandom(long s) throws Exception {
    Process p =
        new ProcessBuilder(
                env.pythonExecutable().toString(),
                "-c",
                "import random; random.seed(" + s + "); print(repr(random.random()))")
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor()).isZero();
    return Double.parseDouble(out);
  }

  @Test
  void generatorWorkersAreSeededDifferentlyAndWarnAboutDuplicates() throws Exception {
    List<String> warnings = new CopyOnWriteArrayList<>();
    Map<Long, double[]> firstByPid = new LinkedHashMap<>();
    try (AutoCloseable l = Warnings.listen(warnings::add);
        ProcessEnqueuer e = new ProcessEnqueuer(env, gen(Map.of()), false, false, 100)) {
      e.start(2, 4);
      // Until each worker's first batch came: on a loaded machine one worker may serve many first.
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (firstByPid.size() < 2 && System.nanoTime() < deadline) {
        Batch b = e.next();
        long[] y = y(b);
        if (y[0] == 0) firstByPid.put(y[1], ((NDArray) b.x()).toDoubleArray());
      }
      assertThat(warnings).containsExactly(ProcessEnqueuer.DUPLICATE_DATA_WARNING);
      assertThat(ProcessEnqueuer.DUPLICATE_DATA_WARNING)
          .isEqualTo(
              "Using a generator with `use_multiprocessing=True` and multiple workers may duplicate your data. "
                  + "Please consider using the `keras.utils.Sequence class.");
      List<Long> pids = e.workerPids();
      assertThat(firstByPid).containsOnlyKeys(pids);
      double[] w0 = firstByPid.get(pids.get(0));
      double[] w1 = firstByPid.get(pids.get(1));
      assertThat(w0[0]).isEqualTo(pythonFirstRandom(100));
      assertThat(w1[0]).isEqualTo(pythonFirstRandom(101));
      assertThat(w0[1]).isNotEqualTo(w1[1]);
    }
  }

  @Test
  void oneGeneratorWorkerDoesNotWarn() throws Exception {
    List<String> warnings = new CopyOnWriteArrayList<>();
    try (AutoCloseable l = Warnings.listen(warnings::add);
        ProcessEnqueuer e = generatorEnqueuer(gen(Map.of("n", 2)))) {
      e.start(1, 2);
      e.next();
      assertThat(warnings).isEmpty();
    }
  }

  @Test
  void generatorsEndWithGeneratorExhaustedOnceQueuedBatchesAreUsed() {
    try (ProcessEnqueuer e = generatorEnqueuer(gen(Map.of("n", 5)))) {
      e.start(2, 3);
      Map<Long, List<Long>> byPid = new HashMap<>();
      for (int i = 0; i < 10; i++) {
        long[] y = y(e.next());
        byPid.computeIfAbsent(y[1], k -> new ArrayList<>()).add(y[0]);
      }
      assertThat(byPid)
          .hasSize(2)
          .allSatisfy((pid, ks) -> assertThat(ks).containsExactly(0L, 1L, 2L, 3L, 4L));
      assertThatThrownBy(e::next).isInstanceOf(GeneratorExhaustedException.class);
    }
  }

  @Test
  void aPathArgumentReachesTheWorkersAsAPlainPath() throws Exception {
    Path log = dir.resolve("path-arg.log");
    try (ProcessEnqueuer e = generatorEnqueuer(gen(Map.of("n", 2, "log", log)))) {
      e.start(1, 2);
      e.next();
      e.next();
    }
    assertThat(Fixtures.lines(log)).hasSize(2);
  }

  @Test
  void pythonExceptionInSequenceReachesJavaWithTypeAndTraceback() {
    try (ProcessEnqueuer e = sequenceEnqueuer(numbered(5, Map.of("fail_at", 1)))) {
      e.start(2, 2);
      e.beginEpoch(5);
      assertThat(y(e.next())[0]).isZero();
      assertThatThrownBy(e::next)
          .isInstanceOfSatisfying(
              PythonException.class,
              err -> {
                assertThat(err.pythonType()).isEqualTo("ValueError");
                assertThat(err.pythonTraceback())
                    .contains("Traceback (most recent call last)")
                    .contains("in __getitem__")
                    .contains("raise ValueError(\"bad index %d\" % i)")
                    .endsWith("ValueError: bad index 1\n");
              })
          .hasMessageContaining("ValueError: bad index 1");
      assertThat(e.isRunning()).isFalse();
    }
  }

  @Test
  void pythonExceptionInGeneratorReachesJavaAfterEarlierBatches() {
    try (ProcessEnqueuer e = generatorEnqueuer(gen(Map.of("fail_at", 2)))) {
      e.start(1, 5);
      assertThat(y(e.next())[0]).isEqualTo(0);
      assertThat(y(e.next())[0]).isEqualTo(1);
      assertThatThrownBy(e::next)
          .isInstanceOfSatisfying(
              PythonException.class,
              err -> {
                assertThat(err.pythonType()).isEqualTo("KeyError");
                assertThat(err.pythonTraceback())
                    .contains("in gen")
                    .contains("KeyError: 'generator failed at 2'");
              });
    }
  }

  @Test
  void itemThatIsNoBatchIsAnIllegalArgument() {
    try (ProcessEnqueuer e = generatorEnqueuer(PythonSource.fromFile(module, "bad"))) {
      e.start(1, 2);
      assertThatThrownBy(e::next)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Unsupported array dtype `<U1`");
    }
  }

  @Test
  void badSourceFailsAtStartWithThePythonError() {
    ProcessEnqueuer e = sequenceEnqueuer(PythonSource.fromModule("no_such_module_xyz", "f"));
    assertThatThrownBy(() -> e.start(2, 2))
        .isInstanceOfSatisfying(
            PythonException.class,
            err -> assertThat(err.pythonType()).isEqualTo("ModuleNotFoundError"))
        .hasMessageContaining("no_such_module_xyz")
        .hasMessageContaining("PythonSource.withPaths(...)");
    assertThat(e.isRunning()).isFalse();
  }

  @Test
  void workerCrashIsReportedWithExitStatusAndStderr() {
    assertTimeoutPreemptively(
        Duration.ofSeconds(90),
        () -> {
          try (ProcessEnqueuer e = sequenceEnqueuer(numbered(6, Map.of("crash_at", 2)))) {
            e.start(1, 2);
            e.beginEpoch(6);
            assertThat(y(e.next())[0]).isEqualTo(0);
            assertThat(y(e.next())[0]).isEqualTo(1);
            List<Long> pids = e.workerPids();
            assertThatThrownBy(e::next)
                .isInstanceOfSatisfying(
                    WorkerDiedException.class,
                    err -> {
                      assertThat(err.exitStatus()).isEqualTo(3);
                      assertThat(err.stderrTail()).contains("about to crash in __getitem__(2)");
                    })
                .hasMessageContaining("exited with status 3")
                .hasMessageContaining("about to crash");
            assertThat(e.isRunning()).isFalse();
            assertThat(pids).noneMatch(Fixtures::alive);
            assertThat(Fixtures.shmFiles(JVM)).isEmpty();
          }
        });
  }

  @Test
  void stopLeavesNoProcessAndNoSharedMemoryFile() throws Exception {
    ProcessEnqueuer seq = sequenceEnqueuer(numbered(10, Map.of()));
    ProcessEnqueuer g = generatorEnqueuer(gen(Map.of()));
    seq.start(2, 4);
    g.start(2, 4);
    seq.beginEpoch(10);
    for (int i = 0; i < 3; i++) {
      seq.next();
      g.next();
    }
    List<Long> pids = new ArrayList<>(seq.workerPids());
    pids.addAll(g.workerPids());
    assertThat(pids).hasSize(4).allMatch(Fixtures::alive);
    assertThat(Fixtures.shmFiles(JVM)).isNotEmpty();
    seq.stop();
    g.stop();
    assertThat(pids).noneMatch(Fixtures::alive);
    assertThat(Fixtures.shmFiles(JVM)).isEmpty();
    assertThat(seq.threads()).isEmpty();
    assertThat(g.threads()).isEmpty();
  }

  /**
   * The JVM's class path plus the jars and folders this test's classes came from (launchers may
   * load tests through their own class loader).
   */
  private static String childClasspath() {
    Set<String> entries =
        new java.util.LinkedHashSet<>(
            List.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator)));
    for (String name :
        List.of(
            "jkeras.python.process.KillTargetMain",
            "jkeras.python.process.ProcessEnqueuer",
            "jkeras.python.PythonEnvironment",
            "jkeras.data.Batch",
            "com.fasterxml.jackson.databind.ObjectMapper",
            "com.fasterxml.jackson.core.JsonFactory",
            "com.fasterxml.jackson.annotation.JsonAutoDetect",
            "jep.Jep")) {
      try {
        var src =
            Class.forName(name, false, ProcessEnqueuerTest.class.getClassLoader())
                .getProtectionDomain()
                .getCodeSource();
        if (src != null) entries.add(Path.of(src.getLocation().toURI()).toString());
      } catch (ReflectiveOperationException | java.net.URISyntaxException | LinkageError e) {
        // not needed by this build
      }
    }
    return String.join(java.io.File.pathSeparator, entries);
  }

  @Test
  void workersDieWithTheirJvmWhenItIsKilled() throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String prop : List.of("jkeras.root", "jkeras.python.venv")) {
      String v = System.getProperty(prop);
      if (v != null) cmd.add("-D" + prop + "=" + v);
    }
    cmd.add("-cp");
    cmd.add(childClasspath());
    cmd.add(KillTargetMain.class.getName());
    cmd.add(module.toString());
    Process child = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    List<Long> pids = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null && !line.equals("READY")) {
        if (line.startsWith("PID ")) pids.add(Long.parseLong(line.substring(4)));
      }
      assertThat(line).as("child JVM output").isEqualTo("READY");
      assertThat(pids).hasSize(4).allMatch(Fixtures::alive);
      assertThat(Fixtures.shmFiles(child.pid())).isNotEmpty();
      child.destroyForcibly(); // SIGKILL: no shutdown hook runs
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(child.exitValue()).isEqualTo(137);
      // The workers poll their parent every 0.2 s; 60 s only guard a hang on a loaded machine.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline
          && (pids.stream().anyMatch(Fixtures::alive)
              || !Fixtures.shmFiles(child.pid()).isEmpty())) {
        Thread.sleep(50);
      }
      assertThat(pids).noneMatch(Fixtures::alive);
      assertThat(Fixtures.shmFiles(child.pid())).isEmpty();
    } finally {
      child.destroyForcibly();
    }
  }
}
