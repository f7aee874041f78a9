package jkeras.callbacks;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jkeras.backend.Weight;
import jkeras.data.NDArray;
import jkeras.internal.Config;
import jkeras.internal.Errors;
import jkeras.internal.Warnings;
import jkeras.layers.Layer;
import jkeras.optimizers.Optimizer;

/**
 * Writes TensorBoard event files (Keras 2.3.1 {@code TensorBoard}, which on TensorFlow 2 is
 * tf.keras' callback; the files are what tf-keras 2.18 writes, so {@code tensorboard --logdir}
 * shows them).
 *
 * <pre>{@code
 * Callback tb = TensorBoard.builder(Path.of("logs")).histogramFreq(1).updateFreq(100).build();
 * }</pre>
 *
 * <p>Two runs under {@code logDir}: {@code train} and {@code validation}, one new event file each
 * per {@code fit}. At every epoch end, at step = the epoch index: each numeric logs value as the
 * scalar {@code epoch_<key>} ({@code val_} keys in {@code validation} without the prefix), and in
 * {@code train} {@code epoch_learning_rate}, the optimizer's current rate (its {@code decay}
 * applied). With {@code updateFreq} {@code "batch"} or an integer {@code n}: every {@code n}-th
 * training batch of the {@code fit}, the batch logs as {@code batch_<key>} at step = that batch's
 * number counted from 1 ({@code batch} and {@code size} left out). With {@code histogramFreq} n:
 * every n-th epoch (epochs 0, n, 2n, ...), each weight of each layer as the histogram {@code
 * <layer>/<weight>_0/histogram} (TensorBoard's 30 buckets). With {@code writeGraph} (the default),
 * at the start of each {@code fit}: the model's config ({@code to_json()}) as the tag {@code keras}
 * at step 0 in {@code train} (plugin {@code graph_keras_model}), TensorBoard's "Keras" graph view.
 * After each validation (and each {@code evaluate} given this callback): {@code
 * evaluation_<name>_vs_iterations} in {@code validation} at step = the optimizer's iterations.
 *
 * <p>The event files are written by jkeras itself (the {@code Event} and {@code Summary} protocol
 * buffers TensorFlow Java ships, TFRecord framing, CRC32C): nothing is added to the model's graph
 * and no session runs for it. Events are appended at each epoch end and after each validation, and
 * no file stays open in between.
 *
 * <p>Differences from tf-keras 2.18: batch values are jkeras' batch logs (Keras 2.3.1's: the
 * batch's own loss and the metrics' running means; tf-keras writes running means of everything) and
 * are written whatever {@code verbose} is (tf-keras writes them only when another callback makes it
 * call batch hooks, e.g. the verbose=1 progress bar); {@code epoch_learning_rate} is written for
 * every optimizer (tf-keras only for learning-rate schedules); Keras 2.3.1's integer {@code
 * update_freq} counted samples, tf-keras' counts batches, as here. Not written: the op graph of the
 * training step (tf-keras' {@code __run_graph__}; jkeras' graph is TensorFlow Java's), weight
 * images, embeddings and profiles.
 */
public class TensorBoard extends Callback {
  /** Keras {@code log_dir='./logs'}. */
  public static final Path LOG_DIR_DEFAULT = Path.of("logs");

  /** Keras {@code histogram_freq=0}: no histograms. */
  public static final int HISTOGRAM_FREQ_DEFAULT = 0;

  /** Keras {@code write_graph=True}: the model's config as the Keras graph. */
  public static final boolean WRITE_GRAPH_DEFAULT = true;

  /** Keras {@code update_freq='epoch'}: no batch values. */
  public static final String UPDATE_FREQ_DEFAULT = "epoch";

  private static final List<String> KEYS =
      List.of(
          "log_dir",
          "histogram_freq",
          "batch_size",
          "write_graph",
          "write_grads",
          "write_images",
          "embeddings_freq",
          "embeddings_layer_names",
          "embeddings_metadata",
          "embeddings_data",
          "update_freq");

  private final Path logDir;
  private final int histogramFreq;
  private final int updateFreq;
  private final boolean writeGraph;

  private EventFileWriter train;
  private EventFileWriter validation;
  private long trainBatches;

  private TensorBoard(Builder b) {
    this.logDir = b.logDir;
    this.histogramFreq = b.histogramFreq;
    this.updateFreq = b.updateFreq;
    this.writeGraph = b.writeGraph;
  }

