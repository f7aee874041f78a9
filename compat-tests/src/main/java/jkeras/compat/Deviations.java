package jkeras.compat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jkeras.compat.Comparison.Diff;
import jkeras.compat.ThreeWay.Ctx;

/**
 * The deviations README documents ("Where jkeras deliberately differs from Keras 2.3.1"), each as a
 * rule that checks both sides: the reference does what README says Keras 2.3.1 (or tf-keras) does,
 * and jkeras does what README says jkeras does. A deviation that is not exactly the documented one
 * fails, whichever side moved.
 */
final class Deviations {
  private Deviations() {}

  /** A rule: the README entry it stands for, as the report quotes it, and its check. */
  private record Rule(String readme, RuleCheck check) {}

  /** Checks one column: {@code ref} is that reference's observation, {@code k231} which one. */
  private interface RuleCheck {
    Diff apply(JsonNode ref, Ctx c, boolean k231);
  }

  private static final Map<String, Rule> RULES =
      Map.ofEntries(
          Map.entry(
              "evaluate_last_batch_loss",
              new Rule(
                  "evaluate returns the sample-weighted mean loss (Keras 2.3.1's generator path"
                      + " returns the last batch's)",
                  (ref, c, k231) -> evaluateLastBatchLoss(ref, c.jkeras()))),
          Map.entry(
              "stale_val_logs",
              new Rule(
                  "fresh epoch-log map each epoch (Keras 2 reused it, so stale val_* keys leak)",
                  (ref, c, k231) -> staleValLogs(ref, c.jkeras()))),
          Map.entry(
              "on_epoch_end_per_pass",
              new Rule(
                  "Sequence.onEpochEnd() once per epoch after the epoch's callbacks (Keras 2: per"
                      + " enqueuer pass)",
                  Deviations::onEpochEndPerPass)),
          Map.entry(
              "validation_on_epoch_end_never",
              new Rule(
                  "a validation Sequence's onEpochEnd() is never called (Keras 2's validation"
                      + " enqueuer called it after each pass)",
                  (ref, c, k231) -> validationOnEpochEndNever(ref, c))),
          Map.entry(
              "shuffle_ignored_with_workers_0",
              new Rule(
                  "shuffle applies for any workers (Keras 2 ignored it with workers=0)",
                  Deviations::shuffleIgnored)),
          Map.entry(
              "accepted_silently",
              new Rule(
                  "arguments checked up front (Keras 2.3.1 accepted them silently)",
                  (ref, c, k231) -> acceptedSilently(ref, c))),
          Map.entry(
              "validated_lazily",
              new Rule(
                  "arguments validated eagerly (Keras 2.3.1 checks validation_freq after the first"
                      + " epoch's batches)",
                  (ref, c, k231) -> validatedLazily(ref, c.jkeras()))),
          Map.entry(
              "slow_item_dropped",
              new Rule(
                  "a slow batch is never dropped (Keras 2.3.1 dropped a generator item after its"
                      + " 30 s wait)",
                  (ref, c, k231) -> slowItemDropped(ref, c))),
          Map.entry(
              "lr_wins",
              new Rule(
                  "lr and learning_rate together are an error (Keras let lr win silently)",
                  (ref, c, k231) -> lrWins(ref, c))),
          Map.entry(
              "metrics_reset_after_step",
              new Rule(
                  "trainOnBatch/testOnBatch report the batch alone (Keras 2.3.1 resets its"
                      + " stateful metrics after the step, so its first call after a validated"
                      + " fit or an evaluate mixes in the samples just evaluated); as tf-keras",
                  (ref, c, k231) -> metricsResetAfterStep(ref, c))),
          Map.entry(
              "java_iterator_in_threads",
              new Rule(
                  "a Java Iterator with useMultiprocessing=true runs in threads: nothing is"
                      + " duplicated and Keras' duplicate-data warning is not given (Keras 2.3.1"
                      + " runs a copy of the generator in each worker process, and warns)",
                  (ref, c, k231) -> javaIteratorInThreads(ref, c))),
          Map.entry(
              "predict_stream_items",
              new Rule(
                  "predict on a stream takes (x,) items as tf-keras does (Keras 2.3.1 rejected them)",
                  (ref, c, k231) -> predictStreamItems(ref, c))));

