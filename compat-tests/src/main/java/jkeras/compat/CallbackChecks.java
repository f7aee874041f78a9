package jkeras.compat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import jkeras.compat.Comparison.Diff;

/**
 * The comparisons of the {@code fit_callbacks} action's files and messages: what the callbacks
 * printed, the CSV files (numbers by value), the TensorBoard events (tags, steps and values where
 * the two writers overlap), the posts of RemoteMonitor.
 */
final class CallbackChecks {
  /** Tags jkeras does not write: tf-keras' op graph of the train function. */
  static final Set<String> TAGS_NOT_WRITTEN = Set.of("__run_graph__");

  /**
   * Batch values jkeras writes as Keras 2.3.1 logs them (the batch's own loss) where tf-keras
   * writes running means: their tags and steps are compared, not their values.
   */
  static final Set<String> BATCH_VALUES_OF_THEIR_OWN = Set.of("batch_loss");

  private CallbackChecks() {}

  /** Printed text, byte for byte; printing nothing on both sides agrees. */
  static Diff text(JsonNode ref, JsonNode j) {
    String k = ref.asText();
    String x = j.asText();
    if (k.equals(x)) return Diff.exact(true, "");
    return Comparison.text(k, x);
  }

  /**
   * A CSV file: the same lines (so the same {@code \r\n} endings and row count), the header equal,
   * each field equal or, for numbers, within the relative tolerance.
   */
  static Diff csv(JsonNode ref, JsonNode j) {
    Comparison.Acc acc = new Comparison.Acc();
    JsonNode a = ref.path("rows");
    JsonNode b = j.path("rows");
    if (ref.path("lines").size() != j.path("lines").size())
      acc.mismatch(
          "reference has "
              + ref.path("lines").size()
              + " lines, jkeras "
              + j.path("lines").size()
              + ": "
              + Comparison.abbreviate(j.path("lines")));
    if (a.isEmpty() || b.isEmpty()) acc.mismatch("no rows");
    for (int r = 0; r < Math.min(a.size(), b.size()); r++) {
      JsonNode ra = a.get(r);
      JsonNode rb = b.get(r);
      if (ra.size() != rb.size()) {
        acc.mismatch("row " + r + ": reference " + ra + " jkeras " + rb);
        continue;
      }
      for (int f = 0; f < ra.size(); f++) {
        String x = ra.get(f).asText();
        String y = rb.get(f).asText();
        Double dx = number(x);
        Double dy = number(y);
        if (r > 0 && dx != null && dy != null) {
          double d = Math.abs(dy - dx) / Math.max(Math.abs(dx), 1e-6);
          if (Double.isNaN(d)) d = dx.equals(dy) ? 0 : Double.POSITIVE_INFINITY;
          acc.value(d, "row " + r + " field " + f + ": reference " + x + " jkeras " + y);
        } else if (!x.equals(y)) {
          acc.mismatch("row " + r + " field " + f + ": reference " + x + " jkeras " + y);
        }
      }
    }
    return acc.diff(Comparison.RELATIVE_TOLERANCE, "relative");
  }

