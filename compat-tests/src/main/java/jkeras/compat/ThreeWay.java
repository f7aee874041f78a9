package jkeras.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import jkeras.compat.Comparison.Diff;
import jkeras.compat.Verdict.Status;

/**
 * Compares one scenario's jkeras observations with both references and decides, observable by
 * observable, which reference judges: Keras 2.3.1 wherever jkeras claims Keras 2.3.1 behaviour
 * (every observable, by default), tf-keras where it runs the same math or where jkeras takes its
 * fix. What a reference is not a judge of is shown for information, with the reason.
 *
 * <p>A scenario or an action overrides the defaults with {@code "expect": {"keras231" | "tf_keras":
 * {"<observable>" | "*": "<kind>: <why>"}}}, kind one of {@code agrees}, {@code info} (not judged),
 * {@code differs} (judged: must differ), {@code deviation} (judged by the named rule of {@link
 * Deviations}: the difference must be exactly the one README documents) and {@code disagreement} (a
 * real disagreement with Keras 2.3.1, declared until the core is fixed).
 */
final class ThreeWay {
  static final String TF_KERAS = "tf_keras";
  static final String KERAS231 = "keras231";

  private ThreeWay() {}

  /** What a reference was asked to do for an observable. */
  record Expect(String kind, String why) {
    static final Expect AGREE = new Expect("agrees", "");

    static Expect parse(String s) {
      int colon = s.indexOf(':');
      String kind = (colon < 0 ? s : s.substring(0, colon)).trim();
      if (!Set.of("agrees", "info", "differs", "deviation", "disagreement").contains(kind)) {
        throw new IllegalArgumentException("unknown expectation '" + s + "'");
      }
      return new Expect(kind, colon < 0 ? "" : s.substring(colon + 1).trim());
    }

    static Expect info(String why) {
      return new Expect("info", why);
    }

    static Expect deviation(String rule) {
      return new Expect("deviation", rule);
    }

    /** A deviation that shows only where the values differ (one validation batch: last = mean). */
    static Expect deviationWhereDifferent(String rule) {
      return new Expect("deviation where different", rule);
    }
  }

  /** One reference's run of the scenario (a node of its runner's JSON), or none. */
  record Ref(String key, String label, JsonNode node) {
    boolean ran() {
      return node != null && node.has("observations");
    }

    /** The verdict of every observable when the reference did not run the scenario. */
    Verdict unavailable() {
      if (node == null || node.isMissingNode()) {
        return new Verdict(Status.ERROR, "MISSING", "no " + label + " result for this scenario");
      }
      if (node.has("not_run")) {
        String why = node.get("not_run").asText();
        return new Verdict(Status.NOT_RUN, "not run", "not run in " + label + ": " + why);
      }
      return new Verdict(Status.ERROR, "ERROR", label + " failed: " + node.path("error").asText());
    }
  }

  /**
   * Everything a rule may look at: the action and the three sides' observations, and the action
   * before with Keras 2.3.1's observation of it (for what an earlier call left behind), or null.
   */
  record Ctx(
      JsonNode spec,
      JsonNode action,
      JsonNode tfKeras,
      JsonNode keras231,
      JsonNode jkeras,
      JsonNode actionBefore,
      JsonNode keras231Before) {
    Ctx(JsonNode spec, JsonNode action, JsonNode tfKeras, JsonNode keras231, JsonNode jkeras) {
      this(spec, action, tfKeras, keras231, jkeras, null, null);
    }
  }

  /** A comparison of one reference's observation with jkeras'. */
  interface Cmp {
    Diff apply(JsonNode ref, JsonNode jkeras);
  }

  /**
   * Checks of one scenario. {@code tfKeras}, {@code keras231}: the runners' nodes (null if absent).
   */
  static List<Check> compare(String name, JsonNode tfKeras, JsonNode keras231, JsonNode jkeras) {
    Ref tfk = new Ref(TF_KERAS, "tf-keras", tfKeras);
    Ref k231 = new Ref(KERAS231, "Keras 2.3.1", keras231);
    JsonNode spec =
        keras231 != null && keras231.has("spec") ? keras231.get("spec") : tfKeras.path("spec");
    List<Check> checks = new ArrayList<>();
    Scenario s = new Scenario(name, spec, tfk, k231, jkeras, checks);
    s.run();
    return checks;
  }

  /**
   * One row of the report: an observable, the summary of jkeras' value, and how each reference's
   * observation is compared with jkeras'.
   */
  record Row(String observable, String summary, Cmp tfk, Cmp k231) {
    /** Field {@code f} of the observations, compared alike with both references. */
    static Row field(
        String observable, JsonNode j, String f, Function<JsonNode, String> summary, Cmp cmp) {
      return new Row(observable, summary.apply(j.path(f)), on(f, cmp), on(f, cmp));
    }

