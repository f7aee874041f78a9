package jkeras.compat;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Keras compatibility harness: runs every scenario in real Keras (tf-keras, a Python
 * subprocess) and in jkeras from the same initial weights and data, compares the observations and
 * writes {@code report.json} and {@code report.txt}.
 *
 * <p>Run it as a program ({@code main}; exit status 1 when anything disagrees) or through
 * {@code CompatTest}. Settings come from system properties, then the environment:
 *
 * <ul>
 *   <li>{@code jkeras.compat.dir}: the {@code compat-tests} directory (default: the working
 *       directory if it holds {@code scenarios/}, else {@code ./compat-tests})
 *   <li>{@code jkeras.venv} or env {@code JKERAS_VENV}: the Python venv (default
 *       {@code <project root>/.venv})
 *   <li>{@code jkeras.compat.only}: comma-separated scenario names (default: all)
 *   <li>{@code jkeras.compat.reuse=true}: reuse {@code work/keras-run.json} instead of running
 *       Python (for iterating on the Java side)
 *   <li>{@code jkeras.compat.timeoutSeconds}: limit for the Python run (default 300)
 * </ul>
 */
public final class CompatRunner {
  private CompatRunner() {}

  /** Where things are and what to run. */
  public record Settings(Path compatDir, Path venv, List<String> only, boolean reuseKerasRun, long timeoutSeconds) {

    /** Settings from system properties and the environment (see the class comment). */
    public static Settings fromEnvironment() {
      Path dir = Path.of(prop("jkeras.compat.dir", null, defaultCompatDir().toString())).toAbsolutePath().normalize();
      Path venv = Path.of(prop("jkeras.venv", "JKERAS_VENV", dir.getParent().resolve(".venv").toString()));
      String only = prop("jkeras.compat.only", null, "");
      List<String> names = only.isBlank() ? List.of() : Arrays.stream(only.split(",")).map(String::trim).toList();
      boolean reuse = Boolean.parseBoolean(prop("jkeras.compat.reuse", null, "false"));
      long timeout = Long.parseLong(prop("jkeras.compat.timeoutSeconds", null, "300"));
      return new Settings(dir, venv, names, reuse, timeout);
    }

    public Path scenarios() {
      return compatDir.resolve("scenarios");
    }

    public Path runnerScript() {
      return compatDir.resolve("python").resolve("keras_runner.py");
    }

    public Path kerasRun() {
      return compatDir.resolve("work").resolve("keras-run.json");
    }

    private static Path defaultCompatDir() {
      Path cwd = Path.of("").toAbsolutePath();
      return Files.isDirectory(cwd.resolve("scenarios")) ? cwd : cwd.resolve("compat-tests");
    }

    private static String prop(String property, String env, String dflt) {
      String v = System.getProperty(property);
      if ((v == null || v.isBlank()) && env != null) v = System.getenv(env);
      return v == null || v.isBlank() ? dflt : v;
    }
  }

  /** The outcome of one harness run. */
  public record Result(Map<String, Object> runner, List<String> scenarios, List<Check> checks) {
    public boolean allAgree() {
      return checks.stream().allMatch(Check::agrees);
    }

    public List<Check> disagreements() {
      return checks.stream().filter(c -> !c.agrees()).toList();
    }

    /** The checks of one scenario. */
    public List<Check> checksOf(String scenario) {
      return checks.stream().filter(c -> c.scenario().equals(scenario)).toList();
    }
  }

