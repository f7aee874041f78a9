package jkeras.compat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Compares the observations of Keras (the reference) and jkeras for one scenario.
 *
 * <p>Numbers are float32 on both sides. Losses, History values and evaluate results use the
 * relative difference {@code |jkeras - keras| / max(|keras|, 1e-6)}; predict outputs use the
 * absolute difference; metric names, History keys, epochs, shapes and the scalar-versus-list form
 * of return values must be equal.
 */
public final class Comparison {
  /** Relative tolerance for losses, History values and evaluate results (float32). */
  public static final double RELATIVE_TOLERANCE = 1e-5;
  /** Absolute tolerance for predict outputs. */
  public static final double ABSOLUTE_TOLERANCE = 1e-5;
  private static final double RELATIVE_FLOOR = 1e-6;

  private Comparison() {}

  /** Checks of one scenario: {@code keras} and {@code jkeras} are the runner / replay nodes. */
  public static List<Check> compare(JsonNode keras, JsonNode jkeras) {
    String name = keras.path("name").asText();
    List<Check> checks = new ArrayList<>();
    if (keras.has("error")) {
      checks.add(fail(name, "keras run", "the Keras runner failed: " + keras.get("error").asText()));
      return checks;
    }
    if (jkeras.has("error")) {
      checks.add(fail(name, "jkeras run", jkeras.get("error").asText()));
      return checks;
    }
    JsonNode ko = keras.path("observations");
    JsonNode jo = jkeras.path("observations");
    for (int i = 0; i < ko.size(); i++) {
      JsonNode k = ko.get(i);
      JsonNode j = jo.path(i);
      String type = k.path("type").asText();
      String label = type + "#" + i;
      if (j.has("error")) {
        checks.add(fail(name, label, "jkeras threw " + j.get("error").asText()));
        continue;
      }
      switch (type) {
        case "train_on_batch" -> checks.add(relative(name, label + " losses", k.path("values"), j.path("values")));
        case "fit" -> {
          checks.add(exact(name, label + " history keys", k.path("history_keys"), j.path("history_keys")));
          checks.add(historyValues(name, label + " history values", k.path("history"), j.path("history")));
          checks.add(exact(name, label + " epoch", k.path("epoch"), j.path("epoch")));
        }
        case "fit_generator" -> {
          checks.add(exact(name, label + " history keys", k.path("history_keys"), j.path("history_keys")));
          checks.add(historyValues(name, label + " history values", k.path("history"), j.path("history")));
          checks.add(exact(name, label + " epoch", k.path("epoch"), j.path("epoch")));
          checks.add(exact(name, label + " steps per epoch", k.path("steps_per_epoch"), j.path("steps_per_epoch")));
          checks.add(callbackCounts(name, label + " callback counts", k.path("callback_counts"), j.path("callback_counts")));
          checks.add(callbackOrder(name, label + " callback order", k.path("callback_events"), j.path("callback_events")));
          int verbose = k.path("kwargs").path("verbose").asInt(0);
          if (verbose != 0) checks.addAll(progress(name, label, verbose, k.path("progress").asText(), j.path("progress").asText()));
        }
        case "fit_python" -> {
          checks.add(exact(name, label + " history keys", k.path("history_keys"), j.path("history_keys")));
          checks.add(historyValues(name, label + " history values", k.path("history"), j.path("history")));
          checks.add(exact(name, label + " epoch", k.path("epoch"), j.path("epoch")));
          checks.add(exact(name, label + " steps per epoch", k.path("steps_per_epoch"), j.path("steps_per_epoch")));
          checks.add(callbackCounts(name, label + " callback counts", k.path("callback_counts"), j.path("callback_counts")));
          checks.add(callbackOrder(name, label + " callback order", k.path("callback_events"), j.path("callback_events")));
          checks.add(batchLogs(name, label + " train batch logs", k.path("batch_logs").path("train"),
              j.path("batch_logs").path("train")));
          checks.add(batchLogs(name, label + " validation batch logs", k.path("batch_logs").path("test"),
              j.path("batch_logs").path("test")));
        }
        case "evaluate_python" -> {
          checks.add(relative(name, label + " result", k.path("value"), j.path("value")));
          checks.add(batchLogs(name, label + " batch logs", k.path("batch_logs").path("test"),
              j.path("batch_logs").path("test")));
        }
        case "predict_python" -> checks.add(predictions(name, label + " outputs", k.path("outputs"), j.path("outputs")));
        case "evaluate" -> checks.add(relative(name, label + " result", k.path("value"), j.path("value")));
        case "predict" -> checks.add(predictions(name, label + " outputs", k.path("outputs"), j.path("outputs")));
        case "metrics_names" -> checks.add(exact(name, label, k.path("value"), j.path("value")));
        default -> checks.add(fail(name, label, "unknown observation type " + type));
      }
    }
    return checks;
  }

