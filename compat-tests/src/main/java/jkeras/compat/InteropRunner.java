package jkeras.compat;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jkeras.data.ArrayData;
import jkeras.data.NDArray;
import jkeras.layers.Layer;
import jkeras.models.Model;
import jkeras.models.Models;
import jkeras.saving.Json;
import jkeras.saving.KerasFiles;

/**
 * Keras files in both directions, against the real libraries ({@code python/interop_runner.py},
 * {@code scenarios/interop/interop.json}):
 *
 * <ol>
 *   <li>tf-keras trains each scenario's model and saves {@code .h5} and weights-only {@code .h5};
 *       Keras 3 trains the same layers from tf-keras' weights and saves {@code .keras}; each
 *       records its predictions and the losses of continuing training. jkeras loads every file:
 *       same predictions (1e-6), and, continuing training, the same losses (relative 1e-5).
 *   <li>jkeras trains the tf-keras model further and saves {@code .h5}, {@code .keras}, weights and
 *       {@code to_json()}; tf-keras and Keras 3 load them: same predictions as jkeras, and
 *       continuing training, the same losses as jkeras continuing.
 * </ol>
 *
 * <p>Writes {@code work/interop/report.txt}; {@code InteropTest} fails on any disagreement.
 */
public final class InteropRunner {
  private InteropRunner() {}

  /** Largest absolute difference of predictions that agrees (the 1e-6). */
  public static final double PREDICT_TOLERANCE = 1e-6;

  /** Largest relative difference of continued losses that agrees. */
  public static final double LOSS_TOLERANCE = 1e-5;

  /** Keras 3 optimizers computing Keras 2.3.1's update formula (the others differ by design). */
  static final List<String> KERAS3_SAME_FORMULA = List.of("Adam", "SGD");

  /** One compared observable. */
  public record Row(
      String scenario, String file, String observable, boolean agrees, String detail) {}

  /** Runs both phases and the comparisons; writes the report. */
  public static List<Row> run(CompatRunner.Settings s) throws IOException, InterruptedException {
    Path dir = s.work().resolve("interop");
    Files.createDirectories(dir);
    Path scenarios = s.compatDir().resolve("scenarios").resolve("interop").resolve("interop.json");
    ObjectMapper mapper =
        JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    python(s, "export", scenarios, dir);
    JsonNode export = mapper.readTree(dir.resolve("export.json").toFile());
    List<Row> rows = new ArrayList<>();
    Map<String, Expect> expected = new LinkedHashMap<>();
    JsonNode specs = mapper.readTree(scenarios.toFile());
    Map<String, JsonNode> specByName = new LinkedHashMap<>();
    for (JsonNode sc : specs) specByName.put(sc.path("name").asText(), sc);
    for (JsonNode sc : export.path("scenarios")) {
      String name = sc.path("name").asText();
      if (!s.only().isEmpty() && !s.only().contains(name)) continue;
      if (sc.has("error")) {
        rows.add(new Row(name, "-", "tf-keras export", false, sc.path("error").asText()));
        continue;
      }
      try {
        expected.put(name, kerasToJkeras(sc, specByName.get(name), dir, rows));
      } catch (Exception e) {
        rows.add(new Row(name, "-", "jkeras", false, e.toString()));
      }
    }
    // Keras 2.3.1 itself: its files into jkeras (predictions, continued training).
    // Required, as for the compat run: a missing reference must fail, not shrink the check.
    if (!Files.isExecutable(s.keras231Venv().resolve("bin").resolve("python"))) {
      throw new IllegalStateException(
          "Keras 2.3.1's environment is missing at "
              + s.keras231Venv()
              + ": run scripts/setup-python.sh --with-keras231");
    }
    {
      python(s, s.keras231Venv(), "interop_keras231.py", "export", scenarios, dir);
      JsonNode k231 = mapper.readTree(dir.resolve("k231-export.json").toFile());
      for (JsonNode sc : k231.path("scenarios")) {
        String name = sc.path("name").asText();
        JsonNode tfk = findScenario(export, name);
        if (sc.has("error") || tfk == null) {
          rows.add(
              new Row(
                  name, name + ".k231.h5", "Keras 2.3.1 saved", false, sc.path("error").asText()));
          continue;
        }
        try {
          int steps = specByName.get(name).path("continue").asInt();
          loadAndContinue(
              rows,
              dir,
              name,
              ".k231.h5",
              "Keras 2.3.1",
              sc,
              inputs(tfk),
              targets(tfk),
              steps,
              null);
        } catch (Exception e) {
          rows.add(new Row(name, name + ".k231.h5", "jkeras loads", false, e.toString()));
        }
      }
    }
    python(s, "check", scenarios, dir);
    JsonNode check = mapper.readTree(dir.resolve("check.json").toFile());
    for (JsonNode sc : check.path("scenarios")) {
      Expect e = expected.get(sc.path("name").asText());
      if (e != null) jkerasToKeras(sc, e, specByName.get(e.name), rows);
    }
    {
      python(s, s.keras231Venv(), "interop_keras231.py", "check", scenarios, dir);
      JsonNode k231 = mapper.readTree(dir.resolve("k231-check.json").toFile());
      for (JsonNode sc : k231.path("scenarios")) {
        String name = sc.path("name").asText();
        Expect e = expected.get(name);
        if (e == null) continue;
        if (fails(name, name + ".jk.h5", "Keras 2.3.1 loads", sc, rows))
          rows.add(
              predictRow(
                  name,
                  name + ".jk.h5",
                  "jkeras saved, Keras 2.3.1 predicts",
                  e.predict(),
                  sc.path("predict")));
      }
    }
    Files.writeString(
        dir.resolve("report.txt"), report(export.path("versions"), rows), StandardCharsets.UTF_8);
    return rows;
  }