  static String readme(String rule) {
    Rule r = RULES.get(rule);
    return r == null ? "unknown deviation " + rule : r.readme();
  }

  /** Checks rule {@code rule} with {@code column}'s observation as the reference side. */
  static Diff check(String rule, String column, Ctx c) {
    boolean k231 = column.equals(ThreeWay.KERAS231);
    Rule r = RULES.get(rule);
    if (r == null) return Diff.exact(false, "unknown deviation rule " + rule);
    return r.check().apply(k231 ? c.keras231() : c.tfKeras(), c, k231);
  }

  private static Diff result(List<String> problems, String asDocumented) {
    return problems.isEmpty()
        ? new Diff(true, Double.NaN, 0, "exact", asDocumented)
        : new Diff(false, Double.NaN, 0, "exact", String.join("; ", problems));
  }

  private static boolean close(double a, double b, double rel) {
    return Math.abs(a - b) <= rel * Math.max(Math.abs(b), 1e-6);
  }

  private static double first(JsonNode v) {
    return v.isArray() ? v.path(0).asDouble(Double.NaN) : v.asDouble(Double.NaN);
  }

  /**
   * Keras 2.3.1: the last validation batch's loss; jkeras: the size-weighted mean of its batch
   * losses.
   */
  private static Diff evaluateLastBatchLoss(JsonNode ref, JsonNode j) {
    List<String> problems = new ArrayList<>();
    JsonNode refLogs = ref.path("batch_logs").path("test");
    JsonNode jLogs = j.path("batch_logs").path("test");
    boolean history = ref.has("history");
    JsonNode refVals = history ? ref.path("history").path("val_loss") : ref.path("value");
    JsonNode jVals = history ? j.path("history").path("val_loss") : j.path("value");
    int n = history ? refVals.size() : 1;
    if (n == 0) return Diff.exact(false, "no validation value recorded");
    if (refLogs.size() != n || jLogs.size() != n || (history && jVals.size() != n)) {
      return Diff.exact(
          false,
          "expected one list of validation batch logs per value: reference "
              + refLogs.size()
              + " lists for "
              + n
              + " values, jkeras "
              + jLogs.size());
    }
    StringBuilder shown = new StringBuilder();
    for (int g = 0; g < n; g++) {
      JsonNode rl = refLogs.get(g);
      double refValue = history ? refVals.get(g).asDouble() : first(refVals);
      double last = rl.get(rl.size() - 1).path("loss").asDouble();
      JsonNode jl = jLogs.get(g);
      double sum = 0;
      double seen = 0;
      for (JsonNode b : jl) {
        sum += b.path("loss").asDouble() * b.path("size").asDouble();
        seen += b.path("size").asDouble();
      }
      double jValue = history ? jVals.get(g).asDouble() : first(jVals);
      if (!close(refValue, last, 1e-6))
        problems.add(
            "reference value " + g + " " + refValue + " is not its last batch's loss " + last);
      if (!close(jValue, sum / seen, 1e-5))
        problems.add(
            "jkeras value " + g + " " + jValue + " is not the weighted mean " + sum / seen);
      if (g == 0) {
        shown.append(
            String.format(
                Locale.ROOT,
                "Keras 2.3.1 %.6g = loss of its last of %d batches, jkeras %.6g = mean over %d batches",
                refValue,
                rl.size(),
                jValue,
                jl.size()));
      }
    }
    return result(problems, shown.toString());
  }

  /** Per epoch of the reference's run (from its callbacks), whether it validated. */
  private static List<Boolean> validatedEpochs(JsonNode obs) {
    List<Boolean> out = new ArrayList<>();
    boolean tested = false;
    for (JsonNode e : obs.path("callback_events")) {
      String s = e.asText();
      if (s.startsWith("on_epoch_begin ")) tested = false;
      else if (s.equals("on_test_begin")) tested = true;
      else if (s.startsWith("on_epoch_end ")) out.add(tested);
    }
    return out;
  }