  /** {@code TensorBoard(log_dir)} with every other argument at Keras' default. */
  public TensorBoard(Path logDir) {
    this(builder(logDir));
  }

  /** A builder with Keras' defaults. */
  public static Builder builder(Path logDir) {
    return new Builder(Monitors.required(logDir, "logDir"));
  }

  /**
   * Keras 2.3.1's keyword form: {@code log_dir}, {@code histogram_freq}, {@code update_freq}
   * ({@code 'batch'}, {@code 'epoch'} or an integer), {@code write_graph}; {@code batch_size},
   * {@code write_grads} and the {@code embeddings_*} arguments are ignored with Keras 2.3.1's
   * warnings, and {@code write_images} with jkeras' own.
   *
   * @throws IllegalArgumentException for an unknown key or a value of the wrong type
   */
  public static TensorBoard fromConfig(Map<String, ?> config) {
    Errors.checkKeys("TensorBoard", config, KEYS);
    Builder b = builder(Path.of(Config.getString(config, "log_dir", LOG_DIR_DEFAULT.toString())));
    b.histogramFreq(Config.getInt(config, "histogram_freq", HISTOGRAM_FREQ_DEFAULT));
    Object freq = config.get("update_freq");
    if (freq instanceof String s) b.updateFreq(s);
    else if (freq != null) b.updateFreq(Config.getInt(config, "update_freq", 1));
    b.writeGraph(Config.getBoolean(config, "write_graph", WRITE_GRAPH_DEFAULT));
    if (config.get("batch_size") != null) {
      Warnings.warn(
          "The TensorBoard callback `batch_size` argument (for histogram computation) is"
              + " deprecated with TensorFlow 2.0. It will be ignored.");
    }
    if (Config.getBoolean(config, "write_grads", false)) {
      Warnings.warn(
          "The TensorBoard callback does not support gradients display when using TensorFlow"
              + " 2.0. The `write_grads` argument is ignored.");
    }
    if (truthy(config.get("embeddings_freq"))
        || truthy(config.get("embeddings_layer_names"))
        || truthy(config.get("embeddings_metadata"))
        || truthy(config.get("embeddings_data"))) {
      Warnings.warn(
          "The TensorBoard callback does not support embeddings display when using TensorFlow"
              + " 2.0. Embeddings-related arguments are ignored.");
    }
    if (Config.getBoolean(config, "write_images", false)) {
      Warnings.warn(
          "jkeras' TensorBoard callback does not write weight images; `write_images` is ignored.");
    }
    return b.build();
  }

  private static boolean truthy(Object v) {
    if (v == null || Boolean.FALSE.equals(v)) return false;
    if (v instanceof Number n) return n.doubleValue() != 0;
    if (v instanceof CharSequence s) return s.length() > 0;
    if (v instanceof java.util.Collection<?> c) return !c.isEmpty();
    if (v instanceof Map<?, ?> m) return !m.isEmpty();
    return true;
  }

  /** Keras {@code log_dir}. */
  public Path logDir() {
    return logDir;
  }

  @Override
  public void onTrainBegin(Logs logs) {
    if (!isChief()) return; // only the chief writes event files, as in Keras
    train = new EventFileWriter(logDir.resolve("train"));
    validation = null;
    trainBatches = 0;
    if (writeGraph && model() != null) {
      // tf-keras' keras_model_summary("keras", model, step=0): the graph plugin's "Keras" view.
      String json;
      try {
        json = model().toJson();
      } catch (UnsupportedOperationException e) {
        return; // a model without a config, as tf-keras skips subclassed models
      }
      train.text("keras", 0, json, "graph_keras_model", "1");
      train.flush();
    }
  }

  @Override
  public void onTrainBatchEnd(int batch, Logs logs) {
    if (!isChief()) return; // only the chief writes event files, as in Keras
    trainBatches++;
    if (updateFreq <= 0 || trainBatches % updateFreq != 0 || train == null) return;
    for (Map.Entry<String, Object> e : logs.entrySet()) {
      if (e.getKey().equals("batch") || e.getKey().equals("size")) continue;
      if (e.getValue() instanceof Number n) {
        train.scalar("batch_" + e.getKey(), trainBatches, n.doubleValue());
      }
    }
  }

