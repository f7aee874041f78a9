package jkeras.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import jkeras.callbacks.BackupAndRestore;
import jkeras.callbacks.Callback;
import jkeras.callbacks.History;
import jkeras.data.NDArray;
import jkeras.distribute.ClusterSpec;
import jkeras.distribute.MultiWorkerMirroredStrategy;
import jkeras.layers.Concatenate;
import jkeras.layers.Dense;
import jkeras.layers.Input;
import jkeras.layers.KerasTensor;
import jkeras.models.Model;
import jkeras.python.Python;
import jkeras.python.PythonGenerator;
import jkeras.python.PythonSource;
import jkeras.trainers.CompileOptions;
import jkeras.trainers.FitOptions;
import jkeras.utils.RngUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A demonstration of multi-worker training on one machine: starts {@code --workers} JVMs on
 * 127.0.0.1 ports, each with its {@code TF_CONFIG}, that train the seed article's two-input model
 * from the Python generator under a {@link MultiWorkerMirroredStrategy} (each worker reading a data
 * file of its own, as a generator per worker reads its own shard). The chief prints the progress;
 * at the end every worker prints a checksum of its weights, which agree.
 *
 * <p>With {@code TF_CONFIG} set (a real cluster, or a worker this command started) it runs as one
 * worker instead.
 */
@Command(
    name = "multi-worker",
    mixinStandardHelpOptions = true,
    description =
        "Multi-worker training demo: N local worker JVMs on 127.0.0.1 with their TF_CONFIG; with"
            + " TF_CONFIG set, runs as one worker of that cluster.")
final class MultiWorkerCommand implements Callable<Integer> {
  @Option(
      names = "--workers",
      defaultValue = "2",
      description = "Worker processes to start (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(
      names = "--epochs",
      defaultValue = "3",
      description = "Epochs (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(
      names = "--steps-per-epoch",
      defaultValue = "200",
      description = "Steps per epoch, the same on every worker (default: ${DEFAULT-VALUE}).")
  int stepsPerEpoch;

  @Option(
      names = "--use-multiprocessing",
      description = "Run each worker's Python generator in Python worker processes.")
  boolean useMultiprocessing;

  @Option(
      names = "--backup-dir",
      description = "BackupAndRestore's directory: a restarted run resumes from its last epoch.")
  Path backupDir;

  @Option(
      names = "--timeout",
      defaultValue = "" + MultiWorkerMirroredStrategy.TIMEOUT_SECONDS_DEFAULT,
      description = "Collective timeout in seconds (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Seed for data and weights (default: ${DEFAULT-VALUE}).")
  long seed;

  PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    String tfConfig = System.getenv(ClusterSpec.TF_CONFIG);
    if (tfConfig != null && !tfConfig.isBlank()) {
      int code = runWorker(ClusterSpec.parse(tfConfig));
      // TensorFlow's server cannot be stopped: end the process once training is done.
      out.flush();
      Runtime.getRuntime().halt(code);
    }
    return launch();
  }

  /** Starts the local workers, relays their output, and returns 0 when all succeeded. */
  private int launch() throws Exception {
    if (workers < 1)
      throw new IllegalArgumentException("--workers must be at least 1; received " + workers);
    List<String> addresses = new ArrayList<>();
    for (int i = 0; i < workers; i++) addresses.add("127.0.0.1:" + freePort());
    ClusterSpec spec = ClusterSpec.ofWorkers(addresses, 0);
    out.println("cluster: " + addresses + " (loopback only)");
    List<Process> procs = new ArrayList<>();
    Thread killer = new Thread(() -> procs.forEach(Process::destroyForcibly));
    Runtime.getRuntime().addShutdownHook(killer);
    List<Thread> relays = new ArrayList<>();
    try {
      for (int i = 0; i < workers; i++) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String p : new String[] {"org.bytedeco.javacpp.cachedir", "jkeras.root"}) {
          if (System.getProperty(p) != null) cmd.add("-D" + p + "=" + System.getProperty(p));
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.add("multi-worker");
        cmd.add("--epochs=" + epochs);
        cmd.add("--steps-per-epoch=" + stepsPerEpoch);
        cmd.add("--seed=" + seed);
        cmd.add("--timeout=" + timeoutSeconds);
        if (useMultiprocessing) cmd.add("--use-multiprocessing");
        if (backupDir != null) cmd.add("--backup-dir=" + backupDir.toAbsolutePath());
        String config = spec.toTfConfig("worker", i);
        out.println("worker " + i + ": TF_CONFIG='" + config + "'");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put(ClusterSpec.TF_CONFIG, config);
        Process p = pb.start();
        procs.add(p);
        relays.add(relay(p, i == 0 ? "" : "[worker " + i + "] "));
      }
      int failed = 0;
      for (int i = 0; i < procs.size(); i++) {
        int code = procs.get(i).waitFor();
        if (code != 0) {
          failed++;
          out.println("worker " + i + " exited with status " + code);
        }
      }
      for (Thread t : relays) t.join(TimeUnit.SECONDS.toMillis(5));
      return failed == 0 ? 0 : 1;
    } finally {
      procs.forEach(Process::destroyForcibly);
      Runtime.getRuntime().removeShutdownHook(killer);
    }
  }

  private Thread relay(Process p, String prefix) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  synchronized (out) {
                    out.println(prefix + line);
                  }
                }
              } catch (IOException ignored) {
                // the worker ended
              }
            },
            "multi-worker relay");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** One worker: the seed example's model and Python generator under the strategy. */
  private int runWorker(ClusterSpec spec) throws IOException {
    MultiWorkerMirroredStrategy strategy = new MultiWorkerMirroredStrategy(spec, timeoutSeconds);
    int rank = strategy.replicaId();
    Path root = Path.of(System.getProperty("jkeras.root", "."));
    // Each worker's generator reads a shard of its own.
    Path file = root.resolve("target/multi-worker/data-" + rank + ".txt");
    DemoCommand.writeData(file, stepsPerEpoch, seed + rank);
    RngUtils.setRandomSeed(seed);
    Model model;
    try (var scope = strategy.scope()) {
      KerasTensor in1 = Input.create(new long[] {4}, "input_1");
      KerasTensor in2 = Input.create(new long[] {3}, "input_2");
      KerasTensor h =
          new Concatenate()
              .apply(
                  List.of(
                      Dense.builder(16).activation("relu").build().apply(in1),
                      Dense.builder(16).activation("relu").build().apply(in2)));
      h = Dense.builder(16).activation("relu").build().apply(h);
      KerasTensor outT = Dense.builder(1).name("output").build().apply(h);
      model = new Model(List.of(in1, in2), List.of(outT));
      model.compile(
          CompileOptions.builder().optimizer("adam").loss(Map.of("output", "mse")).build());
    }
    PythonSource source =
        PythonSource.fromFile(
            root.resolve("python/examples/seed_example.py"),
            "generate_arrays_from_file",
            file.toString());
    long start = System.nanoTime();
    try (model;
        PythonGenerator generator = Python.generator(source)) {
      List<Callback> callbacks = new ArrayList<>();
      if (backupDir != null) callbacks.add(new BackupAndRestore(backupDir));
      History history =
          model.fitGenerator(
              generator,
              FitOptions.builder()
                  .stepsPerEpoch(stepsPerEpoch)
                  .epochs(epochs)
                  .workers(1)
                  .useMultiprocessing(useMultiprocessing)
                  .verbose(2)
                  .callbacks(callbacks)
                  .build());
      double sum = 0;
      for (NDArray w : model.getWeights()) for (float f : w.toFloatArray()) sum += Math.abs(f);
      if (strategy.isChief()) {
        out.printf(Locale.ROOT, "loss by epoch: %s%n", history.history().get("loss"));
        out.printf(
            Locale.ROOT,
            "%d workers (each step: one generator line per worker), %.1f s%n",
            strategy.numReplicasInSync(),
            (System.nanoTime() - start) / 1e9);
      }
      out.printf(Locale.ROOT, "weights checksum (sum |w|): %.9f%n", sum);
      return 0;
    } catch (RuntimeException e) {
      e.printStackTrace(out);
      return 2;
    }
  }
}