    /** A value derived from each side's observation by {@code of}, compared alike. */
    static Row derived(String observable, JsonNode j, UnaryOperator<JsonNode> of, Cmp cmp) {
      Cmp c = (r, x) -> cmp.apply(of.apply(r), of.apply(x));
      return new Row(observable, ThreeWay.summary(of.apply(j)), c, c);
    }
  }

  private static final class Scenario {
    final String name;
    final JsonNode spec;
    final Ref tfk;
    final Ref k231;
    final JsonNode jk;
    final List<Check> checks;

    Scenario(String name, JsonNode spec, Ref tfk, Ref k231, JsonNode jk, List<Check> checks) {
      this.name = name;
      this.spec = spec;
      this.tfk = tfk;
      this.k231 = k231;
      this.jk = jk;
      this.checks = checks;
    }

    void run() {
      if (tfk.ran() && k231.ran()) {
        boolean same = fixtureOf(tfk.node()).equals(fixtureOf(k231.node()));
        checks.add(
            new Check(
                name,
                "fixture (data, initial weights)",
                "from tf-keras' run",
                Verdict.notApplicable(),
                new Verdict(
                    same ? Status.AGREES : Status.DIFFERS,
                    same ? "identical" : "DIFFERS",
                    same ? "" : "the two references drew different data or initial weights")));
      }
      List<JsonNode> tfkObs = observations(tfk);
      List<JsonNode> k231Obs = observations(k231);
      if (spec.path("compile_may_raise").asBoolean(false)) {
        JsonNode jCompile = jkerasCompile();
        Ctx ctx = new Ctx(spec, spec, compileObservation(tfk), compileObservation(k231), jCompile);
        new At("compile", ctx)
            .add(
                outcome(jCompile), Expect.info("tf-keras' legacy optimizers are configured apart"));
        if (jCompile.path("raised").isObject()) return;
      } else if (jk.has("error")) {
        new At("jkeras run", new Ctx(spec, spec, null, null, jk))
            .error(
                Comparison.abbreviate(jk.get("error").asText(), 48),
                "jkeras failed",
                jk.get("error").asText());
        return;
      }
      JsonNode jObs = jk.path("observations");
      JsonNode actions = spec.path("actions");
      for (int i = 0; i < actions.size(); i++) {
        JsonNode action = actions.get(i);
        JsonNode j = jObs.path(i);
        Ctx ctx =
            new Ctx(
                spec,
                action,
                at(tfkObs, i),
                at(k231Obs, i),
                j,
                i > 0 ? actions.get(i - 1) : null,
                i > 0 ? at(k231Obs, i - 1) : null);
        At at = new At(action.path("type").asText() + "#" + i, ctx);
        if (j.has("error") && !action.path("may_raise").asBoolean(false)) {
          at.error("threw", "jkeras threw", j.get("error").asText());
          continue;
        }
        at.observables();
      }
    }

    /** The rows of one action (its label, e.g. {@code fit#0}, names them). */
    private final class At {
      final String label;
      final Ctx c;
      final JsonNode action;
      final JsonNode j;

      At(String label, Ctx c) {
        this.label = label;
        this.c = c;
        this.action = c.action();
        this.j = c.jkeras();
      }

