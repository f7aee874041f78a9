package jkeras.python;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jkeras.callbacks.LambdaCallback;
import jkeras.layers.Layer;
import jkeras.models.Model;
import jkeras.trainers.FitOptions;

/**
 * Issue 13's soak run ({@code scripts/soak.sh}, never part of the tests): {@code fitGenerator} over
 * a Python generator for {@code steps} steps (default 100,000) in each mode (workers 0 in this JVM,
 * 2 threads, 2 worker processes), printing every 10,000 steps the JVM's RSS, the worker processes'
 * RSS, live JVM threads, open file descriptors and this JVM's shared-memory files, then the same
 * after the fit returned, and the machine's load average at the start and after each mode. Flat
 * columns mean nothing leaks.
 */
public final class SoakMain {
  private SoakMain() {}

  private static final long PID = ProcessHandle.current().pid();

  private static long rssKb(long pid) {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("\\D", ""));
      }
    } catch (IOException | RuntimeException e) {
      // gone
    }
    return 0;
  }

  private static long childrenRssKb() {
    return ProcessHandle.current().descendants().mapToLong(p -> rssKb(p.pid())).sum();
  }

  private static long count(Path dir, String prefix) {
    try (var s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith(prefix)).count();
    } catch (IOException e) {
      return -1;
    }
  }

  private static void report(String mode, String at) {
    System.out.printf(
        "%-22s %9s  jvm_rss_mb=%7.1f  workers_rss_mb=%7.1f  threads=%4d  fds=%4d  shm_files=%3d%n",
        mode,
        at,
        rssKb(PID) / 1024.0,
        childrenRssKb() / 1024.0,
        ManagementFactory.getThreadMXBean().getThreadCount(),
        count(Path.of("/proc/self/fd"), ""),
        count(Path.of("/dev/shm"), "jkeras-" + PID + "-"));
    System.out.flush();
  }

  public static void main(String[] args) {
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int every = Math.min(10_000, steps);
    record Mode(String name, int workers, boolean processes) {}
    List<Mode> modes =
        List.of(
            new Mode("python, workers=0", 0, false),
            new Mode("python, 2 threads", 2, false),
            new Mode("python, 2 processes", 2, true));
    System.out.printf("soak: %d steps per mode, a line every %d steps%n", steps, every);
    loadAverage("start");
    for (Mode m : modes) {
      Layer.resetNames();
      report(m.name(), "before");
      try (Model model = Fixtures.classifier()) {
        LambdaCallback cb =
            LambdaCallback.builder()
                .onEpochEnd((epoch, logs) -> report(m.name(), "step " + (epoch + 1) * every))
                .build();
        model.fitGenerator(
            Fixtures.module("soak_batches", 32),
            FitOptions.builder()
                .verbose(0)
                .workers(m.workers())
                .useMultiprocessing(m.processes())
                .stepsPerEpoch(every)
                .epochs(steps / every)
                .callbacks(cb)
                .build());
      }
      report(m.name(), "after");
      System.out.println(
          "  live threads: "
              + Thread.getAllStackTraces().keySet().stream()
                  .filter(Thread::isAlive)
                  .map(Thread::getName)
                  .sorted()
                  .toList());
      loadAverage("after " + m.name());
    }
  }

  /** The machine's load averages (1, 5, 15 min): the figures mean little on a busy machine. */
  private static void loadAverage(String when) {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      System.out.printf("  load average (%s): %s %s %s%n", when, f[0], f[1], f[2]);
    } catch (IOException | RuntimeException e) {
      System.out.printf("  load average (%s): unknown (%s)%n", when, e);
    }
  }
}
