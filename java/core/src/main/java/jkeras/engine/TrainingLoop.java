package jkeras.engine;

import jkeras.internal.graph.ModelGraph;
import jkeras.internal.graph.TrainingGraph;
import jkeras.utils.RngUtils;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import jkeras.callbacks.Callback;
import jkeras.callbacks.CallbackList;
import jkeras.callbacks.History;
import jkeras.callbacks.Logs;
import jkeras.data.Batch;
import jkeras.utils.Sequence;
import jkeras.data.ArrayData;
import jkeras.data.NDArray;
import jkeras.models.EvaluateOptions;
import jkeras.models.FitOptions;
import jkeras.models.Model;
import jkeras.models.PredictOptions;
import jkeras.models.Scores;
import jkeras.internal.Errors;
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
  /**
   * Test hook: with {@code -Djkeras.progbar.fixedClock=SECONDS}, the progress bars of {@code fit}
   * read that constant instead of the system clock, so their output is reproducible text (the
   * compat tests compare it with Keras'). Read at the start of each {@code fit}; unset by default.
   */
  public static final String PROGBAR_FIXED_CLOCK_PROPERTY = "jkeras.progbar.fixedClock";

  private final Model model;
  private final ModelGraph graph;
  private final Supplier<TrainingGraph> training;
  private final List<long[]> inputShapes;
  private final List<long[]> outputShapes;
  /** One 1-D weight array per output, the shapes a generator's sample weights are checked against. */
  private final List<long[]> sampleWeightShapes;

  public TrainingLoop(
      Model model, ModelGraph graph, Supplier<TrainingGraph> training, List<long[]> inputShapes, List<long[]> outputShapes) {
    this.model = model;
    this.graph = graph;
    this.training = training;
    this.inputShapes = inputShapes;
    this.outputShapes = outputShapes;
    this.sampleWeightShapes = java.util.Collections.nCopies(outputShapes.size(), new long[] {-1});
  }

  private TrainingGraph compiled() {
    TrainingGraph t = training.get();
    if (t == null) throw Errors.notCompiled();
    return t;
  }

  /**
   * Standardised training data: inputs, targets and per-output sample weights; {@code origin} is
   * the generator's batch they view (null for array data), released after the step.
   */
  private record Data(List<NDArray> x, List<NDArray> y, List<NDArray> w, long n, Batch origin) {
    Data(List<NDArray> x, List<NDArray> y, List<NDArray> w, long n) {
      this(x, y, w, n, null);
    }

    Data from(Batch b) {
      return new Data(x, y, w, n, b);
    }

    /** Hands the generator's batch back: nothing reads these arrays any more. */
    void release() {
      if (origin != null) origin.release();
    }

    Data rows(int[] ids) {
      return new Data(Standardize.take(x, ids), Standardize.take(y, ids), Standardize.take(w, ids), ids.length);
    }

    Data slice(long from, long to) {
      return new Data(Standardize.slice(x, from, to), Standardize.slice(y, from, to), Standardize.slice(w, from, to), to - from);
    }
  }

  private Data standardize(TrainingGraph t, ArrayData x, ArrayData y, NDArray sampleWeight, Map<Integer, Double> classWeight) {
    List<NDArray> xs = Standardize.arrays(x, model.inputNames(), inputShapes, "input");
    List<NDArray> ys = Standardize.arrays(y, model.outputNames(), t.targetShapes(), "target");
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
    requireNonEmpty(d.n());
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

  /** Where an epoch's training batches come from: arrays or a Sequence/generator stream. */
  private interface TrainSource extends AutoCloseable {
    /** The number of steps of this epoch; called at its start. */
    int beginEpoch(int epoch);

    Data batch(int step);

    /** After the epoch's callbacks, unless training stops. */
    void endEpoch();

    /** The batch's {@code size} in the logs: its samples, or 1 per step when each step uses all data. */
    default int logSize(Data batch) {
      return (int) batch.n();
    }

    @Override
    default void close() {}
  }

  /** Validation after an epoch; returns [loss, output losses..., metrics...]. */
  private interface Validator extends AutoCloseable {
    double[] run(Callback callbacks, int lastBatchSize);

    @Override
    default void close() {}
  }

  /** Keras 2.3.1 {@code fit} on arrays. */
  public History fit(ArrayData x, ArrayData y, FitOptions o) {
    TrainingGraph t = compiled();
    Data all = standardize(t, x, y, o.sampleWeight(), o.classWeight());
    if (o.validationGenerator() != null) {
      throw new IllegalArgumentException(
          "`validation_data` as a generator or Sequence needs a generator or Sequence as training data; pass arrays `(x_val, y_val)` to fit on arrays.");
    }
    Data train = all;
    Data val = null;
    if (o.validationX() != null) {
      val = standardize(t, o.validationX(), o.validationY(), o.validationSampleWeight(), null);
    } else if (o.validationSplit() > 0) {
      long splitAt = (long) (all.n() * (1.0 - o.validationSplit()));
      train = all.slice(0, splitAt);
      val = all.slice(splitAt, all.n());
    }
    boolean stepsMode = o.stepsPerEpoch() != null;
    if (val != null && stepsMode && o.validationX() != null && o.validationSteps() == null) {
      throw new IllegalArgumentException(
          "When using data tensors as input to a model, you should specify the `steps_per_epoch` argument. When passing validation data with `steps_per_epoch`, also specify `validation_steps`.");
    }
    int batchSize = o.batchSize() != null ? o.batchSize() : FitOptions.BATCH_SIZE_DEFAULT;
    Data trainData = train;
    Data valData = val;
    TrainSource source = stepsMode ? stepsSource(trainData, o.stepsPerEpoch()) : arraySource(trainData, batchSize, o.shuffle());
    Validator validator = val == null ? null
        : (cbs, last) -> testLoop(t, valData, batchSize, stepsMode ? o.validationSteps() : null, cbs, 0);
    if (o.verbose() != 0 && val != null && !stepsMode) {
      System.out.println("Train on " + train.n() + " samples, validate on " + val.n() + " samples");
    }
    CallbackList.FitSetup setup = CallbackList.configure()
        .samples(stepsMode ? null : (int) train.n())
        .steps(stepsMode ? o.stepsPerEpoch() : null)
        .batchSize(stepsMode ? null : batchSize);
    // Keras validates only when the epoch's last batch ran, but in steps mode after any stop.
    return epochs(t, o, setup, source, validator, !stepsMode);
  }

  private TrainSource arraySource(Data train, int batchSize, boolean shuffle) {
    SplittableRandom rng = newRng();
    int[] index = new int[(int) train.n()];
    for (int i = 0; i < index.length; i++) index[i] = i;
    return new TrainSource() {
      @Override
      public int beginEpoch(int epoch) {
        if (shuffle) shuffle(index, rng);
        return (int) ((train.n() + batchSize - 1) / batchSize);
      }

      @Override
      public Data batch(int b) {
        int start = b * batchSize;
        int end = (int) Math.min(train.n(), start + (long) batchSize);
        return shuffle ? train.rows(java.util.Arrays.copyOfRange(index, start, end)) : train.slice(start, end);
      }

      @Override
      public void endEpoch() {}
    };
  }

  /** Keras 2.3.1 with {@code steps_per_epoch} on arrays: each step trains on all the data. */
  private TrainSource stepsSource(Data train, int steps) {
    return new TrainSource() {
      @Override
      public int beginEpoch(int epoch) {
        return steps;
      }

      @Override
      public Data batch(int step) {
        return train;
      }

      @Override
      public int logSize(Data batch) {
        return 1;
      }

      @Override
      public void endEpoch() {}
    };
  }

  /**
   * Keras 2.3.1 {@code fit_generator} (and {@code fit} given a generator or Sequence): batches come
   * from a {@link BatchStream}; {@code steps_per_epoch=null} means {@code size()} of a Sequence,
   * read again each epoch.
   */
  public History fitGenerator(Object generator, FitOptions o) {
    TrainingGraph t = compiled();
    checkGeneratorArguments(o);
    boolean isSequence = generator instanceof Sequence;
    if (o.stepsPerEpoch() == null && !isSequence) {
      throw new IllegalArgumentException(
          "`steps_per_epoch=None` is only valid for a generator based on the `keras.utils.Sequence` class. Please specify `steps_per_epoch` or use the `keras.utils.Sequence` class.");
    }
    Object valGen = o.validationGenerator();
    if (valGen != null && !(valGen instanceof Sequence) && o.validationSteps() == null) {
      throw new IllegalArgumentException(
          "`validation_steps=None` is only valid for a generator based on the `keras.utils.Sequence` class. Please specify `validation_steps` or use the `keras.utils.Sequence` class.");
    }
    int firstSteps = o.stepsPerEpoch() != null ? o.stepsPerEpoch() : ((Sequence) generator).size();
    Validator validator = null;
    BatchStream valStream = null;
    BatchStream stream = null;
    try {
      if (valGen != null) {
        // One validation stream for the whole fit; each validation continues where the last stopped.
        BatchStream vs = BatchStream.open(valGen, o.workers(), o.maxQueueSize(), false, o.useMultiprocessing(), false);
        valStream = vs;
        Integer vsteps = o.validationSteps();
        validator = (cbs, last) -> {
          int steps = vsteps != null ? vsteps : ((Sequence) valGen).size();
          return streamTestLoop(t, vs, steps, cbs, 0);
        };
      } else if (o.validationX() != null) {
        Data val = standardize(t, o.validationX(), o.validationY(), o.validationSampleWeight(), null);
        // Keras 2.3.1 evaluates tuple validation data in batches the size of the last training batch.
        validator = (cbs, last) -> testLoop(t, val, Math.max(1, last), null, cbs, 0);
      }
      BatchStream s = BatchStream.open(generator, o.workers(), o.maxQueueSize(), o.shuffle(), o.useMultiprocessing(), true);
      stream = s;
      Map<Integer, Double> classWeight = o.classWeight();
      TrainSource source = new TrainSource() {
        @Override
        public int beginEpoch(int epoch) {
          int steps = o.stepsPerEpoch() != null ? o.stepsPerEpoch() : ((Sequence) generator).size();
          s.beginEpoch(steps);
          return steps;
        }

        @Override
        public Data batch(int step) {
          Batch b = s.next();
          try {
            return standardizeBatch(t, b, classWeight).from(b);
          } catch (RuntimeException | Error e) {
            b.release();
            throw e;
          }
        }

        @Override
        public void endEpoch() {
          s.endEpoch();
        }
      };
      CallbackList.FitSetup setup = CallbackList.configure().steps(firstSteps).countMode(CallbackList.COUNT_MODE_STEPS);
      return epochs(t, o, setup, source, validator, true, o.stepsPerEpoch() == null && isSequence);
    } finally {
      if (stream != null) stream.close();
      if (valStream != null) valStream.close();
    }
  }

  private static void requireNonEmpty(long samples) {
    if (samples == 0) throw new IllegalArgumentException("Received an empty batch. Batches should contain at least one item.");
  }

  private static void rejectSampleWeight(NDArray sampleWeight) {
    if (sampleWeight != null) {
      throw new IllegalArgumentException(
          "`sample_weight` argument is not supported when data isa generator or Sequence instance. Instead pass sample weights as the third element of the generator.");
    }
  }

  private static void rejectBatchSize(Integer batchSize) {
    if (batchSize != null) {
      throw new IllegalArgumentException(
          "The `batch_size` argument must not be specified when using a generator or Sequence as an input.");
    }
  }

  /** K231's {@code check_generator_arguments} for fit given a generator. */
  private static void checkGeneratorArguments(FitOptions o) {
    rejectSampleWeight(o.sampleWeight());
    if (o.validationSplit() > 0) {
      throw new IllegalArgumentException(
          "If your data is in the form of a Python generator, you cannot use `validation_split`.");
    }
    rejectBatchSize(o.batchSize());
  }

  /** A generator's batch checked against the model, with its sample and class weights. */
  private Data standardizeBatch(TrainingGraph t, Batch b, Map<Integer, Double> classWeight) {
    if (b.y() == null) {
      throw new IllegalArgumentException(
          "Output of generator should be a tuple `(x, y, sample_weight)` or `(x, y)`. Found: " + Errors.truncate(b));
    }
    NDArray sw = null;
    if (b.sampleWeight() != null) {
      List<NDArray> ws = Standardize.arrays(b.sampleWeight(), model.outputNames(), sampleWeightShapes, "sample_weight");
      // One weight array per output; all outputs weighted alike is the common case.
      sw = ws.get(0);
      if (ws.size() > 1) {
        Data d = standardize(t, b.x(), b.y(), null, classWeight);
        List<NDArray> combined = new ArrayList<>();
        for (int i = 0; i < ws.size(); i++) combined.add(d.w().get(i) == null ? ws.get(i).reshape(ws.get(i).dim(0)) : multiply(d.w().get(i), ws.get(i).reshape(ws.get(i).dim(0))));
        return new Data(d.x(), d.y(), combined, d.n());
      }
      sw = sw.reshape(sw.dim(0));
    }
    return standardize(t, b.x(), b.y(), sw, classWeight);
  }

  private static NDArray multiply(NDArray a, NDArray b) {
    float[] x = a.toFloatArray();
    float[] y = b.floatsView();
    for (int i = 0; i < x.length; i++) x[i] *= y[i];
    return NDArray.adoptFloats(x, a.shape());
  }

  private History epochs(TrainingGraph t, FitOptions o, CallbackList.FitSetup setup, TrainSource source,
      Validator validator, boolean validateOnlyAfterLastBatch) {
    return epochs(t, o, setup, source, validator, validateOnlyAfterLastBatch, false);
  }

  /**
   * The epoch loop of Keras 2.3.1's {@code fit_loop}/{@code fit_generator}: callbacks, batches,
   * validation after the last batch, {@code stop_training}, and {@code on_train_end} only when
   * training ends normally (an exception from the data or a step propagates without it).
   */
  private History epochs(TrainingGraph t, FitOptions o, CallbackList.FitSetup setup, TrainSource source,
      Validator validator, boolean validateOnlyAfterLastBatch, boolean recomputeSteps) {
    List<String> names = t.metricsNames();
    String fixedClock = System.getProperty(PROGBAR_FIXED_CLOCK_PROPERTY);
    if (fixedClock != null) {
      double seconds = Double.parseDouble(fixedClock);
      setup.clock(() -> seconds);
    }
    CallbackList.Configured cfg = setup
        .userCallbacks(o.callbacks())
        .model(model)
        .doValidation(validator != null)
        .verbose(o.verbose())
        .epochs(o.epochs())
        .metricsNames(names)
        .build();
    CallbackList callbacks = cfg.callbacks();
    try (source; validator) {
      callbacks.onTrainBegin(new Logs());
      model.setStopTraining(false);
      for (int epoch = o.initialEpoch(); epoch < o.epochs(); epoch++) {
        Means means = new Means(t);
        Logs epochLogs = new Logs();
        int steps = source.beginEpoch(epoch);
        if (recomputeSteps && !Integer.valueOf(steps).equals(callbacks.params().get("steps"))) {
          // K231 reads len(sequence) again after each epoch and gives the callbacks the new steps.
          callbacks.setParam("steps", steps);
        }
        callbacks.onEpochBegin(epoch, epochLogs);
        int lastStep = -1;
        int lastSize = 0;
        for (int step = 0; step < steps; step++) {
          lastStep = step;
          Data batch = source.batch(step);
          Logs batchLogs = new Logs();
          TrainingGraph.StepResult r;
          try {
            batchLogs.put("batch", step);
            batchLogs.put("size", source.logSize(batch));
            callbacks.onTrainBatchBegin(step, batchLogs);
            r = t.run(batch.x(), batch.y(), batch.w(), true);
          } finally {
            // The step copied the arrays into tensors: a generator's buffers can be reused.
            batch.release();
          }
          means.add(r, batch.n());
          lastSize = (int) batch.n();
          put(batchLogs, names, means.values(r.loss()));
          callbacks.onTrainBatchEnd(step, batchLogs);
          if (model.stopTraining()) break;
        }
        boolean completed = !validateOnlyAfterLastBatch || lastStep == steps - 1;
        if (completed && validator != null && o.shouldValidate(epoch)) {
          double[] v = validator.run(callbacks, lastSize);
          for (int i = 0; i < names.size(); i++) epochLogs.put("val_" + names.get(i), v[i]);
        }
        callbacks.onEpochEnd(epoch, epochLogs);
        if (model.stopTraining()) break;
        source.endEpoch();
      }
    }
    callbacks.onTrainEnd(new Logs());
    return cfg.history();
  }
  private static void put(Logs logs, List<String> names, double[] values) {
    for (int i = 0; i < names.size(); i++) logs.put(names.get(i), values[i]);
  }

  private static SplittableRandom newRng() {
    return new SplittableRandom(RngUtils.streamSeed());
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

  /**
   * {@code evaluate_generator}'s loop over {@code steps} batches of a stream: the loss and metrics
   * as sample-weighted means over the batches (tf-keras' fix of Keras 2.3.1, which reported the
   * last batch's loss).
   */
  private double[] streamTestLoop(TrainingGraph t, BatchStream s, int steps, Callback callbacks, int verbose) {
    Means means = new Means(t);
    callbacks.onTestBegin(new Logs());
    List<String> names = t.metricsNames();
    Progbar bar = verbose == 1 ? Progbar.builder(steps).build() : null;
    s.beginEpoch(steps);
    for (int b = 0; b < steps; b++) {
      Batch batch = s.next();
      Data d;
      Logs logs = new Logs();
      TrainingGraph.StepResult r;
      try {
        d = standardizeBatch(t, batch, null);
        requireNonEmpty(d.n());
        logs.put("batch", b);
        logs.put("size", (int) d.n());
        callbacks.onTestBatchBegin(b, logs);
        r = t.run(d.x(), d.y(), d.w(), false);
      } finally {
        batch.release();
      }
      means.add(r, d.n());
      put(logs, names, means.values(r.loss()));
      callbacks.onTestBatchEnd(b, logs);
      if (bar != null) bar.update(b + 1);
    }
    double[] v = means.values(means.meanLoss());
    Logs end = new Logs();
    put(end, names, v);
    callbacks.onTestEnd(end);
    return v;
  }

  /** Keras 2.3.1 {@code evaluate_generator} (and {@code evaluate} given a generator or Sequence). */
  public Scores evaluateGenerator(Object generator, EvaluateOptions o) {
    TrainingGraph t = compiled();
    rejectSampleWeight(o.sampleWeight());
    rejectBatchSize(o.batchSize());
    int steps = generatorSteps(generator, o.steps());
    try (BatchStream s = BatchStream.open(generator, o.workers(), o.maxQueueSize(), false, o.useMultiprocessing(), false)) {
      CallbackList cbs = testCallbacks(o.callbacks(), o.verbose(), steps, null, null);
      double[] v = streamTestLoop(t, s, steps, cbs, o.verbose());
      return new Scores(t.metricsNames(), v);
    }
  }

  /** Keras' rule: {@code steps=None} means {@code len(sequence)}, and is an error for a generator. */
  private static int generatorSteps(Object generator, Integer steps) {
    if (steps != null) return steps;
    if (generator instanceof Sequence seq) return seq.size();
    throw new IllegalArgumentException(
        "`steps=None` is only valid for a generator based on the `keras.utils.Sequence` class. Please specify `steps` or use the `keras.utils.Sequence` class.");
  }

  /** Keras 2.3.1 {@code predict_generator} (and {@code predict} given a generator or Sequence). */
  public List<NDArray> predictGenerator(Object generator, PredictOptions o) {
    rejectBatchSize(o.batchSize());
    int steps = generatorSteps(generator, o.steps());
    try (BatchStream s = BatchStream.open(generator, o.workers(), o.maxQueueSize(), false, o.useMultiprocessing(), false)) {
      CallbackList cbs = testCallbacks(o.callbacks(), o.verbose(), steps, null, null);
      cbs.onPredictBegin(new Logs());
      Progbar bar = o.verbose() == 1 ? Progbar.builder(steps).build() : null;
      List<List<NDArray>> parts = new ArrayList<>();
      for (int i = 0; i < outputShapes.size(); i++) parts.add(new ArrayList<>());
      s.beginEpoch(steps);
      for (int b = 0; b < steps; b++) {
        Batch batch = s.next();
        Logs logs = new Logs();
        List<NDArray> outs;
        try {
          List<NDArray> xs = Standardize.arrays(batch.x(), model.inputNames(), inputShapes, "input");
          long n = Standardize.sampleCount(xs, List.of(), null);
          requireNonEmpty(n);
          logs.put("batch", b);
          logs.put("size", (int) n);
          cbs.onPredictBatchBegin(b, logs);
          outs = graph.predict(xs);
        } finally {
          batch.release();
        }
        for (int i = 0; i < outs.size(); i++) parts.get(i).add(outs.get(i));
        Logs endLogs = new Logs(logs);
        endLogs.put("outputs", outs);
        cbs.onPredictBatchEnd(b, endLogs);
        if (bar != null) bar.update(b + 1);
      }
      cbs.onPredictEnd(new Logs());
      return concatenateOutputs(parts);
    }
  }

  /** Each output's batches joined along the first axis; no batches gives shape {@code (0, ...)}. */
  private List<NDArray> concatenateOutputs(List<List<NDArray>> parts) {
    List<NDArray> out = new ArrayList<>(parts.size());
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

  /** Keras 2.3.1 {@code evaluate} on arrays. */
  public Scores evaluate(ArrayData x, ArrayData y, EvaluateOptions o) {
    TrainingGraph t = compiled();
    Data d = standardize(t, x, y, o.sampleWeight(), null);
    requireNonEmpty(d.n());
    int batchSize = o.batchSize() != null ? o.batchSize() : EvaluateOptions.BATCH_SIZE_DEFAULT;
    CallbackList cbs = testCallbacks(o.callbacks(), o.verbose(), o.steps(), batchSize, (int) d.n());
    double[] v = testLoop(t, d, batchSize, o.steps(), cbs, o.verbose());
    return new Scores(t.metricsNames(), v);
  }

  private CallbackList testCallbacks(List<Callback> user, int verbose, Integer steps, Integer batchSize, Integer samples) {
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
    return concatenateOutputs(parts);
  }
}