  /**
   * Keras 2.3.1 repeats the last val_* values in the epochs without validation after the first one
   * that validated; jkeras records the validated epochs only, with the same values.
   */
  private static Diff staleValLogs(JsonNode ref, JsonNode j) {
    List<String> problems = new ArrayList<>();
    JsonNode rh = ref.path("history");
    JsonNode jh = j.path("history");
    List<String> keys = new ArrayList<>();
    rh.fieldNames().forEachRemaining(keys::add);
    List<Boolean> validated = validatedEpochs(ref);
    int first = validated.indexOf(true);
    if (first < 0) problems.add("Keras 2.3.1 never validated");
    if (keys.stream().noneMatch(k -> k.startsWith("val_")))
      problems.add("no val_* keys in Keras 2.3.1's History");
    int stale = 0;
    for (String k : keys) {
      JsonNode rv = rh.get(k);
      JsonNode jv = jh.path(k);
      if (!k.startsWith("val_")) {
        if (!Comparison.relative(rv, jv).same())
          problems.add(k + " differs: " + Comparison.relative(rv, jv).detail());
        continue;
      }
      if (first < 0 || rv.size() != validated.size() - first) {
        problems.add(
            k
                + ": expected one Keras 2.3.1 value per epoch from the first validation on, got "
                + rv);
        continue;
      }
      int real = 0;
      stale = 0;
      for (int e = first; e < validated.size(); e++) {
        double v = rv.get(e - first).asDouble();
        if (validated.get(e)) {
          if (real >= jv.size() || !close(jv.get(real).asDouble(), v, 1e-5)) {
            problems.add(
                k + " at epoch index " + e + ": Keras 2.3.1 " + v + ", jkeras " + jv.path(real));
          }
          real++;
        } else {
          stale++;
          if (v != rv.get(e - first - 1).asDouble())
            problems.add(k + " at epoch index " + e + " is not the stale " + rv.get(e - first - 1));
        }
      }
      if (real != jv.size())
        problems.add(k + ": jkeras has " + jv.size() + " values for " + real + " validations");
    }
    return result(
        problems,
        "Keras 2.3.1's History repeats the last val_* values in the "
            + stale
            + " epoch(s) without validation; jkeras' holds the validated epochs only, with the same values");
  }

  private static int sourceLength(Ctx c) {
    JsonNode src = c.action().path("source");
    long n = c.spec().path("data").path("n").asLong();
    int b = src.path("batch_size").asInt();
    return (int) ((n + b - 1) / b);
  }

  /**
   * Keras 2.3.1 (workers > 0): once per completed enqueuer pass; jkeras: once per epoch, after the
   * epoch's callbacks.
   */
  private static Diff onEpochEndPerPass(JsonNode ref, Ctx c, boolean k231) {
    List<String> problems = new ArrayList<>();
    int len = sourceLength(c);
    JsonNode kw = c.action().path("kwargs");
    int epochs = kw.path("epochs").asInt(1);
    int steps = kw.path("steps_per_epoch").asInt(len);
    int passes = steps * epochs / len;
    int refCount = ThreeWay.epochEnds(ref).path("train").asInt(0);
    int jCount = ThreeWay.epochEnds(c.jkeras()).path("train").asInt(0);
    int refExpected = k231 ? passes : epochs;
    if (refCount != refExpected) {
      problems.add(
          (k231 ? "Keras 2.3.1" : "tf-keras")
              + " called on_epoch_end "
              + refCount
              + " times, expected "
              + refExpected);
    }
    if (jCount != epochs)
      problems.add("jkeras called onEpochEnd " + jCount + " times, expected " + epochs);
    List<String> t = new ArrayList<>();
    c.jkeras().path("timeline").forEach(e -> t.add(e.asText()));
    int k = 0;
    for (int i = 0; i < t.size(); i++) {
      if (!t.get(i).equals("train on_epoch_end")) continue;
      int callback = t.indexOf("on_epoch_end " + k);
      if (callback < 0 || callback > i)
        problems.add("jkeras' onEpochEnd " + k + " came before the epoch's callbacks");
      k++;
    }
    return result(
        problems,
        String.format(
            Locale.ROOT,
            "%d epochs of %d steps over a Sequence of %d: %s %d call(s) (%s), jkeras %d (one per epoch)",
            epochs,
            steps,
            len,
            k231 ? "Keras 2.3.1" : "tf-keras",
            refCount,
            k231 ? "one per completed pass" : "one per epoch",
            jCount));
  }