  /** Runs Keras (unless reusing its recorded run), replays in jkeras, compares, writes the reports. */
  public static Result run(Settings s) throws IOException, InterruptedException {
    // Python's json writes NaN/Infinity literals for diverged losses; read them instead of failing
    ObjectMapper mapper = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    Path kerasRun = s.kerasRun();
    long t0 = System.nanoTime();
    if (!(s.reuseKerasRun() && Files.exists(kerasRun))) {
      new KerasRunner(s.venv(), s.runnerScript(), s.timeoutSeconds()).run(s.scenarios(), kerasRun, s.only());
    }
    double pythonSeconds = (System.nanoTime() - t0) / 1e9;
    JsonNode keras = mapper.readTree(kerasRun.toFile());

    // The Jep bridge of the *_python actions runs the venv the Python side ran
    if (System.getProperty("jkeras.python.venv") == null) System.setProperty("jkeras.python.venv", s.venv().toString());
    JkerasReplay replay = new JkerasReplay(mapper, s.compatDir().resolve("python"));
    ObjectNode jkerasRun = mapper.createObjectNode();
    ArrayNode jkerasScenarios = jkerasRun.putArray("scenarios");
    List<Check> checks = new ArrayList<>();
    List<String> names = new ArrayList<>();
    long t1 = System.nanoTime();
    for (JsonNode sc : keras.path("scenarios")) {
      String name = sc.path("name").asText();
      if (!s.only().isEmpty() && !s.only().contains(name)) continue;
      names.add(name);
      long ts = System.nanoTime();
      ObjectNode j = sc.has("error") ? mapper.createObjectNode().put("name", name) : replay.replay(sc);
      j.put("seconds", Math.round((System.nanoTime() - ts) / 1e7) / 100.0);
      jkerasScenarios.add(j);
      checks.addAll(Comparison.compare(sc, j));
    }
    double jkerasSeconds = (System.nanoTime() - t1) / 1e9;
    mapper.writeValue(s.compatDir().resolve("work").resolve("jkeras-run.json").toFile(), jkerasRun);

    Map<String, Object> runner = new LinkedHashMap<>();
    runner.put("keras", mapper.convertValue(keras.path("runner"), Map.class));
    runner.put("keras_reused", s.reuseKerasRun());
    runner.put("python_seconds", round2(pythonSeconds));
    runner.put("jkeras_seconds", round2(jkerasSeconds));
    runner.put("relative_tolerance", Comparison.RELATIVE_TOLERANCE);
    runner.put("absolute_tolerance", Comparison.ABSOLUTE_TOLERANCE);
    Result result = new Result(runner, names, checks);
    writeReports(result, s.compatDir(), mapper);
    return result;
  }

  /** Writes {@code report.json} and {@code report.txt} into {@code dir}. */
  public static void writeReports(Result r, Path dir, ObjectMapper mapper) throws IOException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("all_agree", r.allAgree());
    json.put("scenarios", r.scenarios().size());
    json.put("checks", r.checks().size());
    json.put("disagreements", r.disagreements().size());
    json.put("runner", r.runner());
    json.put("results", r.checks());
    // snake_case keys, like every other user-visible key of the project
    ObjectMapper snake = mapper.copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    snake.writer(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("report.json").toFile(), json);
    Files.writeString(dir.resolve("report.txt"), summary(r) + "\n" + table(r.checks()), StandardCharsets.UTF_8);
  }

  /** One line: how many scenarios and checks, how many disagree. */
  public static String summary(Result r) {
    return String.format(Locale.ROOT, "jkeras vs Keras (tf-keras %s): %d scenarios, %d checks, %d disagree%n",
        ((Map<?, ?>) r.runner().get("keras")).get("tf_keras"), r.scenarios().size(), r.checks().size(),
        r.disagreements().size());
  }

  /** The table {@code scenario | observable | agrees | max difference}, then the details of failures. */
  public static String table(List<Check> checks) {
    int w1 = "scenario".length();
    int w2 = "observable".length();
    for (Check c : checks) {
      w1 = Math.max(w1, c.scenario().length());
      w2 = Math.max(w2, c.observable().length());
    }
    String fmt = "%-" + w1 + "s | %-" + w2 + "s | %-6s | %s%n";
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, fmt, "scenario", "observable", "agrees", "max difference"));
    sb.append("-".repeat(w1 + w2 + 30)).append('\n');
    for (Check c : checks) {
      String diff = c.measure().equals("exact") ? (c.agrees() ? "equal" : "differs")
          : String.format(Locale.ROOT, "%.3g (%s, tol %.0e)", c.maxDifference(), c.measure(), c.tolerance());
      sb.append(String.format(Locale.ROOT, fmt, c.scenario(), c.observable(), c.agrees() ? "yes" : "NO", diff));
    }
    List<Check> bad = checks.stream().filter(c -> !c.agrees()).toList();
    if (!bad.isEmpty()) {
      sb.append("\nDisagreements:\n");
      for (Check c : bad) sb.append("  ").append(c.scenario()).append(" / ").append(c.observable()).append(": ")
          .append(c.detail()).append('\n');
    }
    return sb.toString();
  }

  private static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }

  public static void main(String[] args) throws Exception {
    Settings s = Settings.fromEnvironment();
    Result r = run(s);
    System.out.print(summary(r));
    System.out.print(table(r.checks()));
    System.out.println("reports: " + s.compatDir().resolve("report.txt") + ", " + s.compatDir().resolve("report.json"));
    System.exit(r.allAgree() ? 0 : 1);
  }
}