  /** What jkeras saved and observed, for the check phase. */
  private record Expect(String name, float[] predict, List<Double> continued, String optimizer) {}

  private static Expect kerasToJkeras(JsonNode sc, JsonNode spec, Path dir, List<Row> rows)
      throws IOException {
    String name = sc.path("name").asText();
    ArrayData x = inputs(sc);
    ArrayData y = targets(sc);
    if (spec.has("cudnn_model")) {
      // CuDNN layers' weights into the plain layers (Keras 2.3.1's conversions), as tf-keras does.
      String plain = Files.readString(dir.resolve(name + "_plain.json"));
      rows.add(
          predictFromJson(
              name,
              plain,
              dir,
              "_cudnn_w.h5",
              "CuDNN weights converted, jkeras predicts as tf-keras",
              x,
              sc.path("cudnn")));
      return null;
    }
    int steps = spec.path("continue").asInt();
    JsonNode tfk = sc.path("tf_keras");
    // tf-keras .h5 -> jkeras: predictions and continued training.
    Path h5 = dir.resolve(name + ".h5");
    loadAndContinue(rows, dir, name, ".h5", "tf-keras", tfk, x, y, steps, null);
    // tf-keras weights -> a jkeras model built from tf-keras' config.
    String json = Json.write(KerasFiles.read(h5).modelConfig());
    rows.add(
        predictFromJson(name, json, dir, "_w.h5", "tf-keras weights into model_from_json", x, tfk));
    // Keras 3 .keras -> jkeras.
    JsonNode k3 = sc.path("keras3");
    if (k3.has("not_run")) {
      rows.add(
          new Row(
              name,
              name + ".k3.keras",
              "Keras 3 saved",
              true,
              "not run: " + k3.path("not_run").asText()));
    } else if (k3.has("error")) {
      rows.add(
          new Row(name, name + ".k3.keras", "Keras 3 saved", false, k3.path("error").asText()));
    } else {
      String notCompared =
          spec.has("keras3_continue_not_compared")
              ? spec.path("keras3_continue_not_compared").asText()
              : null;
      loadAndContinue(rows, dir, name, ".k3.keras", "Keras 3", k3, x, y, steps, notCompared);
    }
    // jkeras trains further and saves every kind of file.
    try (Model m = Models.loadModel(h5)) {
      train(m, x, y, spec.path("steps").asInt());
      m.save(dir.resolve(name + ".jk.h5"));
      m.save(dir.resolve(name + ".jk.keras"));
      m.saveWeights(dir.resolve(name + ".jk_w.h5"));
      Files.writeString(dir.resolve(name + ".jk.json"), m.toJson());
      float[] p = predict(m, x);
      return new Expect(name, p, train(m, x, y, steps), m.optimizer().className());
    }
  }