      void observables() {
        String type = action.path("type").asText();
        switch (type) {
          case "train_on_batch", "test_on_batch" -> {
            if (action.path("statistics").asText("").equals("dropout")) {
              add(
                  Row.derived(
                      "dropout statistics",
                      j,
                      o -> Statistics.dropout(o, action),
                      Statistics::sameDropout));
            } else {
              add(Row.field("losses", j, "values", v -> v.size() + " steps", Comparison::relative));
            }
          }
          case "evaluate" ->
              add(Row.field("result", j, "value", ThreeWay::summary, Comparison::relative));
          case "predict", "predict_python" ->
              add(Row.field("outputs", j, "outputs", ThreeWay::shapes, Comparison::predictions));
          case "metrics_names", "layer_names" ->
              add(Row.field("names", j, "value", ThreeWay::summary, Comparison::exact));
          case "initializer_stats" -> {
            for (int k = 0; k < action.path("initializers").size(); k++) {
              String init = Statistics.initializerName(action.path("initializers").get(k));
              int at = k;
              UnaryOperator<JsonNode> stats = o -> o.path("stats").path(at);
              add(
                  new Row(
                      init + " statistics",
                      Statistics.summary(stats.apply(j)),
                      (r, x) -> Statistics.sameDistribution(stats.apply(r), stats.apply(x)),
                      (r, x) -> Statistics.sameDistribution(stats.apply(r), stats.apply(x))));
              add(
                  Row.derived(
                      init + " seeded values",
                      j,
                      o -> stats.apply(o).path("first"),
                      Comparison::relative),
                  Expect.AGREE,
                  Expect.info(
                      "Keras 2.3.1's seeded initializers draw from TensorFlow 1's stateful random"
                          + " ops (other numbers); jkeras and tf-keras 2.x from the stateless ones"));
            }
          }
          case "layer_configs" ->
              add(
                  Row.field("configs", j, "layers", v -> count(v, "layer"), ThreeWay::layerConfigs),
                  Expect.info(
                      "tf-keras' layer configs have their own keys (seeds, dtype policies)"));
          case "optimizer_config" ->
              add(
                  new Row("config", summary(j.path("config")), ThreeWay::config, ThreeWay::config),
                  Expect.info(
                      "tf-keras' legacy optimizers have their own config keys and defaults"));
          case "fit", "fit_progress" -> {
            if (action.path("may_raise").asBoolean(false) || raisedOf(j) != null) {
              add(outcome(j));
              if (raisedOf(j) != null) return;
            }
            history(false, Expect.AGREE);
            if (action.path("batch_logs").asBoolean(false)) {
              JsonNode kw = action.path("kwargs");
              boolean validated =
                  kw.has("validation_split") || kw.path("validation_data").asBoolean(false);
              batchLogs(validated, Expect.AGREE);
            }
            if (action.path("statistics").asText("").equals("shuffled_epochs")) {
              add(Row.derived("epoch orders", j, Statistics::epochOrders, Comparison::exact));
            }
            progress();
          }
          case "fit_generator", "fit_python" -> {
            boolean validated =
                action.has("validation_batch_size") || action.has("validation_source");
            history(validated, Expect.AGREE);
            add(
                Row.field(
                    "steps per epoch", j, "steps_per_epoch", ThreeWay::summary, Comparison::exact));
            callbacks(Expect.AGREE);
            batchLogs(validated, Expect.AGREE);
            progress();
          }
          case "evaluate_python" -> {
            add(
                Row.field("result", j, "value", ThreeWay::summary, Comparison::relative),
                Expect.AGREE,
                Expect.deviationWhereDifferent("evaluate_last_batch_loss"));
            add(batchLogsRow("batch logs", "test"), Expect.AGREE);
          }
          case "fit_generator_call", "evaluate_generator_call", "predict_generator_call" ->
              generatorCall(type);
          case "fit_callbacks" -> fitCallbacks();
          default -> error("?", "unknown", "unknown action " + type);
        }
      }

      /**
       * Keras' callbacks in one fit: History (the stopping epoch, {@code lr}), what they printed
       * and warned (Keras 2.3.1's texts; tf-keras words its own), the final weights (restored ones
       * included), the hook calls, and what they wrote: CSV rows, TensorBoard events, checkpoint
       * files (their names, and the weights each side loads back from its own), posts.
       */
      void fitCallbacks() {
        history(action.path("sequence").has("validation_batch_size"), Expect.AGREE);
        add(
            Row.field("printed", j, "printed", ThreeWay::chars, CallbackChecks::text),
            Expect.info(
                "tf-keras prints its own messages (\"Epoch 4: early stopping\", Keras 2.3.1 \"Epoch 00004: ...\")"));
        add(
            Row.field("warnings", j, "warnings", w -> count(w, "warning"), Comparison::exact),
            Expect.info("tf-keras' callbacks warn through absl logging, not warnings.warn"));
        add(
            Row.field(
                "final weights", j, "weights", w -> count(w, "array"), Comparison::predictions));
        callbacks(Expect.AGREE);
        for (Iterator<String> it = j.path("files").fieldNames(); it.hasNext(); ) {
          String file = it.next();
          JsonNode mine = j.path("files").path(file);
          if (file.equals("checkpoints")) {
            Cmp cmp =
                (r, x) ->
                    CallbackChecks.checkpoints(
                        r.path("files").path(file), x.path("files").path(file));
            add(new Row("checkpoints", count(mine, "file"), cmp, cmp));
            continue;
          }
          Cmp cmp =
              file.startsWith("csv ")
                  ? (r, x) ->
                      CallbackChecks.csv(r.path("files").path(file), x.path("files").path(file))
                  : (r, x) ->
                      CallbackChecks.events(r.path("files").path(file), x.path("files").path(file));
          String summary =
              file.startsWith("csv ") ? mine.path("rows").size() + " rows" : count(mine, "run");
          add(new Row(file.startsWith("csv ") ? file : "tensorboard", summary, cmp, cmp));
        }
        if (!j.path("posts").isEmpty()) {
          add(Row.field("posts", j, "posts", p -> count(p, "post"), CallbackChecks::posts));
        }
      }

