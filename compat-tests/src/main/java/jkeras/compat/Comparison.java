package jkeras.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The comparison rules between jkeras and one reference, value by value: each returns a {@link
 * Diff}; {@link ThreeWay} decides which reference judges what.
 *
 * <p>Numbers are float32 on every side. Losses, History values, evaluate results and batch logs use
 * the relative difference {@code |jkeras - reference| / max(|reference|, 1e-6)}; predict outputs
 * the absolute difference; metric names, History keys, epochs, shapes, callback calls, warnings and
 * the scalar-versus-list form of return values must be equal.
 */
public final class Comparison {
  /** Relative tolerance for losses, History values and evaluate results (float32). */
  public static final double RELATIVE_TOLERANCE = 1e-5;

  /** Absolute tolerance for predict outputs. */
  public static final double ABSOLUTE_TOLERANCE = 1e-5;

  private static final double RELATIVE_FLOOR = 1e-6;

  private Comparison() {}

  /**
   * The outcome of one comparison.
   *
   * @param same whether the values agree within {@code tolerance}
   * @param maxDifference the largest difference ({@code NaN} for exact comparisons)
   * @param tolerance the allowed difference ({@code 0} for exact comparisons)
   * @param measure {@code "relative"}, {@code "absolute"} or {@code "exact"}
   * @param detail the first mismatch or the largest difference, with both values
   */
  public record Diff(
      boolean same, double maxDifference, double tolerance, String measure, String detail) {
    static Diff exact(boolean same, String detail) {
      return new Diff(same, Double.NaN, 0, "exact", same ? "" : detail);
    }

    /**
     * A comparison of statistics (their tolerances in {@code shown}): same when there are no
     * problems; the detail shows the values either way.
     */
    static Diff statistical(List<String> problems, String shown) {
      boolean same = problems.isEmpty();
      return new Diff(
          same,
          Double.NaN,
          0,
          "statistical",
          same ? shown : String.join("; ", problems) + "; " + shown);
    }

    /** "equal", "2.1e-07" or "differs" / "3.2e-01": the difference as the report shows it. */
    String shortText() {
      if (measure.equals("exact")) return same ? "equal" : "differs";
      if (measure.equals("statistical")) return same ? "in tolerance" : "differs";
      if (mismatchOnly()) return "differs";
      return String.format(Locale.ROOT, "%.2g", maxDifference);
    }

    private boolean mismatchOnly() {
      return !same && maxDifference <= tolerance;
    }

    String longText() {
      String d =
          measure.equals("exact") || measure.equals("statistical")
              ? ""
              : String.format(
                  Locale.ROOT,
                  "max %s difference %.3g (tol %.0e)",
                  measure,
                  maxDifference,
                  tolerance);
      if (detail.isEmpty()) return d;
      return d.isEmpty() ? detail : d + "; " + detail;
    }
  }

  /** JSON equality where numbers compare by value (an int 3 equals a long 3). */
  static final Comparator<JsonNode> NUMERIC =
      (a, b) -> {
        if (a.isNumber() && b.isNumber()) return Double.compare(a.doubleValue(), b.doubleValue());
        return a.equals(b) ? 0 : 1;
      };

  static Diff exact(JsonNode ref, JsonNode j) {
    boolean same = ref.equals(NUMERIC, j) && !ref.isMissingNode();
    return Diff.exact(same, "reference " + abbreviate(ref) + " jkeras " + abbreviate(j));
  }

  /**
   * The same set of keys, order ignored (History keys against tf-keras, which lists training keys
   * first).
   */
  static Diff sameKeys(JsonNode ref, JsonNode j) {
    TreeSet<String> a = new TreeSet<>();
    TreeSet<String> b = new TreeSet<>();
    ref.forEach(n -> a.add(n.asText()));
    j.forEach(n -> b.add(n.asText()));
    return Diff.exact(a.equals(b) && ref.size() == j.size(), "reference " + a + " jkeras " + b);
  }

  /**
   * Relative comparison of values of the same form: a number, or (nested) lists of numbers. The
   * form itself (scalar versus list, lengths) must agree: Keras returns a scalar only for a
   * single-output model without metrics.
   */
  static Diff relative(JsonNode ref, JsonNode j) {
    Acc acc = new Acc();
    walk(ref, j, "", acc);
    return acc.diff(RELATIVE_TOLERANCE, "relative");
  }

