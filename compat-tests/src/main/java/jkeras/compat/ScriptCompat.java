package jkeras.compat;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jkeras.compat.Comparison.Diff;
import jkeras.compat.Verdict.Status;

/**
 * The script scenarios: the same unmodified Keras training script run by Python with tf-keras 2.18
 * and with Keras 2.3.1, and by {@code jkeras run} (the JVM's embedded Python, the {@code keras}
 * shim driving jkeras), each under {@code python/script_recorder.py}, which records History, scores
 * and predictions per call; what each printed is its standard output. Compared: the exit status,
 * the calls, History keys, values and epochs, returned scores, predictions and the printed output
 * with the clock masked ({@link ScriptOutput}). Keras 2.3.1 judges every row; tf-keras every row
 * but the printed output (its summary table and progress bar have their own format: shown for
 * information).
 *
 * <p>Scenarios are {@code scripts/scenarios.json}; outputs go to {@code
 * work/scripts/<scenario>/<side>/} (the run's working directory: the data files the scenario names,
 * {@code record.json}, {@code stdout.txt}, {@code stderr.txt}) and the report to {@code
 * work/scripts/report.txt}.
 *
 * <p>The jkeras side runs {@code java -cp <this JVM's class path> jkeras.cli.Main run ...}, the
 * command {@code scripts/jkeras.sh run} runs, or the command prefix in the system property {@code
 * jkeras.compat.jkerasRun} (e.g. {@code scripts/jkeras.sh run}, split on blanks).
 */
public final class ScriptCompat {
  static final String OBS_STDOUT = "stdout (clock masked)";

  private static final String TF_KERAS_STDOUT_WHY =
      "info: tf-keras prints its own summary table (no separator lines between layers, sizes in"
          + " MB) and progress bar (rewritten in place, steps instead of samples); Keras 2.3.1"
          + " judges the printed output";

  private ScriptCompat() {}

  /** The three runtimes. */
  enum Side {
    TF_KERAS("tfkeras", "tf-keras"),
    KERAS231("231", "Keras 2.3.1"),
    JKERAS("jkeras", "jkeras");

    final String arg;
    final String label;

    Side(String arg, String label) {
      this.arg = arg;
      this.label = label;
    }
  }

  /**
   * One side's run of a script.
   *
   * @param exitStatus the process' exit status ({@code -1}: did not finish in time)
   * @param stdout what it printed on standard output
   * @param record {@code record.json}, or a missing node
   * @param seconds wall time
   */
  record Run(int exitStatus, String stdout, JsonNode record, double seconds, Path dir) {
    boolean ok() {
      return exitStatus == 0 && record.has("calls") && !record.has("error");
    }

    String failure() {
      String err;
      try {
        err = Files.readString(dir.resolve("stderr.txt"));
      } catch (IOException e) {
        err = "";
      }
      String tail = err.length() > 900 ? err.substring(err.length() - 900) : err;
      return "exit status "
          + exitStatus
          + (record.has("error") ? ", " + record.get("error").asText() : "")
          + "; stderr ends: "
          + tail.strip();
    }
  }

  /** The outcome of the script scenarios. */
  public record Result(
      List<String> scenarios, List<Check> checks, Map<String, Map<Side, Run>> runs) {
    public List<Check> checksOf(String scenario) {
      return checks.stream().filter(c -> c.scenario().equals(scenario)).toList();
    }

    public boolean allAgree() {
      return checks.stream().allMatch(Check::agrees);
    }
  }

  /** The names in {@code scripts/scenarios.json} that {@code s.only()} selects (all if empty). */
  public static List<String> selected(CompatRunner.Settings s) throws IOException {
    List<String> names = new ArrayList<>();
    for (JsonNode sc :
        new ObjectMapper().readTree(s.compatDir().resolve("scripts/scenarios.json").toFile())) {
      String name = sc.get("name").asText();
      if (s.only().isEmpty() || s.only().contains(name)) names.add(name);
    }
    return names;
  }