  private static Double number(String s) {
    try {
      return Double.valueOf(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * TensorBoard events as {@code callback_files.read_events} gives them ({@code {run: {tag:
   * {plugin, steps, values}}}}): every run and tag of the reference (but {@link #TAGS_NOT_WRITTEN})
   * is in jkeras' files with the same plugin and steps; scalars within the relative tolerance (but
   * {@link #BATCH_VALUES_OF_THEIR_OWN}), histograms with the same counts and edges within it; tags
   * only jkeras writes are named in the detail.
   */
  static Diff events(JsonNode ref, JsonNode j) {
    Comparison.Acc acc = new Comparison.Acc();
    if (ref.isMissingNode() || ref.isEmpty()) acc.mismatch("the reference wrote no events");
    List<String> extra = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> runs = ref.fields(); runs.hasNext(); ) {
      Map.Entry<String, JsonNode> run = runs.next();
      JsonNode mine = j.path(run.getKey());
      if (mine.isMissingNode()) {
        acc.mismatch("run " + run.getKey() + " missing; jkeras wrote runs " + names(j));
        continue;
      }
      for (Iterator<Map.Entry<String, JsonNode>> tags = run.getValue().fields(); tags.hasNext(); ) {
        Map.Entry<String, JsonNode> tag = tags.next();
        String at = run.getKey() + "/" + tag.getKey();
        if (TAGS_NOT_WRITTEN.contains(tag.getKey())) continue;
        JsonNode r = tag.getValue();
        JsonNode x = mine.path(tag.getKey());
        if (x.isMissingNode()) {
          acc.mismatch(at + " missing; jkeras wrote " + names(mine));
          continue;
        }
        if (!r.path("plugin").equals(x.path("plugin")))
          acc.mismatch(at + ": plugin " + r.path("plugin") + ", jkeras " + x.path("plugin"));
        if (!r.path("steps").equals(Comparison.NUMERIC, x.path("steps")))
          acc.mismatch(at + ": steps " + r.path("steps") + ", jkeras " + x.path("steps"));
        if (r.path("plugin").asText().equals("graph_keras_model")) {
          if (!r.path("values").equals(x.path("values")))
            acc.mismatch(at + ": model class " + r.path("values") + ", jkeras " + x.path("values"));
        } else if (!BATCH_VALUES_OF_THEIR_OWN.contains(tag.getKey())) {
          values(r.path("values"), x.path("values"), at, acc);
        }
      }
      for (Iterator<String> it = mine.fieldNames(); it.hasNext(); ) {
        String t = it.next();
        if (!run.getValue().has(t)) extra.add(run.getKey() + "/" + t);
      }
    }
    Diff d = acc.diff(Comparison.RELATIVE_TOLERANCE, "relative");
    if (extra.isEmpty()) return d;
    String also = "jkeras also wrote " + extra;
    return new Diff(
        d.same(),
        d.maxDifference(),
        d.tolerance(),
        d.measure(),
        d.detail().isEmpty() ? also : d.detail() + "; " + also);
  }

  /**
   * Scalars relative; histogram rows: counts exact, edges relative to the histogram's range (an
   * edge near zero is a difference of two nearby numbers).
   */
  private static void values(JsonNode r, JsonNode x, String at, Comparison.Acc acc) {
    if (r.size() != x.size()) {
      acc.mismatch(at + ": " + r.size() + " values, jkeras " + x.size());
      return;
    }
    for (int i = 0; i < r.size(); i++) {
      JsonNode a = r.get(i);
      JsonNode b = x.get(i);
      if (a.isArray()) {
        if (!b.isArray() || a.size() != b.size()) {
          acc.mismatch(at + "[" + i + "]: " + a.size() + " buckets, jkeras " + b.size());
          continue;
        }
        double range =
            a.isEmpty() ? 0 : a.get(a.size() - 1).get(1).asDouble() - a.get(0).get(0).asDouble();
        for (int k = 0; k < a.size(); k++) {
          if (a.get(k).get(2).asDouble() != b.get(k).get(2).asDouble()) {
            acc.mismatch(
                at + "[" + i + "] bucket " + k + ": count " + a.get(k) + ", jkeras " + b.get(k));
          }
          for (int e = 0; e < 2; e++) {
            double x1 = a.get(k).get(e).asDouble();
            double x2 = b.get(k).get(e).asDouble();
            acc.value(
                Math.abs(x2 - x1) / Math.max(Math.abs(range), 1e-6),
                at
                    + "["
                    + i
                    + "] bucket "
                    + k
                    + " edge "
                    + e
                    + ": reference "
                    + x1
                    + " jkeras "
                    + x2);
          }
        }
      } else {
        Comparison.walk(a, b, at + "[" + i + "]", acc);
      }
    }
  }

  /**
   * ModelCheckpoint's files as each side loaded them back ({@code [{name, model, weights}]}): the
   * same file names in the same order, the same kind (whole model or weights), and the weights each
   * holds within the tolerance of final weights.
   */
  static Diff checkpoints(JsonNode ref, JsonNode j) {
    Comparison.Acc acc = new Comparison.Acc();
    List<String> a = new ArrayList<>();
    List<String> b = new ArrayList<>();
    ref.forEach(f -> a.add(f.path("name").asText()));
    j.forEach(f -> b.add(f.path("name").asText()));
    if (a.isEmpty()) acc.mismatch("the reference wrote no checkpoint");
    if (!a.equals(b)) {
      acc.mismatch("files: reference " + a + ", jkeras " + b);
      return acc.diff(Comparison.ABSOLUTE_TOLERANCE, "absolute");
    }
    for (int i = 0; i < ref.size(); i++) {
      JsonNode x = ref.get(i);
      JsonNode y = j.get(i);
      String at = x.path("name").asText();
      if (x.path("model").asBoolean() != y.path("model").asBoolean())
        acc.mismatch(
            at + ": reference whole model " + x.path("model") + ", jkeras " + y.path("model"));
      JsonNode wx = x.path("weights");
      JsonNode wy = y.path("weights");
      if (wx.size() != wy.size()) {
        acc.mismatch(at + ": reference " + wx.size() + " arrays, jkeras " + wy.size());
        continue;
      }
      for (int k = 0; k < wx.size(); k++) {
        if (!wx.get(k).path("shape").equals(Comparison.NUMERIC, wy.get(k).path("shape"))) {
          acc.mismatch(
              at
                  + " array "
                  + k
                  + ": shape "
                  + wx.get(k).path("shape")
                  + ", jkeras "
                  + wy.get(k).path("shape"));
          continue;
        }
        JsonNode dx = wx.get(k).path("data");
        JsonNode dy = wy.get(k).path("data");
        for (int e = 0; e < dx.size(); e++) {
          double d = Math.abs(dy.get(e).asDouble() - dx.get(e).asDouble());
          acc.value(
              Double.isNaN(d) ? Double.POSITIVE_INFINITY : d,
              at + " array " + k + " [" + e + "]: reference " + dx.get(e) + " jkeras " + dy.get(e));
        }
      }
    }
    return acc.diff(Comparison.ABSOLUTE_TOLERANCE, "absolute");
  }

  /**
   * RemoteMonitor's posts: the same posts in order, paths and content types equal, JSON by value.
   */
  static Diff posts(JsonNode ref, JsonNode j) {
    Comparison.Acc acc = new Comparison.Acc();
    if (ref.size() != j.size())
      acc.mismatch("reference received " + ref.size() + " posts, jkeras " + j.size());
    if (ref.isEmpty()) acc.mismatch("no posts received from the reference");
    for (int i = 0; i < Math.min(ref.size(), j.size()); i++) {
      JsonNode a = ref.get(i);
      JsonNode b = j.get(i);
      for (String f : List.of("path", "content_type")) {
        if (!a.path(f).equals(b.path(f)))
          acc.mismatch("post " + i + " " + f + ": reference " + a.path(f) + " jkeras " + b.path(f));
      }
      json(a.path("data"), b.path("data"), "post " + i, acc);
    }
    return acc.diff(Comparison.RELATIVE_TOLERANCE, "relative");
  }

  /** JSON objects by key (order ignored: Keras 2.3.1 sends val_ keys first), numbers by value. */
  private static void json(JsonNode a, JsonNode b, String at, Comparison.Acc acc) {
    if (a.isObject() && b.isObject()) {
      Set<String> ka = new TreeSet<>();
      Set<String> kb = new TreeSet<>();
      a.fieldNames().forEachRemaining(ka::add);
      b.fieldNames().forEachRemaining(kb::add);
      if (!ka.equals(kb)) {
        acc.mismatch(at + " keys: reference " + ka + " jkeras " + kb);
        return;
      }
      for (String k : ka) json(a.get(k), b.get(k), at + "." + k, acc);
    } else if (a.isNumber() && b.isNumber()) {
      Comparison.walk(a, b, at, acc);
    } else if (!a.equals(b)) {
      acc.mismatch(at + ": reference " + a + " jkeras " + b);
    }
  }

  private static List<String> names(JsonNode o) {
    List<String> n = new ArrayList<>();
    o.fieldNames().forEachRemaining(n::add);
    return n;
  }
}