  /** The Sequence indices drawn in each epoch. */
  private static List<List<Integer>> epochsOfGets(JsonNode obs) {
    List<List<Integer>> out = new ArrayList<>();
    for (JsonNode e : obs.path("timeline")) {
      String s = e.asText();
      if (s.startsWith("on_epoch_begin ")) out.add(new ArrayList<>());
      else if (s.startsWith("train get ") && !out.isEmpty())
        out.get(out.size() - 1).add(Integer.parseInt(s.substring(10)));
    }
    return out;
  }

  private static String shuffledProblem(String who, List<List<Integer>> epochs, int len) {
    boolean anyShuffled = false;
    for (List<Integer> e : epochs) {
      List<Integer> sorted = new ArrayList<>(e);
      sorted.sort(null);
      List<Integer> all = new ArrayList<>();
      for (int i = 0; i < len; i++) all.add(i);
      if (!sorted.equals(all)) return who + " drew " + e + ", not a permutation of 0.." + (len - 1);
      if (!e.equals(all)) anyShuffled = true;
    }
    return anyShuffled && !epochs.isEmpty() ? null : who + " drew every epoch in order: " + epochs;
  }

  /**
   * Keras 2.3.1 (workers=0): every epoch in order; jkeras (and tf-keras): a new permutation per
   * epoch.
   */
  private static Diff shuffleIgnored(JsonNode ref, Ctx c, boolean k231) {
    List<String> problems = new ArrayList<>();
    int len = sourceLength(c);
    List<List<Integer>> r = epochsOfGets(ref);
    List<List<Integer>> j = epochsOfGets(c.jkeras());
    if (k231) {
      List<Integer> inOrder = new ArrayList<>();
      for (int i = 0; i < len; i++) inOrder.add(i);
      for (List<Integer> e : r)
        if (!e.equals(inOrder)) problems.add("Keras 2.3.1 drew " + e + ", expected " + inOrder);
      if (r.isEmpty()) problems.add("Keras 2.3.1 drew nothing");
    } else {
      String p = shuffledProblem("tf-keras", r, len);
      if (p != null) problems.add(p);
    }
    String p = shuffledProblem("jkeras", j, len);
    if (p != null) problems.add(p);
    return result(problems, (k231 ? "Keras 2.3.1 drew " : "tf-keras drew ") + r + ", jkeras " + j);
  }

  /** The reference accepted the argument and trained; jkeras rejected it up front, naming it. */
  private static Diff acceptedSilently(JsonNode ref, Ctx c) {
    List<String> problems = new ArrayList<>();
    JsonNode r = ThreeWay.raisedOf(ref);
    JsonNode j = ThreeWay.raisedOf(c.jkeras());
    if (r != null) problems.add("the reference raised " + ThreeWay.describe(r));
    String expected = c.action().path("jkeras_message").asText("");
    if (j == null) {
      problems.add("jkeras accepted it");
    } else if (!j.path("type").asText().equals("IllegalArgumentException")
        || !j.path("message").asText().contains(expected)) {
      problems.add(
          "jkeras "
              + ThreeWay.describe(j)
              + ", expected IllegalArgumentException with '"
              + expected
              + "'");
    }
    return result(
        problems,
        String.format(
            "Keras 2.3.1 trained (History %s, epochs %s); jkeras %s",
            ref.path("history_keys"), ref.path("epoch"), ThreeWay.describe(j)));
  }

