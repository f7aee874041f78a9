package jkeras.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The comparison rules of the harness, on hand-written observations (no Python, no TensorFlow). */
class ComparisonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode json(String s) throws Exception {
    return MAPPER.readTree(s.replace('\'', '"'));
  }

  private static JsonNode run(String observations) throws Exception {
    return json("{'name': 's', 'observations': " + observations + "}");
  }

  @Test
  void identicalObservationsAgree() throws Exception {
    JsonNode k = run("[{'type': 'train_on_batch', 'values': [1.5, 1.25]},"
        + "{'type': 'fit', 'history_keys': ['loss'], 'history': {'loss': [0.5]}, 'epoch': [0]},"
        + "{'type': 'evaluate', 'value': [0.5, 0.75]},"
        + "{'type': 'predict', 'outputs': [{'shape': [1, 2], 'data': [0.1, 0.2]}]},"
        + "{'type': 'metrics_names', 'value': ['loss', 'accuracy']}]");
    List<Check> checks = Comparison.compare(k, k);
    assertThat(checks).hasSize(7).allMatch(Check::agrees);
  }

  @Test
  void relativeDifferenceIsMeasuredAgainstKeras() throws Exception {
    JsonNode k = run("[{'type': 'train_on_batch', 'values': [2.0, 4.0]}]");
    JsonNode j = run("[{'type': 'train_on_batch', 'values': [2.0, 4.0001]}]");
    Check c = Comparison.compare(k, j).get(0);
    assertThat(c.maxDifference()).isCloseTo(0.0001 / 4.0, within(1e-12));
    assertThat(c.agrees()).isFalse();
    assertThat(c.detail()).contains("[1]").contains("4.0001");
  }

  @Test
  void smallRelativeDifferencesAgree() throws Exception {
    JsonNode k = run("[{'type': 'evaluate', 'value': 1000.0}]");
    JsonNode j = run("[{'type': 'evaluate', 'value': 1000.005}]");
    assertThat(Comparison.compare(k, j).get(0).agrees()).isTrue();
  }

  @Test
  void scalarVersusListIsADisagreement() throws Exception {
    JsonNode k = run("[{'type': 'evaluate', 'value': 0.5}]");
    JsonNode j = run("[{'type': 'evaluate', 'value': [0.5]}]");
    Check c = Comparison.compare(k, j).get(0);
    assertThat(c.agrees()).isFalse();
    assertThat(c.detail()).contains("scalar");
  }

  @Test
  void historyKeysMustBeEqualInOrder() throws Exception {
    JsonNode k = run("[{'type': 'fit', 'history_keys': ['loss', 'val_loss'],"
        + " 'history': {'loss': [1.0], 'val_loss': [2.0]}, 'epoch': [0]}]");
    JsonNode j = run("[{'type': 'fit', 'history_keys': ['val_loss', 'loss'],"
        + " 'history': {'val_loss': [2.0], 'loss': [1.0]}, 'epoch': [0]}]");
    List<Check> checks = Comparison.compare(k, j);
    assertThat(checks.get(0).observable()).endsWith("history keys");
    assertThat(checks.get(0).agrees()).isFalse();
    assertThat(checks.get(1).agrees()).isTrue();
  }

  @Test
  void predictionsUseTheAbsoluteDifferenceAndCheckShapes() throws Exception {
    JsonNode k = run("[{'type': 'predict', 'outputs': [{'shape': [2], 'data': [1e-7, 5.0]}]}]");
    JsonNode near = run("[{'type': 'predict', 'outputs': [{'shape': [2], 'data': [2e-7, 5.000009]}]}]");
    JsonNode shape = run("[{'type': 'predict', 'outputs': [{'shape': [2, 1], 'data': [1e-7, 5.0]}]}]");
    Check c = Comparison.compare(k, near).get(0);
    assertThat(c.agrees()).isTrue();
    assertThat(c.maxDifference()).isCloseTo(9e-6, within(1e-9));
    assertThat(Comparison.compare(k, shape).get(0).agrees()).isFalse();
  }

  @Test
  void numbersCompareByValueWhateverTheirJsonType() throws Exception {
    JsonNode k = run("[{'type': 'predict', 'outputs': [{'shape': [2], 'data': [1.0, 2.0]}]}]");
    com.fasterxml.jackson.databind.node.ObjectNode j = MAPPER.createObjectNode().put("name", "s");
    com.fasterxml.jackson.databind.node.ObjectNode out = j.putArray("observations").addObject().put("type", "predict")
        .putArray("outputs").addObject();
    out.putArray("shape").add(2L);
    out.putArray("data").add(1.0f).add(2.0f);
    assertThat(Comparison.compare(k, j).get(0).agrees()).isTrue();
  }

  @Test
  void metricNamesMustBeEqual() throws Exception {
    JsonNode k = run("[{'type': 'metrics_names', 'value': ['loss', 'accuracy']}]");
    JsonNode j = run("[{'type': 'metrics_names', 'value': ['loss', 'acc']}]");
    assertThat(Comparison.compare(k, j).get(0).agrees()).isFalse();
  }

  @Test
  void errorsOnEitherSideAreDisagreements() throws Exception {
    JsonNode k = run("[{'type': 'evaluate', 'value': 0.5}]");
    JsonNode jError = json("{'name': 's', 'error': 'building the model: boom'}");
    JsonNode actionError = run("[{'type': 'evaluate', 'error': 'IllegalStateException: x'}]");
    assertThat(Comparison.compare(k, jError)).singleElement().satisfies(c -> {
      assertThat(c.agrees()).isFalse();
      assertThat(c.detail()).contains("boom");
    });
    assertThat(Comparison.compare(k, actionError).get(0).agrees()).isFalse();
    JsonNode kError = json("{'name': 's', 'error': 'ValueError: y'}");
    assertThat(Comparison.compare(kError, k).get(0).observable()).isEqualTo("keras run");
  }

  @Test
  void nanAgreesOnlyWithNan() throws Exception {
    JsonNode k = json("{'name': 's', 'observations': [{'type': 'evaluate', 'value': 1.0}]}");
    JsonNode j = MAPPER.createObjectNode().put("name", "s");
    ((com.fasterxml.jackson.databind.node.ObjectNode) j).putArray("observations").addObject()
        .put("type", "evaluate").put("value", Double.NaN);
    assertThat(Comparison.compare(k, j).get(0).agrees()).isFalse();
  }

  @Test
  void fitGeneratorCallbackCountsNameTheHookThatDiffers() throws Exception {
    String k = "[{'type': 'fit_generator', 'history_keys': ['loss'], 'history': {'loss': [0.5]}, 'epoch': [0],"
        + " 'steps_per_epoch': 2, 'callback_counts': {'on_epoch_begin': 1, 'on_test_begin': 1},"
        + " 'callback_events': ['on_train_begin', 'on_epoch_begin 0', 'on_test_begin'], 'kwargs': {'verbose': 0}}]";
    List<Check> same = Comparison.compare(run(k), run(k));
    assertThat(same).hasSize(6).allMatch(Check::agrees);
    String j = k.replace("'on_test_begin': 1", "'on_test_begin': 0").replace(", 'on_test_begin']", "]");
    List<Check> checks = Comparison.compare(run(k), run(j));
    assertThat(checks.get(4).agrees()).isFalse();
    assertThat(checks.get(4).detail()).isEqualTo("on_test_begin keras 1 jkeras 0");
    assertThat(checks.get(5).agrees()).isFalse();
    assertThat(checks.get(5).detail()).isEqualTo("call 2 of 3/2: keras on_test_begin, jkeras (end)");
  }

  @Test
  void runningMeansWeightBatchLossesBySize() {
    // (2*4 + 5*2) / 6 = 3; (2*4 + 5*2 + 1*3) / 9 = 21/9
    double[] m = Comparison.runningMeans(new double[] {2, 5, 1}, new double[] {4, 2, 3});
    assertThat(m).containsExactly(new double[] {2, 3, 21.0 / 9}, within(1e-15));
  }

  @Test
  void batchLossesAreComparedAsTfKerasRunningMeans() throws Exception {
    // tf-keras logs running means; Keras 2.3.1 logs the batch loss and size (metrics: running means)
    JsonNode k = json("[[{'loss': 2.0, 'mae': 1.0}, {'loss': 3.0, 'mae': 1.5}], [{'loss': 7.0, 'mae': 2.0}]]");
    JsonNode j = json("[[{'batch': 0, 'size': 4, 'loss': 2.0, 'mae': 1.0}, {'batch': 1, 'size': 2, 'loss': 5.0, 'mae': 1.5}],"
        + "[{'batch': 0, 'size': 4, 'loss': 7.0, 'mae': 2.0}]]");
    assertThat(Comparison.batchLogs("s", "logs", k, j).agrees()).isTrue();
  }

  @Test
  void batchLogsDisagreeOnTheRawBatchLossOrAMetric() throws Exception {
    JsonNode k = json("[[{'loss': 2.0, 'mae': 1.0}, {'loss': 3.0, 'mae': 1.5}]]");
    // the second batch's running mean would be 3.5, not 3
    JsonNode rawLoss = json("[[{'size': 4, 'loss': 2.0, 'mae': 1.0}, {'size': 4, 'loss': 5.0, 'mae': 1.5}]]");
    Check c = Comparison.batchLogs("s", "logs", k, rawLoss);
    assertThat(c.agrees()).isFalse();
    assertThat(c.maxDifference()).isCloseTo(0.5 / 3.0, within(1e-12));
    assertThat(c.detail()).contains("list 0 batch 1 loss");
    JsonNode metric = json("[[{'size': 4, 'loss': 2.0, 'mae': 1.0}, {'size': 2, 'loss': 5.0, 'mae': 1.6}]]");
    assertThat(Comparison.batchLogs("s", "logs", k, metric).detail()).contains("batch 1 mae");
  }

  @Test
  void batchLogsNeedTheSameEpochsAndBatches() throws Exception {
    JsonNode k = json("[[{'loss': 2.0}], [{'loss': 2.0}]]");
    assertThat(Comparison.batchLogs("s", "logs", k, json("[[{'size': 1, 'loss': 2.0}]]")).agrees()).isFalse();
    assertThat(Comparison.batchLogs("s", "logs", k, json("[[{'size': 1, 'loss': 2.0}], []]")).detail())
        .contains("list 1");
    assertThat(Comparison.batchLogs("s", "logs", json("[]"), json("[]")).agrees()).isFalse();
  }
}
