package jkeras.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
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

  @Nested
  class Judging {
    @Test
    void bothReferencesJudgeByDefaultAndTheFixturesMustMatch() throws Exception {
      List<Check> checks =
          threeWay(
              TRAIN,
              "{'type': 'train_on_batch', 'values': [1.0]}",
              "{'type': 'train_on_batch', 'values': [1.0]}",
              "{'type': 'train_on_batch', 'values': [1.0]}");
      assertThat(checks).hasSize(2).allMatch(Check::agrees);
      assertThat(checks.get(0).observable()).isEqualTo("fixture (data, initial weights)");
      assertThat(checks.get(1).judgedAgainst()).isEqualTo("2.3.1 + tf-keras");
      List<Check> bad =
          threeWay(
              TRAIN,
              "{'type': 'train_on_batch', 'values': [1.0]}",
              "{'type': 'train_on_batch', 'values': [1.5]}",
              "{'type': 'train_on_batch', 'values': [1.0]}");
      assertThat(bad.get(1).agrees()).isFalse();
      assertThat(bad.get(1).keras231().status()).isEqualTo(Status.DIFFERS);
      assertThat(bad.get(1).tfKeras().status()).isEqualTo(Status.AGREES);
    }

    @Test
    void aDeclaredDifferenceMustDifferAndAStaleOneFails() throws Exception {
      String spec =
          "{'expect': {'tf_keras': {'losses': 'differs: other defaults'}}, 'actions': [{'type': 'train_on_batch'}]}";
      List<Check> differs =
          threeWay(
              spec,
              "{'type': 'train_on_batch', 'values': [9.0]}",
              "{'type': 'train_on_batch', 'values': [1.0]}",
              "{'type': 'train_on_batch', 'values': [1.0]}");
      assertThat(differs.get(1).tfKeras().status()).isEqualTo(Status.DIFFERS_AS_DECLARED);
      assertThat(differs.get(1).agrees()).isTrue();
      assertThat(differs.get(1).judgedAgainst()).isEqualTo("2.3.1 + tf-keras");
      List<Check> stale =
          threeWay(
              spec,
              "{'type': 'train_on_batch', 'values': [1.0]}",
              "{'type': 'train_on_batch', 'values': [1.0]}",
              "{'type': 'train_on_batch', 'values': [1.0]}");
      assertThat(stale.get(1).tfKeras().status()).isEqualTo(Status.AGREES_UNEXPECTEDLY);
      assertThat(stale.get(1).agrees()).isFalse();
    }

    @Test
    void aKnownDisagreementPassesUntilItIsFixed() throws Exception {
      String spec =
          "{'actions': [{'type': 'train_on_batch', 'expect': {'keras231': {'losses': 'disagreement: why'}}}]}";
      List<Check> open =
          threeWay(
              spec,
              "{'type': 'train_on_batch', 'values': [1.0]}",
              "{'type': 'train_on_batch', 'values': [2.0]}",
              "{'type': 'train_on_batch', 'values': [1.0]}");
      assertThat(open.get(1).keras231().status()).isEqualTo(Status.KNOWN_DISAGREEMENT);
      assertThat(open.get(1).agrees()).isTrue();
      List<Check> fixed =
          threeWay(
              spec,
              "{'type': 'train_on_batch', 'values': [1.0]}",
              "{'type': 'train_on_batch', 'values': [1.0]}",
              "{'type': 'train_on_batch', 'values': [1.0]}");
      assertThat(fixed.get(1).agrees()).isFalse();
    }

    @Test
    void notJudgedIsShownButNeverFails() throws Exception {
      String spec =
          "{'actions': [{'type': 'train_on_batch', 'expect': {'tf_keras': {'losses': 'info: why'}}}]}";
      List<Check> checks =
          threeWay(
              spec,
              "{'type': 'train_on_batch', 'values': [7.0]}",
              "{'type': 'train_on_batch', 'values': [1.0]}",
              "{'type': 'train_on_batch', 'values': [1.0]}");
      assertThat(checks.get(1).tfKeras().text()).isEqualTo("(differs, not judged)");
      assertThat(checks.get(1).judgedAgainst()).isEqualTo("2.3.1");
      assertThat(checks.get(1).agrees()).isTrue();
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
      JsonNode keras = json("{'raised': {'type': 'ValueError', 'message': 'm'}}");
      assertThat(
              ThreeWay.outcome(
                      keras,
                      json("{'raised': {'type': 'IllegalArgumentException', 'message': 'm'}}"))
                  .same())
          .isTrue();
      assertThat(
              ThreeWay.outcome(
                      keras,
                      json("{'raised': {'type': 'IllegalArgumentException', 'message': 'n'}}"))
                  .same())
          .isFalse();
      assertThat(
              ThreeWay.outcome(
                      keras, json("{'raised': {'type': 'IllegalStateException', 'message': 'm'}}"))
                  .same())
          .isFalse();
      assertThat(ThreeWay.outcome(keras, json("{'error': 'IllegalArgumentException: m'}")).same())
          .isTrue();
      assertThat(ThreeWay.outcome(keras, json("{'raised': null}")).same()).isFalse();
      assertThat(
              ThreeWay.outcomeKind(
                      keras,
                      json("{'raised': {'type': 'IllegalArgumentException', 'message': 'n'}}"))
                  .same())
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
      assertThat(
              Deviations.check(
                      "stale_val_logs",
                      ThreeWay.KERAS231,
                      new ThreeWay.Ctx(json("{}"), json("{}"), null, keras, jkeras))
                  .same())
          .isTrue();
      JsonNode notStale =
          json("{" + events + ", 'history': {'loss': [4, 3, 2, 1], 'val_loss': [5.0, 5.5, 6.0]}}");
      assertThat(
              Deviations.check(
                      "stale_val_logs",
                      ThreeWay.KERAS231,
                      new ThreeWay.Ctx(json("{}"), json("{}"), null, notStale, jkeras))
                  .detail())
          .contains("is not the stale 5.0");
      JsonNode jkerasStale =
          json("{'history': {'loss': [4, 3, 2, 1], 'val_loss': [5.0, 5.0, 6.0]}}");
      assertThat(
              Deviations.check(
                      "stale_val_logs",
                      ThreeWay.KERAS231,
                      new ThreeWay.Ctx(json("{}"), json("{}"), null, keras, jkerasStale))
                  .same())
          .isFalse();
    }

    @Test
    void shuffleWithWorkers0() throws Exception {
      JsonNode spec = json("{'data': {'n': 16}}");
      JsonNode action = json("{'source': {'batch_size': 8}}");
      JsonNode inOrder =
          json(
              "{'timeline': ['on_epoch_begin 0', 'train get 0', 'train get 1', 'on_epoch_begin 1', 'train get 0', 'train get 1']}");
      JsonNode shuffled =
          json(
              "{'timeline': ['on_epoch_begin 0', 'train get 1', 'train get 0', 'on_epoch_begin 1', 'train get 0', 'train get 1']}");
      assertThat(
              Deviations.check(
                      "shuffle_ignored_with_workers_0",
                      ThreeWay.KERAS231,
                      new ThreeWay.Ctx(spec, action, null, inOrder, shuffled))
                  .same())
          .isTrue();
      assertThat(
              Deviations.check(
                      "shuffle_ignored_with_workers_0",
                      ThreeWay.KERAS231,
                      new ThreeWay.Ctx(spec, action, null, inOrder, inOrder))
                  .same())
          .isFalse();
      assertThat(
              Deviations.check(
                      "shuffle_ignored_with_workers_0",
                      ThreeWay.KERAS231,
                      new ThreeWay.Ctx(spec, action, null, shuffled, shuffled))
                  .same())
          .isFalse();
    }

    @Test
    void acceptedSilentlyNeedsJkerasToNameTheArgument() throws Exception {
      JsonNode action = json("{'jkeras_message': 'maxQueueSize'}");
      JsonNode keras = json("{'raised': null, 'history_keys': ['loss'], 'epoch': [0]}");
      JsonNode named =
          json(
              "{'raised': {'type': 'IllegalArgumentException', 'message': 'Expected `maxQueueSize` to be positive'}}");
      JsonNode other =
          json("{'raised': {'type': 'IllegalArgumentException', 'message': 'something else'}}");
      assertThat(
              Deviations.check(
                      "accepted_silently",
                      ThreeWay.KERAS231,
                      new ThreeWay.Ctx(json("{}"), action, null, keras, named))
                  .same())
          .isTrue();
      assertThat(
              Deviations.check(
                      "accepted_silently",
                      ThreeWay.KERAS231,
                      new ThreeWay.Ctx(json("{}"), action, null, keras, other))
                  .same())
          .isFalse();
      assertThat(
              Deviations.check(
                      "accepted_silently",
                      ThreeWay.KERAS231,
                      new ThreeWay.Ctx(json("{}"), action, null, named, named))
                  .same())
          .isFalse();
    }
  }
}
