package jkeras.python;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
 * 127.0.0.1 train from a Python generator, or a Python Sequence, read by Python worker processes.
 */
@Tag("native")
class MultiWorkerPythonTest {
  @TempDir Path dir;

  /**
   * One worker ({@code TF_CONFIG} set) or the single-process reference: {@code mode out log seed};
   * mode {@code generator} or {@code sequence}. Writes the weights' float bits, then the JVM's pid.
   */
  public static void main(String[] args) {
    int code = 0;
    try {
      run(args);
    } catch (Throwable t) {
      t.printStackTrace();
      code = 3;
    }
    Runtime.getRuntime().halt(code);
  }

  static void run(String[] args) throws Exception {
    String mode = args[0];
    boolean distributed = System.getenv(ClusterSpec.TF_CONFIG) != null;
    MultiWorkerMirroredStrategy s =
        distributed ? new MultiWorkerMirroredStrategy(ClusterSpec.fromEnvironment(), 30) : null;
    RngUtils.setRandomSeed(Long.parseLong(args[3]));
    Model model;
    if (s != null) {
      try (var scope = s.scope()) {
        model = Fixtures.classifier();
      }
    } else {
      model = Fixtures.classifier();
    }
    long pid = ProcessHandle.current().pid();
    double loss = Double.NaN;
    if (mode.equals("generator")) {
      try (PythonGenerator g = Python.generator(Fixtures.module("seeded_batches", args[2]))) {
        model.fitGenerator(
            g, Fixtures.quietFit(1).useMultiprocessing(true).stepsPerEpoch(3).epochs(2).build());
      }
    } else if (distributed) {
      // 5 batches of 13 (the last 12): worker 0 takes indices 0, 2, 4; worker 1 takes 1, 3 and
      // an empty padding step.
      try (PythonSequence q =
          Python.sequence(Fixtures.module("logged_sequence", args[2], "jvm" + pid, 64, 13))) {
        model.fitGenerator(
            q, Fixtures.quietFit(2).useMultiprocessing(true).shuffle(false).epochs(2).build());
      }
      // evaluate reads its shard in worker processes too; its loss is the whole set's.
      try (PythonSequence q =
          Python.sequence(
              Fixtures.module("logged_sequence", args[2] + ".eval", "jvm" + pid, 64, 13))) {
        loss =
            model
                .evaluate(
                    q,
                    jkeras.trainers.EvaluateOptions.builder()
                        .workers(2)
                        .useMultiprocessing(true)
                        .verbose(0)
                        .build())
                .get(0);
      }
    } else {
      // One process on the union of each step's shards: batches of 26, in-process.
      try (PythonSequence q =
          Python.sequence(Fixtures.module("logged_sequence", args[2], "reference", 64, 26))) {
        model.fitGenerator(q, Fixtures.quietFit(0).shuffle(false).epochs(2).build());
        loss =
            model.evaluate(q, jkeras.trainers.EvaluateOptions.builder().verbose(0).build()).get(0);
      }
    }
    StringBuilder sb = new StringBuilder();
    for (NDArray w : model.getWeights())
      for (float f : w.toFloatArray()) sb.append(Float.floatToRawIntBits(f)).append(' ');
    Files.writeString(Path.of(args[1]), sb + "\n" + pid + "\n" + loss + "\n");
  }