  // -------------------------------------------------------------------------------------------

  private static Check fail(String scenario, String observable, String detail) {
    return new Check(scenario, observable, false, Double.NaN, 0, "exact", detail);
  }

  /** JSON equality where numbers compare by value (an int 3 equals a long 3). */
  private static final java.util.Comparator<JsonNode> NUMERIC = (a, b) -> {
    if (a.isNumber() && b.isNumber()) return Double.compare(a.doubleValue(), b.doubleValue());
    return a.equals(b) ? 0 : 1;
  };

  private static Check exact(String scenario, String observable, JsonNode k, JsonNode j) {
    boolean same = k.equals(NUMERIC, j);
    return new Check(scenario, observable, same, Double.NaN, 0, "exact",
        same ? "" : "keras " + abbreviate(k) + " jkeras " + abbreviate(j));
  }

  /**
   * Relative comparison of values of the same form: a number, or (nested) lists of numbers. The
   * form itself (scalar versus list, lengths) must agree: Keras returns a scalar only for a
   * single-output model without metrics.
   */
  private static Check relative(String scenario, String observable, JsonNode k, JsonNode j) {
    Acc acc = new Acc();
    walk(k, j, "", acc);
    return acc.check(scenario, observable, RELATIVE_TOLERANCE, "relative");
  }