      void generatorCall(String type) {
        Expect notTfKeras =
            Expect.info(
                "tf-keras runs its own fit_generator (a deprecated wrapper of fit over tf.data)");
        add(outcome(j), notTfKeras);
        add(
            Row.field("warnings", j, "warnings", w -> count(w, "warning"), Comparison::exact),
            notTfKeras);
        boolean jRaised = raisedOf(j) != null;
        if (type.equals("predict_generator_call") && !jRaised) {
          add(Row.field("outputs", j, "outputs", ThreeWay::shapes, Comparison::predictions));
        }
        boolean refRaised = c.keras231() != null && raisedOf(c.keras231()) != null;
        if (jRaised || refRaised) {
          if (jRaised && refRaised) add(callbackOrder(), notTfKeras);
          return;
        }
        boolean validated = action.path("kwargs").toString().contains("{validation}");
        if (type.equals("fit_generator_call")) {
          history(validated, notTfKeras);
          callbacks(notTfKeras);
        } else if (type.equals("evaluate_generator_call")) {
          add(
              Row.field("result", j, "value", ThreeWay::summary, Comparison::relative),
              notTfKeras,
              Expect.deviationWhereDifferent("evaluate_last_batch_loss"));
        }
        batchLogs(validated || type.equals("evaluate_generator_call"), notTfKeras);
        Expect readsAhead = Expect.info("tf-keras reads ahead through tf.data");
        add(Row.derived("items drawn", j, ThreeWay::drawn, Comparison::exact), readsAhead);
        add(
            Row.derived("source on_epoch_end calls", j, ThreeWay::epochEnds, Comparison::exact),
            notTfKeras);
        add(
            Row.field("timeline", j, "timeline", t -> count(t, "event"), Comparison::sequence),
            readsAhead);
        if (!j.path("progress").asText().isEmpty()
            || action.path("kwargs").path("verbose").asInt(0) != 0) {
          // fit, evaluate and predict bars all read the frozen clock: the whole text, durations too
          Cmp text =
              (r, x) -> Comparison.text(r.path("progress").asText(), x.path("progress").asText());
          add(
              new Row("progress", chars(j.path("progress")), text, text),
              Expect.info("tf-keras' progress format differs (see the fit_generator scenarios)"));
        }
      }

      void history(boolean validatedByGenerator, Expect tfkDefault) {
        add(
            new Row(
                "history keys",
                summary(j.path("history_keys")),
                on("history_keys", Comparison::sameKeys),
                on("history_keys", Comparison::exact)),
            tfkDefault);
        // Keras 2.3.1's evaluate_generator reports the last batch's loss as val_loss: a row of its
        // own.
        List<String> skip = validatedByGenerator ? List.of("val_loss") : List.of();
        add(
            new Row(
                "history values",
                size(j.path("history")),
                (r, x) -> Comparison.historyValues(r.path("history"), x.path("history"), List.of()),
                (r, x) -> Comparison.historyValues(r.path("history"), x.path("history"), skip)),
            tfkDefault);
        if (validatedByGenerator) {
          add(
              Row.derived(
                  "history val_loss",
                  j,
                  o -> o.path("history").path("val_loss"),
                  Comparison::relative),
              tfkDefault,
              Expect.deviationWhereDifferent("evaluate_last_batch_loss"));
        }
        add(Row.field("epoch", j, "epoch", ThreeWay::summary, Comparison::exact), tfkDefault);
      }

      void callbacks(Expect tfkDefault) {
        Cmp counts = (r, x) -> Comparison.callbackCounts(hookCounts(r), hookCounts(x));
        add(new Row("callback counts", nonZero(hookCounts(j)), counts, counts), tfkDefault);
        add(callbackOrder(), tfkDefault);
      }

      Row callbackOrder() {
        return Row.field(
            "callback order", j, "callback_events", e -> count(e, "call"), Comparison::sequence);
      }

      void batchLogs(boolean validated, Expect tfkDefault) {
        if (!j.path("batch_logs").path("train").isEmpty()) {
          add(batchLogsRow("train batch logs", "train"), tfkDefault);
        }
        if (validated) add(batchLogsRow("validation batch logs", "test"), tfkDefault);
      }

      /** tf-keras' running means against jkeras' batch losses; Keras 2.3.1's logs as they are. */
      Row batchLogsRow(String observable, String which) {
        JsonNode v = j.path("batch_logs").path(which);
        return new Row(
            observable,
            steps(v),
            logs(which, Comparison::batchLogsAsRunningMeans),
            logs(which, Comparison::batchLogs));
      }