  /** Starts 2 worker JVMs of {@code mode} with seeds 3 and 4; returns their output files. */
  private List<Path> twoWorkers(String mode, Path log) throws Exception {
    List<String> addresses = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        addresses.add("127.0.0.1:" + s.getLocalPort());
      }
    }
    ClusterSpec spec = ClusterSpec.ofWorkers(addresses, 0);
    String cp = System.getProperty("java.class.path");
    String mp = System.getProperty("jdk.module.path", "");
    if (!mp.isEmpty()) cp = mp + File.pathSeparator + cp;
    List<Process> procs = new ArrayList<>();
    List<Path> outs = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        Path out = dir.resolve(mode + "-weights-" + i + ".txt");
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
                    mode,
                    out.toString(),
                    log.toString(),
                    Integer.toString(3 + i))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(mode + "-worker-" + i + ".log").toFile());
        pb.environment().put(ClusterSpec.TF_CONFIG, spec.toTfConfig("worker", i));
        procs.add(pb.start());
        outs.add(out);
      }
      for (int i = 0; i < 2; i++) {
        assertThat(procs.get(i).waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(procs.get(i).exitValue())
            .as(Files.readString(dir.resolve(mode + "-worker-" + i + ".log")))
            .isZero();
      }
    } finally {
      procs.forEach(Process::destroyForcibly);
    }
    return outs;
  }

  private static String weights(Path out) throws Exception {
    return Files.readAllLines(out).get(0);
  }

  @Test
  void twoWorkersTrainFromPythonWorkerProcessesSeededApart() throws Exception {
    Path log = dir.resolve("first-draws.txt");
    List<Path> outs = twoWorkers("generator", log);
    assertThat(weights(outs.get(1))).isEqualTo(weights(outs.get(0)));
    // One generator copy per worker, each seeded apart: two different first draws.
    List<String> draws = Files.readAllLines(log);
    assertThat(draws).hasSize(2).doesNotHaveDuplicates();
  }

  @Test
  void aPythonSequenceIsShardedOverEachWorkersPythonProcesses() throws Exception {
    Path log = dir.resolve("fetches.txt");
    List<Path> outs = twoWorkers("sequence", log);
    assertThat(weights(outs.get(1))).isEqualTo(weights(outs.get(0)));

    // Which indices each cluster worker's Python processes fetched, per epoch.
    Map<String, Map<Integer, List<Integer>>> fetched = new TreeMap<>();
    List<String> owners = new ArrayList<>();
    for (Path out : outs) owners.add("jvm" + Files.readAllLines(out).get(1));
    for (String line : Files.readAllLines(log)) {
      String[] f = line.split(" ");
      // Fetched in a worker process, not in the JVM.
      assertThat(f[1]).isNotEqualTo(f[0].substring(3));
      fetched
          .computeIfAbsent(f[0], k -> new TreeMap<>())
          .computeIfAbsent(Integer.parseInt(f[2]), k -> new ArrayList<>())
          .add(Integer.parseInt(f[3]));
    }
    fetched.values().forEach(m -> m.values().forEach(l -> l.sort(null)));
    assertThat(fetched).containsOnlyKeys(owners);
    // Epoch 0, then epoch 1 after on_epoch_end, whose state every worker process received.
    assertThat(fetched.get(owners.get(0)))
        .isEqualTo(Map.of(0, List.of(0, 2, 4), 1, List.of(0, 2, 4)));
    // Worker 1: indices 1 and 3, and the padding step fetched as the last index for its shapes
    // (trained as an empty batch).
    assertThat(fetched.get(owners.get(1)))
        .isEqualTo(Map.of(0, List.of(1, 3, 4), 1, List.of(1, 3, 4)));

    // Every index trained once per epoch: the weights of one process on the union of the shards.
    Path ref = dir.resolve("reference.txt");
    run(new String[] {"sequence", ref.toString(), dir.resolve("ref-fetches.txt").toString(), "3"});
    String[] got = weights(outs.get(0)).split(" ");
    String[] want = weights(ref).split(" ");
    assertThat(got).hasSameSizeAs(want);
    double maxDiff = 0;
    for (int i = 0; i < got.length; i++) {
      float g = Float.intBitsToFloat(Integer.parseInt(got[i]));
      float w = Float.intBitsToFloat(Integer.parseInt(want[i]));
      maxDiff = Math.max(maxDiff, Math.abs(g - w));
    }
    System.out.printf("python sequence, 2 workers: max |w - w_single| = %.3g%n", maxDiff);
    assertThat(maxDiff).isLessThanOrEqualTo(1e-6);

    // evaluate on the Sequence: each worker's processes fetched its shard once, and both report
    // the whole set's loss (bitwise equal, within 1e-6 of the reference).
    Map<String, List<Integer>> evaluated = new TreeMap<>();
    for (String line : Files.readAllLines(Path.of(log + ".eval"))) {
      String[] f = line.split(" ");
      evaluated.computeIfAbsent(f[0], k -> new ArrayList<>()).add(Integer.parseInt(f[3]));
    }
    evaluated.values().forEach(l -> l.sort(null));
    assertThat(evaluated)
        .isEqualTo(Map.of(owners.get(0), List.of(0, 2, 4), owners.get(1), List.of(1, 3, 4)));
    String loss = Files.readAllLines(outs.get(0)).get(2);
    assertThat(Files.readAllLines(outs.get(1)).get(2)).isEqualTo(loss);
    double wantLoss = Double.parseDouble(Files.readAllLines(ref).get(2));
    System.out.printf(
        "python sequence evaluate: |loss - loss_single| = %.3g%n",
        Math.abs(Double.parseDouble(loss) - wantLoss));
    assertThat(Double.parseDouble(loss))
        .isCloseTo(wantLoss, org.assertj.core.data.Offset.offset(1e-6))
        .isPositive();
  }
}