  /**
   * History values, key by key (the keys themselves are compared apart); {@code skip}: keys left
   * out.
   */
  static Diff historyValues(JsonNode ref, JsonNode j, List<String> skip) {
    Acc acc = new Acc();
    if (ref.isMissingNode() || ref.isEmpty()) acc.mismatch("no History recorded by the reference");
    for (Iterator<String> it = ref.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (skip.contains(key)) continue;
      if (!j.has(key)) {
        acc.mismatch("missing key " + key);
        continue;
      }
      walk(ref.get(key), j.get(key), key, acc);
    }
    return acc.diff(RELATIVE_TOLERANCE, "relative");
  }

  static void walk(JsonNode k, JsonNode j, String path, Acc acc) {
    if (k.isNumber()) {
      if (!j.isNumber()) {
        acc.mismatch(path + ": reference returned a scalar " + k + ", jkeras " + abbreviate(j));
        return;
      }
      double a = j.asDouble();
      double b = k.asDouble();
      double d = Math.abs(a - b) / Math.max(Math.abs(b), RELATIVE_FLOOR);
      if (Double.isNaN(a) != Double.isNaN(b)) d = Double.POSITIVE_INFINITY;
      else if (Double.isNaN(a)) d = 0;
      acc.value(d, path + ": reference " + b + " jkeras " + a);
      return;
    }
    if (!j.isArray() || j.size() != k.size()) {
      acc.mismatch(path + ": reference " + abbreviate(k) + " jkeras " + abbreviate(j));
      return;
    }
    for (int i = 0; i < k.size(); i++) walk(k.get(i), j.get(i), path + "[" + i + "]", acc);
  }

  /**
   * Batch logs compared as they are (Keras 2.3.1 against jkeras: both log {@code batch}, {@code
   * size}, the batch's loss and the metrics' running means), one list per epoch or evaluation.
   */
  static Diff batchLogs(JsonNode ref, JsonNode j) {
    return batchLogs(ref, j, false);
  }

  /**
   * Batch logs against tf-keras, whose entries are all running means since the epoch (or the
   * evaluation) began and which has no {@code batch}/{@code size}: jkeras' (Keras 2.3.1's) batch
   * losses become {@code sum(loss_i * size_i) / sum(size_i)} ({@link #runningMeans}); every other
   * tf-keras key is compared as it is.
   */
  static Diff batchLogsAsRunningMeans(JsonNode ref, JsonNode j) {
    return batchLogs(ref, j, true);
  }

  private static Diff batchLogs(JsonNode k, JsonNode j, boolean runningMeanLoss) {
    Acc acc = new Acc();
    if (!k.isArray() || !j.isArray() || k.size() != j.size()) {
      acc.mismatch("reference has " + k.size() + " lists of batch logs, jkeras " + j.size());
    } else if (k.isEmpty()) {
      acc.mismatch("no batch logs recorded");
    }
    for (int g = 0; acc.mismatch == null && g < k.size(); g++) {
      JsonNode kg = k.get(g);
      JsonNode jg = j.get(g);
      if (kg.size() != jg.size()) {
        acc.mismatch("list " + g + ": reference " + kg.size() + " batches, jkeras " + jg.size());
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
          double jv =
              runningMeanLoss && key.equals("loss") ? running[i] : jg.get(i).get(key).asDouble();
          walk(kg.get(i).get(key), DoubleNode.valueOf(jv), at, acc);
        }
      }
    }
    return acc.diff(RELATIVE_TOLERANCE, "relative");
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

  /** Per-hook call counts; the detail names every hook whose count differs. */
  static Diff callbackCounts(JsonNode k, JsonNode j) {
    List<String> bad = new ArrayList<>();
    for (Iterator<String> it = k.fieldNames(); it.hasNext(); ) {
      String hook = it.next();
      if (!k.get(hook).equals(NUMERIC, j.path(hook))) {
        bad.add(
            hook
                + " reference "
                + k.get(hook)
                + " jkeras "
                + (j.has(hook) ? j.get(hook) : "(missing)"));
      }
    }
    for (Iterator<String> it = j.fieldNames(); it.hasNext(); ) {
      String hook = it.next();
      if (!k.has(hook)) bad.add(hook + " reference (missing) jkeras " + j.get(hook));
    }
    if (k.isMissingNode() || k.isEmpty()) bad.add("no counts recorded by the reference");
    return Diff.exact(bad.isEmpty(), String.join("; ", bad));
  }