      /**
       * Keras 2.3.1's text byte for byte; tf-keras' only in the parts both versions print alike.
       */
      void progress() {
        int verbose = action.path("kwargs").path("verbose").asInt(0);
        if (verbose == 0) return;
        String observable = "progress verbose=" + verbose;
        if (System.console() != null) {
          // jkeras' Progbar rewrites lines in place on a terminal (Keras: sys.stdout.isatty()).
          Verdict v =
              new Verdict(
                  Status.NOT_JUDGED,
                  "not compared",
                  "stdout is a terminal: jkeras draws the dynamic bar");
          checks.add(new Check(name, label + " " + observable, chars(j.path("progress")), v, v));
          return;
        }
        add(
            new Row(
                observable,
                chars(j.path("progress")),
                (r, x) ->
                    Comparison.progressSharedParts(
                        verbose, r.path("progress").asText(), x.path("progress").asText()),
                (r, x) ->
                    Comparison.text(r.path("progress").asText(), x.path("progress").asText())));
      }

      void add(Row row) {
        add(row, Expect.AGREE, Expect.AGREE);
      }

      void add(Row row, Expect tfkDefault) {
        add(row, tfkDefault, Expect.AGREE);
      }

      void add(Row row, Expect tfkDefault, Expect k231Default) {
        Expect te = expectation(TF_KERAS, row.observable(), tfkDefault);
        Expect ke = expectation(KERAS231, row.observable(), k231Default);
        // An action may state its own tolerance (random layers' statistics), with why.
        Verdict tv = verdict(tfk, c.tfKeras(), te, withTolerance(action, row.tfk()));
        Verdict kv = verdict(k231, c.keras231(), ke, withTolerance(action, row.k231()));
        checks.add(new Check(name, label + " " + row.observable(), row.summary(), tv, kv));
      }

      /** A row that failed on jkeras' side: the same error verdict in both columns. */
      void error(String summary, String text, String detail) {
        Verdict v = new Verdict(Status.ERROR, text, detail);
        checks.add(new Check(name, label, summary, v, v));
      }

      Expect expectation(String column, String observable, Expect dflt) {
        for (JsonNode where :
            List.of(action.path("expect").path(column), spec.path("expect").path(column))) {
          if (where.has(observable)) return Expect.parse(where.get(observable).asText());
          if (where.has("*")) return Expect.parse(where.get("*").asText());
        }
        return dflt;
      }

      Verdict verdict(Ref ref, JsonNode refObs, Expect e, Cmp cmp) {
        if (!ref.ran()) return ref.unavailable();
        if (refObs == null || refObs.isMissingNode()) {
          return new Verdict(
              Status.ERROR, "MISSING", ref.label() + " recorded no observation here");
        }
        if (refObs.has("not_run")) {
          return new Verdict(
              Status.NOT_RUN,
              "not run",
              "not run in " + ref.label() + ": " + refObs.get("not_run").asText());
        }
        if (e.kind().equals("deviation where different")) {
          e = cmp.apply(refObs, j).same() ? Expect.AGREE : Expect.deviation(e.why());
        }
        if (e.kind().equals("deviation")) {
          Diff d = Deviations.check(e.why(), ref.key(), c);
          String detail = Deviations.readme(e.why()) + ": " + d.detail();
          return d.same()
              ? new Verdict(Status.DEVIATION_DOCUMENTED, "deviation, documented", detail)
              : new Verdict(Status.DEVIATION_NOT_AS_DOCUMENTED, "NOT AS DOCUMENTED", detail);
        }
        Diff d = cmp.apply(refObs, j);
        String why = e.why().isEmpty() ? "" : e.why() + "; ";
        return switch (e.kind()) {
          case "agrees" ->
              d.same()
                  ? new Verdict(Status.AGREES, "agrees " + d.shortText(), d.longText())
                  : new Verdict(Status.DIFFERS, "DIFFERS " + d.shortText(), d.longText());
          case "info" ->
              new Verdict(
                  Status.NOT_JUDGED,
                  "(" + (d.same() ? "agrees" : "differs") + ", not judged)",
                  why + d.longText());
          case "differs" ->
              d.same()
                  ? new Verdict(
                      Status.AGREES_UNEXPECTEDLY, "AGREES, declared to differ", why + d.longText())
                  : new Verdict(
                      Status.DIFFERS_AS_DECLARED, "differs, as declared", why + d.longText());
          case "disagreement" ->
              d.same()
                  ? new Verdict(
                      Status.AGREES_UNEXPECTEDLY,
                      "AGREES, declared a disagreement",
                      why + d.longText())
                  : new Verdict(
                      Status.KNOWN_DISAGREEMENT, "KNOWN DISAGREEMENT", why + d.longText());
          default -> throw new IllegalArgumentException("unknown expectation " + e);
        };
      }
    }