  /**
   * The same message on both sides; Keras 2.3.1 raises it after training began, jkeras before any
   * callback.
   */
  private static Diff validatedLazily(JsonNode ref, JsonNode j) {
    List<String> problems = new ArrayList<>();
    JsonNode r = ThreeWay.raisedOf(ref);
    JsonNode jr = ThreeWay.raisedOf(j);
    if (r == null || jr == null)
      return Diff.exact(
          false,
          "expected both to raise: reference "
              + ThreeWay.describe(r)
              + ", jkeras "
              + ThreeWay.describe(jr));
    if (!ThreeWay.outcome(ref, j).same()) problems.add(ThreeWay.outcome(ref, j).detail());
    int refCalls = ref.path("callback_events").size();
    int jCalls = j.path("callback_events").size();
    if (refCalls == 0) problems.add("Keras 2.3.1 raised before any callback");
    if (jCalls != 0) problems.add("jkeras raised after " + jCalls + " callback calls");
    return result(
        problems,
        "both raise '"
            + r.path("message").asText()
            + "'; Keras 2.3.1 after "
            + refCalls
            + " callback calls ("
            + ref.path("callback_events").path(0).asText()
            + " ...), jkeras before any");
  }

  /** The sentence Keras 2.3.1's warning and jkeras' share. */
  private static final String STALL_SENTENCE =
      "An input could not be retrieved. It could be because a worker has died.";

  private static final String LOST_ITEM_WARNING =
      "An input could not be retrieved. It could be because a worker has died.We do not have any information on the lost sample.";

  /**
   * Keras 2.3.1 trained without the slow item (and warned); jkeras trained on every item in order.
   */
  private static Diff slowItemDropped(JsonNode ref, Ctx c) {
    List<String> problems = new ArrayList<>();
    JsonNode src = c.action().path("source");
    List<Integer> sizes = new ArrayList<>();
    src.path("sizes").forEach(s -> sizes.add(s.asInt()));
    int slow = src.path("slow").path("index").asInt();
    List<Integer> r = trainedSizes(ref);
    List<Integer> j = trainedSizes(c.jkeras());
    if (j.isEmpty() || sizes.isEmpty())
      return Diff.exact(false, "no batches trained, or no item sizes in the action");
    List<Integer> all = new ArrayList<>();
    List<Integer> dropped = new ArrayList<>();
    for (int item = 0; dropped.size() < j.size() || all.size() < j.size(); item++) {
      int size = sizes.get(item % sizes.size());
      if (all.size() < j.size()) all.add(size);
      if (item != slow && dropped.size() < j.size()) dropped.add(size);
    }
    if (!j.equals(all))
      problems.add("jkeras trained on batches of " + j + ", expected every item: " + all);
    if (!r.equals(dropped))
      problems.add(
          "Keras 2.3.1 trained on batches of "
              + r
              + ", expected item "
              + slow
              + " dropped: "
              + dropped);
    boolean warned = false;
    for (JsonNode w : ref.path("warnings")) warned |= w.asText().equals(LOST_ITEM_WARNING);
    if (!warned) problems.add("Keras 2.3.1 did not warn '" + LOST_ITEM_WARNING + "'");
    // jkeras waited as long, then warned with Keras' first sentence and went on waiting.
    String timeout = c.action().path("keras231_enqueuer_timeout").asText();
    String jWarning =
        STALL_SENTENCE
            + " No batch came for "
            + timeout
            + " s (fetch_timeout); still waiting, nothing is dropped.";
    boolean jWarned = false;
    for (JsonNode w : c.jkeras().path("warnings")) jWarned |= w.asText().startsWith(jWarning);
    if (!jWarned) problems.add("jkeras did not warn '" + jWarning + " ...'");
    return result(
        problems,
        "batch sizes trained: Keras 2.3.1 "
            + r
            + " (item "
            + slow
            + " lost, after a wait shortened to "
            + ref.path("enqueuer_timeout").asText()
            + " s), jkeras "
            + j
            + " (warned '"
            + STALL_SENTENCE
            + " ...' after the same wait and went on waiting)");
  }