  private static void jkerasToKeras(JsonNode sc, Expect e, JsonNode spec, List<Row> rows) {
    String name = e.name();
    if (sc.has("error")) {
      rows.add(new Row(name, "-", "check", false, sc.path("error").asText()));
      return;
    }
    JsonNode t = sc.path("tf_keras_h5");
    if (fails(name, name + ".jk.h5", "tf-keras loads", t, rows)) {
      rows.add(
          predictRow(
              name,
              name + ".jk.h5",
              "jkeras saved, tf-keras predicts",
              e.predict(),
              t.path("predict")));
      rows.add(
          lossRow(
              name,
              name + ".jk.h5",
              "tf-keras continues as jkeras",
              toList(t.path("continued")),
              e.continued()));
    }
    JsonNode w = sc.path("tf_keras_json_weights");
    if (fails(name, name + ".jk_w.h5", "tf-keras model_from_json + load_weights", w, rows))
      rows.add(
          predictRow(
              name,
              name + ".jk_w.h5",
              "jkeras to_json + weights, tf-keras predicts",
              e.predict(),
              w.path("predict")));
    JsonNode k = sc.path("keras3_keras");
    if (fails(name, name + ".jk.keras", "Keras 3 loads", k, rows)) {
      rows.add(
          predictRow(
              name,
              name + ".jk.keras",
              "jkeras saved, Keras 3 predicts",
              e.predict(),
              k.path("predict")));
      if (spec.has("keras3_continue_not_compared"))
        rows.add(
            new Row(
                name,
                name + ".jk.keras",
                "Keras 3 continues as jkeras",
                true,
                "not compared: " + spec.path("keras3_continue_not_compared").asText()));
      else if (KERAS3_SAME_FORMULA.contains(e.optimizer()))
        rows.add(
            lossRow(
                name,
                name + ".jk.keras",
                "Keras 3 continues as jkeras",
                toList(k.path("continued")),
                e.continued()));
      else
        rows.add(
            new Row(
                name,
                name + ".jk.keras",
                "Keras 3 continues as jkeras",
                true,
                "not compared: Keras 3's "
                    + e.optimizer()
                    + " computes another update than Keras 2.3.1's (Keras 3 loaded it as "
                    + k.path("optimizer").asText()
                    + ")"));
    }
    JsonNode k3h5 = sc.path("keras3_h5");
    if (fails(name, name + ".jk.h5", "Keras 3 loads (legacy .h5)", k3h5, rows))
      rows.add(
          predictRow(
              name,
              name + ".jk.h5",
              "jkeras saved, Keras 3 predicts (.h5)",
              e.predict(),
              k3h5.path("predict")));
  }

