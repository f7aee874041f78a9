package jkeras.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import jkeras.callbacks.Callback;
import jkeras.callbacks.CallbackList;
import jkeras.callbacks.History;
import jkeras.callbacks.Logs;
import jkeras.data.ArrayData;
import jkeras.data.NDArray;
import jkeras.models.EvaluateOptions;
import jkeras.models.FitOptions;
import jkeras.models.Model;
import jkeras.models.PredictOptions;
import jkeras.models.Scores;
import jkeras.utils.Errors;
import jkeras.utils.Progbar;

/**
 * The one loop behind {@code fit}, {@code evaluate}, {@code predict} and the {@code *OnBatch}
 * calls, following Keras 2.3.1's {@code training_arrays.fit_loop}/{@code test_loop}/
 * {@code predict_loop}: data are standardised once, each step is one {@link TrainingGraph#run},
 * and the logs go to the callbacks.
 *
 * <p>Batch logs carry the step's loss and the running means of the other entries since the epoch
 * began (Keras 2.3.1's stateful metrics), so the epoch logs filled by BaseLogger are the epoch's
 * means: the loss weighted by batch size, the metrics over all samples.
 */
public final class TrainingLoop {
  private final Model model;
  private final ModelGraph graph;
  private final Supplier<TrainingGraph> training;
  private final List<long[]> inputShapes;
  private final List<long[]> outputShapes;

  public TrainingLoop(
      Model model, ModelGraph graph, Supplier<TrainingGraph> training, List<long[]> inputShapes, List<long[]> outputShapes) {
    this.model = model;
    this.graph = graph;
    this.training = training;
    this.inputShapes = inputShapes;
    this.outputShapes = outputShapes;
  }

  private TrainingGraph compiled() {
    TrainingGraph t = training.get();
    if (t == null) throw Errors.notCompiled();
    return t;
  }

  /** Standardised training data: inputs, targets and per-output sample weights. */
  private record Data(List<NDArray> x, List<NDArray> y, List<NDArray> w, long n) {
    Data rows(int[] ids) {
      return new Data(Standardize.take(x, ids), Standardize.take(y, ids), Standardize.take(w, ids), ids.length);
    }

    Data slice(long from, long to) {
      return new Data(Standardize.slice(x, from, to), Standardize.slice(y, from, to), Standardize.slice(w, from, to), to - from);
    }
  }

  private Data standardize(TrainingGraph t, ArrayData x, ArrayData y, NDArray sampleWeight, Map<Integer, Double> classWeight) {
    List<NDArray> xs = Standardize.arrays(x, model.inputNames(), inputShapes, "input");
    List<long[]> targetShapes = new ArrayList<>();
    for (TrainingGraph.OutputSpec s : t.specs()) targetShapes.add(s.targetShape());
    List<NDArray> ys = Standardize.arrays(y, model.outputNames(), targetShapes, "target");
    long n = Standardize.sampleCount(xs, ys, sampleWeight == null ? null : List.of(sampleWeight));
    List<NDArray> ws = Standardize.sampleWeights(ys, sampleWeight, classWeight);
    return new Data(xs, ys, ws, n);
  }

  /** Running means of everything but the loss, since the last reset (one epoch, one evaluation). */
  private static final class Means {
    final double[] outputLossSum;
    final double[] metricSum;
    final double[] metricCount;
    double samples;
    double lossSum;
    int batches;

    Means(TrainingGraph t) {
      outputLossSum = new double[t.specs().size() > 1 ? t.specs().size() : 0];
      int m = 0;
      for (TrainingGraph.OutputSpec s : t.specs()) m += s.metrics().size();
      metricSum = new double[m];
      metricCount = new double[m];
    }

    void add(TrainingGraph.StepResult r, double size) {
      samples += size;
      lossSum += r.loss() * size;
      batches++;
      // Keras 2.3.1 tracks each output's loss with a Mean metric fed one scalar per batch
      // (training.py _output_loss_metrics): a plain mean over batches, whatever their size.
      for (int i = 0; i < outputLossSum.length; i++) outputLossSum[i] += r.outputLosses()[i];
      for (int i = 0; i < metricSum.length; i++) {
        metricSum[i] += r.metricSums()[i];
        metricCount[i] += r.metricCounts()[i];
      }
    }