  private static Check historyValues(String scenario, String observable, JsonNode k, JsonNode j) {
    Acc acc = new Acc();
    for (Iterator<String> it = k.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!j.has(key)) {
        acc.mismatch("missing key " + key);
        continue;
      }
      walk(k.get(key), j.get(key), key, acc);
    }
    return acc.check(scenario, observable, RELATIVE_TOLERANCE, "relative");
  }

  private static void walk(JsonNode k, JsonNode j, String path, Acc acc) {
    if (k.isNumber()) {
      if (!j.isNumber()) {
        acc.mismatch(path + ": keras returned a scalar " + k + ", jkeras " + abbreviate(j));
        return;
      }
      double a = j.asDouble();
      double b = k.asDouble();
      double d = Math.abs(a - b) / Math.max(Math.abs(b), RELATIVE_FLOOR);
      if (Double.isNaN(a) != Double.isNaN(b)) d = Double.POSITIVE_INFINITY;
      else if (Double.isNaN(a)) d = 0;
      acc.value(d, path + ": keras " + b + " jkeras " + a);
      return;
    }
    if (!j.isArray() || j.size() != k.size()) {
      acc.mismatch(path + ": keras " + abbreviate(k) + " jkeras " + abbreviate(j));
      return;
    }
    for (int i = 0; i < k.size(); i++) walk(k.get(i), j.get(i), path + "[" + i + "]", acc);
  }

  /**
   * Batch logs, one list per epoch (or per evaluation). tf-keras logs running means since the
   * epoch began for the loss and the metrics; Keras 2.3.1 (jkeras) logs the batch's own loss, its
   * {@code size}, and running means for the metrics. So jkeras' losses are turned into the running
   * mean weighted by {@code size} ({@link #runningMeans}) and compared with tf-keras' {@code loss};
   * every other tf-keras key is compared with jkeras' value as it is. Relative tolerance; the
   * number of lists and of batches per list must be equal.
   */
  static Check batchLogs(String scenario, String observable, JsonNode k, JsonNode j) {
    Acc acc = new Acc();
    if (!k.isArray() || !j.isArray() || k.size() != j.size()) {
      acc.mismatch("keras has " + k.size() + " lists of batch logs, jkeras " + j.size());
    } else if (k.isEmpty()) {
      acc.mismatch("no batch logs recorded");
    }
    for (int g = 0; acc.mismatch == null && g < k.size(); g++) {
      JsonNode kg = k.get(g);
      JsonNode jg = j.get(g);
      if (kg.size() != jg.size()) {
        acc.mismatch("list " + g + ": keras " + kg.size() + " batches, jkeras " + jg.size());
        break;
      }
      double[] losses = new double[jg.size()];
      double[] sizes = new double[jg.size()];
      for (int i = 0; i < jg.size(); i++) {
        losses[i] = jg.get(i).path("loss").asDouble(Double.NaN);
        sizes[i] = jg.get(i).path("size").asDouble(Double.NaN);
      }
      double[] running = runningMeans(losses, sizes);
      for (int i = 0; i < kg.size(); i++) {
        for (Iterator<String> it = kg.get(i).fieldNames(); it.hasNext(); ) {
          String key = it.next();
          String at = "list " + g + " batch " + i + " " + key;
          if (!jg.get(i).has(key)) {
            acc.mismatch(at + ": missing in jkeras' logs");
            continue;
          }
          double jv = key.equals("loss") ? running[i] : jg.get(i).get(key).asDouble();
          walk(kg.get(i).get(key), mapperless(jv), at, acc);
        }
      }
    }
    return acc.check(scenario, observable, RELATIVE_TOLERANCE, "relative");
  }

  /** {@code m[i] = sum(values[0..i] * sizes[0..i]) / sum(sizes[0..i])}, in double. */
  static double[] runningMeans(double[] values, double[] sizes) {
    double[] m = new double[values.length];
    double total = 0;
    double seen = 0;
    for (int i = 0; i < values.length; i++) {
      total += values[i] * sizes[i];
      seen += sizes[i];
      m[i] = total / seen;
    }
    return m;
  }

  private static JsonNode mapperless(double v) {
    return com.fasterxml.jackson.databind.node.DoubleNode.valueOf(v);
  }

  /** Per-hook call counts; the detail names every hook whose count differs. */
  private static Check callbackCounts(String scenario, String observable, JsonNode k, JsonNode j) {
    List<String> bad = new ArrayList<>();
    for (Iterator<String> it = k.fieldNames(); it.hasNext(); ) {
      String hook = it.next();
      if (!k.get(hook).equals(NUMERIC, j.path(hook))) {
        bad.add(hook + " keras " + k.get(hook) + " jkeras " + (j.has(hook) ? j.get(hook) : "(missing)"));
      }
    }
    for (Iterator<String> it = j.fieldNames(); it.hasNext(); ) {
      String hook = it.next();
      if (!k.has(hook)) bad.add(hook + " keras (missing) jkeras " + j.get(hook));
    }
    if (k.isMissingNode() || k.isEmpty()) bad.add("no counts recorded by keras");
    return new Check(scenario, observable, bad.isEmpty(), Double.NaN, 0, "exact", String.join("; ", bad));
  }

  /** The sequence of hook calls; the detail shows the first position where they differ. */
  private static Check callbackOrder(String scenario, String observable, JsonNode k, JsonNode j) {
    int n = Math.max(k.size(), j.size());
    for (int i = 0; i < n; i++) {
      String a = i < k.size() ? k.get(i).asText() : "(end)";
      String b = i < j.size() ? j.get(i).asText() : "(end)";
      if (!a.equals(b)) {
        return new Check(scenario, observable, false, Double.NaN, 0, "exact",
            "call " + i + " of " + k.size() + "/" + j.size() + ": keras " + a + ", jkeras " + b);
      }
    }
    boolean ok = k.size() > 0;
    return new Check(scenario, observable, ok, Double.NaN, 0, "exact", ok ? "" : "no calls recorded");
  }

  /**
   * The progress output: the parts both versions print identically must be equal, and the parts
   * that differ must differ exactly as documented (see {@link ProgressOutput}).
   */
  static List<Check> progress(String scenario, String label, int verbose, String keras, String jkeras) {
    String observable = label + " progress verbose=" + verbose;
    ProgressOutput.Parsed k = ProgressOutput.parse(keras, verbose, true);
    ProgressOutput.Parsed j = ProgressOutput.parse(jkeras, verbose, false);
    if (k.problem() != null) return List.of(fail(scenario, observable, "tf-keras output: " + k.problem()));
    if (j.problem() != null) return List.of(fail(scenario, observable, "jkeras output: " + j.problem()));
    List<Check> out = new ArrayList<>();
    String firstDifference = "";
    for (int i = 0; i < Math.max(k.comparable().size(), j.comparable().size()) && firstDifference.isEmpty(); i++) {
      String a = i < k.comparable().size() ? k.comparable().get(i) : "(missing)";
      String b = i < j.comparable().size() ? j.comparable().get(i) : "(missing)";
      if (!a.equals(b)) firstDifference = "part " + i + ": tf-keras '" + a + "' jkeras '" + b + "'";
    }
    out.add(new Check(scenario, observable + " shared parts", firstDifference.isEmpty(), Double.NaN, 0, "exact",
        firstDifference));
    int epochs = k.differing().size();
    List<String> expectKeras = new ArrayList<>();
    List<String> expectJkeras = new ArrayList<>();
    for (int e = 0; e < epochs; e++) {
      expectKeras.add(verbose == 1 ? ProgressOutput.STEP_TIME_TF_KERAS + "/step" : " - 0s/epoch - 0s/step");
      expectJkeras.add(verbose == 1 ? ProgressOutput.STEP_TIME_KERAS231 + "/step" : "");
    }
    boolean documented = k.differing().equals(expectKeras) && j.differing().equals(expectJkeras);
    out.add(new Check(scenario, observable + " documented differences", documented, Double.NaN, 0, "exact",
        documented ? "" : "expected tf-keras " + expectKeras + " jkeras " + expectJkeras
            + ", got tf-keras " + k.differing() + " jkeras " + j.differing()));
    return out;
  }

  private static Check predictions(String scenario, String observable, JsonNode k, JsonNode j) {
    Acc acc = new Acc();
    if (j.size() != k.size()) {
      acc.mismatch("keras has " + k.size() + " outputs, jkeras " + j.size());
    }
    for (int o = 0; o < Math.min(k.size(), j.size()); o++) {
      JsonNode ks = k.get(o).path("shape");
      JsonNode js = j.get(o).path("shape");
      if (!ks.equals(NUMERIC, js)) {
        acc.mismatch("output " + o + " shape keras " + ks + " jkeras " + js);
        continue;
      }
      JsonNode kd = k.get(o).path("data");
      JsonNode jd = j.get(o).path("data");
      for (int i = 0; i < kd.size(); i++) {
        double b = kd.get(i).asDouble();
        double a = jd.get(i).asDouble();
        double d = Math.abs(a - b);
        if (Double.isNaN(d)) d = Double.isNaN(a) && Double.isNaN(b) ? 0 : Double.POSITIVE_INFINITY;
        acc.value(d, "output " + o + " [" + i + "]: keras " + b + " jkeras " + a);
      }
    }
    return acc.check(scenario, observable, ABSOLUTE_TOLERANCE, "absolute");
  }

  /** The running maximum difference and the first structural mismatch. */
  private static final class Acc {
    double max = 0;
    String where = "";
    String mismatch;

    void value(double d, String at) {
      if (d > max || (Double.isInfinite(d) && !Double.isInfinite(max))) {
        max = d;
        where = at;
      }
    }

    void mismatch(String what) {
      if (mismatch == null) mismatch = what;
    }

    Check check(String scenario, String observable, double tol, String measure) {
      if (mismatch != null) {
        return new Check(scenario, observable, false, max, tol, measure, mismatch);
      }
      boolean ok = max <= tol;
      return new Check(scenario, observable, ok, max, tol, measure, ok ? "" : "largest at " + where);
    }
  }

  private static String abbreviate(JsonNode n) {
    String s = n.isMissingNode() ? "(missing)" : n.toString();
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}