    JsonNode fixtureOf(JsonNode n) {
      ObjectNode f = n.path("fixture").deepCopy();
      f.remove("work_dir");
      return f;
    }

    List<JsonNode> observations(Ref r) {
      List<JsonNode> out = new ArrayList<>();
      if (!r.ran()) return out;
      for (JsonNode o : r.node().get("observations")) {
        if (!o.path("type").asText().equals("compile")) out.add(o);
      }
      return out;
    }

    JsonNode compileObservation(Ref r) {
      if (!r.ran()) return null;
      for (JsonNode o : r.node().get("observations")) {
        if (o.path("type").asText().equals("compile")) return o;
      }
      return null;
    }

    /**
     * jkeras' compile, from the replay's scenario-level error ("setting weights / compiling: Type:
     * message").
     */
    JsonNode jkerasCompile() {
      ObjectNode o = JsonNodeFactory.instance.objectNode().put("type", "compile");
      String error = jk.path("error").asText("");
      if (error.isEmpty()) {
        o.putNull("raised");
      } else {
        o.set("raised", parseDescribed(error.replaceFirst("^setting weights / compiling: ", "")));
      }
      return o;
    }

    private static JsonNode at(List<JsonNode> l, int i) {
      return i < l.size() ? l.get(i) : null;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Comparators and summaries

  /**
   * An action's own tolerance, {@code "tolerance": {"relative" | "absolute": t, "why": "..."}},
   * replaces the default one for the comparisons of that measure (random layers in training: their
   * statistics agree within a stated sampling error, their values cannot). A structural mismatch
   * still fails.
   */
  static Cmp withTolerance(JsonNode action, Cmp cmp) {
    JsonNode t = action.path("tolerance");
    if (t.isMissingNode()) return cmp;
    return (r, j) -> {
      Diff d = cmp.apply(r, j);
      boolean structural = !d.same() && d.maxDifference() <= d.tolerance();
      if (structural || !t.has(d.measure())) return d;
      double tol = t.get(d.measure()).asDouble();
      String why = t.path("why").asText("");
      return new Diff(
          d.maxDifference() <= tol,
          d.maxDifference(),
          tol,
          d.measure(),
          (d.detail().isEmpty() ? "" : d.detail() + "; ")
              + "tolerance of the scenario"
              + (why.isEmpty() ? "" : ": " + why));
    };
  }

  /**
   * Layer configs ({@code model.to_json()}'s layers): the same classes, the same keys in the same
   * order (nested configs included), numbers within float32 rounding (relative 1e-6); and Keras'
   * own configs must survive a round trip through {@code Layers.deserialize} and {@code
   * getConfig()} unchanged.
   */
  static Diff layerConfigs(JsonNode ref, JsonNode j) {
    Comparison.Acc acc = new Comparison.Acc();
    if (!ref.isArray() || ref.isEmpty()) acc.mismatch("no layer configs recorded by the reference");
    if (ref.size() != j.size())
      acc.mismatch("reference has " + ref.size() + " layers, jkeras " + j.size());
    for (int i = 0; i < Math.min(ref.size(), j.size()); i++) {
      JsonNode r = ref.get(i);
      String cls = r.path("class_name").asText();
      String at = "layer " + i + " (" + cls + ")";
      if (!cls.equals(j.get(i).path("class_name").asText())) {
        acc.mismatch(at + ": jkeras class " + j.get(i).path("class_name").asText());
        continue;
      }
      // tf-keras wraps nested objects with module/registered_name; the keys compared are Keras'.
      sameConfig(withoutWrappers(r.path("config")), j.get(i).path("config"), at, acc);
      JsonNode again;
      try {
        Map<String, Object> config = MAPPER.convertValue(r.path("config"), CONFIG);
        again = MAPPER.valueToTree(jkeras.layers.Layers.deserialize(cls, config).getConfig());
      } catch (RuntimeException e) {
        acc.mismatch(at + ": Layers.deserialize of Keras' config threw " + e);
        continue;
      }
      sameConfig(r.path("config"), again, at + " round trip", acc);
    }
    return acc.diff(1e-6, "relative");
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>> CONFIG =
      new com.fasterxml.jackson.core.type.TypeReference<>() {};

  /** Same keys in the same order at every level; numbers by value (relative), the rest equal. */
  private static void sameConfig(JsonNode a, JsonNode b, String at, Comparison.Acc acc) {
    if (a.isObject() && b.isObject()) {
      List<String> ka = new ArrayList<>();
      List<String> kb = new ArrayList<>();
      a.fieldNames().forEachRemaining(ka::add);
      b.fieldNames().forEachRemaining(kb::add);
      if (!ka.equals(kb)) {
        acc.mismatch(at + " keys: reference " + ka + " jkeras " + kb);
        return;
      }
      for (String k : ka) sameConfig(a.get(k), b.get(k), at + "." + k, acc);
    } else if (a.isArray() && b.isArray() && a.size() == b.size()) {
      for (int i = 0; i < a.size(); i++) sameConfig(a.get(i), b.get(i), at + "[" + i + "]", acc);
    } else if (a.isNumber() && b.isNumber()) {
      Comparison.walk(a, b, at, acc);
    } else if (!a.equals(b)) {
      acc.mismatch(at + ": reference " + a + " jkeras " + b);
    }
  }

  static Cmp on(String field, Cmp cmp) {
    return (r, j) -> cmp.apply(r.path(field), j.path(field));
  }

  static Cmp logs(String which, Cmp cmp) {
    return (r, j) -> cmp.apply(r.path("batch_logs").path(which), j.path("batch_logs").path(which));
  }

  /**
   * The outcome row (returned, or raised): type and message against Keras 2.3.1, the kind of
   * exception against tf-keras (its messages are its own).
   */
  static Row outcome(JsonNode j) {
    return new Row(
        "outcome", outcomeSummary(outcomeOf(j)), ThreeWay::outcomeKind, ThreeWay::outcome);
  }

  /**
   * {"raised": {"type", "message"} | null}: jkeras' raised, from a KerasCalls observation or a
   * replay error.
   */
  static JsonNode outcomeOf(JsonNode obs) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    JsonNode r = raisedOf(obs);
    if (r == null) o.putNull("raised");
    else o.set("raised", r);
    return o;
  }

  static JsonNode raisedOf(JsonNode obs) {
    if (obs == null) return null;
    if (obs.path("raised").isObject()) return obs.get("raised");
    if (obs.has("error")) return parseDescribed(obs.get("error").asText());
    return null;
  }

  /** "IllegalArgumentException: message" (JkerasReplay.describe) as {"type", "message"}. */
  static JsonNode parseDescribed(String s) {
    int colon = s.indexOf(": ");
    return JsonNodeFactory.instance
        .objectNode()
        .put("type", colon < 0 ? s : s.substring(0, colon))
        .put("message", colon < 0 ? "" : s.substring(colon + 2));
  }

  /** Python exception types and the jkeras exceptions that stand for them (style.md C6). */
  private static final Map<String, Set<String>> EXCEPTIONS =
      Map.of(
          "ValueError", Set.of("IllegalArgumentException"),
          "TypeError", Set.of("IllegalArgumentException"),
          "StopIteration", Set.of("GeneratorExhaustedException"),
          "RuntimeError", Set.of("IllegalStateException", "RuntimeException"),
          "IndexError", Set.of("IndexOutOfBoundsException", "IllegalArgumentException"),
          "NotImplementedError", Set.of("UnsupportedOperationException"));

  static boolean sameKindOfException(String python, String java) {
    return EXCEPTIONS.getOrDefault(python, Set.of()).contains(java);
  }

  /** Returned on both sides, or raised on both with corresponding types and the same message. */
  static Diff outcome(JsonNode ref, JsonNode j) {
    JsonNode a = raisedOf(ref);
    JsonNode b = raisedOf(j);
    if (a == null && b == null) return Diff.exact(true, "");
    if (a == null || b == null) {
      return Diff.exact(false, "reference " + describe(a) + "; jkeras " + describe(b));
    }
    boolean same =
        sameKindOfException(a.path("type").asText(), b.path("type").asText())
            && a.path("message").asText().equals(b.path("message").asText());
    return Diff.exact(same, "reference " + describe(a) + "; jkeras " + describe(b));
  }

  /**
   * Returned on both sides, or raised on both with corresponding types (messages are each version's
   * own).
   */
  static Diff outcomeKind(JsonNode ref, JsonNode j) {
    JsonNode a = raisedOf(ref);
    JsonNode b = raisedOf(j);
    boolean same =
        (a == null && b == null)
            || (a != null
                && b != null
                && sameKindOfException(a.path("type").asText(), b.path("type").asText()));
    return Diff.exact(same, "reference " + describe(a) + "; jkeras " + describe(b));
  }

  static String describe(JsonNode raised) {
    return raised == null
        ? "returned"
        : "raised " + raised.path("type").asText() + ": " + raised.path("message").asText();
  }

  /** An optimizer's config: the same keys in the same order, the values within float32 rounding. */
  static Diff config(JsonNode ref, JsonNode j) {
    JsonNode a = ref.path("config");
    JsonNode b = j.path("config");
    List<String> ka = new ArrayList<>();
    List<String> kb = new ArrayList<>();
    a.fieldNames().forEachRemaining(ka::add);
    b.fieldNames().forEachRemaining(kb::add);
    if (!ka.equals(kb)) return Diff.exact(false, "keys: reference " + ka + " jkeras " + kb);
    Comparison.Acc acc = new Comparison.Acc();
    for (String k : ka) {
      if (a.get(k).isNumber()) Comparison.walk(a.get(k), b.get(k), k, acc);
      else if (!a.get(k).equals(Comparison.NUMERIC, b.get(k)))
        acc.mismatch(k + ": reference " + a.get(k) + " jkeras " + b.get(k));
    }
    // Keras 2.3.1 reads its config back from float32 variables (0.01 -> 0.009999999776)
    Diff d = acc.diff(1e-6, "relative");
    return new Diff(
        d.same() && ref.path("class_name").asText().equals(j.path("class_name").asText()),
        d.maxDifference(),
        d.tolerance(),
        d.measure(),
        d.detail() + (d.same() ? "" : "; class " + ref.path("class_name")));
  }

  /**
   * A config without tf-keras' serialization wrappers ({@code module}, {@code registered_name}).
   */
  static JsonNode withoutWrappers(JsonNode n) {
    if (n.isObject()) {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      n.fields()
          .forEachRemaining(
              e -> {
                if (!e.getKey().equals("module") && !e.getKey().equals("registered_name"))
                  o.set(e.getKey(), withoutWrappers(e.getValue()));
              });
      return o;
    }
    if (n.isArray()) {
      ArrayNode a = JsonNodeFactory.instance.arrayNode();
      n.forEach(x -> a.add(withoutWrappers(x)));
      return a;
    }
    return n;
  }

  /** How often each hook was called, from the recorded calls: {"on_epoch_begin": 3, ...}. */
  static JsonNode hookCounts(JsonNode obs) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    for (JsonNode e : obs.path("callback_events")) {
      String hook = e.asText().split(" ")[0];
      o.put(hook, o.path(hook).asInt(0) + 1);
    }
    return o;
  }

