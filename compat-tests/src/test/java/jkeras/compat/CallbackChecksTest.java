package jkeras.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The comparisons of the callbacks' files and posts, on hand-written observations. */
class CallbackChecksTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode json(String s) throws Exception {
    return MAPPER.readTree(s.replace('\'', '"'));
  }

  private static JsonNode csv(String... lines) throws Exception {
    StringBuilder rows = new StringBuilder("[");
    for (int i = 0; i < lines.length; i++) {
      if (i > 0) rows.append(",");
      rows.append("[");
      String[] f = lines[i].split(",");
      for (int k = 0; k < f.length; k++)
        rows.append(k > 0 ? "," : "").append("'").append(f[k]).append("'");
      rows.append("]");
    }
    StringBuilder all = new StringBuilder("[");
    for (String l : lines) all.append("'").append(l).append("',");
    return json("{'lines': " + all + "''], 'rows': " + rows + "]}");
  }

  @Test
  void csvRowsCompareNumbersByValueAndTextExactly() throws Exception {
    JsonNode keras = csv("epoch,accuracy,loss", "0,0.5416667,1.17656010389328", "1,NA,NA");
    JsonNode same =
        csv("epoch,accuracy,loss", "0,0.5416666865348816,1.1765601634979248", "1,NA,NA");
    assertThat(CallbackChecks.csv(keras, same).same()).isTrue();
    assertThat(
            CallbackChecks.csv(keras, csv("epoch,loss,accuracy", "0,1.17656,0.54167", "1,NA,NA"))
                .same())
        .isFalse();
    assertThat(
            CallbackChecks.csv(
                    keras, csv("epoch,accuracy,loss", "0,0.55,1.17656010389328", "1,NA,NA"))
                .same())
        .isFalse();
    assertThat(
            CallbackChecks.csv(keras, csv("epoch,accuracy,loss", "0,0.5416667,1.17656010389328"))
                .same())
        .isFalse();
  }

  @Test
  void eventsNeedEveryReferenceTagWithItsStepsAndValues() throws Exception {
    JsonNode tfKeras =
        json(
            "{'train': {'epoch_loss': {'plugin': 'scalars', 'steps': [0, 1], 'values': [1.0, 0.5]},"
                + " '__run_graph__': {'plugin': 'graphs', 'steps': [0], 'values': [100]},"
                + " 'batch_loss': {'plugin': 'scalars', 'steps': [2], 'values': [0.7]},"
                + " 'd/kernel_0/histogram': {'plugin': 'histograms', 'steps': [0],"
                + " 'values': [[[-1.0, 0.0, 1.0], [0.0, 1.0, 2.0]]]}}}");
    JsonNode jkeras =
        json(
            "{'train': {'epoch_loss': {'plugin': 'scalars', 'steps': [0, 1], 'values': [1.0000001, 0.5]},"
                + " 'batch_loss': {'plugin': 'scalars', 'steps': [2], 'values': [0.9]},"
                + " 'epoch_learning_rate': {'plugin': 'scalars', 'steps': [0, 1], 'values': [0.1, 0.1]},"
                + " 'd/kernel_0/histogram': {'plugin': 'histograms', 'steps': [0],"
                + " 'values': [[[-1.0, 1e-9, 1.0], [1e-9, 1.0, 2.0]]]}}}");
    // The op graph is not written, batch_loss holds Keras 2.3.1's batch loss, an edge near zero is
    // compared to the histogram's range, and jkeras' own tags are named.
    var d = CallbackChecks.events(tfKeras, jkeras);
    assertThat(d.same()).as(d.detail()).isTrue();
    assertThat(d.detail()).contains("jkeras also wrote [train/epoch_learning_rate]");
    JsonNode otherSteps =
        json(
            "{'train': {'epoch_loss': {'plugin': 'scalars', 'steps': [1, 2], 'values': [1.0, 0.5]}}}");
    assertThat(CallbackChecks.events(tfKeras, otherSteps).same()).isFalse();
    JsonNode otherCounts =
        json(
            "{'train': {'epoch_loss': {'plugin': 'scalars', 'steps': [0, 1], 'values': [1.0, 0.5]},"
                + " 'batch_loss': {'plugin': 'scalars', 'steps': [2], 'values': [0.9]},"
                + " 'd/kernel_0/histogram': {'plugin': 'histograms', 'steps': [0],"
                + " 'values': [[[-1.0, 0.0, 2.0], [0.0, 1.0, 1.0]]]}}}");
    assertThat(CallbackChecks.events(tfKeras, otherCounts).detail()).contains("count");
  }

  @Test
  void postsCompareTheirJsonByKeyWhateverTheOrder() throws Exception {
    JsonNode keras =
        json(
            "[{'path': '/p/', 'content_type': 'application/json',"
                + " 'data': {'epoch': 0, 'val_loss': 1.0, 'loss': 2.0}}]");
    JsonNode reordered =
        json(
            "[{'path': '/p/', 'content_type': 'application/json',"
                + " 'data': {'epoch': 0, 'loss': 2.00000001, 'val_loss': 1.0}}]");
    assertThat(CallbackChecks.posts(keras, reordered).same()).isTrue();
    JsonNode otherPath =
        json(
            "[{'path': '/q/', 'content_type': 'application/json', 'data': {'epoch': 0, 'val_loss': 1.0, 'loss': 2.0}}]");
    assertThat(CallbackChecks.posts(keras, otherPath).same()).isFalse();
    assertThat(CallbackChecks.posts(keras, json("[]")).same()).isFalse();
  }

  @Test
  void checkpointsNeedTheSameFilesHoldingTheSameWeights() throws Exception {
    JsonNode keras =
        json(
            "[{'name': 'best.h5', 'model': false, 'weights': [{'shape': [2], 'data': [0.5, -1.0]}]},"
                + " {'name': 'w.02.h5', 'model': false, 'weights': [{'shape': [2], 'data': [0.25, 1.0]}]}]");
    JsonNode close =
        json(
            "[{'name': 'best.h5', 'model': false, 'weights': [{'shape': [2], 'data': [0.500001, -1.0]}]},"
                + " {'name': 'w.02.h5', 'model': false, 'weights': [{'shape': [2], 'data': [0.25, 1.0]}]}]");
    assertThat(CallbackChecks.checkpoints(keras, close).same()).isTrue();
    JsonNode otherWeights =
        json(
            "[{'name': 'best.h5', 'model': false, 'weights': [{'shape': [2], 'data': [0.5, -1.0]}]},"
                + " {'name': 'w.02.h5', 'model': false, 'weights': [{'shape': [2], 'data': [0.5, 1.0]}]}]");
    assertThat(CallbackChecks.checkpoints(keras, otherWeights).same()).isFalse();
    JsonNode otherFiles =
        json(
            "[{'name': 'best.h5', 'model': false, 'weights': [{'shape': [2], 'data': [0.5, -1.0]}]}]");
    assertThat(CallbackChecks.checkpoints(keras, otherFiles).detail()).contains("w.02.h5");
    JsonNode wholeModel =
        json(
            "[{'name': 'best.h5', 'model': true, 'weights': [{'shape': [2], 'data': [0.5, -1.0]}]},"
                + " {'name': 'w.02.h5', 'model': false, 'weights': [{'shape': [2], 'data': [0.25, 1.0]}]}]");
    assertThat(CallbackChecks.checkpoints(keras, wholeModel).same()).isFalse();
    assertThat(CallbackChecks.checkpoints(json("[]"), json("[]")).same()).isFalse();
  }

  @Test
  void printedTextAgreesWhenBothPrintedNothing() throws Exception {
    assertThat(CallbackChecks.text(json("''"), json("''")).same()).isTrue();
    assertThat(CallbackChecks.text(json("'a'"), json("'b'")).same()).isFalse();
  }
}