  /**
   * Loads the file {@code name + suffix} that {@code who} saved; a row for jkeras' predictions
   * against {@code reference.predict}, then one for {@code steps} more steps' losses against {@code
   * reference.continued} (not compared, with the reason, when {@code notCompared} is set).
   */
  private static void loadAndContinue(
      List<Row> rows,
      Path dir,
      String name,
      String suffix,
      String who,
      JsonNode reference,
      ArrayData x,
      ArrayData y,
      int steps,
      String notCompared)
      throws IOException {
    String file = name + suffix;
    String continues = "jkeras continues as " + who;
    try (Model m = Models.loadModel(dir.resolve(file))) {
      rows.add(
          predictRow(
              name,
              file,
              who + " saved, jkeras predicts",
              predict(m, x),
              reference.path("predict")));
      List<Double> continued = train(m, x, y, steps);
      rows.add(
          notCompared != null
              ? new Row(name, file, continues, true, "not compared: " + notCompared)
              : lossRow(name, file, continues, continued, reference.path("continued")));
    }
  }

  /**
   * A row for the predictions of the model of config {@code json} with the weights file {@code name
   * + suffix}, against {@code reference.predict}.
   */
  private static Row predictFromJson(
      String name,
      String json,
      Path dir,
      String suffix,
      String what,
      ArrayData x,
      JsonNode reference)
      throws IOException {
    try (Model m = Models.modelFromJson(json)) {
      m.loadWeights(dir.resolve(name + suffix));
      return predictRow(name, name + suffix, what, predict(m, x), reference.path("predict"));
    }
  }

  /**
   * False (and a row) when the Python side could not do it; true when there is something to
   * compare.
   */
  private static boolean fails(String name, String file, String what, JsonNode n, List<Row> rows) {
    if (n.has("not_run")) {
      rows.add(new Row(name, file, what, true, "not run: " + n.path("not_run").asText()));
      return false;
    }
    if (n.has("error")) {
      rows.add(
          new Row(
              name, file, what, false, n.path("error").asText() + "\n" + n.path("trace").asText()));
      return false;
    }
    return true;
  }

  private static Row predictRow(
      String scenario, String file, String what, float[] jkeras, JsonNode reference) {
    float[] ref = floats(reference);
    if (ref.length != jkeras.length)
      return new Row(
          scenario, file, what, false, "sizes differ: " + jkeras.length + " vs " + ref.length);
    double max = 0;
    for (int i = 0; i < ref.length; i++) max = Math.max(max, Math.abs(ref[i] - jkeras[i]));
    return new Row(
        scenario,
        file,
        what,
        max <= PREDICT_TOLERANCE,
        String.format(Locale.ROOT, "max |diff| %.2e over %d values", max, ref.length));
  }

  private static Row lossRow(String scenario, String file, String what, List<Double> a, Object b) {
    List<Double> ref = b instanceof JsonNode n ? toList(n) : castList(b);
    if (ref.size() != a.size())
      return new Row(scenario, file, what, false, "steps differ: " + a + " vs " + ref);
    double max = 0;
    for (int i = 0; i < ref.size(); i++)
      max = Math.max(max, Math.abs(a.get(i) - ref.get(i)) / Math.max(Math.abs(ref.get(i)), 1e-6));
    return new Row(
        scenario,
        file,
        what,
        max <= LOSS_TOLERANCE,
        String.format(
            Locale.ROOT, "max rel diff %.2e over %d steps (%s vs %s)", max, a.size(), a, ref));
  }

  @SuppressWarnings("unchecked")
  private static List<Double> castList(Object o) {
    return (List<Double>) o;
  }

  private static List<Double> toList(JsonNode n) {
    List<Double> out = new ArrayList<>();
    for (JsonNode v : n) out.add(v.asDouble());
    return out;
  }

  private static float[] floats(JsonNode n) {
    float[] f = new float[n.size()];
    for (int i = 0; i < f.length; i++) f[i] = (float) n.get(i).asDouble();
    return f;
  }

  private static long[] longs(JsonNode n) {
    long[] l = new long[n.size()];
    for (int i = 0; i < l.length; i++) l[i] = n.get(i).asLong();
    return l;
  }

  private static ArrayData targets(JsonNode sc) {
    return ArrayData.of(NDArray.of(floats(sc.path("y")), longs(sc.path("y_shape"))));
  }