    /** [loss, output losses..., metrics...] with the given loss value. */
    double[] values(double loss) {
      double[] v = new double[1 + outputLossSum.length + metricSum.length];
      v[0] = loss;
      for (int i = 0; i < outputLossSum.length; i++) v[1 + i] = batches == 0 ? 0 : outputLossSum[i] / batches;
      for (int i = 0; i < metricSum.length; i++) v[1 + outputLossSum.length + i] = metricCount[i] == 0 ? 0 : metricSum[i] / metricCount[i];
      return v;
    }

    double meanLoss() {
      return samples == 0 ? 0 : lossSum / samples;
    }
  }

  // ------------------------------------------------------------------ batch calls

  /** {@code train_on_batch} / {@code test_on_batch}: one step; metrics cover this batch only. */
  public Scores onBatch(ArrayData x, ArrayData y, NDArray sampleWeight, Map<Integer, Double> classWeight, boolean train) {
    TrainingGraph t = compiled();
    Data d = standardize(t, x, y, sampleWeight, classWeight);
    if (d.n() == 0) throw new IllegalArgumentException("Received an empty batch. Batches should contain at least one item.");
    TrainingGraph.StepResult r = t.run(d.x(), d.y(), d.w(), train);
    Means m = new Means(t);
    m.add(r, d.n());
    return new Scores(t.metricsNames(), m.values(r.loss()));
  }

  /** {@code predict_on_batch}. */
  public List<NDArray> predictOnBatch(ArrayData x) {
    List<NDArray> xs = Standardize.arrays(x, model.inputNames(), inputShapes, "input");
    Standardize.sampleCount(xs, List.of(), null);
    return graph.predict(xs);
  }

  // ------------------------------------------------------------------ fit