  private static List<Integer> trainedSizes(JsonNode obs) {
    List<Integer> out = new ArrayList<>();
    for (JsonNode epoch : obs.path("batch_logs").path("train")) {
      for (JsonNode b : epoch) out.add(b.path("size").asInt());
    }
    return out;
  }

  /** Keras 2.3.1 took `lr` (its config's learning_rate is lr's value); jkeras refused both. */
  private static Diff lrWins(JsonNode ref, Ctx c) {
    List<String> problems = new ArrayList<>();
    double lr = c.spec().path("compile").path("optimizer").path("config").path("lr").asDouble();
    JsonNode r = ThreeWay.raisedOf(ref);
    double used = ref.path("optimizer").path("config").path("learning_rate").asDouble(Double.NaN);
    if (r != null) problems.add("Keras 2.3.1 " + ThreeWay.describe(r));
    else if (!close(used, lr, 1e-6))
      problems.add("Keras 2.3.1 used learning_rate " + used + ", not lr " + lr);
    JsonNode j = ThreeWay.raisedOf(c.jkeras());
    if (j == null
        || !j.path("type").asText().equals("IllegalArgumentException")
        || !j.path("message").asText().contains("lr")
        || !j.path("message").asText().contains("learning_rate")) {
      problems.add(
          "jkeras "
              + ThreeWay.describe(j)
              + ", expected an IllegalArgumentException naming lr and learning_rate");
    }
    return result(
        problems,
        "Keras 2.3.1 compiled with learning_rate "
            + used
            + " (lr's value, no warning: "
            + ref.path("warnings")
            + "); jkeras "
            + ThreeWay.describe(j));
  }

  // ---------------------------------------------------------------------------------------------
  // trainOnBatch / testOnBatch report the batch alone