  private static ArrayData inputs(JsonNode sc) {
    List<NDArray> xs = new ArrayList<>();
    for (int i = 0; i < sc.path("x").size(); i++) {
      JsonNode values = sc.path("x").get(i);
      long[] shape = longs(sc.path("x_shapes").get(i));
      if (sc.path("x_dtypes").get(i).asText().startsWith("int")) {
        int[] v = new int[values.size()];
        for (int k = 0; k < v.length; k++) v[k] = values.get(k).asInt();
        xs.add(NDArray.ofInts(v, shape));
      } else {
        xs.add(NDArray.of(floats(values), shape));
      }
    }
    return xs.size() == 1 ? xs.get(0) : ArrayData.of(xs);
  }

  private static float[] predict(Model m, ArrayData x) {
    return m.predictOutputs(x, jkeras.trainers.PredictOptions.builder().verbose(0).build())
        .get(0)
        .astype(jkeras.data.DType.FLOAT32)
        .floatsView()
        .clone();
  }

  private static List<Double> train(Model m, ArrayData x, ArrayData y, int steps) {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < steps; i++) out.add(m.trainOnBatch(x, y).get(0));
    return out;
  }

  private static JsonNode findScenario(JsonNode run, String name) {
    for (JsonNode sc : run.path("scenarios")) if (sc.path("name").asText().equals(name)) return sc;
    return null;
  }

  private static void python(CompatRunner.Settings s, String phase, Path scenarios, Path dir)
      throws IOException, InterruptedException {
    python(s, s.venv(), "interop_runner.py", phase, scenarios, dir);
  }

  private static void python(
      CompatRunner.Settings s, Path venv, String script, String phase, Path scenarios, Path dir)
      throws IOException, InterruptedException {
    Path python = venv.resolve("bin").resolve("python");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                python.toString(),
                s.compatDir().resolve("python").resolve(script).toString(),
                "--phase",
                phase,
                "--scenarios",
                scenarios.toString(),
                "--dir",
                dir.toString()));
    if (!s.only().isEmpty()) {
      cmd.add("--only");
      cmd.addAll(s.only());
    }
    Path log = dir.resolve(script.replace(".py", "") + "-" + phase + ".log");
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      if (!p.waitFor(s.timeoutSeconds(), TimeUnit.SECONDS))
        throw new IOException(script + " --phase " + phase + " timed out; see " + log);
      if (p.exitValue() != 0) {
        String all = Files.readString(log);
        throw new IOException(
            script
                + " --phase "
                + phase
                + " failed: "
                + all.substring(Math.max(0, all.length() - 3000)));
      }
    } finally {
      p.destroyForcibly();
    }
  }

  /** The report: versions, counts, then one line per row. */
  public static String report(JsonNode versions, List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    long bad = rows.stream().filter(r -> !r.agrees()).count();
    sb.append("Keras files both ways: jkeras against tf-keras ")
        .append(versions.path("tf_keras").asText())
        .append(" and Keras ")
        .append(versions.path("keras3").asText())
        .append(" (tensorflow ")
        .append(versions.path("tensorflow").asText())
        .append(")\n");
    sb.append(rows.size())
        .append(" checks, ")
        .append(bad)
        .append(" failing; predictions within ")
        .append(PREDICT_TOLERANCE)
        .append(" absolute, continued losses within ")
        .append(LOSS_TOLERANCE)
        .append(" relative\n\n");
    for (Row r : rows) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%-26s %-30s %-48s %s  %s%n",
              r.scenario(),
              r.file(),
              r.observable(),
              r.agrees() ? "agrees" : "DIFFERS",
              r.detail()));
    }
    return sb.toString();
  }

  @SuppressWarnings("unused")
  private static List<String> layerNames(Model m) {
    List<String> n = new ArrayList<>();
    for (Layer l : m.layers()) n.add(l.name());
    return n;
  }
}