  /** Keras 2.3.1 {@code fit} on arrays. */
  public History fit(ArrayData x, ArrayData y, FitOptions o) {
    TrainingGraph t = compiled();
    Data all = standardize(t, x, y, o.sampleWeight(), o.classWeight());
    Data train = all;
    Data val = null;
    if (o.validationX() != null) {
      val = standardize(t, o.validationX(), o.validationY(), o.validationSampleWeight(), null);
    } else if (o.validationSplit() > 0) {
      long splitAt = (long) (all.n() * (1.0 - o.validationSplit()));
      train = all.slice(0, splitAt);
      val = all.slice(splitAt, all.n());
    }
    boolean doValidation = val != null;
    boolean stepsMode = o.stepsPerEpoch() != null;
    if (doValidation && stepsMode && o.validationX() != null && o.validationSteps() == null) {
      throw new IllegalArgumentException(
          "When using data tensors as input to a model, you should specify the `steps_per_epoch` argument. When passing validation data with `steps_per_epoch`, also specify `validation_steps`.");
    }
    int batchSize = o.batchSize() != null ? o.batchSize() : FitOptions.BATCH_SIZE_DEFAULT;
    List<String> names = t.metricsNames();
    CallbackList.Configured cfg = CallbackList.configure()
        .userCallbacks(o.callbacks())
        .model(model)
        .doValidation(doValidation)
        .verbose(o.verbose())
        .epochs(o.epochs())
        .samples(stepsMode ? null : (int) train.n())
        .steps(stepsMode ? o.stepsPerEpoch() : null)
        .batchSize(stepsMode ? null : batchSize)
        .metricsNames(names)
        .build();
    CallbackList callbacks = cfg.callbacks();
    if (o.verbose() != 0 && doValidation && !stepsMode) {
      System.out.println("Train on " + train.n() + " samples, validate on " + val.n() + " samples");
    }
    callbacks.onTrainBegin(new Logs());
    model.setStopTraining(false);
    SplittableRandom rng = newRng();
    int[] index = new int[(int) train.n()];
    for (int i = 0; i < index.length; i++) index[i] = i;

    for (int epoch = o.initialEpoch(); epoch < o.epochs(); epoch++) {
      Means means = new Means(t);
      Logs epochLogs = new Logs();
      callbacks.onEpochBegin(epoch, epochLogs);
      boolean completed;
      if (stepsMode) {
        completed = true;
        for (int step = 0; step < o.stepsPerEpoch(); step++) {
          Logs batchLogs = new Logs();
          batchLogs.put("batch", step);
          batchLogs.put("size", 1);
          callbacks.onTrainBatchBegin(step, batchLogs);
          TrainingGraph.StepResult r = t.run(train.x(), train.y(), train.w(), true);
          means.add(r, train.n());
          put(batchLogs, names, means.values(r.loss()));
          callbacks.onTrainBatchEnd(step, batchLogs);
          // Keras 2.3.1 validates after the steps loop even when a callback stopped it early.
          if (model.stopTraining()) break;
        }
      } else {
        if (o.shuffle()) shuffle(index, rng);
        int batches = (int) ((train.n() + batchSize - 1) / batchSize);
        int batchIndex = -1;
        for (int b = 0; b < batches; b++) {
          batchIndex = b;
          int start = b * batchSize;
          int end = (int) Math.min(train.n(), start + (long) batchSize);
          int[] ids = java.util.Arrays.copyOfRange(index, start, end);
          Data batch = o.shuffle() ? train.rows(ids) : train.slice(start, end);
          Logs batchLogs = new Logs();
          batchLogs.put("batch", b);
          batchLogs.put("size", end - start);
          callbacks.onTrainBatchBegin(b, batchLogs);
          TrainingGraph.StepResult r = t.run(batch.x(), batch.y(), batch.w(), true);
          means.add(r, end - start);
          put(batchLogs, names, means.values(r.loss()));
          callbacks.onTrainBatchEnd(b, batchLogs);
          if (model.stopTraining()) break;
        }
        // Keras validates only when the epoch's last batch ran.
        completed = batchIndex == batches - 1;
      }
      if (completed && doValidation && o.shouldValidate(epoch)) {
        double[] v = testLoop(t, val, batchSize, stepsMode ? o.validationSteps() : null, callbacks, 0);
        for (int i = 0; i < names.size(); i++) epochLogs.put("val_" + names.get(i), v[i]);
      }
      callbacks.onEpochEnd(epoch, epochLogs);
      if (model.stopTraining()) break;
    }
    callbacks.onTrainEnd(new Logs());
    return cfg.history();
  }

  private static void put(Logs logs, List<String> names, double[] values) {
    for (int i = 0; i < names.size(); i++) logs.put(names.get(i), values[i]);
  }

  private static SplittableRandom newRng() {
    Long g = Seeds.globalSeed();
    return g == null ? new SplittableRandom() : new SplittableRandom(g ^ 0x5DEECE66DL);
  }