  /**
   * The first {@code train_on_batch}/{@code test_on_batch} after an {@code evaluate} or a validated
   * {@code fit}: Keras 2.3.1 reports each stateful entry mixed with what the evaluation left in it
   * (metrics: weighted by samples, {@code (v_eval * n_eval + v_batch * b) / (n_eval + b)};
   * per-output losses, a mean of batch means: {@code (v_eval * batches + v_batch) / (batches +
   * 1)}), its total loss equal to jkeras'; jkeras reports the batch alone, as tf-keras; the later
   * calls agree.
   */
  private static Diff metricsResetAfterStep(JsonNode ref, Ctx c) {
    List<String> problems = new ArrayList<>();
    JsonNode names = ref.path("names");
    JsonNode before = c.actionBefore();
    JsonNode refBefore = c.keras231Before();
    if (before == null || refBefore == null || names.isEmpty())
      return Diff.exact(false, "no evaluation before this call, or no metric names recorded");
    JsonNode data = c.spec().path("data");
    JsonNode kw = before.path("kwargs");
    long evaluated;
    List<Double> left = new ArrayList<>();
    switch (before.path("type").asText()) {
      case "evaluate" -> {
        evaluated =
            before.path("on").asText("train").equals("val")
                ? data.path("val_n").asLong()
                : data.path("n").asLong();
        JsonNode v = refBefore.path("value");
        for (int k = 0; k < names.size(); k++)
          left.add(v.isArray() ? v.path(k).asDouble() : v.asDouble());
      }
      case "fit", "fit_progress" -> {
        long n = data.path("n").asLong();
        evaluated =
            kw.has("validation_split")
                ? n - (long) (n * (1.0 - kw.get("validation_split").asDouble()))
                : data.path("val_n").asLong();
        for (JsonNode name : names) {
          JsonNode h = refBefore.path("history").path("val_" + name.asText());
          left.add(h.path(h.size() - 1).asDouble(Double.NaN));
        }
      }
      default -> {
        return Diff.exact(false, "the action before is no evaluation: " + before.path("type"));
      }
    }
    long evalBatch = kw.path("batch_size").asLong(32);
    long batches = (evaluated + evalBatch - 1) / evalBatch;
    long rows =
        Math.min(c.action().path("batch").asLong(data.path("n").asLong()), data.path("n").asLong());
    JsonNode r0 = ref.path("values").path(0);
    JsonNode j0 = c.jkeras().path("values").path(0);
    boolean shows = false;
    StringBuilder shown = new StringBuilder();
    for (int k = 0; k < names.size(); k++) {
      double r = r0.isArray() ? r0.path(k).asDouble() : r0.asDouble();
      double j = j0.isArray() ? j0.path(k).asDouble() : j0.asDouble();
      String name = names.get(k).asText();
      if (k == 0) {
        if (!close(r, j, 1e-5)) problems.add("total loss: Keras 2.3.1 " + r + ", jkeras " + j);
        continue;
      }
      boolean perBatch = name.endsWith("_loss");
      double wEval = perBatch ? batches : evaluated;
      double wNow = perBatch ? 1 : rows;
      double expected = (left.get(k) * wEval + j * wNow) / (wEval + wNow);
      if (!close(r, expected, 1e-5))
        problems.add(
            String.format(
                Locale.ROOT,
                "%s: Keras 2.3.1 %.6g, not the mix %.6g of the evaluated %.6g and jkeras' %.6g",
                name,
                r,
                expected,
                left.get(k),
                j));
      if (!close(expected, j, 1e-5)) {
        shows = true;
        if (shown.length() == 0)
          shown.append(
              String.format(
                  Locale.ROOT,
                  "Keras 2.3.1's first %s: %s %.6g = (%.6g x %.0f + %.6g x %.0f) / %.0f (the %d"
                      + " samples evaluated before, %s), jkeras %.6g (the batch alone)",
                  c.action().path("type").asText(),
                  name,
                  r,
                  left.get(k),
                  wEval,
                  j,
                  wNow,
                  wEval + wNow,
                  evaluated,
                  perBatch ? "a mean of " + batches + " batch means" : "by sample",
                  j));
      }
    }
    if (!shows)
      problems.add("this batch's values equal the evaluation's: the scenario does not show it");
    JsonNode rv = ref.path("values");
    JsonNode jv = c.jkeras().path("values");
    for (int i = 1; i < Math.max(rv.size(), jv.size()); i++) {
      Diff d = Comparison.relative(rv.path(i), jv.path(i));
      if (!d.same()) problems.add("call " + i + " differs from Keras 2.3.1: " + d.detail());
    }
    Diff t = c.tfKeras() == null ? null : Comparison.relative(c.tfKeras().path("values"), jv);
    if (t == null || !t.same())
      problems.add(
          "jkeras does not report what tf-keras does: "
              + (t == null ? "no tf-keras run" : t.longText()));
    return result(problems, shown + "; equal to tf-keras; the later calls agree");
  }

  // ---------------------------------------------------------------------------------------------
  // Streams

  private static final String DUPLICATE_WARNING =
      "Using a generator with `use_multiprocessing=True` and multiple workers may duplicate your"
          + " data. Please consider using the `keras.utils.Sequence class.";