  /** Runs every script scenario (or those {@code s.only()} names) on the three sides. */
  public static Result run(CompatRunner.Settings s) throws IOException, InterruptedException {
    ObjectMapper mapper =
        JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    Path scripts = s.compatDir().resolve("scripts");
    JsonNode scenarios = mapper.readTree(scripts.resolve("scenarios.json").toFile());
    List<String> names = new ArrayList<>();
    List<Check> checks = new ArrayList<>();
    Map<String, Map<Side, Run>> runs = new LinkedHashMap<>();
    for (JsonNode sc : scenarios) {
      String name = sc.get("name").asText();
      if (!s.only().isEmpty() && !s.only().contains(name)) continue;
      names.add(name);
      Map<Side, Path> dirs = new EnumMap<>(Side.class);
      for (Side side : Side.values()) {
        Path dir = s.work().resolve("scripts").resolve(name).resolve(side.arg);
        Files.createDirectories(dir);
        writeDataFiles(sc.path("data_files"), dir);
        dirs.put(side, dir);
      }
      // The references side by side, then jkeras (2 cores: jkeras' worker processes need one)
      Map<Side, Process> started = new EnumMap<>(Side.class);
      Map<Side, Long> t0 = new EnumMap<>(Side.class);
      Map<Side, Run> done = new EnumMap<>(Side.class);
      for (Side side : List.of(Side.TF_KERAS, Side.KERAS231)) {
        t0.put(side, System.nanoTime());
        started.put(side, start(s, side, sc, scripts, dirs.get(side)));
      }
      for (Side side : List.of(Side.TF_KERAS, Side.KERAS231))
        done.put(side, await(s, started.get(side), t0.get(side), dirs.get(side), mapper));
      long tj = System.nanoTime();
      done.put(
          Side.JKERAS,
          await(
              s,
              start(s, Side.JKERAS, sc, scripts, dirs.get(Side.JKERAS)),
              tj,
              dirs.get(Side.JKERAS),
              mapper));
      runs.put(name, done);
      checks.addAll(compare(name, sc, done));
    }
    Result r = new Result(names, checks, runs);
    Files.createDirectories(s.work().resolve("scripts"));
    Files.writeString(
        s.work().resolve("scripts").resolve("report.txt"), report(r), StandardCharsets.UTF_8);
    return r;
  }

  // ---------------------------------------------------------------------------------------------
  // Running

  private static Process start(
      CompatRunner.Settings s, Side side, JsonNode sc, Path scripts, Path dir) throws IOException {
    List<String> cmd = new ArrayList<>();
    switch (side) {
      case TF_KERAS -> cmd.add(s.venv().resolve("bin/python").toString());
      case KERAS231 -> cmd.add(s.keras231Venv().resolve("bin/python").toString());
      case JKERAS -> cmd.addAll(jkerasRunCommand(s));
    }
    cmd.add(s.compatDir().resolve("python/script_recorder.py").toString());
    cmd.addAll(List.of("--side", side.arg, "--out", dir.resolve("record.json").toString()));
    for (Iterator<Map.Entry<String, JsonNode>> it = sc.path("settings").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String flag = "--" + e.getKey().replace('_', '-');
      if (e.getValue().isBoolean()) {
        if (e.getValue().asBoolean()) cmd.add(flag);
      } else {
        cmd.add(flag);
        cmd.add(e.getValue().asText());
      }
    }
    cmd.add(scripts.resolve(sc.get("script").asText()).toString());
    sc.path("args").forEach(a -> cmd.add(a.asText()));
    Files.deleteIfExists(dir.resolve("record.json"));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectOutput(dir.resolve("stdout.txt").toFile())
            .redirectError(dir.resolve("stderr.txt").toFile());
    Map<String, String> env = pb.environment();
    env.put("TF_CPP_MIN_LOG_LEVEL", "2");
    env.put("PYTHONHASHSEED", "0");
    env.put("CUDA_VISIBLE_DEVICES", "-1");
    env.put("TF_ENABLE_ONEDNN_OPTS", "0");
    env.put("TF_DETERMINISTIC_OPS", "1");
    env.put("JKERAS_VENV", s.venv().toString());
    Files.writeString(dir.resolve("command.txt"), String.join(" ", cmd) + "\n");
    return pb.start();
  }

