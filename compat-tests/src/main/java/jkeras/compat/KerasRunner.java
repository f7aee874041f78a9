package jkeras.compat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code python/keras_runner.py} for one reference, in that reference's virtual environment,
 * as a subprocess: real Keras never enters the JVM. One Python process runs every scenario, because
 * importing TensorFlow takes seconds; the two references' processes run side by side.
 *
 * <p>The runner's progress and TensorFlow's chatter go to {@code work/<flavour>-runner.log}; when
 * the runner fails, the end of that log is part of the exception message.
 */
public final class KerasRunner {
  /**
   * Exit status of the runner when some scenarios recorded an error (the JSON is still written).
   */
  static final int EXIT_SCENARIO_ERRORS = 1;

  /** The references, as the runner's {@code --keras} names them. */
  public enum Flavour {
    TF_KERAS("tfkeras", "tf-keras", "scripts/setup-python.sh"),
    KERAS231("231", "Keras 2.3.1", "scripts/setup-keras231.sh");

    final String arg;
    final String label;
    final String setup;

    Flavour(String arg, String label, String setup) {
      this.arg = arg;
      this.label = label;
      this.setup = setup;
    }
  }

  private final Path python;
  private final Path script;
  private final Flavour flavour;
  private final long timeoutSeconds;

  /**
   * @param venv the flavour's virtual environment ({@code .venv} or {@code .venv-keras231})
   * @param script {@code keras_runner.py}
   * @param timeoutSeconds how long the whole Python run may take
   */
  public KerasRunner(Path venv, Path script, Flavour flavour, long timeoutSeconds) {
    this.python = venv.resolve("bin").resolve("python");
    this.script = script;
    this.flavour = flavour;
    this.timeoutSeconds = timeoutSeconds;
  }

  /** The interpreter this runner starts. */
  public Path python() {
    return python;
  }

  /** Whether the virtual environment exists. */
  public boolean available() {
    return Files.isExecutable(python);
  }

  /** What to run to create the environment. */
  public String setupHint() {
    return flavour.setup;
  }

  /** A started run; {@link #await()} waits for it and returns its seconds. */
  public final class Running {
    private final Process process;
    private final Path out;
    private final Path log;
    private final long started = System.nanoTime();
    private final java.util.concurrent.CompletableFuture<Long> ended;

    private Running(Process process, Path out, Path log) {
      this.process = process;
      this.out = out;
      this.log = log;
      // The end as it happens, not when await() is called (the two runs are awaited one after the
      // other)
      this.ended = process.onExit().thenApply(p -> System.nanoTime());
    }

    /**
     * Waits for the runner; returns the wall time of the whole process (TensorFlow's import
     * included).
     */
    public double await() throws InterruptedException {
      long left = timeoutSeconds * 1_000_000_000L - (System.nanoTime() - started);
      if (!process.waitFor(Math.max(0, left), TimeUnit.NANOSECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "keras_runner.py --keras "
                + flavour.arg
                + " did not finish within "
                + timeoutSeconds
                + " s; log: "
                + log
                + "\n"
                + tail(log));
      }
      int rc = process.exitValue();
      if ((rc != 0 && rc != EXIT_SCENARIO_ERRORS) || !Files.exists(out)) {
        throw new IllegalStateException(
            "keras_runner.py --keras "
                + flavour.arg
                + " failed with exit status "
                + rc
                + "; log: "
                + log
                + "\n"
                + tail(log));
      }
      return (ended.join() - started) / 1e9;
    }
  }

  /**
   * Starts the scenarios in {@code scenarios} (a directory of JSON files or one file); the
   * observations go to {@code out}.
   *
   * @param only scenario names to run; empty runs all
   */
  public Running start(Path scenarios, Path out, List<String> only) throws IOException {
    if (!available()) {
      throw new IllegalStateException(
          "No Python at " + python + " for " + flavour.label + ": run " + flavour.setup);
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    Path log = out.resolveSibling(flavour.arg + "-runner.log");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                python.toString(),
                script.toString(),
                "--keras",
                flavour.arg,
                "--scenarios",
                scenarios.toString(),
                "--out",
                out.toString()));
    if (!only.isEmpty()) {
      cmd.add("--only");
      cmd.addAll(only);
    }
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    pb.environment().put("PYTHONHASHSEED", "0");
    Files.deleteIfExists(out);
    return new Running(pb.start(), out, log);
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }
}