  /**
   * Keras 2.3.1 gave the duplicate-data warning (each worker process runs its own copy of the
   * generator); jkeras gave none, and drew each item of its Java Iterator once, in order, one per
   * step.
   */
  private static Diff javaIteratorInThreads(JsonNode ref, Ctx c) {
    List<String> problems = new ArrayList<>();
    boolean warned = false;
    for (JsonNode w : ref.path("warnings")) warned |= w.asText().equals(DUPLICATE_WARNING);
    if (!warned) problems.add("Keras 2.3.1 did not warn '" + DUPLICATE_WARNING + "'");
    JsonNode j = c.jkeras();
    for (JsonNode w : j.path("warnings"))
      if (w.asText().equals(DUPLICATE_WARNING)) problems.add("jkeras warned too");
    List<Integer> items = new ArrayList<>();
    for (JsonNode e : j.path("timeline")) {
      String[] p = e.asText().split(" ");
      if (p.length == 3 && p[0].equals("train") && p[1].equals("next"))
        items.add(Integer.parseInt(p[2]));
    }
    for (int i = 0; i < items.size(); i++)
      if (items.get(i) != i)
        problems.add("jkeras drew items " + items + ", not each once in order");
    int trained = 0;
    for (JsonNode epoch : j.path("batch_logs").path("train")) trained += epoch.size();
    JsonNode kw = c.action().path("kwargs");
    int steps = kw.path("steps_per_epoch").asInt() * kw.path("epochs").asInt(1);
    if (trained != steps) problems.add("jkeras trained " + trained + " batches, expected " + steps);
    return result(
        problems,
        "Keras 2.3.1 warned (one generator copy per worker process); jkeras, in threads, gave no"
            + " warning and drew items 0.."
            + (items.size() - 1)
            + " once each, training on the first "
            + trained);
  }

  /**
   * Keras 2.3.1 (workers=1): its validation enqueuer called the validation Sequence's {@code
   * on_epoch_end} after each pass it completed (at least one); jkeras never did.
   */
  private static Diff validationOnEpochEndNever(JsonNode ref, Ctx c) {
    List<String> problems = new ArrayList<>();
    int refCount = ThreeWay.epochEnds(ref).path("val").asInt(0);
    int jCount = ThreeWay.epochEnds(c.jkeras()).path("val").asInt(0);
    int validations = 0;
    for (JsonNode e : c.jkeras().path("callback_events"))
      if (e.asText().equals("on_test_begin")) validations++;
    if (refCount < 1) problems.add("Keras 2.3.1 never called the validation on_epoch_end");
    if (jCount != 0) problems.add("jkeras called the validation onEpochEnd " + jCount + " times");
    if (validations < 1) problems.add("jkeras never validated");
    return result(
        problems,
        String.format(
            Locale.ROOT,
            "Keras 2.3.1's validation enqueuer called on_epoch_end %d time(s); jkeras validated %d"
                + " time(s) and called it never",
            refCount,
            validations));
  }

  private static final String NOT_A_TUPLE = "Output of generator should be a tuple";

  /**
   * {@code (x,)} items: Keras 2.3.1 raised its "Output of generator should be a tuple" error and
   * jkeras predicted what tf-keras predicts; bare arrays: Keras 2.3.1 predicted and jkeras raised
   * that error.
   */
  private static Diff predictStreamItems(JsonNode ref, Ctx c) {
    List<String> problems = new ArrayList<>();
    String items = c.action().path("source").path("items").asText("xy");
    if (!items.equals("x_tuple")) problems.add("the source gives " + items + " items, not (x,)");
    JsonNode raised = ThreeWay.raisedOf(ref);
    if (raised == null
        || !raised.path("type").asText().equals("ValueError")
        || !raised.path("message").asText().startsWith(NOT_A_TUPLE)) {
      problems.add(
          "Keras 2.3.1 " + ThreeWay.describe(raised) + ", expected ValueError: " + NOT_A_TUPLE);
    }
    JsonNode j = ThreeWay.raisedOf(c.jkeras());
    if (j != null) problems.add("jkeras " + ThreeWay.describe(j));
    else {
      Diff d =
          c.tfKeras() == null
              ? null
              : Comparison.predictions(c.tfKeras().path("outputs"), c.jkeras().path("outputs"));
      if (d == null || !d.same())
        problems.add(
            "jkeras' predictions are not tf-keras': "
                + (d == null ? "no tf-keras run" : d.longText()));
    }
    String message = raised == null ? "" : raised.path("message").asText();
    return result(
        problems,
        "(x,) items: jkeras predicted what tf-keras predicts; Keras 2.3.1 raised '"
            + Comparison.abbreviate(message, 80)
            + "'");
  }
}