  /**
   * A sequence of events (hook calls, items drawn); the detail shows the first position where they
   * differ.
   */
  static Diff sequence(JsonNode k, JsonNode j) {
    int n = Math.max(k.size(), j.size());
    for (int i = 0; i < n; i++) {
      String a = i < k.size() ? k.get(i).asText() : "(end)";
      String b = i < j.size() ? j.get(i).asText() : "(end)";
      if (!a.equals(b)) {
        return Diff.exact(
            false,
            "event "
                + i
                + " of "
                + k.size()
                + "/"
                + j.size()
                + ": reference "
                + a
                + ", jkeras "
                + b);
      }
    }
    return Diff.exact(true, "");
  }

  /**
   * Texts that must be equal character for character (the progress bar); the detail shows where
   * they part.
   */
  static Diff text(String k, String j) {
    if (k.equals(j)) return Diff.exact(!k.isEmpty(), "nothing printed");
    int i = 0;
    while (i < Math.min(k.length(), j.length()) && k.charAt(i) == j.charAt(i)) i++;
    int from = Math.max(0, i - 40);
    return Diff.exact(
        false,
        "first difference at character "
            + i
            + ": reference "
            + ProgressOutput.quote(k.substring(from, Math.min(k.length(), i + 40)))
            + " jkeras "
            + ProgressOutput.quote(j.substring(from, Math.min(j.length(), i + 40))));
  }

  /**
   * The progress output against tf-keras: the parts both versions print identically (headers, the
   * verbose=1 bar, elapsed and values; the verbose=2 elapsed and values) must be equal; the rest of
   * tf-keras' format is its own (see {@link ProgressOutput}).
   */
  static Diff progressSharedParts(int verbose, String tfKeras, String jkeras) {
    ProgressOutput.Parsed k = ProgressOutput.parse(tfKeras, verbose, true);
    ProgressOutput.Parsed j = ProgressOutput.parse(jkeras, verbose, false);
    if (k.problem() != null) return Diff.exact(false, "tf-keras output: " + k.problem());
    if (j.problem() != null) return Diff.exact(false, "jkeras output: " + j.problem());
    for (int i = 0; i < Math.max(k.comparable().size(), j.comparable().size()); i++) {
      String a = i < k.comparable().size() ? k.comparable().get(i) : "(missing)";
      String b = i < j.comparable().size() ? j.comparable().get(i) : "(missing)";
      if (!a.equals(b))
        return Diff.exact(false, "part " + i + ": tf-keras '" + a + "' jkeras '" + b + "'");
    }
    return Diff.exact(true, "");
  }

  static Diff predictions(JsonNode k, JsonNode j) {
    Acc acc = new Acc();
    if (j.size() != k.size())
      acc.mismatch("reference has " + k.size() + " outputs, jkeras " + j.size());
    for (int o = 0; o < Math.min(k.size(), j.size()); o++) {
      JsonNode ks = k.get(o).path("shape");
      JsonNode js = j.get(o).path("shape");
      if (!ks.equals(NUMERIC, js)) {
        acc.mismatch("output " + o + " shape reference " + ks + " jkeras " + js);
        continue;
      }
      JsonNode kd = k.get(o).path("data");
      JsonNode jd = j.get(o).path("data");
      for (int i = 0; i < kd.size(); i++) {
        double b = kd.get(i).asDouble();
        double a = jd.get(i).asDouble();
        double d = Math.abs(a - b);
        // NaN matches NaN and an infinity the same infinity (a training that overflowed).
        if (Double.isNaN(d))
          d = (Double.isNaN(a) && Double.isNaN(b)) || a == b ? 0 : Double.POSITIVE_INFINITY;
        acc.value(d, "output " + o + " [" + i + "]: reference " + b + " jkeras " + a);
      }
    }
    return acc.diff(ABSOLUTE_TOLERANCE, "absolute");
  }

  /** The running maximum difference and the first structural mismatch. */
  static final class Acc {
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

    Diff diff(double tol, String measure) {
      if (mismatch != null) return new Diff(false, max, tol, measure, mismatch);
      boolean ok = max <= tol;
      return new Diff(ok, max, tol, measure, where.isEmpty() ? "" : "largest at " + where);
    }
  }

  static String abbreviate(JsonNode n) {
    String s =
        n == null || n.isMissingNode() ? "(missing)" : n.isTextual() ? n.asText() : n.toString();
    return abbreviate(s, 200);
  }

  static String abbreviate(String s, int max) {
    return s.length() > max ? s.substring(0, max) + "..." : s;
  }
}
