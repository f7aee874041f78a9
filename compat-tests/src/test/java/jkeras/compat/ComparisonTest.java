package jkeras.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import jkeras.compat.Comparison.Diff;
import jkeras.compat.Verdict.Status;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The comparison rules of the harness, on hand-written observations (no Python, no TensorFlow). */
class ComparisonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode json(String s) throws Exception {
    return MAPPER.readTree(s.replace('\'', '"'));
  }

  /** An observation that raised {@code type} with {@code message}. */
  private static JsonNode raised(String type, String message) {
    return MAPPER
        .createObjectNode()
        .set("raised", MAPPER.createObjectNode().put("type", type).put("message", message));
  }

  @Nested
  class LayerConfigsAndTolerances {
    @Test
    void layerConfigsNeedTheSameKeysInOrderAndSurviveARoundTrip() throws Exception {
      JsonNode keras =
          json(
              "[{'class_name': 'LeakyReLU', 'config': {'name': 'l', 'trainable': true, 'dtype':"
                  + " 'float32', 'alpha': 0.30000001192092896}}]");
      assertThat(ThreeWay.layerConfigs(keras, keras).same()).isTrue();
      JsonNode reordered =
          json(
              "[{'class_name': 'LeakyReLU', 'config': {'trainable': true, 'name': 'l', 'dtype':"
                  + " 'float32', 'alpha': 0.30000001192092896}}]");
      Diff d = ThreeWay.layerConfigs(keras, reordered);
      assertThat(d.same()).isFalse();
      assertThat(d.detail()).contains("keys");
      JsonNode unknown =
          json("[{'class_name': 'LeakyReLU', 'config': {'name': 'l', 'alpha': 0.3, 'beta': 1}}]");
      assertThat(ThreeWay.layerConfigs(unknown, unknown).detail())
          .contains("Layers.deserialize of Keras' config threw");
    }

    @Test
    void anActionsToleranceReplacesTheDefaultForItsMeasure() throws Exception {
      JsonNode action = json("{'tolerance': {'relative': 0.1, 'why': 'noise'}}");
      ThreeWay.Cmp loose = ThreeWay.withTolerance(action, Comparison::relative);
      Diff d = loose.apply(json("[1.0, 2.0]"), json("[1.05, 2.0]"));
      assertThat(d.same()).isTrue();
      assertThat(d.tolerance()).isEqualTo(0.1);
      assertThat(d.detail()).contains("tolerance of the scenario: noise");
      assertThat(loose.apply(json("[1.0]"), json("[1.2]")).same()).isFalse();
      // A structural mismatch still fails.
      assertThat(loose.apply(json("[1.0]"), json("1.0")).same()).isFalse();
    }
  }

  @Nested
  class Values {
    @Test
    void relativeDifferenceIsMeasuredAgainstTheReference() throws Exception {
      Diff d = Comparison.relative(json("[2.0, 4.0]"), json("[2.0, 4.0001]"));
      assertThat(d.maxDifference()).isCloseTo(0.0001 / 4.0, within(1e-12));
      assertThat(d.same()).isFalse();
      assertThat(d.detail()).contains("[1]").contains("4.0001");
      assertThat(Comparison.relative(json("1000.0"), json("1000.005")).same()).isTrue();
    }

    @Test
    void scalarVersusListIsADifference() throws Exception {
      Diff d = Comparison.relative(json("0.5"), json("[0.5]"));
      assertThat(d.same()).isFalse();
      assertThat(d.detail()).contains("scalar");
    }

    @Test
    void nanAgreesOnlyWithNan() throws Exception {
      ObjectNode j = MAPPER.createObjectNode().put("v", Double.NaN);
      assertThat(Comparison.relative(json("1.0"), j.get("v")).same()).isFalse();
      assertThat(Comparison.relative(j.get("v"), j.get("v")).same()).isTrue();
    }

    @Test
    void historyKeysAreExactForKeras231AndASetForTfKeras() throws Exception {
      JsonNode keras231 = json("['val_loss', 'loss']");
      JsonNode tfKeras = json("['loss', 'val_loss']");
      assertThat(Comparison.exact(keras231, tfKeras).same()).isFalse();
      assertThat(Comparison.sameKeys(tfKeras, keras231).same()).isTrue();
      assertThat(Comparison.sameKeys(tfKeras, json("['loss']")).same()).isFalse();
    }

    @Test
    void historyValuesCanLeaveOutAKey() throws Exception {
      JsonNode ref = json("{'loss': [1.0], 'val_loss': [2.0]}");
      JsonNode j = json("{'loss': [1.0], 'val_loss': [3.0]}");
      assertThat(Comparison.historyValues(ref, j, List.of()).same()).isFalse();
      assertThat(Comparison.historyValues(ref, j, List.of("val_loss")).same()).isTrue();
      assertThat(Comparison.historyValues(json("{}"), json("{}"), List.of()).same()).isFalse();
    }

    @Test
    void predictionsUseTheAbsoluteDifferenceAndCheckShapes() throws Exception {
      JsonNode k = json("[{'shape': [2], 'data': [1e-7, 5.0]}]");
      Diff near = Comparison.predictions(k, json("[{'shape': [2], 'data': [2e-7, 5.000009]}]"));
      assertThat(near.same()).isTrue();
      assertThat(near.maxDifference()).isCloseTo(9e-6, within(1e-9));
      assertThat(Comparison.predictions(k, json("[{'shape': [2, 1], 'data': [1e-7, 5.0]}]")).same())
          .isFalse();
    }

    @Test
    void numbersCompareByValueWhateverTheirJsonType() throws Exception {
      ObjectNode j = MAPPER.createObjectNode();
      j.putArray("v").add(2L).add(1.0f);
      assertThat(Comparison.exact(json("[2, 1.0]"), j.get("v")).same()).isTrue();
    }

    @Test
    void callbackCountsNameTheHookThatDiffers() throws Exception {
      Diff d =
          Comparison.callbackCounts(
              json("{'on_epoch_begin': 1, 'on_test_begin': 1}"),
              json("{'on_epoch_begin': 1, 'on_test_begin': 0}"));
      assertThat(d.same()).isFalse();
      assertThat(d.detail()).isEqualTo("on_test_begin reference 1 jkeras 0");
      assertThat(Comparison.callbackCounts(json("{}"), json("{}")).same()).isFalse();
    }

    @Test
    void sequencesShowTheFirstDifference() throws Exception {
      Diff d =
          Comparison.sequence(
              json("['on_train_begin', 'on_epoch_begin 0', 'on_test_begin']"),
              json("['on_train_begin', 'on_epoch_begin 0']"));
      assertThat(d.detail()).isEqualTo("event 2 of 3/2: reference on_test_begin, jkeras (end)");
    }
  }

  @Nested
  class BatchLogs {
    @Test
    void runningMeansWeightBatchLossesBySize() {
      // (2*4 + 5*2) / 6 = 3; (2*4 + 5*2 + 1*3) / 9 = 21/9
      double[] m = Comparison.runningMeans(new double[] {2, 5, 1}, new double[] {4, 2, 3});
      assertThat(m).containsExactly(new double[] {2, 3, 21.0 / 9}, within(1e-15));
    }

    @Test
    void tfKerasRunningMeansAgainstKeras231BatchLosses() throws Exception {
      // tf-keras logs running means; Keras 2.3.1 (jkeras) logs the batch loss and size
      JsonNode tfKeras =
          json(
              "[[{'loss': 2.0, 'mae': 1.0}, {'loss': 3.0, 'mae': 1.5}], [{'loss': 7.0, 'mae': 2.0}]]");
      JsonNode jkeras =
          json(
              "[[{'batch': 0, 'size': 4, 'loss': 2.0, 'mae': 1.0}, {'batch': 1, 'size': 2, 'loss': 5.0, 'mae': 1.5}],"
                  + "[{'batch': 0, 'size': 4, 'loss': 7.0, 'mae': 2.0}]]");
      assertThat(Comparison.batchLogsAsRunningMeans(tfKeras, jkeras).same()).isTrue();
      // against Keras 2.3.1 the same logs are compared as they are, batch and size included
      assertThat(Comparison.batchLogs(jkeras, jkeras).same()).isTrue();
      assertThat(Comparison.batchLogs(tfKeras, jkeras).same()).isFalse();
    }

    @Test
    void batchLogsNeedTheSameEpochsAndBatches() throws Exception {
      JsonNode k = json("[[{'loss': 2.0}], [{'loss': 2.0}]]");
      assertThat(Comparison.batchLogs(k, json("[[{'size': 1, 'loss': 2.0}]]")).same()).isFalse();
      assertThat(Comparison.batchLogs(k, json("[[{'size': 1, 'loss': 2.0}], []]")).detail())
          .contains("list 1");
      assertThat(Comparison.batchLogs(json("[]"), json("[]")).same()).isFalse();
    }
  }

  /** One scenario run on three sides: {@code spec} and one observation each. */
  private static List<Check> threeWay(String spec, String tfKeras, String keras231, String jkeras)
      throws Exception {
    JsonNode s = json(spec);
    ObjectNode t =
        (ObjectNode)
            json("{'name': 's', 'fixture': {'x': [1]}, 'observations': [" + tfKeras + "]}");
    ObjectNode k =
        (ObjectNode)
            json("{'name': 's', 'fixture': {'x': [1]}, 'observations': [" + keras231 + "]}");
    t.set("spec", s);
    k.set("spec", s);
    return ThreeWay.compare("s", t, k, json("{'name': 's', 'observations': [" + jkeras + "]}"));
  }

  private static final String TRAIN = "{'actions': [{'type': 'train_on_batch'}]}";

  /**
   * The losses row of a one-step {@code train_on_batch} scenario whose sides report these losses
   * (the row after the fixture's).
   */
  private static Check losses(String spec, double tfKeras, double keras231, double jkeras)
      throws Exception {
    String obs = "{'type': 'train_on_batch', 'values': [%s]}";
    List<Check> checks =
        threeWay(
            spec,
            String.format(Locale.ROOT, obs, tfKeras),
            String.format(Locale.ROOT, obs, keras231),
            String.format(Locale.ROOT, obs, jkeras));
    assertThat(checks).hasSize(2);
    assertThat(checks.get(0).observable()).isEqualTo("fixture (data, initial weights)");
    assertThat(checks.get(0).agrees()).isTrue();
    return checks.get(1);
  }

  @Nested
  class Judging {
    @Test
    void bothReferencesJudgeByDefaultAndTheFixturesMustMatch() throws Exception {
      Check same = losses(TRAIN, 1.0, 1.0, 1.0);
      assertThat(same.agrees()).isTrue();
      assertThat(same.judgedAgainst()).isEqualTo("2.3.1 + tf-keras");
      Check bad = losses(TRAIN, 1.0, 1.5, 1.0);
      assertThat(bad.agrees()).isFalse();
      assertThat(bad.keras231().status()).isEqualTo(Status.DIFFERS);
      assertThat(bad.tfKeras().status()).isEqualTo(Status.AGREES);
    }

    /**
     * A declared difference (here for tf-keras, on the scenario) and a known disagreement (for
     * Keras 2.3.1, on the action) pass while the reference differs and fail once it agrees.
     */
    @Test
    void aDeclarationPassesWhileItHoldsAndFailsWhenStale() throws Exception {
      String differs =
          "{'expect': {'tf_keras': {'losses': 'differs: other defaults'}}, 'actions': [{'type': 'train_on_batch'}]}";
      String disagreement =
          "{'actions': [{'type': 'train_on_batch', 'expect': {'keras231': {'losses': 'disagreement: why'}}}]}";
      Check tfkDiffers = losses(differs, 9.0, 1.0, 1.0);
      Check k231Differs = losses(disagreement, 1.0, 2.0, 1.0);
      assertThat(tfkDiffers.tfKeras().status()).isEqualTo(Status.DIFFERS_AS_DECLARED);
      assertThat(k231Differs.keras231().status()).isEqualTo(Status.KNOWN_DISAGREEMENT);
      assertThat(List.of(tfkDiffers, k231Differs))
          .allMatch(Check::agrees)
          .allMatch(c -> c.judgedAgainst().equals("2.3.1 + tf-keras"));
      Check tfkStale = losses(differs, 1.0, 1.0, 1.0);
      Check k231Stale = losses(disagreement, 1.0, 1.0, 1.0);
      assertThat(tfkStale.tfKeras().status()).isEqualTo(Status.AGREES_UNEXPECTEDLY);
      assertThat(k231Stale.keras231().status()).isEqualTo(Status.AGREES_UNEXPECTEDLY);
      assertThat(List.of(tfkStale, k231Stale)).noneMatch(Check::agrees);
    }

    @Test
    void notJudgedIsShownButNeverFails() throws Exception {
      String spec =
          "{'actions': [{'type': 'train_on_batch', 'expect': {'tf_keras': {'losses': 'info: why'}}}]}";
      Check check = losses(spec, 7.0, 1.0, 1.0);
      assertThat(check.tfKeras().text()).isEqualTo("(differs, not judged)");
      assertThat(check.judgedAgainst()).isEqualTo("2.3.1");
      assertThat(check.agrees()).isTrue();
    }

    @Test
    void aScenarioKeras231DoesNotRunIsListedWithItsReason() throws Exception {
      JsonNode spec = json(TRAIN);
      ObjectNode t =
          (ObjectNode)
              json(
                  "{'name': 's', 'fixture': {}, 'observations': [{'type': 'train_on_batch', 'values': [1.0]}]}");
      t.set("spec", spec);
      ObjectNode k = (ObjectNode) json("{'name': 's', 'not_run': 'no such layer in Keras 2.3.1'}");
      k.set("spec", spec);
      List<Check> checks =
          ThreeWay.compare(
              "s", t, k, json("{'observations': [{'type': 'train_on_batch', 'values': [1.0]}]}"));
      assertThat(checks)
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.keras231().status()).isEqualTo(Status.NOT_RUN);
                assertThat(c.keras231().detail())
                    .isEqualTo("not run in Keras 2.3.1: no such layer in Keras 2.3.1");
                assertThat(c.agrees()).isTrue();
              });
      k.remove("not_run");
      k.put("error", "ValueError: boom");
      assertThat(
              ThreeWay.compare(
                      "s",
                      t,
                      k,
                      json("{'observations': [{'type': 'train_on_batch', 'values': [1.0]}]}"))
                  .get(0)
                  .agrees())
          .isFalse();
    }

    @Test
    void errorsAreMatchedByTypeAndMessage() throws Exception {
      JsonNode keras = raised("ValueError", "m");
      assertThat(ThreeWay.outcome(keras, raised("IllegalArgumentException", "m")).same()).isTrue();
      assertThat(ThreeWay.outcome(keras, raised("IllegalArgumentException", "n")).same()).isFalse();
      assertThat(ThreeWay.outcome(keras, raised("IllegalStateException", "m")).same()).isFalse();
      assertThat(ThreeWay.outcome(keras, json("{'error': 'IllegalArgumentException: m'}")).same())
          .isTrue();
      assertThat(ThreeWay.outcome(keras, json("{'raised': null}")).same()).isFalse();
      assertThat(ThreeWay.outcomeKind(keras, raised("IllegalArgumentException", "n")).same())
          .isTrue();
    }
  }

  @Nested
  class DeviationRules {
    private static final String EVALUATE = "{'actions': [{'type': 'evaluate_python'}]}";
    // three validation batches of sizes 4, 4, 2 with losses 1, 2, 4: mean 2.0, last 4.0
    private static final String LOGS =
        "'batch_logs': {'test': [[{'size': 4, 'loss': 1.0}, {'size': 4, 'loss': 2.0}, {'size': 2, 'loss': 4.0}]]}";

    @Test
    void keras231sLastBatchLossAgainstJkerasMeanIsTheDocumentedDeviation() throws Exception {
      List<Check> checks =
          threeWay(
              EVALUATE,
              "{'type': 'evaluate_python', 'value': 2.0, 'batch_logs': {'test': [[{'loss': 2.0}]]}}",
              "{'type': 'evaluate_python', 'value': 4.0, " + LOGS + "}",
              "{'type': 'evaluate_python', 'value': 2.0, " + LOGS + "}");
      Check result = checks.get(1);
      assertThat(result.keras231().status()).isEqualTo(Status.DEVIATION_DOCUMENTED);
      assertThat(result.keras231().detail())
          .contains("last of 3 batches")
          .contains("mean over 3 batches");
      assertThat(result.tfKeras().status()).isEqualTo(Status.AGREES);
    }

    @Test
    void aDeviationThatIsNotTheDocumentedOneFails() throws Exception {
      // jkeras' 3.0 is neither Keras 2.3.1's last batch nor the weighted mean
      List<Check> checks =
          threeWay(
              EVALUATE,
              "{'type': 'evaluate_python', 'value': 2.0}",
              "{'type': 'evaluate_python', 'value': 4.0, " + LOGS + "}",
              "{'type': 'evaluate_python', 'value': 3.0, " + LOGS + "}");
      assertThat(checks.get(1).keras231().status()).isEqualTo(Status.DEVIATION_NOT_AS_DOCUMENTED);
      assertThat(checks.get(1).keras231().detail())
          .contains("jkeras value 0 3.0 is not the weighted mean 2.0");
      assertThat(checks.get(1).agrees()).isFalse();
    }

    @Test
    void jkerasTakingKeras231sLastBatchLossWouldFailAgainstTfKeras() throws Exception {
      List<Check> checks =
          threeWay(
              EVALUATE,
              "{'type': 'evaluate_python', 'value': 2.0}",
              "{'type': 'evaluate_python', 'value': 4.0, " + LOGS + "}",
              "{'type': 'evaluate_python', 'value': 4.0, " + LOGS + "}");
      assertThat(checks.get(1).keras231().status()).isEqualTo(Status.AGREES);
      assertThat(checks.get(1).tfKeras().status()).isEqualTo(Status.DIFFERS);
      assertThat(checks.get(1).agrees()).isFalse();
    }

    @Test
    void staleValidationLogsMustRepeatExactlyTheLastValues() throws Exception {
      // 4 epochs validated at the 2nd and 4th: Keras 2.3.1 repeats the 2nd's values at the 3rd
      String events =
          "'callback_events': ['on_epoch_begin 0', 'on_epoch_end 0', 'on_epoch_begin 1', 'on_test_begin',"
              + " 'on_epoch_end 1', 'on_epoch_begin 2', 'on_epoch_end 2', 'on_epoch_begin 3', 'on_test_begin', 'on_epoch_end 3']";
      JsonNode keras =
          json("{" + events + ", 'history': {'loss': [4, 3, 2, 1], 'val_loss': [5.0, 5.0, 6.0]}}");
      JsonNode jkeras = json("{'history': {'loss': [4, 3, 2, 1], 'val_loss': [5.0, 6.0]}}");
      assertThat(rule("stale_val_logs", "{}", "{}", keras, jkeras).same()).isTrue();
      JsonNode notStale =
          json("{" + events + ", 'history': {'loss': [4, 3, 2, 1], 'val_loss': [5.0, 5.5, 6.0]}}");
      assertThat(rule("stale_val_logs", "{}", "{}", notStale, jkeras).detail())
          .contains("is not the stale 5.0");
      JsonNode jkerasStale =
          json("{'history': {'loss': [4, 3, 2, 1], 'val_loss': [5.0, 5.0, 6.0]}}");
      assertThat(rule("stale_val_logs", "{}", "{}", keras, jkerasStale).same()).isFalse();
    }

    @Test
    void shuffleWithWorkers0() throws Exception {
      String spec = "{'data': {'n': 16}}";
      String action = "{'source': {'batch_size': 8}}";
      JsonNode inOrder =
          json(
              "{'timeline': ['on_epoch_begin 0', 'train get 0', 'train get 1', 'on_epoch_begin 1', 'train get 0', 'train get 1']}");
      JsonNode shuffled =
          json(
              "{'timeline': ['on_epoch_begin 0', 'train get 1', 'train get 0', 'on_epoch_begin 1', 'train get 0', 'train get 1']}");
      String shuffle = "shuffle_ignored_with_workers_0";
      assertThat(rule(shuffle, spec, action, inOrder, shuffled).same()).isTrue();
      assertThat(rule(shuffle, spec, action, inOrder, inOrder).same()).isFalse();
      assertThat(rule(shuffle, spec, action, shuffled, shuffled).same()).isFalse();
    }

    @Test
    void acceptedSilentlyNeedsJkerasToNameTheArgument() throws Exception {
      String action = "{'jkeras_message': 'maxQueueSize'}";
      JsonNode keras = json("{'raised': null, 'history_keys': ['loss'], 'epoch': [0]}");
      JsonNode named = raised("IllegalArgumentException", "Expected `maxQueueSize` to be positive");
      JsonNode other = raised("IllegalArgumentException", "something else");
      assertThat(rule("accepted_silently", "{}", action, keras, named).same()).isTrue();
      assertThat(rule("accepted_silently", "{}", action, keras, other).same()).isFalse();
      assertThat(rule("accepted_silently", "{}", action, named, named).same()).isFalse();
    }

    /**
     * README's example: after evaluate at accuracy 0.6 on 10 samples, Keras 2.3.1's first
     * train_on_batch on 6 samples at accuracy 1/6 reports (0.6 * 10 + 1/6 * 6) / 16 = 0.4375.
     */
    @Test
    void keras231MixesTheEvaluatedSamplesIntoTheFirstTrainOnBatch() throws Exception {
      String keras = "{'names': ['loss', 'accuracy'], 'values': [[0.9, 0.4375], [0.8, 0.5]]}";
      String batchAlone = "{'values': [[0.9, 0.16666667], [0.8, 0.5]]}";
      assertThat(afterEvaluate(keras, batchAlone, batchAlone).same()).isTrue();
      // Keras 2.3.1 reporting the batch alone: the scenario would not show the deviation
      String kerasAlone =
          "{'names': ['loss', 'accuracy'], 'values': [[0.9, 0.16666667], [0.8, 0.5]]}";
      assertThat(afterEvaluate(kerasAlone, batchAlone, batchAlone).detail())
          .contains("not the mix 0.4375");
      // jkeras mixing as Keras 2.3.1 does: no longer what tf-keras reports
      assertThat(afterEvaluate(keras, keras, batchAlone).detail())
          .contains("does not report what tf-keras does");
    }

    @Test
    void predictTakesTupleItemsThatKeras231Rejected() throws Exception {
      String tuple = "{'source': {'items': 'x_tuple'}}";
      String bare = "{'source': {'items': 'x'}}";
      JsonNode notATuple =
          raised("ValueError", "Output of generator should be a tuple `(x, y)`. Found: (x,)");
      JsonNode outputs = json("{'raised': null, 'outputs': [{'shape': [1], 'data': [0.5]}]}");
      JsonNode rejected =
          raised("IllegalArgumentException", "Output of generator should be a tuple ...");
      ThreeWay.Ctx tupleCtx =
          new ThreeWay.Ctx(json("{}"), json(tuple), outputs, notATuple, outputs);
      assertThat(Deviations.check("predict_stream_items", ThreeWay.KERAS231, tupleCtx).same())
          .isTrue();
      assertThat(rule("predict_stream_items", "{}", tuple, notATuple, rejected).same()).isFalse();
      // Bare arrays are x for both (no deviation): the rule holds for (x,) items only.
      assertThat(rule("predict_stream_items", "{}", bare, outputs, outputs).same()).isFalse();
    }

    @Test
    void aValidationSequencesOnEpochEndIsNeverCalled() throws Exception {
      JsonNode keras = json("{'timeline': ['on_test_begin', 'val get 0', 'val on_epoch_end']}");
      JsonNode jkeras =
          json("{'timeline': ['val get 0'], 'callback_events': ['on_test_begin', 'on_test_end']}");
      JsonNode jkerasCalling =
          json(
              "{'timeline': ['val get 0', 'val on_epoch_end'], 'callback_events': ['on_test_begin']}");
      String never = "validation_on_epoch_end_never";
      assertThat(rule(never, "{}", "{}", keras, jkeras).same()).isTrue();
      assertThat(rule(never, "{}", "{}", keras, jkerasCalling).same()).isFalse();
      assertThat(rule(never, "{}", "{}", jkeras, jkeras).same()).isFalse();
    }

    @Test
    void aJavaIteratorInThreadsDuplicatesNothingAndDoesNotWarn() throws Exception {
      String action = "{'kwargs': {'steps_per_epoch': 2, 'epochs': 1}}";
      JsonNode keras =
          json(
              "{'warnings': ['Using a generator with `use_multiprocessing=True` and multiple workers may"
                  + " duplicate your data. Please consider using the `keras.utils.Sequence class.']}");
      String trained = "'batch_logs': {'train': [[{'size': 8}, {'size': 8}]]}";
      JsonNode jkeras =
          json("{'warnings': [], 'timeline': ['train next 0', 'train next 1'], " + trained + "}");
      JsonNode duplicated =
          json("{'warnings': [], 'timeline': ['train next 0', 'train next 0'], " + trained + "}");
      String threads = "java_iterator_in_threads";
      assertThat(rule(threads, "{}", action, keras, jkeras).same()).isTrue();
      assertThat(rule(threads, "{}", action, keras, duplicated).same()).isFalse();
      assertThat(rule(threads, "{}", action, keras, keras).same()).isFalse();
    }

    private Diff afterEvaluate(String keras, String jkeras, String tfKeras) throws Exception {
      return Deviations.check(
          "metrics_reset_after_step",
          ThreeWay.KERAS231,
          new ThreeWay.Ctx(
              json("{'data': {'n': 24, 'val_n': 10}}"),
              json("{'type': 'train_on_batch', 'batch': 6}"),
              json(tfKeras),
              json(keras),
              json(jkeras),
              json("{'type': 'evaluate', 'on': 'val', 'kwargs': {'batch_size': 10}}"),
              json("{'value': [1.2, 0.6]}")));
    }

    private Diff rule(String rule, String spec, String action, JsonNode keras, JsonNode jkeras)
        throws Exception {
      return Deviations.check(
          rule, ThreeWay.KERAS231, new ThreeWay.Ctx(json(spec), json(action), null, keras, jkeras));
    }
  }

  @Nested
  class Statistical {
    private static final String UNIFORM =
        "{'n': 200000, 'mean': 0.0, 'std': 0.0577, 'min': -0.1, 'max': 0.1, 'kurtosis': 1.8}";

    @Test
    void twoSamplesOfOneDistributionAgree() throws Exception {
      JsonNode other =
          json(
              "{'n': 200000, 'mean': 0.0002, 'std': 0.05775, 'min': -0.09999, 'max': 0.09998, 'kurtosis': 1.801}");
      assertThat(Statistics.sameDistribution(json(UNIFORM), other).same()).isTrue();
    }

    @Test
    void anotherScaleBoundOrShapeDiffers() throws Exception {
      JsonNode wider =
          json(
              "{'n': 200000, 'mean': 0.0, 'std': 0.0600, 'min': -0.104, 'max': 0.104, 'kurtosis': 1.8}");
      assertThat(Statistics.sameDistribution(json(UNIFORM), wider).detail()).contains("std");
      JsonNode normal =
          json(
              "{'n': 200000, 'mean': 0.0, 'std': 0.0577, 'min': -0.26, 'max': 0.25, 'kurtosis': 3.0}");
      assertThat(Statistics.sameDistribution(json(UNIFORM), normal).detail())
          .contains("kurtosis")
          .contains("min");
    }

    private JsonNode dropout(double kept, double scale, double spread) {
      return MAPPER
          .createObjectNode()
          .put("rate", 0.3)
          .put("activations per step", 16384)
          .put("steps", 30)
          .put("kept fraction", kept)
          .put("scale", scale)
          .put("kept fraction spread", spread);
    }

    @Test
    void dropoutKeepsItsFractionScalesAndDrawsANewMaskEachStep() {
      double scale = 1 / 0.7;
      assertThat(
              Statistics.sameDropout(dropout(0.6999, scale, 0.0036), dropout(0.7002, scale, 0.0037))
                  .same())
          .isTrue();
      // one mask for every step
      assertThat(
              Statistics.sameDropout(dropout(0.6999, scale, 0.0036), dropout(0.7002, scale, 0))
                  .detail())
          .contains("varies by 0");
      // no rescaling of the kept activations
      assertThat(
              Statistics.sameDropout(dropout(0.6999, scale, 0.0036), dropout(0.7002, 1, 0.0036))
                  .detail())
          .contains("jkeras scale 1");
      // another rate
      assertThat(
              Statistics.sameDropout(dropout(0.6999, scale, 0.0036), dropout(0.75, scale, 0.0036))
                  .same())
          .isFalse();
    }

    @Test
    void epochOrdersCountTheEpochsInANewOrder() throws Exception {
      JsonNode obs =
          json(
              "{'batch_logs': {'train': [[{'loss': 1}, {'loss': 2}], [{'loss': 2}, {'loss': 1}], [{'loss': 2}, {'loss': 1}]]}}");
      assertThat(Statistics.epochOrders(obs).toString())
          .isEqualTo("{\"batches\":[2,2,2],\"reordered epochs\":1}");
    }
  }
}
