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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import jkeras.compat.KerasRunner.Flavour;
import jkeras.compat.Verdict.Status;

/**
 * The Keras compatibility harness: runs every scenario in jkeras and in two real Keras versions,
 * Keras 2.3.1 (the behaviour jkeras follows) and tf-keras 2.18 (the same TensorFlow kernels, and
 * the fixes jkeras takes from it), each in a Python subprocess of its own, from the same data and
 * initial weights; compares the observations ({@link ThreeWay}) and writes {@code work/report.txt}
 * and {@code work/report.json}.
 *
 * <p>Run it as a program ({@code main}; exit status 1 when a check fails) or through {@code
 * CompatTest}. Settings come from system properties, then the environment:
 *
 * <ul>
 *   <li>{@code jkeras.compat.dir}: the {@code compat-tests} directory (default: the working
 *       directory if it holds {@code scenarios/}, else {@code ./compat-tests})
 *   <li>{@code jkeras.venv} or env {@code JKERAS_VENV}: tf-keras' venv (default {@code <project
 *       root>/.venv})
 *   <li>{@code jkeras.keras231.venv} or env {@code JKERAS_KERAS231_VENV}: Keras 2.3.1's venv
 *       (default {@code <project root>/.venv-keras231})
 *   <li>{@code jkeras.compat.only}: comma-separated scenario names (default: all)
 *   <li>{@code jkeras.compat.reuse=true}: reuse the recorded runs in {@code work/} instead of
 *       running Python (for iterating on the Java side)
 *   <li>{@code jkeras.compat.timeoutSeconds}: limit for each Python run (default 900: a guard
 *       against a hung run, well above the 2-4 minutes a run takes on 2 loaded cores)
 * </ul>
 */
public final class CompatRunner {
  private CompatRunner() {}