  /** {@code jkeras run}: the property's command prefix, or this JVM's class path. */
  static List<String> jkerasRunCommand(CompatRunner.Settings s) {
    String prefix = System.getProperty("jkeras.compat.jkerasRun", "");
    if (!prefix.isBlank()) {
      // a relative program (scripts/jkeras.sh) is the project's: the runs' working directories
      // are their own
      List<String> cmd = new ArrayList<>(List.of(prefix.trim().split("\\s+")));
      Path program = s.compatDir().getParent().resolve(cmd.get(0));
      if (!Path.of(cmd.get(0)).isAbsolute() && Files.exists(program))
        cmd.set(0, program.toString());
      return cmd;
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String cache = System.getProperty("org.bytedeco.javacpp.cachedir");
    if (cache != null) cmd.add("-Dorg.bytedeco.javacpp.cachedir=" + cache);
    cmd.add("-Djkeras.python.venv=" + s.venv());
    cmd.add("-Djkeras.root=" + s.compatDir().getParent());
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "jkeras.cli.Main", "run"));
    return cmd;
  }

  private static Run await(
      CompatRunner.Settings s, Process p, long t0, Path dir, ObjectMapper mapper)
      throws InterruptedException, IOException {
    int status;
    if (p.waitFor(s.timeoutSeconds(), TimeUnit.SECONDS)) {
      status = p.exitValue();
    } else {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor();
      status = -1;
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    Path rec = dir.resolve("record.json");
    JsonNode record =
        Files.exists(rec) ? mapper.readTree(rec.toFile()) : JsonNodeFactory.instance.objectNode();
    String out = Files.readString(dir.resolve("stdout.txt"), StandardCharsets.UTF_8);
    return new Run(status, out, record, seconds, dir);
  }

  /**
   * Writes the scenario's data files into {@code dir}. {@code seed_article_lines}: {@code lines}
   * lines of four input_1 numbers, three input_2 numbers and the target {@code 0.5 sum(x1) - 0.3
   * sum(x2)}, with 4 decimals (so every side reads the same float32 values).
   */
  static void writeDataFiles(JsonNode files, Path dir) {
    files
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode spec = e.getValue();
              if (!spec.path("kind").asText().equals("seed_article_lines"))
                throw new IllegalArgumentException(
                    "Unknown data file kind " + spec.path("kind") + " of " + e.getKey());
              SplittableRandom rng = new SplittableRandom(spec.path("seed").asLong());
              StringBuilder sb = new StringBuilder();
              for (int i = 0; i < spec.path("lines").asInt(); i++) {
                double[] v = new double[7];
                double y = 0;
                for (int k = 0; k < 7; k++) {
                  v[k] = Math.round((rng.nextDouble() * 2 - 1) * 1e4) / 1e4;
                  y += (k < 4 ? 0.5 : -0.3) * v[k];
                  sb.append(String.format(Locale.ROOT, "%.4f ", v[k]));
                }
                sb.append(String.format(Locale.ROOT, "%.4f%n", y));
              }
              try {
                Files.writeString(dir.resolve(e.getKey()), sb.toString());
              } catch (IOException ex) {
                throw new UncheckedIOException(ex);
              }
            });
  }

  // ---------------------------------------------------------------------------------------------
  // Comparing

  /** The checks of one scenario: jkeras' run against each reference's. */
  static List<Check> compare(String name, JsonNode sc, Map<Side, Run> runs) {
    Run j = runs.get(Side.JKERAS);
    Run tfk = runs.get(Side.TF_KERAS);
    Run k231 = runs.get(Side.KERAS231);
    List<Check> checks = new ArrayList<>();
    checks.add(
        new Check(
            name,
            "script ran",
            j.ok() ? "exit 0" : "FAILED",
            ran(j, tfk, Side.TF_KERAS),
            ran(j, k231, Side.KERAS231)));
    if (!j.ok() || !tfk.ok() || !k231.ok()) return checks;

    JsonNode jc = j.record().get("calls");
    checks.add(
        check(
            name,
            sc,
            "calls",
            methods(jc).toString(),
            r -> Comparison.exact(methods(r.record().get("calls")), methods(jc)),
            tfk,
            k231));
    for (int i = 0; i < jc.size(); i++) {
      JsonNode call = jc.get(i);
      String label = call.get("method").asText() + "#" + i;
      int index = i;
      if (call.has("history")) {
        JsonNode h = call.get("history");
        checks.add(
            new Check(
                name,
                label + " History keys",
                keys(h).toString(),
                judge(
                    sc,
                    Side.TF_KERAS,
                    label + " History keys",
                    diffOf(tfk, index, c -> Comparison.sameKeys(keys(c.get("history")), keys(h)))),
                judge(
                    sc,
                    Side.KERAS231,
                    label + " History keys",
                    diffOf(k231, index, c -> Comparison.exact(keys(c.get("history")), keys(h))))));
        checks.add(
            check3(
                name,
                sc,
                label + " epochs",
                call.get("epoch").toString(),
                tfk,
                k231,
                index,
                c -> Comparison.exact(c.get("epoch"), call.get("epoch"))));
        // One row per key: a documented deviation (Keras 2.3.1's val_loss through a Sequence)
        // touches one key only
        for (Iterator<String> it = h.fieldNames(); it.hasNext(); ) {
          String key = it.next();
          checks.add(
              check3(
                  name,
                  sc,
                  label + " History " + key,
                  h.get(key).size() + " values",
                  tfk,
                  k231,
                  index,
                  c ->
                      c.get("history").has(key)
                          ? Comparison.relative(c.get("history").get(key), h.get(key))
                          : Diff.exact(false, "the reference has no " + key)));
        }
      } else if (call.get("method").asText().startsWith("predict")) {
        checks.add(
            check3(
                name,
                sc,
                label + " predictions",
                shape(call.get("result")),
                tfk,
                k231,
                index,
                c ->
                    Comparison.predictions(outputs(c.get("result")), outputs(call.get("result")))));
      } else {
        checks.add(
            check3(
                name,
                sc,
                label + " result",
                Comparison.abbreviate(call.get("result")),
                tfk,
                k231,
                index,
                c -> Comparison.relative(c.get("result"), call.get("result"))));
      }
    }
    checks.add(
        new Check(
            name,
            OBS_STDOUT,
            ScriptOutput.mask(j.stdout()).size() + " lines",
            judge(
                sc,
                Side.TF_KERAS,
                OBS_STDOUT,
                ScriptOutput.compare(tfk.stdout(), j.stdout()),
                TF_KERAS_STDOUT_WHY),
            judge(sc, Side.KERAS231, OBS_STDOUT, ScriptOutput.compare(k231.stdout(), j.stdout()))));
    return checks;
  }

  private static Verdict ran(Run j, Run ref, Side side) {
    if (!ref.ok())
      return new Verdict(Status.ERROR, "ERROR", side.label + " failed: " + ref.failure());
    if (!j.ok()) return new Verdict(Status.DIFFERS, "DIFFERS", "jkeras failed: " + j.failure());
    return new Verdict(Status.AGREES, "agrees", "");
  }

  private interface CallDiff {
    Diff apply(JsonNode refCall);
  }

  private interface RunDiff {
    Diff apply(Run ref);
  }

  private static Check check(
      String name, JsonNode sc, String obs, String shown, RunDiff diff, Run tfk, Run k231) {
    return new Check(
        name,
        obs,
        shown,
        judge(sc, Side.TF_KERAS, obs, diff.apply(tfk)),
        judge(sc, Side.KERAS231, obs, diff.apply(k231)));
  }

  private static Check check3(
      String name, JsonNode sc, String obs, String shown, Run tfk, Run k231, int i, CallDiff diff) {
    return new Check(
        name,
        obs,
        shown,
        judge(sc, Side.TF_KERAS, obs, diffOf(tfk, i, diff)),
        judge(sc, Side.KERAS231, obs, diffOf(k231, i, diff)));
  }

  /** The diff of call {@code i} of the reference's record (a mismatch if it made fewer calls). */
  private static Diff diffOf(Run ref, int i, CallDiff diff) {
    JsonNode calls = ref.record().get("calls");
    if (i >= calls.size())
      return Diff.exact(false, "the reference made only " + calls.size() + " calls");
    return diff.apply(calls.get(i));
  }

  private static Verdict judge(JsonNode sc, Side side, String obs, Diff d) {
    return judge(sc, side, obs, d, null);
  }

  /**
   * The verdict of a diff against {@code side}; the scenario's {@code expect} for that side and
   * observable (else {@code dflt}) may make it "info: why" (not judged) or "differs: why" (must
   * differ).
   */
  private static Verdict judge(JsonNode sc, Side side, String obs, Diff d, String dflt) {
    JsonNode declared =
        sc.path("expect").path(side == Side.TF_KERAS ? "tf_keras" : "keras231").path(obs);
    String expect = declared.isTextual() ? declared.asText() : dflt;
    d = withScenarioTolerance(sc, side, d);
    String text = d.shortText();
    String detail = d.longText();
    if (expect == null)
      return d.same()
          ? new Verdict(Status.AGREES, "agrees " + text, detail)
          : new Verdict(Status.DIFFERS, "DIFFERS " + text, detail);
    String why = expect.substring(expect.indexOf(':') + 1).strip();
    if (expect.startsWith("info"))
      return new Verdict(
          Status.NOT_JUDGED,
          "(" + (d.same() ? "agrees" : "differs") + ", not judged)",
          why + (detail.isEmpty() ? "" : "; " + detail));
    return d.same()
        ? new Verdict(Status.AGREES_UNEXPECTEDLY, "AGREES, declared to differ", why)
        : new Verdict(Status.DIFFERS_AS_DECLARED, "differs, as declared", why + "; " + detail);
  }

  /**
   * A numeric diff judged with the scenario's own tolerance for {@code side}, if it declares one
   * ({@code "tolerance": {"tf_keras": {"value": 5e-3, "why": "..."}}}), instead of the harness'
   * 1e-5; structural mismatches (keys, lengths, shapes) stay mismatches.
   */
  static Diff withScenarioTolerance(JsonNode sc, Side side, Diff d) {
    JsonNode t = sc.path("tolerance").path(side == Side.TF_KERAS ? "tf_keras" : "keras231");
    boolean numeric = d.measure().equals("relative") || d.measure().equals("absolute");
    boolean structural = !d.same() && d.maxDifference() <= d.tolerance();
    if (!t.has("value") || !numeric || structural) return d;
    double tol = t.get("value").asDouble();
    String why = "scenario tolerance " + tol + ": " + t.path("why").asText();
    return new Diff(
        d.maxDifference() <= tol,
        d.maxDifference(),
        tol,
        d.measure(),
        d.detail().isEmpty() ? why : d.detail() + "; " + why);
  }

  private static JsonNode methods(JsonNode calls) {
    var a = JsonNodeFactory.instance.arrayNode();
    calls.forEach(c -> a.add(c.get("method").asText()));
    return a;
  }

  private static JsonNode keys(JsonNode history) {
    var a = JsonNodeFactory.instance.arrayNode();
    history.fieldNames().forEachRemaining(a::add);
    return a;
  }

  /** Predictions as {@link Comparison#predictions} takes them: a list of {shape, data}. */
  private static JsonNode outputs(JsonNode result) {
    if (result.isArray()) return result;
    return JsonNodeFactory.instance.arrayNode().add(result);
  }

  private static String shape(JsonNode result) {
    List<String> shapes = new ArrayList<>();
    outputs(result).forEach(o -> shapes.add(o.path("shape").toString()));
    return String.join(" ", shapes);
  }

  // ---------------------------------------------------------------------------------------------
  // Reporting

  /** The report: per scenario the sides' times, then the table and the details of what failed. */
  public static String report(Result r) {
    StringBuilder sb = new StringBuilder();
    long failing = r.checks().stream().filter(c -> !c.agrees()).count();
    sb.append(
        String.format(
            Locale.ROOT,
            "script scenarios: %d scenarios, %d checks, %d failing%n",
            r.scenarios().size(),
            r.checks().size(),
            failing));
    for (String name : r.scenarios()) {
      Map<Side, Run> runs = r.runs().get(name);
      sb.append(
          String.format(
              Locale.ROOT,
              "  %-28s tf-keras %.1f s, Keras 2.3.1 %.1f s, jkeras run %.1f s (wall, each its own process)%n",
              name,
              runs.get(Side.TF_KERAS).seconds(),
              runs.get(Side.KERAS231).seconds(),
              runs.get(Side.JKERAS).seconds()));
    }
    sb.append('\n').append(CompatRunner.table(r.checks()));
    List<String> notes = new ArrayList<>();
    for (Check c : r.checks()) {
      for (Verdict v : List.of(c.keras231(), c.tfKeras())) {
        if (!v.ok()
            || v.status() == Status.NOT_JUDGED
            || v.status() == Status.DIFFERS_AS_DECLARED) {
          String who = v == c.keras231() ? "Keras 2.3.1" : "tf-keras";
          notes.add(
              "  "
                  + c.scenario()
                  + " / "
                  + c.observable()
                  + " / "
                  + who
                  + " ("
                  + v.status()
                  + "): "
                  + v.detail());
        }
      }
    }
    if (!notes.isEmpty()) sb.append("\nDetails:\n").append(String.join("\n", notes)).append('\n');
    return sb.toString();
  }

  public static void main(String[] args) throws Exception {
    Result r = run(CompatRunner.Settings.fromEnvironment());
    System.out.print(report(r));
    System.exit(r.allAgree() ? 0 : 1);
  }
}
