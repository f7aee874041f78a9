package jkeras.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tf-keras side of a benchmark: {@code compat-tests/bench/tfkeras_bench.py --serve} in the
 * project's virtual environment, driven one repetition at a time over stdin/stdout (one JSON line
 * per answer) so that its repetitions can alternate with the JVM's.
 */
final class TfKerasProcess implements AutoCloseable {
  private static final Pattern NUMBER = Pattern.compile("\"%s\"\\s*:\\s*\"?([^,}\"]+)\"?");

  private final Process process;
  private final BufferedReader in;
  private final Writer out;
  private final String readyLine;

  private TfKerasProcess(Process process, String readyLine, BufferedReader in, Writer out) {
    this.process = process;
    this.readyLine = readyLine;
    this.in = in;
    this.out = out;
  }

  /**
   * The project root: {@code -Djkeras.root}, {@code JKERAS_ROOT}, or the nearest parent of the
   * working directory holding the bench script.
   */
  static Path projectRoot() {
    String p = System.getProperty("jkeras.root", System.getenv("JKERAS_ROOT"));
    if (p != null && !p.isEmpty()) return Path.of(p).toAbsolutePath();
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("compat-tests/bench/tfkeras_bench.py"))) return d;
    }
    throw new IllegalStateException(
        "cannot find the project root (compat-tests/bench/tfkeras_bench.py); set JKERAS_ROOT");
  }

  /** {@code $JKERAS_VENV/bin/python}, the venv defaulting to {@code <project root>/.venv}. */
  static Path python(Path root) {
    String venv = System.getenv("JKERAS_VENV");
    Path v = venv != null && !venv.isEmpty() ? Path.of(venv) : root.resolve(".venv");
    return v.resolve("bin/python");
  }

  /** Starts the script with {@code args}, waits for its model to be built and warmed up. */
  static TfKerasProcess start(Path python, Path script, List<String> args) throws IOException {
    List<String> cmd =
        new ArrayList<>(List.of(python.toString(), "-u", script.toString(), "--serve"));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("CUDA_VISIBLE_DEVICES", "");
    pb.environment().putIfAbsent("TF_CPP_MIN_LOG_LEVEL", "2");
    Process p = pb.start();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    Writer out = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
    String ready = in.readLine();
    if (ready == null || !ready.contains("\"ready\"")) {
      p.destroy();
      throw new IOException(
          "tf-keras benchmark did not start (" + String.join(" ", cmd) + "): " + ready);
    }
    return new TfKerasProcess(p, ready, in, out);
  }

  /** Versions reported by the script ({@code tensorflow}, {@code tf_keras}). */
  String field(String name) {
    return field(readyLine, name);
  }

  /** One timed repetition of {@code steps} {@code train_on_batch} calls; returns steps/s. */
  double trainOnBatch(int steps) throws IOException {
    return repetition("rep", steps);
  }

  /**
   * One timed repetition of {@code steps} calls of tf-keras' compiled train function on an
   * in-memory dataset iterator (no per-call input pipeline); returns steps/s.
   */
  double trainFunction(int steps) throws IOException {
    return repetition("fn", steps);
  }

  private double repetition(String command, int steps) throws IOException {
    out.write(command + " " + steps + "\n");
    out.flush();
    String line = in.readLine();
    if (line == null) throw new IOException("tf-keras benchmark exited");
    String v = field(line, "steps_per_s");
    if (v == null) throw new IOException("tf-keras benchmark: " + line);
    return Double.parseDouble(v);
  }

  /**
   * One JSON request of {@code bench all} ({@code {"cmd": ...}}, see the script's {@code
   * serve_json}); returns the decoded answer, or throws with the script's error.
   */
  java.util.Map<String, Object> request(java.util.Map<String, ?> request) throws IOException {
    out.write(JSON.writeValueAsString(request) + "\n");
    out.flush();
    String line = in.readLine();
    if (line == null) throw new IOException("tf-keras benchmark exited");
    java.util.Map<String, Object> answer =
        JSON.readValue(
            line,
            new com.fasterxml.jackson.core.type.TypeReference<java.util.Map<String, Object>>() {});
    if (answer.containsKey("error")) throw new IOException("tf-keras: " + answer.get("error"));
    return answer;
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  static String field(String json, String name) {
    Matcher m = Pattern.compile(String.format(NUMBER.pattern(), Pattern.quote(name))).matcher(json);
    return m.find() ? m.group(1).trim() : null;
  }

  @Override
  public void close() {
    try {
      out.write("quit\n");
      out.flush();
      out.close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
    } catch (IOException | InterruptedException e) {
      process.destroyForcibly();
      if (e instanceof InterruptedException) Thread.currentThread().interrupt();
    }
  }
}