  @Override
  public void onEpochEnd(int epoch, Logs logs) {
    if (!isChief()) return; // only the chief writes event files, as in Keras
    EventFileWriter t = trainWriter();
    for (Map.Entry<String, Object> e : logs.entrySet()) {
      if (!(e.getValue() instanceof Number n)) continue;
      if (e.getKey().startsWith("val_")) {
        validationWriter().scalar("epoch_" + e.getKey().substring(4), epoch, n.doubleValue());
      } else {
        t.scalar("epoch_" + e.getKey(), epoch, n.doubleValue());
      }
    }
    if (model().compiled()) t.scalar("epoch_learning_rate", epoch, effectiveLearningRate());
    if (histogramFreq > 0 && epoch % histogramFreq == 0) {
      for (Layer layer : model().layers()) {
        List<Weight> ws = layer.weights();
        if (ws.isEmpty()) continue;
        List<NDArray> values = layer.getWeights();
        for (int i = 0; i < ws.size(); i++) {
          t.histogram(ws.get(i).path() + "_0/histogram", epoch, values.get(i).toDoubleArray());
        }
      }
    }
    t.flush();
    if (validation != null) validation.flush();
  }

  @Override
  public void onTestEnd(Logs logs) {
    if (!isChief()) return; // only the chief writes event files, as in Keras
    if (model() == null || !model().compiled()) return;
    long step = model().optimizerIterations();
    EventFileWriter v = validationWriter();
    for (Map.Entry<String, Object> e : logs.entrySet()) {
      if (e.getValue() instanceof Number n) {
        v.scalar("evaluation_" + e.getKey() + "_vs_iterations", step, n.doubleValue());
      }
    }
    v.flush();
  }

  @Override
  public void onTrainEnd(Logs logs) {
    if (!isChief()) return; // only the chief writes event files, as in Keras
    if (train != null) train.flush();
    if (validation != null) validation.flush();
  }

  /** Keras 2.3.1's rate of the next step: {@code lr / (1 + decay * iterations)}. */
  private double effectiveLearningRate() {
    double lr = (float) model().learningRate();
    Optimizer o = model().optimizer();
    if (o == null || o.decay() <= 0) return lr;
    return lr / (1 + o.decay() * model().optimizerIterations());
  }

  private EventFileWriter trainWriter() {
    if (train == null) train = new EventFileWriter(logDir.resolve("train"));
    return train;
  }

  private EventFileWriter validationWriter() {
    if (validation == null) validation = new EventFileWriter(logDir.resolve("validation"));
    return validation;
  }

  /** Builds a {@link TensorBoard}; every argument defaults as in Keras 2.3.1. */
  public static final class Builder {
    private final Path logDir;
    private int histogramFreq = HISTOGRAM_FREQ_DEFAULT;
    private int updateFreq;
    private boolean writeGraph = WRITE_GRAPH_DEFAULT;

    private Builder(Path logDir) {
      this.logDir = logDir;
    }

    /**
     * {@code histogramFreq} (Keras {@code histogram_freq}): write the weights' histograms every so
     * many epochs; 0 never. Default 0.
     */
    public Builder histogramFreq(int histogramFreq) {
      Monitors.atLeast(histogramFreq, 0, "histogramFreq");
      this.histogramFreq = histogramFreq;
      return this;
    }

    /**
     * {@code updateFreq} (Keras {@code update_freq}) as a word: {@code "epoch"} (epoch values only)
     * or {@code "batch"} (every batch too). Default {@code "epoch"}.
     *
     * @throws IllegalArgumentException for another word
     */
    public Builder updateFreq(String updateFreq) {
      if ("batch".equals(updateFreq)) this.updateFreq = 1;
      else if ("epoch".equals(updateFreq)) this.updateFreq = 0;
      else
        throw Errors.invalidArgument(
            "updateFreq", "\"batch\", \"epoch\" or a positive integer", updateFreq);
      return this;
    }

    /**
     * {@code updateFreq} (Keras {@code update_freq}) as an integer: write the batch values every so
     * many training batches.
     *
     * @throws IllegalArgumentException when not positive
     */
    public Builder updateFreq(int updateFreq) {
      this.updateFreq = Monitors.atLeast(updateFreq, 1, "updateFreq");
      return this;
    }

    /**
     * {@code writeGraph} (Keras {@code write_graph}): write the model's config ({@code to_json()})
     * at the start of each {@code fit}, as tf-keras' {@code keras} tag that TensorBoard's graph
     * dashboard draws. Default true.
     */
    public Builder writeGraph(boolean writeGraph) {
      this.writeGraph = writeGraph;
      return this;
    }

    public TensorBoard build() {
      return new TensorBoard(this);
    }
  }
}