  /** Items each source gave, by role and kind: {"train get": 12, "val get": 4}. */
  static JsonNode drawn(JsonNode obs) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    for (JsonNode e : obs.path("timeline")) {
      String[] p = e.asText().split(" ");
      if (p.length == 3 && (p[1].equals("get") || p[1].equals("next"))) {
        o.put(p[0] + " " + p[1], o.path(p[0] + " " + p[1]).asInt(0) + 1);
      }
    }
    return o;
  }

  /** How often each source's on_epoch_end ran: {"train": 3}. */
  static JsonNode epochEnds(JsonNode obs) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    for (JsonNode e : obs.path("timeline")) {
      String[] p = e.asText().split(" ");
      if (p.length == 2 && p[1].equals("on_epoch_end")) o.put(p[0], o.path(p[0]).asInt(0) + 1);
    }
    return o;
  }

  static String summary(JsonNode n) {
    return Comparison.abbreviate(n.isMissingNode() ? "(none)" : n.toString(), 48);
  }

  static String steps(JsonNode n) {
    if (!n.isArray()) return summary(n);
    int total = 0;
    for (JsonNode e : n) total += e.isArray() ? e.size() : 1;
    return n.size()
        + (n.size() > 0 && n.get(0).isArray() ? " lists, " + total + " entries" : " values");
  }

  static String shapes(JsonNode outputs) {
    List<String> s = new ArrayList<>();
    for (JsonNode o : outputs) s.add(o.path("shape").toString());
    return String.join(" ", s);
  }

  static String size(JsonNode history) {
    List<String> s = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = history.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      s.add(e.getKey() + "[" + e.getValue().size() + "]");
    }
    return Comparison.abbreviate(String.join(" ", s), 48);
  }

  static String count(JsonNode list, String what) {
    return list.size() + " " + what + (list.size() == 1 ? "" : "s");
  }

  static String chars(JsonNode text) {
    String t = text.asText();
    return t.length() + " chars, " + t.split("\n", -1).length + " lines";
  }

  static String nonZero(JsonNode counts) {
    List<String> s = new ArrayList<>();
    counts
        .fields()
        .forEachRemaining(
            e -> {
              if (e.getValue().asInt() != 0)
                s.add(e.getKey().replace("on_", "") + "=" + e.getValue().asInt());
            });
    return Comparison.abbreviate(String.join(" ", s), 48);
  }

  static String outcomeSummary(JsonNode outcome) {
    return Comparison.abbreviate(describe(raisedOf(outcome)), 48);
  }
}
