package jkeras.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import jkeras.data.Batch;
import jkeras.data.NDArray;
import jkeras.models.Sequential;
import jkeras.python.Python;
import jkeras.python.PythonGenerator;
import jkeras.python.PythonSource;
import jkeras.trainers.FitOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jkeras bench memory-child} (hidden): one peak-RSS run of {@code bench all}, in a fresh
 * JVM. Trains the benchmark MLP with {@code fitGenerator(workers=1)} over {@code --batches} fresh
 * batches (new arrays every batch, from a Java Iterator or a Python generator of {@code
 * bench_sources.py}) and prints {@code VmHWM} and {@code VmRSS} of /proc/self/status.
 *
 * <p>The parent starts it with a fixed, pre-touched heap ({@code -Xms = -Xmx}, {@code
 * -XX:+AlwaysPreTouch}): the heap is then resident in full from the start, whatever the garbage
 * collector does, so a difference in peak RSS between a long and a short stream is memory outside
 * the heap (TensorFlow tensors, the Python bridge) that grows with the data; a queue that kept
 * batches on the heap would end in an OutOfMemoryError.
 */
@Command(
    name = "memory-child",
    hidden = true,
    description = "One peak-RSS run of bench all (internal).")
final class MemoryChild implements Callable<Integer> {
  @Option(names = "--source", required = true)
  String source;

  @Option(names = "--batches", required = true)
  int batches;

  @Option(names = "--batch-size")
  int batchSize = 1024;

  @Option(names = "--max-queue-size")
  int maxQueueSize = 10;

  @Override
  public Integer call() throws Exception {
    long t0 = System.nanoTime();
    try (Sequential model =
        BenchData.mlp(AllBench.FEATURES, AllBench.HIDDEN, AllBench.CLASSES, 0)) {
      FitOptions o =
          FitOptions.builder()
              .epochs(1)
              .stepsPerEpoch(batches)
              .verbose(0)
              .workers(1)
              .maxQueueSize(maxQueueSize)
              .build();
      if (source.equals("java")) {
        model.fitGenerator(javaBatches(), o);
      } else {
        Path dir = TfKerasProcess.projectRoot().resolve("compat-tests/bench");
        try (PythonGenerator g =
            Python.generator(
                PythonSource.fromModule("bench_sources", "fresh_batches", batchSize)
                    .withPaths(dir))) {
          model.fitGenerator(g, o);
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "{\"vmhwm_kb\": %d, \"vmrss_kb\": %d, \"seconds\": %.3f}%n",
        status("VmHWM"),
        status("VmRSS"),
        (System.nanoTime() - t0) / 1e9);
    return 0;
  }

  private Iterator<Batch> javaBatches() {
    return BenchData.endless(
        i -> {
          NDArray[] d =
              BenchData.mlpData(
                  batchSize, AllBench.FEATURES, AllBench.CLASSES, 0, (long) i * batchSize);
          return Batch.of(d[0], d[1]);
        });
  }

  /** A kB field of /proc/self/status. */
  static long status(String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith(field + ":")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
    return -1;
  }

  /** Runs one child JVM and returns its peak RSS in MB (2^20 bytes). */
  static double peakRssMb(String source, int batches, int batchSize, int maxQueueSize, int heapMb)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xms" + heapMb + "m");
    cmd.add("-Xmx" + heapMb + "m");
    cmd.add("-XX:+AlwaysPreTouch");
    for (String p : List.of("org.bytedeco.javacpp.cachedir", "jkeras.root", "jkeras.python.venv")) {
      String v = System.getProperty(p);
      if (v != null) cmd.add("-D" + p + "=" + v);
    }
    if (System.getProperty("jkeras.root") == null)
      cmd.add("-Djkeras.root=" + TfKerasProcess.projectRoot());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(BenchMain.class.getName());
    cmd.addAll(
        List.of(
            "memory-child",
            "--source",
            source,
            "--batches",
            Integer.toString(batches),
            "--batch-size",
            Integer.toString(batchSize),
            "--max-queue-size",
            Integer.toString(maxQueueSize)));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().putIfAbsent("TF_CPP_MIN_LOG_LEVEL", "2");
    Process p = pb.start();
    String last = null;
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith("{")) last = line;
      }
    }
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IOException("memory child timed out");
    }
    if (p.exitValue() != 0 || last == null) {
      throw new IOException(
          "memory child (" + source + ", " + batches + " batches) exited with " + p.exitValue());
    }
    return Double.parseDouble(TfKerasProcess.field(last, "vmhwm_kb")) / 1024.0;
  }
}
