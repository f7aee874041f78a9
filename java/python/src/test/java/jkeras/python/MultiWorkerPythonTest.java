package jkeras.python;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jkeras.data.NDArray;
import jkeras.distribute.ClusterSpec;
import jkeras.distribute.MultiWorkerMirroredStrategy;
import jkeras.models.Model;
import jkeras.utils.RngUtils;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python bridge in every worker of a multi-worker job, worker processes included: two JVMs on
 * 127.0.0.1 train from a Python generator run in Python worker processes; each worker's generator
 * copy is seeded apart from the other's, and both end with bitwise-equal weights.
 */
@Tag("native")
class MultiWorkerPythonTest {
  @TempDir Path dir;

  /** One worker: {@code out log} with {@code TF_CONFIG} set. */
  public static void main(String[] args) {
    int code = 0;
    try {
      MultiWorkerMirroredStrategy s =
          new MultiWorkerMirroredStrategy(ClusterSpec.fromEnvironment(), 30);
      // The same seed on both: the generator copies differ only by the replica id in their seed.
      RngUtils.setRandomSeed(3L);
      Model model;
      try (var scope = s.scope()) {
        model = Fixtures.classifier();
      }
      try (PythonGenerator g = Python.generator(Fixtures.module("seeded_batches", args[1]))) {
        model.fitGenerator(
            g, Fixtures.quietFit(1).useMultiprocessing(true).stepsPerEpoch(3).epochs(2).build());
      }
      StringBuilder sb = new StringBuilder();
      for (NDArray w : model.getWeights())
        for (float f : w.toFloatArray()) sb.append(Float.floatToRawIntBits(f)).append(' ');
      Files.writeString(Path.of(args[0]), sb.toString());
    } catch (Throwable t) {
      t.printStackTrace();
      code = 3;
    }
    Runtime.getRuntime().halt(code);
  }

  @Test
  void twoWorkersTrainFromPythonWorkerProcessesSeededApart() throws Exception {
    List<String> addresses = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        addresses.add("127.0.0.1:" + s.getLocalPort());
      }
    }
    ClusterSpec spec = ClusterSpec.ofWorkers(addresses, 0);
    Path log = dir.resolve("first-draws.txt");
    String cp = System.getProperty("java.class.path");
    String mp = System.getProperty("jdk.module.path", "");
    if (!mp.isEmpty()) cp = mp + File.pathSeparator + cp;
    List<Process> procs = new ArrayList<>();
    List<Path> outs = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        Path out = dir.resolve("weights-" + i + ".txt");
        ProcessBuilder pb =
            new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Djkeras.root=" + System.getProperty("jkeras.root", "."),
                    "-Dorg.bytedeco.javacpp.cachedir="
                        + System.getProperty(
                            "org.bytedeco.javacpp.cachedir",
                            Path.of(System.getProperty("user.home"), ".javacpp", "cache")
                                .toString()),
                    "-cp",
                    cp,
                    MultiWorkerPythonTest.class.getName(),
                    out.toString(),
                    log.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("worker-" + i + ".log").toFile());
        pb.environment().put(ClusterSpec.TF_CONFIG, spec.toTfConfig("worker", i));
        procs.add(pb.start());
        outs.add(out);
      }
      for (int i = 0; i < 2; i++) {
        assertThat(procs.get(i).waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(procs.get(i).exitValue())
            .as(Files.readString(dir.resolve("worker-" + i + ".log")))
            .isZero();
      }
    } finally {
      procs.forEach(Process::destroyForcibly);
    }
    assertThat(Files.readString(outs.get(1))).isEqualTo(Files.readString(outs.get(0)));
    // One generator copy per worker, each seeded apart: two different first draws.
    List<String> draws = Files.readAllLines(log);
    assertThat(draws).hasSize(2).doesNotHaveDuplicates();
  }
}