  /** Where things are and what to run. */
  public record Settings(
      Path compatDir,
      Path venv,
      Path keras231Venv,
      List<String> only,
      boolean reuseKerasRun,
      long timeoutSeconds) {

    /** Settings from system properties and the environment (see the class comment). */
    public static Settings fromEnvironment() {
      Path dir =
          Path.of(prop("jkeras.compat.dir", null, defaultCompatDir().toString()))
              .toAbsolutePath()
              .normalize();
      Path venv =
          Path.of(prop("jkeras.venv", "JKERAS_VENV", dir.getParent().resolve(".venv").toString()));
      Path venv231 =
          Path.of(
              prop(
                  "jkeras.keras231.venv",
                  "JKERAS_KERAS231_VENV",
                  dir.getParent().resolve(".venv-keras231").toString()));
      String only = prop("jkeras.compat.only", null, "");
      List<String> names =
          only.isBlank() ? List.of() : Arrays.stream(only.split(",")).map(String::trim).toList();
      boolean reuse = Boolean.parseBoolean(prop("jkeras.compat.reuse", null, "false"));
      long timeout = Long.parseLong(prop("jkeras.compat.timeoutSeconds", null, "900"));
      return new Settings(dir, venv, venv231, names, reuse, timeout);
    }

    public Path scenarios() {
      return compatDir.resolve("scenarios");
    }

    public Path runnerScript() {
      return compatDir.resolve("python").resolve("keras_runner.py");
    }

    /** Where the outputs go (gitignored): the runs and the reports. */
    public Path work() {
      return compatDir.resolve("work");
    }

    public Path run(Flavour f) {
      return work().resolve(f.arg + "-run.json");
    }

    public KerasRunner runner(Flavour f) {
      return new KerasRunner(
          f == Flavour.KERAS231 ? keras231Venv : venv, runnerScript(), f, timeoutSeconds);
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

  /**
   * Runs both references (unless reusing their recorded runs), replays in jkeras, compares, writes
   * the reports.
   */
  public static Result run(Settings s) throws IOException, InterruptedException {
    // Python's json writes NaN/Infinity literals for diverged losses; read them instead of failing
    ObjectMapper mapper =
        JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    Map<Flavour, Double> seconds = new LinkedHashMap<>();
    Map<Flavour, KerasRunner.Running> running = new LinkedHashMap<>();
    for (Flavour f : Flavour.values()) {
      if (!(s.reuseKerasRun() && Files.exists(s.run(f))))
        running.put(f, s.runner(f).start(s.scenarios(), s.run(f), s.only()));
    }
    for (Map.Entry<Flavour, KerasRunner.Running> e : running.entrySet())
      seconds.put(e.getKey(), e.getValue().await());
    JsonNode tfk = mapper.readTree(s.run(Flavour.TF_KERAS).toFile());
    JsonNode k231 = mapper.readTree(s.run(Flavour.KERAS231).toFile());
    Map<String, JsonNode> tfkByName = byName(tfk);
    Map<String, JsonNode> k231ByName = byName(k231);
    Set<String> names = new LinkedHashSet<>(k231ByName.keySet());
    names.addAll(tfkByName.keySet());

    // The Jep bridge of the *_python actions runs tf-keras' venv (jep lives there)
    if (System.getProperty("jkeras.python.venv") == null)
      System.setProperty("jkeras.python.venv", s.venv().toString());
    JkerasReplay replay = new JkerasReplay(mapper, s.compatDir().resolve("python"));
    ObjectNode jkerasRun = mapper.createObjectNode();
    ArrayNode jkerasScenarios = jkerasRun.putArray("scenarios");
    List<Check> checks = new ArrayList<>();
    List<String> ran = new ArrayList<>();
    long t1 = System.nanoTime();
    long cpu1 = processCpuNanos();
    for (String name : names) {
      if (!s.only().isEmpty() && !s.only().contains(name)) continue;
      ran.add(name);
      JsonNode a = tfkByName.get(name);
      JsonNode b = k231ByName.get(name);
      // Both references draw the same fixture (checked); either one's feeds jkeras
      JsonNode withFixture =
          a != null && a.has("fixture") ? a : b != null && b.has("fixture") ? b : null;
      long ts = System.nanoTime();
      ObjectNode j =
          withFixture != null
              ? replay.replay(withFixture, b)
              : mapper
                  .createObjectNode()
                  .put("name", name)
                  .put("error", "no fixture: neither reference ran the scenario");
      j.put("seconds", Math.round((System.nanoTime() - ts) / 1e7) / 100.0);
      jkerasScenarios.add(j);
      checks.addAll(ThreeWay.compare(name, a, b, j));
    }
    double jkerasSeconds = (System.nanoTime() - t1) / 1e9;
    double jkerasCpu = (processCpuNanos() - cpu1) / 1e9;
    mapper.writeValue(s.work().resolve("jkeras-run.json").toFile(), jkerasRun);

    Map<String, Object> runner = new LinkedHashMap<>();
    runner.put("tf_keras", mapper.convertValue(tfk.path("runner"), Map.class));
    runner.put("keras231", mapper.convertValue(k231.path("runner"), Map.class));
    runner.put("reused", s.reuseKerasRun() && running.isEmpty());
    runner.put(
        "tf_keras_seconds",
        round2(
            seconds.getOrDefault(Flavour.TF_KERAS, tfk.path("runner").path("seconds").asDouble())));
    runner.put(
        "keras231_seconds",
        round2(
            seconds.getOrDefault(
                Flavour.KERAS231, k231.path("runner").path("seconds").asDouble())));
    runner.put("jkeras_seconds", round2(jkerasSeconds));
    runner.put("jkeras_cpu_seconds", round2(jkerasCpu));
    runner.put("tf_keras_cpu_seconds", tfk.path("runner").path("cpu_seconds").asDouble(Double.NaN));
    runner.put(
        "keras231_cpu_seconds", k231.path("runner").path("cpu_seconds").asDouble(Double.NaN));
    runner.put("relative_tolerance", Comparison.RELATIVE_TOLERANCE);
    runner.put("absolute_tolerance", Comparison.ABSOLUTE_TOLERANCE);
    runner.put("not_run_in_keras231", notRun(ran, k231ByName));
    runner.put("not_run_in_tf_keras", notRun(ran, tfkByName));
    runner.put(
        "ran_in_keras231",
        ran.stream()
            .filter(n -> k231ByName.containsKey(n) && k231ByName.get(n).has("observations"))
            .count());
    runner.put(
        "ran_in_tf_keras",
        ran.stream()
            .filter(n -> tfkByName.containsKey(n) && tfkByName.get(n).has("observations"))
            .count());
    Result result = new Result(runner, ran, checks);
    writeReports(result, s.work(), mapper);
    return result;
  }

  /** What a reference did not run, scenario or action, with the reason its JSON gives. */
  private static List<String> notRun(List<String> names, Map<String, JsonNode> run) {
    List<String> out = new ArrayList<>();
    for (String name : names) {
      JsonNode sc = run.get(name);
      if (sc == null) continue;
      if (sc.has("not_run")) out.add(name + ": " + sc.get("not_run").asText());
      int i = 0;
      for (JsonNode o : sc.path("observations")) {
        if (o.has("not_run"))
          out.add(
              name + " / " + o.path("type").asText() + "#" + i + ": " + o.get("not_run").asText());
        if (!o.path("type").asText().equals("compile")) i++;
      }
    }
    return out;
  }

  private static Map<String, JsonNode> byName(JsonNode run) {
    Map<String, JsonNode> m = new LinkedHashMap<>();
    for (JsonNode sc : run.path("scenarios")) m.put(sc.path("name").asText(), sc);
    return m;
  }

  /** Writes {@code report.json} and {@code report.txt} into {@code dir}. */
  public static void writeReports(Result r, Path dir, ObjectMapper mapper) throws IOException {
    Files.createDirectories(dir);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("all_agree", r.allAgree());
    json.put("scenarios", r.scenarios().size());
    json.put("checks", r.checks().size());
    json.put("failing", r.disagreements().size());
    json.put("runner", r.runner());
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Check c : r.checks()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("scenario", c.scenario());
      row.put("observable", c.observable());
      row.put("judged_against", c.judgedAgainst());
      row.put("agrees", c.agrees());
      row.put("jkeras", c.jkeras());
      row.put("tf_keras", c.tfKeras());
      row.put("keras231", c.keras231());
      rows.add(row);
    }
    json.put("results", rows);
    // snake_case keys, like every other user-visible key of the project
    ObjectMapper snake =
        mapper.copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    snake
        .writer(SerializationFeature.INDENT_OUTPUT)
        .writeValue(dir.resolve("report.json").toFile(), json);
    Files.writeString(
        dir.resolve("report.txt"),
        summary(r) + "\n" + table(r.checks()) + details(r),
        StandardCharsets.UTF_8);
  }

  /** The header: versions, counts per column, time per column. */
  @SuppressWarnings("unchecked")
  public static String summary(Result r) {
    Map<String, Object> tfk = (Map<String, Object>) r.runner().get("tf_keras");
    Map<String, Object> k231 = (Map<String, Object>) r.runner().get("keras231");
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "jkeras against tf-keras %s and Keras %s (tensorflow %s; Keras 2.3.1 with %s, numpy %s)%n",
            tfk.get("keras"),
            k231.get("keras"),
            tfk.get("tensorflow"),
            k231.get("patches"),
            k231.get("numpy")));
    long failing = r.disagreements().size();
    sb.append(
        String.format(
            Locale.ROOT,
            "%d scenarios (Keras 2.3.1 ran %s, tf-keras %s, jkeras all), %d checks, %d failing%n",
            r.scenarios().size(),
            r.runner().get("ran_in_keras231"),
            r.runner().get("ran_in_tf_keras"),
            r.checks().size(),
            failing));
    sb.append(columnLine("Keras 2.3.1", r.checks(), Check::keras231));
    sb.append(columnLine("tf-keras", r.checks(), Check::tfKeras));
    sb.append(
        String.format(
            Locale.ROOT,
            "  time: tf-keras %.1f s, Keras 2.3.1 %.1f s (own processes, side by side, TensorFlow import included), jkeras %.1f s;"
                + " CPU time %.1f s, %.1f s, %.1f s%n",
            (Double) r.runner().get("tf_keras_seconds"),
            (Double) r.runner().get("keras231_seconds"),
            (Double) r.runner().get("jkeras_seconds"),
            (Double) r.runner().get("tf_keras_cpu_seconds"),
            (Double) r.runner().get("keras231_cpu_seconds"),
            (Double) r.runner().get("jkeras_cpu_seconds")));
    return sb.toString();
  }

  private static String columnLine(
      String label, List<Check> checks, Function<Check, Verdict> column) {
    Map<Status, Integer> n = new LinkedHashMap<>();
    for (Check c : checks) n.merge(column.apply(c).status(), 1, Integer::sum);
    int judged = 0;
    for (Map.Entry<Status, Integer> e : n.entrySet())
      if (e.getKey().judged()) judged += e.getValue();
    return String.format(
        Locale.ROOT,
        "  %-11s judged %d: %d agree, %d deviations as documented, %d declared differences, %d known disagreements, %d failing;"
            + " not judged %d, not run %d, not applicable %d%n",
        label,
        judged,
        n.getOrDefault(Status.AGREES, 0),
        n.getOrDefault(Status.DEVIATION_DOCUMENTED, 0),
        n.getOrDefault(Status.DIFFERS_AS_DECLARED, 0),
        n.getOrDefault(Status.KNOWN_DISAGREEMENT, 0),
        (int) checks.stream().map(column).filter(v -> !v.ok()).count(),
        n.getOrDefault(Status.NOT_JUDGED, 0),
        n.getOrDefault(Status.NOT_RUN, 0),
        n.getOrDefault(Status.NOT_APPLICABLE, 0));
  }

  /** The table {@code scenario | observable | judged against | jkeras | tf-keras | Keras 2.3.1}. */
  public static String table(List<Check> checks) {
    String[] head = {
      "scenario", "observable", "judged against", "jkeras", "tf-keras", "Keras 2.3.1"
    };
    List<String[]> rows = new ArrayList<>();
    for (Check c : checks) {
      rows.add(
          new String[] {
            c.scenario(),
            c.observable(),
            c.judgedAgainst(),
            c.jkeras(),
            c.tfKeras().text(),
            c.keras231().text()
          });
    }
    int[] w = new int[head.length];
    for (int i = 0; i < head.length; i++) w[i] = head[i].length();
    for (String[] row : rows)
      for (int i = 0; i < row.length; i++) w[i] = Math.max(w[i], row[i].length());
    StringBuilder sb = new StringBuilder();
    appendRow(sb, head, w);
    int total = 0;
    for (int x : w) total += x + 3;
    sb.append("-".repeat(total - 3)).append('\n');
    for (String[] row : rows) appendRow(sb, row, w);
    return sb.toString();
  }

  private static void appendRow(StringBuilder sb, String[] row, int[] w) {
    for (int i = 0; i < row.length; i++) {
      if (i > 0) sb.append(" | ");
      sb.append(i == row.length - 1 ? row[i] : String.format("%-" + w[i] + "s", row[i]));
    }
    sb.append('\n');
  }

  /**
   * Below the table: deviations as observed, known disagreements, what Keras 2.3.1 did not run,
   * failures.
   */
  @SuppressWarnings("unchecked")
  static String details(Result r) {
    StringBuilder sb = new StringBuilder();
    section(
        sb,
        "Deviations documented in README, as observed",
        r,
        Check::keras231,
        Status.DEVIATION_DOCUMENTED);
    section(
        sb,
        "Known disagreements with Keras 2.3.1 (jkeras claims its behaviour; to fix in the core)",
        r,
        Check::keras231,
        Status.KNOWN_DISAGREEMENT);
    section(
        sb,
        "Declared differences from Keras 2.3.1 (not in README's deviation list; see the reason)",
        r,
        Check::keras231,
        Status.DIFFERS_AS_DECLARED);
    section(
        sb, "Declared differences from tf-keras", r, Check::tfKeras, Status.DIFFERS_AS_DECLARED);
    for (String[] ref :
        new String[][] {
          {"Keras 2.3.1", "not_run_in_keras231"}, {"tf-keras", "not_run_in_tf_keras"}
        }) {
      List<String> notRun = (List<String>) r.runner().getOrDefault(ref[1], List.of());
      sb.append("\nNot run in ")
          .append(ref[0])
          .append(':')
          .append(notRun.isEmpty() ? " none\n" : "\n");
      for (String n : notRun) sb.append("  ").append(n).append('\n');
    }
    section(
        sb,
        "FAILING",
        r.checks(),
        c ->
            c.agrees()
                ? null
                : (c.keras231().ok() ? "" : "Keras 2.3.1: " + c.keras231().detail() + " ")
                    + (c.tfKeras().ok() ? "" : "tf-keras: " + c.tfKeras().detail()));
    return sb.toString();
  }

  /** The section of the checks whose {@code column} verdict has {@code status}, with its detail. */
  private static void section(
      StringBuilder sb, String title, Result r, Function<Check, Verdict> column, Status status) {
    section(
        sb,
        title,
        r.checks(),
        c -> column.apply(c).status() == status ? column.apply(c).detail() : null);
  }

  private static void section(
      StringBuilder sb, String title, List<Check> checks, Function<Check, String> detail) {
    List<String> lines = new ArrayList<>();
    for (Check c : checks) {
      String d = detail.apply(c);
      if (d != null) lines.add("  " + c.scenario() + " / " + c.observable() + ": " + d);
    }
    if (lines.isEmpty()) return;
    sb.append('\n').append(title).append(":\n");
    lines.forEach(l -> sb.append(l).append('\n'));
  }

  /** This JVM's CPU time (all its threads, TensorFlow's native ones included), or 0. */
  private static long processCpuNanos() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : 0;
  }

  private static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }

  public static void main(String[] args) throws Exception {
    Settings s = Settings.fromEnvironment();
    Result r = run(s);
    System.out.print(summary(r));
    System.out.print(table(r.checks()));
    System.out.print(details(r));
    System.out.println(
        "reports: " + s.work().resolve("report.txt") + ", " + s.work().resolve("report.json"));
    System.exit(r.allAgree() ? 0 : 1);
  }
}
