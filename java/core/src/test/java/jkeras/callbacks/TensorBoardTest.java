package jkeras.callbacks;

import static jkeras.callbacks.CallbackTestSupport.X;
import static jkeras.callbacks.CallbackTestSupport.Y;
import static jkeras.callbacks.CallbackTestSupport.fit;
import static jkeras.callbacks.CallbackTestSupport.model;
import static jkeras.callbacks.CallbackTestSupport.warnings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jkeras.models.Sequential;
import jkeras.trainers.EvaluateOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

/**
 * The event files read back record by record (CRCs checked) and parsed as TensorFlow's {@code
 * Event} protos. The compat scenarios read them with TensorBoard's own EventAccumulator.
 */
@Tag("native")
class TensorBoardTest {
  @TempDir Path dir;

  /** One summary value: tag, step, and the scalar or the histogram rows. */
  record Value(String tag, long step, String plugin, double scalar, double[][] buckets) {}

  static List<Event> events(Path runDir) throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(runDir)) {
      files =
          s.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents."))
              .sorted()
              .toList();
    }
    List<Event> out = new ArrayList<>();
    for (Path f : files) {
      ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
      while (b.hasRemaining()) {
        byte[] header = new byte[8];
        b.get(header);
        assertThat(b.getInt()).isEqualTo(EventFileWriter.maskedCrc(header, 0, 8));
        byte[] data =
            new byte[(int) ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getLong()];
        b.get(data);
        assertThat(b.getInt()).isEqualTo(EventFileWriter.maskedCrc(data, 0, data.length));
        out.add(Event.parseFrom(data));
      }
    }
    return out;
  }

  static Map<String, List<Value>> values(Path runDir) throws Exception {
    Map<String, List<Value>> out = new LinkedHashMap<>();
    for (Event e : events(runDir)) {
      for (Summary.Value v : e.getSummary().getValueList()) {
        String plugin = v.getMetadata().getPluginData().getPluginName();
        double scalar =
            v.getTensor().getFloatValCount() == 1 ? v.getTensor().getFloatVal(0) : Double.NaN;
        double[][] buckets = null;
        if (plugin.equals("histograms")) {
          ByteBuffer c =
              v.getTensor()
                  .getTensorContent()
                  .asReadOnlyByteBuffer()
                  .order(ByteOrder.LITTLE_ENDIAN);
          int rows = (int) v.getTensor().getTensorShape().getDim(0).getSize();
          buckets = new double[rows][3];
          for (double[] r : buckets) for (int k = 0; k < 3; k++) r[k] = c.getDouble();
        }
        out.computeIfAbsent(v.getTag(), t -> new ArrayList<>())
            .add(new Value(v.getTag(), e.getStep(), plugin, scalar, buckets));
      }
    }
    return out;
  }

  @Test
  void writesEpochScalarsToTrainAndValidationRuns() throws Exception {
    TensorBoard tb = TensorBoard.builder(dir).build();
    try (Sequential m = model(0.05)) {
      History h =
          m.fit(
              X,
              Y,
              fit(3, ReduceLROnPlateau.builder().patience(0).build(), tb)
                  .validationSplit(0.25)
                  .build());
      List<Event> trainEvents = events(dir.resolve("train"));
      assertThat(trainEvents.get(0).getFileVersion()).isEqualTo("brain.Event:2");
      Map<String, List<Value>> train = values(dir.resolve("train"));
      assertThat(train.keySet())
          .containsExactly("keras", "epoch_loss", "epoch_lr", "epoch_learning_rate");
      for (int e = 0; e < 3; e++) {
        Value loss = train.get("epoch_loss").get(e);
        assertThat(loss.step()).isEqualTo(e);
        assertThat(loss.plugin()).isEqualTo("scalars");
        assertThat(loss.scalar()).isCloseTo(h.history().get("loss").get(e), within(1e-6));
        assertThat(train.get("epoch_lr").get(e).scalar()).isEqualTo(h.history().get("lr").get(e));
      }
      // The rate the next epoch trains with: after the reduction of epoch 1.
      assertThat(train.get("epoch_learning_rate").get(2).scalar())
          .isEqualTo((double) (float) m.learningRate());
      Map<String, List<Value>> validation = values(dir.resolve("validation"));
      assertThat(validation.keySet())
          .containsExactly("evaluation_loss_vs_iterations", "epoch_loss");
      assertThat(validation.get("epoch_loss")).extracting(Value::step).containsExactly(0L, 1L, 2L);
      assertThat(validation.get("epoch_loss").get(1).scalar())
          .isCloseTo(h.history().get("val_loss").get(1), within(1e-6));
      // 12 training samples in batches of 4: the optimizer has run 3, 6, 9 steps at each
      // validation.
      assertThat(validation.get("evaluation_loss_vs_iterations"))
          .extracting(Value::step)
          .containsExactly(3L, 6L, 9L);
    }
  }

  @Test
  void writesTheModelConfigAsTheKerasGraphUnlessWriteGraphIsOff() throws Exception {
    try (Sequential m = model(0.05)) {
      m.fit(X, Y, fit(1, TensorBoard.builder(dir.resolve("on")).build()).build());
      m.fit(
          X, Y, fit(1, TensorBoard.builder(dir.resolve("off")).writeGraph(false).build()).build());
      List<Summary.Value> keras = new ArrayList<>();
      List<Long> steps = new ArrayList<>();
      for (Event e : events(dir.resolve("on/train"))) {
        for (Summary.Value v : e.getSummary().getValueList()) {
          if (v.getTag().equals("keras")) {
            keras.add(v);
            steps.add(e.getStep());
          }
        }
      }
      assertThat(steps).containsExactly(0L);
      Summary.Value v = keras.get(0);
      assertThat(v.getMetadata().getPluginData().getPluginName()).isEqualTo("graph_keras_model");
      assertThat(v.getMetadata().getPluginData().getContent().toStringUtf8()).isEqualTo("1");
      assertThat(v.getTensor().getStringVal(0).toStringUtf8()).isEqualTo(m.toJson());
      assertThat(values(dir.resolve("off/train"))).doesNotContainKey("keras");
    }
  }

  @Test
  void writesBatchScalarsEveryUpdateFreqBatchesAtTheGlobalBatchNumber() throws Exception {
    List<Double> losses = new ArrayList<>();
    Callback record =
        LambdaCallback.builder().onBatchEnd((b, l) -> losses.add(l.getDouble("loss"))).build();
    try (Sequential m = model(0.05)) {
      m.fit(X, Y, fit(2, record, TensorBoard.builder(dir).updateFreq(3).build()).build());
    }
    List<Value> batch = values(dir.resolve("train")).get("batch_loss");
    // 4 batches per epoch, 8 in all: batches 3 and 6, counted from 1 across the fit.
    assertThat(batch).extracting(Value::step).containsExactly(3L, 6L);
    assertThat(batch.get(0).scalar()).isCloseTo(losses.get(2), within(1e-6));
    assertThat(batch.get(1).scalar()).isCloseTo(losses.get(5), within(1e-6));
    assertThat(values(dir.resolve("train"))).doesNotContainKeys("batch_batch", "batch_size");
  }

  @Test
  void writesWeightHistogramsEveryHistogramFreqEpochs() throws Exception {
    try (Sequential m = model(0.05)) {
      m.fit(X, Y, fit(3, TensorBoard.builder(dir).histogramFreq(2).build()).build());
      Map<String, List<Value>> train = values(dir.resolve("train"));
      String kernelTag = m.layers().get(0).name() + "/kernel_0/histogram";
      assertThat(train).containsKeys(kernelTag, m.layers().get(0).name() + "/bias_0/histogram");
      List<Value> kernel = train.get(kernelTag);
      assertThat(kernel).extracting(Value::step).containsExactly(0L, 2L);
      double[][] last = kernel.get(1).buckets();
      float[] w = m.getWeights().get(0).toFloatArray();
      assertThat(last).hasNumberOfRows(30);
      assertThat(last[0][0]).isEqualTo((double) Math.min(w[0], w[1]));
      assertThat(last[29][1]).isEqualTo((double) Math.max(w[0], w[1]));
      assertThat(Stream.of(last).mapToDouble(r -> r[2]).sum()).isEqualTo(2.0);
      assertThat(kernel.get(1).plugin()).isEqualTo("histograms");
    }
  }

  @Test
  void histogramBucketsFollowTensorBoard() {
    double[][] b = EventFileWriter.buckets(new double[] {0, 1, 2, 3}, 3);
    assertThat(b[0]).containsExactly(0, 1, 1);
    assertThat(b[1]).containsExactly(1, 2, 1);
    assertThat(b[2]).containsExactly(2, 3, 2);
    double[][] same = EventFileWriter.buckets(new double[] {5, 5}, 3);
    assertThat(same[0]).containsExactly(5, 5, 0);
    assertThat(same[2]).containsExactly(5, 5, 2);
    assertThat(EventFileWriter.buckets(new double[0], 2)[1]).containsExactly(0, 0, 0);
  }

  @Test
  void evaluateWithTheCallbackWritesTheEvaluation() throws Exception {
    try (Sequential m = model(0.05)) {
      m.fit(X, Y, fit(1).build());
      m.evaluate(
          X,
          Y,
          EvaluateOptions.builder().verbose(0).callbacks(List.of(new TensorBoard(dir))).build());
      List<Value> v = values(dir.resolve("validation")).get("evaluation_loss_vs_iterations");
      assertThat(v).extracting(Value::step).containsExactly(4L);
    }
  }

  @Test
  void fromConfigIgnoresWhatTensorFlow2IgnoredWithKerasWarnings() {
    List<String> w =
        warnings(
            () ->
                TensorBoard.fromConfig(
                    Map.of(
                        "log_dir",
                        dir.toString(),
                        "batch_size",
                        32,
                        "write_grads",
                        true,
                        "embeddings_freq",
                        1,
                        "update_freq",
                        "batch")));
    assertThat(w)
        .containsExactly(
            "The TensorBoard callback `batch_size` argument (for histogram computation) is"
                + " deprecated with TensorFlow 2.0. It will be ignored.",
            "The TensorBoard callback does not support gradients display when using TensorFlow"
                + " 2.0. The `write_grads` argument is ignored.",
            "The TensorBoard callback does not support embeddings display when using TensorFlow"
                + " 2.0. Embeddings-related arguments are ignored.");
    assertThatThrownBy(() -> TensorBoard.builder(dir).updateFreq("step"))
        .hasMessage(
            "Expected `updateFreq` to be \"batch\", \"epoch\" or a positive integer. Received: updateFreq=step");
  }
}