  private static void shuffle(int[] a, SplittableRandom rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int tmp = a[i];
      a[i] = a[j];
      a[j] = tmp;
    }
  }

  // ------------------------------------------------------------------ evaluate / predict

  /**
   * Keras 2.3.1 {@code test_loop}: the loss averaged over samples (weighted by batch size), the
   * other entries as running means over all samples. With {@code steps}, each step uses all data.
   */
  private double[] testLoop(TrainingGraph t, Data d, int batchSize, Integer steps, Callback callbacks, int verbose) {
    Means means = new Means(t);
    callbacks.onTestBegin(new Logs());
    List<String> names = t.metricsNames();
    int total = steps != null ? steps : (int) ((d.n() + batchSize - 1) / batchSize);
    Progbar bar = verbose == 1 ? Progbar.builder(steps != null ? steps : (int) d.n()).build() : null;
    for (int b = 0; b < total; b++) {
      Data batch = steps != null ? d : d.slice((long) b * batchSize, Math.min(d.n(), (long) (b + 1) * batchSize));
      Logs logs = new Logs();
      logs.put("batch", b);
      logs.put("size", (int) batch.n());
      callbacks.onTestBatchBegin(b, logs);
      TrainingGraph.StepResult r = t.run(batch.x(), batch.y(), batch.w(), false);
      means.add(r, steps != null ? 1 : batch.n());
      put(logs, names, means.values(r.loss()));
      callbacks.onTestBatchEnd(b, logs);
      if (bar != null) bar.update(steps != null ? b + 1 : (int) Math.min(d.n(), (long) (b + 1) * batchSize));
    }
    double[] v = means.values(means.meanLoss());
    Logs end = new Logs();
    put(end, names, v);
    callbacks.onTestEnd(end);
    return v;
  }

  /** Keras 2.3.1 {@code evaluate} on arrays. */
  public Scores evaluate(ArrayData x, ArrayData y, EvaluateOptions o) {
    TrainingGraph t = compiled();
    Data d = standardize(t, x, y, o.sampleWeight(), null);
    if (d.n() == 0) throw new IllegalArgumentException("Received an empty batch. Batches should contain at least one item.");
    int batchSize = o.batchSize() != null ? o.batchSize() : EvaluateOptions.BATCH_SIZE_DEFAULT;
    CallbackList cbs = testCallbacks(o.callbacks(), o.verbose(), o.steps(), batchSize, (int) d.n());
    double[] v = testLoop(t, d, batchSize, o.steps(), cbs, o.verbose());
    return new Scores(t.metricsNames(), v);
  }

  private CallbackList testCallbacks(List<Callback> user, int verbose, Integer steps, int batchSize, int samples) {
    CallbackList cbs = new CallbackList(user);
    Map<String, Object> params = new java.util.LinkedHashMap<>();
    params.put("batch_size", batchSize);
    params.put("epochs", 1);
    params.put("steps", steps);
    params.put("samples", samples);
    params.put("verbose", verbose);
    params.put("do_validation", false);
    params.put("metrics", model.metricsNames());
    cbs.setModel(model);
    cbs.setParams(params);
    return cbs;
  }

  /** Keras 2.3.1 {@code predict} on arrays: outputs of all batches, concatenated. */
  public List<NDArray> predict(ArrayData x, PredictOptions o) {
    List<NDArray> xs = Standardize.arrays(x, model.inputNames(), inputShapes, "input");
    long n = Standardize.sampleCount(xs, List.of(), null);
    int batchSize = o.batchSize() != null ? o.batchSize() : PredictOptions.BATCH_SIZE_DEFAULT;
    CallbackList cbs = testCallbacks(o.callbacks(), o.verbose(), o.steps(), batchSize, (int) n);
    cbs.onPredictBegin(new Logs());
    int total = o.steps() != null ? o.steps() : (int) ((n + batchSize - 1) / batchSize);
    Progbar bar = o.verbose() == 1 ? Progbar.builder(o.steps() != null ? o.steps() : (int) n).build() : null;
    List<List<NDArray>> parts = new ArrayList<>();
    for (int i = 0; i < outputShapes.size(); i++) parts.add(new ArrayList<>());
    for (int b = 0; b < total; b++) {
      long start = (long) b * batchSize;
      long end = Math.min(n, start + batchSize);
      List<NDArray> batch = o.steps() != null ? xs : Standardize.slice(xs, start, end);
      Logs logs = new Logs();
      logs.put("batch", b);
      logs.put("size", (int) (o.steps() != null ? n : end - start));
      cbs.onPredictBatchBegin(b, logs);
      List<NDArray> outs = graph.predict(batch);
      for (int i = 0; i < outs.size(); i++) parts.get(i).add(outs.get(i));
      Logs endLogs = new Logs(logs);
      endLogs.put("outputs", outs);
      cbs.onPredictBatchEnd(b, endLogs);
      if (bar != null) bar.update(o.steps() != null ? b + 1 : (int) end);
    }
    cbs.onPredictEnd(new Logs());
    List<NDArray> out = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      if (parts.get(i).isEmpty()) {
        long[] s = outputShapes.get(i).clone();
        s[0] = 0;
        out.add(NDArray.zeros(s));
      } else {
        out.add(NDArray.concatenate(parts.get(i)));
      }
    }
    return out;
  }
}
