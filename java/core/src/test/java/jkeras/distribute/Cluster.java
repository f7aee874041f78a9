package jkeras.distribute;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Worker JVMs of a test cluster on 127.0.0.1: each runs {@link WorkerProcess} with its {@code
 * TF_CONFIG}, bounded in time, and is killed when the test ends.
 */
final class Cluster implements AutoCloseable {
  final List<String> addresses = new ArrayList<>();
  final List<Process> processes = new ArrayList<>();
  final List<Path> outputs = new ArrayList<>();
  final List<Path> logs = new ArrayList<>();
  private final Path dir;
  long[] exitNanos;

  /** With a {@code chief} job: task 0 is the chief, the others the {@code worker} job. */
  private boolean chiefJob;

  Cluster(int workers, Path dir) throws IOException {
    this.dir = dir;
    for (int i = 0; i < workers; i++) addresses.add("127.0.0.1:" + freePort());
  }

  /**
   * The first task as TF_CONFIG's {@code chief} job and the others as its {@code worker} job
   * (instead of one {@code worker} job).
   */
  Cluster withChiefJob() {
    chiefJob = true;
    return this;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Starts every worker with {@code args} after its mode ({@code mode out seed ...}). */
  Cluster start(String mode, String tag, long[] seeds, String... extra) throws IOException {
    return start(mode, tag, seeds, i -> extra);
  }

  /** Starts every worker with its own extra arguments. */
  Cluster start(
      String mode, String tag, long[] seeds, java.util.function.IntFunction<String[]> extras)
      throws IOException {
    ClusterSpec spec =
        chiefJob
            ? new ClusterSpec(
                new java.util.LinkedHashMap<>(
                    java.util.Map.of(
                        "chief",
                        addresses.subList(0, 1),
                        "worker",
                        addresses.subList(1, addresses.size()))),
                "chief",
                0)
            : ClusterSpec.ofWorkers(addresses, 0);
    List<java.util.Map.Entry<String, Integer>> tasks = spec.tasks();
    exitNanos = new long[addresses.size()];
    for (int i = 0; i < addresses.size(); i++) {
      Path out = dir.resolve(tag + "-worker" + i + ".txt");
      Path log = dir.resolve(tag + "-worker" + i + ".log");
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.add("-cp");
      cmd.add(classPath());
      cmd.add("-Xmx512m");
      String cache = System.getProperty("org.bytedeco.javacpp.cachedir");
      if (cache != null) cmd.add("-Dorg.bytedeco.javacpp.cachedir=" + cache);
      cmd.add(WorkerProcess.class.getName());
      cmd.add(mode);
      cmd.add(out.toString());
      cmd.add(Long.toString(seeds[i]));
      for (String e : extras.apply(i)) cmd.add(e);
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.redirectOutput(log.toFile());
      pb.environment()
          .put(
              ClusterSpec.TF_CONFIG,
              spec.toTfConfig(tasks.get(i).getKey(), tasks.get(i).getValue()));
      pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
      Process p = pb.start();
      long[] exited = exitNanos;
      int index = i;
      p.onExit().thenRun(() -> exited[index] = System.nanoTime());
      processes.add(p);
      outputs.add(out);
      logs.add(log);
    }
    return this;
  }

  /**
   * The test JVM's class path and module path (surefire puts the module under test on the latter).
   */
  static String classPath() {
    String cp = System.getProperty("java.class.path", "");
    String mp = System.getProperty("jdk.module.path", "");
    return mp.isEmpty() ? cp : mp + java.io.File.pathSeparator + cp;
  }

  /** Forgets the processes (they have ended) and starts a new run on the same ports. */
  Cluster restart() {
    processes.clear();
    outputs.clear();
    logs.clear();
    return this;
  }

  /** Waits for every worker; returns their exit codes. */
  int[] await(long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    int[] codes = new int[processes.size()];
    for (int i = 0; i < codes.length; i++) {
      long left = Math.max(0, deadline - System.nanoTime());
      if (!processes.get(i).waitFor(left, TimeUnit.NANOSECONDS)) {
        throw new AssertionError("worker " + i + " did not finish within " + seconds + " s");
      }
      codes[i] = processes.get(i).exitValue();
    }
    return codes;
  }

  String log(int i) throws IOException {
    return Files.exists(logs.get(i)) ? Files.readString(logs.get(i)) : "";
  }

  @Override
  public void close() {
    for (Process p : processes) p.destroyForcibly();
  }
}
