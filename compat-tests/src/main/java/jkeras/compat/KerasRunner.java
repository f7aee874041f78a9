package jkeras.compat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code python/keras_runner.py} in the project's virtual environment, as a subprocess: real
 * Keras (tf-keras) never enters the JVM. One Python process runs every scenario, because importing
 * TensorFlow takes seconds.
 *
 * <p>The runner's progress and TensorFlow's chatter go to {@code work/keras-runner.log}; when the
 * runner fails, the end of that log is part of the exception message.
 */
public final class KerasRunner {
  /** Exit status of the runner when some scenarios recorded an error (the JSON is still written). */
  static final int EXIT_SCENARIO_ERRORS = 1;

  private final Path python;
  private final Path script;
  private final long timeoutSeconds;

  /**
   * @param venv the virtual environment made by {@code scripts/setup-python.sh}
   * @param script {@code keras_runner.py}
   * @param timeoutSeconds how long the whole Python run may take
   */
  public KerasRunner(Path venv, Path script, long timeoutSeconds) {
    this.python = venv.resolve("bin").resolve("python");
    this.script = script;
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

  /**
   * Runs the scenarios in {@code scenarios} (a directory of JSON files or one file) and writes the
   * observations to {@code out}.
   *
   * @param only scenario names to run; empty runs all
   * @return {@code out}
   */
  public Path run(Path scenarios, Path out, List<String> only) throws IOException, InterruptedException {
    if (!available()) {
      throw new IllegalStateException("No Python at " + python
          + ": run scripts/setup-python.sh, or point JKERAS_VENV (or -Djkeras.venv) at the venv");
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    Path log = out.resolveSibling("keras-runner.log");
    List<String> cmd = new ArrayList<>(List.of(python.toString(), script.toString(),
        "--scenarios", scenarios.toString(), "--out", out.toString()));
    if (!only.isEmpty()) {
      cmd.add("--only");
      cmd.addAll(only);
    }
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    pb.environment().put("PYTHONHASHSEED", "0");
    Files.deleteIfExists(out);
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("keras_runner.py did not finish within " + timeoutSeconds
          + " s; log: " + log + "\n" + tail(log));
    }
    int rc = p.exitValue();
    if ((rc != 0 && rc != EXIT_SCENARIO_ERRORS) || !Files.exists(out)) {
      throw new IllegalStateException("keras_runner.py failed with exit status " + rc + "; log: " + log
          + "\n" + tail(log));
    }
    return out;
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
