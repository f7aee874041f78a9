package jkeras.trainers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import jkeras.callbacks.Callback;
import jkeras.callbacks.CallbackList;
import jkeras.callbacks.History;
import jkeras.callbacks.Logs;
import jkeras.callbacks.ValidationData;
import jkeras.data.ArrayData;
import jkeras.data.NDArray;
import jkeras.distribute.ReplicaContext;
import jkeras.internal.Errors;
import jkeras.trainers.adapters.AdapterContext;
import jkeras.trainers.adapters.AdapterContext.Role;
import jkeras.trainers.adapters.ArrayDataAdapter;
import jkeras.trainers.adapters.DataAdapter;
import jkeras.trainers.adapters.DataAdapters;
import jkeras.trainers.adapters.DataSpec;
import jkeras.trainers.adapters.StepData;
import jkeras.utils.Progbar;

/**
 * The training loops, Keras 3's {@code Trainer}: one loop each for {@code fit}, {@code evaluate}
 * and {@code predict}, shared by arrays, Sequences, generators and whatever a data adapter provider
 * adds, plus the {@code *_on_batch} calls. What the loops do follows Keras 2.3.1 ({@code
 * training_arrays.fit_loop}/{@code test_loop}/{@code predict_loop} and {@code
 * training_generator.fit_generator}/{@code evaluate_generator}/{@code predict_generator}).
 *
 * <p>Who does what: a {@link DataAdapter} turns the input into checked batches; an {@link
 * EpochIterator} decides each epoch's steps and runs the adapter's epoch life; this class runs
 * epochs, validation and callbacks; {@link ArgumentRules} holds the rules that tie options
 * together. The model is reached only through {@link Trainable}.
 *
 * <p>Batch logs carry the step's loss and the running means of the other entries since the epoch
 * began (Keras 2.3.1's stateful metrics), so the epoch logs filled by BaseLogger are the epoch's
 * means. Stateful and not thread-safe: one call at a time.
 */
public final class Trainer {
  /**
   * Test hook: with {@code -Djkeras.progbar.fixedClock=SECONDS}, the progress bars of {@code fit},
   * {@code evaluate} and {@code predict} read that constant instead of the system clock, so their
   * output is reproducible text (the compat tests compare it with Keras'). Read at the start of
   * each {@code fit}; unset by default.
   */
  public static final String PROGBAR_FIXED_CLOCK_PROPERTY = "jkeras.progbar.fixedClock";

  private final Trainable model;
  private volatile boolean stopTraining;

  public Trainer(Trainable model) {
    this.model = model;
  }

  /**
   * Keras' {@code model.stop_training}: set by callbacks to end {@code fit} after the current
   * batch.
   */
  public boolean stopTraining() {
    return stopTraining;
  }

  public void setStopTraining(boolean stop) {
    this.stopTraining = stop;
  }

  private DataSpec spec(CompiledSteps compiled) {
    return new DataSpec(
        model.inputNames(),
        model.inputShapes(),
        model.outputNames(),
        compiled == null ? null : compiled.targetShapes());
  }

  private Means means(CompiledSteps c) {
    return Means.forNames(c, model.outputNames().size());
  }

  // ------------------------------------------------------------------ batch calls

  /** {@code train_on_batch}: one step; the metrics cover this batch only. */
  public Scores trainOnBatch(
      ArrayData x, ArrayData y, NDArray sampleWeight, Map<Integer, Double> classWeight) {
    return onBatch(x, y, sampleWeight, classWeight, true);
  }

  /** {@code test_on_batch}: one step without updates. */
  public Scores testOnBatch(ArrayData x, ArrayData y, NDArray sampleWeight) {
    return onBatch(x, y, sampleWeight, null, false);
  }

  private Scores onBatch(
      ArrayData x,
      ArrayData y,
      NDArray sampleWeight,
      Map<Integer, Double> classWeight,
      boolean train) {
    CompiledSteps c = model.compiled();
    StepData d = DataAdapters.standardize(x, y, sampleWeight, classWeight, spec(c));
    if (d.n() == 0) throw Errors.emptyBatch();
    StepResult r = train ? c.trainStep(d) : c.testStep(d);
    Means m = means(c);
    m.add(r, d.n());
    return new Scores(c.metricsNames(), m.values(r.loss()));
  }

  /** {@code predict_on_batch}: one array per output. */
  public List<NDArray> predictOnBatch(ArrayData x) {
    return model.predictStep(DataAdapters.standardize(x, null, null, null, spec(null)).x());
  }

  // ------------------------------------------------------------------ fit

  /**
   * {@code fit}: on arrays ({@code y} given) or on a stream ({@code y} null: a Sequence, a
   * generator or any input a provider takes, Keras 2.3.1's {@code fit_generator}).
   */
  public History fit(Object x, ArrayData y, FitOptions o) {
    CompiledSteps c = model.compiled();
    boolean stream = DataAdapters.isStream(x);
    ArgumentRules.checkFit(stream, y, o);
    DataSpec spec = spec(c);
    int batchSize = o.batchSizeOrDefault();
    DataAdapter train = null;
    Validation validation = null;
    // Multi-worker training: the training and the validation data are sharded over the workers.
    ReplicaContext replicas = c.replicaContext();
    try {
      if (!stream) {
        ArrayData xs = (ArrayData) x;
        ArrayDataAdapter[] parts =
            DataAdapters.forArraysWithSplit(
                xs,
                y,
                o.sampleWeight(),
                o.classWeight(),
                spec,
                batchSize,
                o.stepsPerEpoch(),
                o.validationSteps(),
                o.shuffle(),
                o.validationX() == null ? o.validationSplit() : 0);
        train = shard(parts[0], replicas);
        if (parts[1] != null) {
          validation = Validation.fixed(shard(parts[1], replicas));
        } else if (o.validationX() != null) {
          Integer steps = o.stepsPerEpoch() != null ? o.validationSteps() : null;
          validation =
              Validation.fixed(shard(validationArrays(o, spec, batchSize, steps), replicas));
        }
      } else {
        train =
            DataAdapters.forStream(
                x, context(Role.TRAIN, spec, o, o.shuffle(), o.classWeight(), replicas));
        if (o.validationGenerator() != null) {
          DataAdapter v =
              DataAdapters.forStream(
                  o.validationGenerator(), context(Role.EVALUATE, spec, o, false, null, replicas));
          validation = Validation.stream(v, o.validationSteps());
        } else if (o.validationX() != null) {
          // Keras 2.3.1 evaluates tuple validation data in batches the size of the last training
          // batch.
          validation =
              Validation.lastBatchSized(shard(validationArrays(o, spec, 1, null), replicas));
        }
      }
      EpochIterator epochs = new EpochIterator(train, o.stepsPerEpoch(), "steps_per_epoch");
      if (validation != null) validation.checkSteps();
      return fitLoop(c, o, epochs, validation, stream);
    } finally {
      closeAll(train, validation);
    }
  }

  /** {@code a} for this worker's part of each global batch when several workers train in sync. */
  private static ArrayDataAdapter shard(ArrayDataAdapter a, ReplicaContext replicas) {
    return replicas.distributed() ? a.shard(replicas) : a;
  }

  /** {@code validation_data=(x_val, y_val[, val_sample_weight])} checked against the model. */
  private static ArrayDataAdapter validationArrays(
      FitOptions o, DataSpec spec, int batchSize, Integer steps) {
    return DataAdapters.forArrays(
        o.validationX(),
        o.validationY(),
        o.validationSampleWeight(),
        null,
        spec,
        batchSize,
        steps,
        false);
  }

  private static AdapterContext context(
      Role role,
      DataSpec spec,
      TrainerOptions o,
      boolean shuffle,
      Map<Integer, Double> classWeight,
      ReplicaContext replicas) {
    return new AdapterContext(
        role,
        spec,
        o.workers(),
        o.maxQueueSize(),
        o.useMultiprocessing(),
        shuffle,
        classWeight,
        replicas);
  }

  private static void closeAll(DataAdapter train, Validation validation) {
    try {
      if (train != null) train.close();
    } finally {
      if (validation != null) validation.adapter().close();
    }
  }

  /**
   * Validation data of a {@code fit}: its adapter and how many steps each validation takes. A
   * stream is one adapter for the whole fit (each validation goes on where the last stopped).
   */
  private record Validation(DataAdapter adapter, Integer steps, boolean lastBatchSized) {
    static Validation fixed(ArrayDataAdapter a) {
      return new Validation(a, null, false);
    }

    static Validation stream(DataAdapter a, Integer steps) {
      return new Validation(a, steps, false);
    }

    static Validation lastBatchSized(ArrayDataAdapter a) {
      return new Validation(a, null, true);
    }

    void checkSteps() {
      if (steps == null && adapter.kind() == DataAdapter.Kind.GENERATOR)
        throw Errors.stepsNoneNeedsSequence("validation_steps");
    }

    /** The adapter for one validation after a training batch of {@code lastSize} samples. */
    DataAdapter forRun(int lastSize) {
      return lastBatchSized
          ? ((ArrayDataAdapter) adapter).withBatchSize(Math.max(1, lastSize))
          : adapter;
    }

    int stepsFor(DataAdapter a) {
      return steps != null ? steps : a.numBatches();
    }

    /** The validation arrays as callbacks see them, or null for a validation stream. */
    ValidationData arrays() {
      if (!(adapter instanceof ArrayDataAdapter a)) return null;
      StepData d = a.data();
      List<NDArray> weights = new ArrayList<>();
      for (NDArray w : d.w()) weights.add(w != null ? w : ones(d.n()));
      return new ValidationData(d.x(), d.y(), weights);
    }

    private static NDArray ones(long n) {
      float[] v = new float[(int) n];
      java.util.Arrays.fill(v, 1f);
      return NDArray.of(v, n);
    }
  }

  /**
   * The epoch loop of Keras 2.3.1's {@code fit_loop}/{@code fit_generator}: callbacks, batches,
   * validation, {@code stop_training}, and {@code on_train_end} only when training ends normally
   * (an exception from the data or a step propagates without it).
   */
  private History fitLoop(
      CompiledSteps c, FitOptions o, EpochIterator epochs, Validation validation, boolean stream) {
    DataAdapter train = epochs.adapter();
    boolean stepsMode = !stream && o.stepsPerEpoch() != null;
    // Multi-worker training: only the chief prints (Keras sets the others' verbose to 0).
    int verbose = c.replicaContext().isChief() ? o.verbose() : 0;
    if (verbose != 0 && validation != null && !stream) {
      System.out.println(
          "Train on "
              + train.samples()
              + " samples, validate on "
              + validation.adapter().samples()
              + " samples");
    }
    CallbackList.FitSetup setup = CallbackList.configure();
    if (stream) {
      setup.steps(epochs.firstSteps()).countMode(CallbackList.COUNT_MODE_STEPS);
    } else {
      setup
          .samples(stepsMode ? null : train.samples().intValue())
          .steps(stepsMode ? o.stepsPerEpoch() : null)
          .batchSize(stepsMode ? null : o.batchSizeOrDefault());
    }
    DoubleSupplier clock = fixedClock();
    if (clock != null) setup.clock(clock);
    List<String> names = c.metricsNames();
    CallbackList.Configured cfg =
        setup
            .userCallbacks(o.callbacks())
            .doValidation(validation != null)
            .verbose(verbose)
            .epochs(o.epochs())
            .metricsNames(names)
            .build();
    CallbackList callbacks = cfg.callbacks();
    model.setModelOn(callbacks);
    // Keras validates only when the epoch's last batch ran, except on arrays with steps_per_epoch.
    boolean validateOnlyAfterLastBatch = !stepsMode;

    Logs beginLogs = new Logs();
    callbacks.onTrainBegin(beginLogs);
    // A callback resuming from a backup says where to start (BackupAndRestore).
    int firstEpoch =
        beginLogs.get(Logs.INITIAL_EPOCH) instanceof Number n ? n.intValue() : o.initialEpoch();
    // Every worker starts from the chief's weights and epoch, and shuffles as the others do.
    ReplicaSync sync = c.synchronizeReplicas(firstEpoch);
    firstEpoch = sync.initialEpoch();
    if (sync.seed() != 0 && train instanceof ArrayDataAdapter a) a.reseed(sync.seed());
    stopTraining = false;
    // Keras 2.3.1 hands every callback the validation arrays right after on_train_begin.
    callbacks.setValidationData(validation == null ? null : validation.arrays());
    for (int epoch = firstEpoch; epoch < o.epochs(); epoch++) {
      Means means = means(c);
      Logs epochLogs = new Logs();
      int steps = epochs.beginEpoch();
      if (epochs.stepsFromData()
          && !Integer.valueOf(steps).equals(callbacks.params().get("steps"))) {
        // K231 reads len(sequence) again after each epoch and gives the callbacks the new steps.
        callbacks.setParam("steps", steps);
      }
      callbacks.onEpochBegin(epoch, epochLogs);
      int lastStep = -1;
      int lastSize = 0;
      int perExecution = c.stepsPerExecution();
      for (int step = 0; step < steps; ) {
        // tf-keras' data handler: groups of steps_per_execution steps, the epoch's last group
        // shorter; the callbacks see a group as one batch.
        int group = Math.min(perExecution, steps - step);
        List<StepData> batches = epochs.next(group);
        Logs batchLogs = new Logs();
        List<StepResult> results = runGroup(batches, step, train, batchLogs, callbacks, c);
        double loss = 0;
        double weight = 0;
        boolean globalSizes = false;
        for (int i = 0; i < group; i++) {
          StepData batch = batches.get(i);
          StepResult r = results.get(i);
          double w = train.logSize(batch);
          double n = batch.n();
          // Multi-worker streams: the global batch's samples, so every worker logs the same.
          if (!Double.isNaN(r.samples()) && train.kind() != DataAdapter.Kind.ARRAYS) {
            w = n = r.samples();
            globalSizes = true;
          }
          means.add(r, n);
          loss += r.loss() * w;
          weight += w;
        }
        if (globalSizes) batchLogs.put("size", (int) weight);
        // The global batch's size in multi-worker training: every worker validates alike.
        StepResult lastResult = results.get(group - 1);
        lastSize =
            (int)
                (Double.isNaN(lastResult.samples())
                    ? batches.get(group - 1).n()
                    : lastResult.samples());
        lastStep = step + group - 1;
        // The group's loss as one batch of its samples, so BaseLogger's epoch mean stays exact.
        double groupLoss = group == 1 ? results.get(0).loss() : (weight == 0 ? 0 : loss / weight);
        put(batchLogs, names, means.values(groupLoss));
        callbacks.onTrainBatchEnd(lastStep, batchLogs);
        step += group;
        if (stopTraining) break;
      }
      boolean completed = !validateOnlyAfterLastBatch || lastStep == steps - 1;
      if (completed && validation != null && o.shouldValidate(epoch)) {
        DataAdapter v = validation.forRun(lastSize);
        double[] values = testLoop(c, v, validation.stepsFor(v), callbacks, null);
        for (int i = 0; i < names.size(); i++) epochLogs.put("val_" + names.get(i), values[i]);
      }
      callbacks.onEpochEnd(epoch, epochLogs);
      if (stopTraining) break;
      epochs.endEpoch();
    }
    callbacks.onTrainEnd(new Logs());
    return cfg.history();
  }

  /**
   * One execution of {@code fit}: a group of batches as one batch of the callbacks' (its first
   * step's index, the samples of all, and with several steps {@code num_steps}, the key tf-keras'
   * progress bar counts steps by), its train steps, then every batch released even if the hook or a
   * step fails.
   */
  private static List<StepResult> runGroup(
      List<StepData> batches,
      int step,
      DataAdapter train,
      Logs logs,
      CallbackList callbacks,
      CompiledSteps c) {
    try {
      long size = 0;
      for (StepData b : batches) size += train.logSize(b);
      logs.put("batch", step);
      logs.put("size", (int) size);
      if (batches.size() > 1) logs.put("num_steps", batches.size());
      callbacks.onTrainBatchBegin(step, logs);
      return batches.size() == 1 ? List.of(c.trainStep(batches.get(0))) : c.trainSteps(batches);
    } finally {
      for (StepData b : batches) b.release();
    }
  }

  /**
   * One batch of a loop: puts its index and size in {@code logs}, calls the batch-begin hook, runs
   * the step, then releases the batch even if the hook or the step fails (the step copied the
   * arrays into tensors: a generator's buffers can be reused).
   */
  private static <R> R runBatch(
      StepData batch,
      int index,
      long size,
      Logs logs,
      BiConsumer<Integer, Logs> onBatchBegin,
      Function<StepData, R> step) {
    try {
      logs.put("batch", index);
      logs.put("size", (int) size);
      onBatchBegin.accept(index, logs);
      return step.apply(batch);
    } finally {
      batch.release();
    }
  }

  private static void put(Logs logs, List<String> names, double[] values) {
    for (int i = 0; i < names.size(); i++) logs.put(names.get(i), values[i]);
  }

  // ------------------------------------------------------------------ evaluate

  /**
   * {@code evaluate}: on arrays ({@code y} given) or on a stream (Keras 2.3.1's {@code
   * evaluate_generator}); the loss and metrics as sample-weighted means over the batches.
   *
   * @param defaultVerbose the verbosity when {@code o} does not set one: 1 for {@code evaluate}, 0
   *     for {@code evaluate_generator}
   */
  public Scores evaluate(Object x, ArrayData y, EvaluateOptions o, int defaultVerbose) {
    CompiledSteps c = model.compiled();
    ArgumentRules.checkEvaluate(DataAdapters.isStream(x), y, o);
    return inference(
        Role.EVALUATE,
        x,
        y,
        o.sampleWeight(),
        spec(c),
        o,
        defaultVerbose,
        (data, steps, callbacks, bar) ->
            new Scores(c.metricsNames(), testLoop(c, data, steps, callbacks, bar)));
  }

  /** The loop of {@code evaluate} or {@code predict} over its prepared data. */
  private interface InferenceLoop<T> {
    T run(DataAdapter data, int steps, CallbackList callbacks, Progbar bar);
  }

  /**
   * What {@code evaluate} and {@code predict} share around their loop: the data adapter (arrays in
   * batches of {@code batch_size}, or a stream), the steps, the callbacks' params and the progress
   * bar ({@code verbose=1}). Evaluating no samples is an error; predicting them gives empty
   * outputs.
   */
  private <T> T inference(
      Role role,
      Object x,
      ArrayData y,
      NDArray sampleWeight,
      DataSpec spec,
      InferenceOptions o,
      int defaultVerbose,
      InferenceLoop<T> loop) {
    boolean stream = DataAdapters.isStream(x);
    int verbose = o.verboseOr(defaultVerbose);
    int batchSize = o.batchSizeOrDefault();
    // Multi-worker training shards evaluate's data (its measures are aggregated over the
    // workers); predict runs on all the data in every worker.
    ReplicaContext replicas =
        role == Role.EVALUATE ? model.compiled().replicaContext() : ReplicaContext.SINGLE;
    DataAdapter data =
        stream
            ? DataAdapters.forStream(x, context(role, spec, o, false, null, replicas))
            : shard(
                DataAdapters.forArrays(
                    (ArrayData) x, y, sampleWeight, null, spec, batchSize, o.steps(), false),
                replicas);
    try {
      if (role == Role.EVALUATE && !stream && data.samples() == 0) throw Errors.emptyBatch();
      int steps = new EpochIterator(data, o.steps(), "steps").firstSteps();
      CallbackList cbs =
          inferenceCallbacks(
              o.callbacks(),
              verbose,
              stream ? Integer.valueOf(steps) : o.steps(),
              stream ? null : batchSize,
              stream ? null : data.samples().intValue());
      Progbar bar = verbose == 1 ? progbar(progressTarget(data, steps)) : null;
      return loop.run(data, steps, cbs, bar);
    } finally {
      data.close();
    }
  }

  /**
   * Keras 2.3.1's {@code test_loop}: the loss averaged over samples (weighted by batch size), the
   * other entries as running means over all samples. Serves {@code evaluate} and validation.
   */
  private double[] testLoop(
      CompiledSteps c, DataAdapter data, int steps, Callback callbacks, Progbar bar) {
    Means means = means(c);
    callbacks.onTestBegin(new Logs());
    List<String> names = c.metricsNames();
    data.onEpochBegin(steps);
    for (int b = 0; b < steps; b++) {
      StepData batch = data.next();
      Logs logs = new Logs();
      long size = data.logSize(batch);
      StepResult r = runBatch(batch, b, size, logs, callbacks::onTestBatchBegin, c::testStep);
      // Multi-worker streams: the global batch's samples, so every worker averages alike.
      if (!Double.isNaN(r.samples()) && data.kind() != DataAdapter.Kind.ARRAYS)
        size = (long) r.samples();
      means.add(r, size);
      put(logs, names, means.values(r.loss()));
      callbacks.onTestBatchEnd(b, logs);
      if (bar != null) bar.update(progressAt(data, b + 1));
    }
    double[] v = means.values(means.meanLoss());
    Logs end = new Logs();
    put(end, names, v);
    callbacks.onTestEnd(end);
    return v;
  }

  /** The clock {@link #PROGBAR_FIXED_CLOCK_PROPERTY} fixes, or null for the system clock. */
  private static DoubleSupplier fixedClock() {
    String fixed = System.getProperty(PROGBAR_FIXED_CLOCK_PROPERTY);
    if (fixed == null) return null;
    double seconds = Double.parseDouble(fixed);
    return () -> seconds;
  }

  /**
   * The progress bar of {@code evaluate}/{@code predict} ({@code verbose=1}): no header, no
   * metrics.
   */
  private static Progbar progbar(int target) {
    Progbar.Builder b = Progbar.builder(target);
    DoubleSupplier clock = fixedClock();
    if (clock != null) b.clock(clock);
    return b.build();
  }

  /** A bar over arrays counts samples, one over a stream (or with {@code steps}) counts steps. */
  private static int progressTarget(DataAdapter data, int steps) {
    return data instanceof ArrayDataAdapter a && a.countsSamples() ? a.samples().intValue() : steps;
  }

  private static int progressAt(DataAdapter data, int batches) {
    return data instanceof ArrayDataAdapter a ? (int) a.seenAfter(batches) : batches;
  }

  private CallbackList inferenceCallbacks(
      List<Callback> user, int verbose, Integer steps, Integer batchSize, Integer samples) {
    CallbackList cbs = new CallbackList(user);
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("batch_size", batchSize);
    params.put("epochs", 1);
    params.put("steps", steps);
    params.put("samples", samples);
    params.put("verbose", verbose);
    params.put("do_validation", false);
    params.put("metrics", model.metricsNames());
    model.setModelOn(cbs);
    cbs.setParams(params);
    return cbs;
  }

  // ------------------------------------------------------------------ predict

  /**
   * {@code predict}: outputs of all batches, concatenated, one array per output; on arrays or on a
   * stream (Keras 2.3.1's {@code predict_generator}).
   *
   * @param defaultVerbose the verbosity when {@code o} does not set one (0 for both, as Keras)
   */
  public List<NDArray> predict(Object x, PredictOptions o, int defaultVerbose) {
    ArgumentRules.checkPredict(DataAdapters.isStream(x), o);
    return inference(Role.PREDICT, x, null, null, spec(null), o, defaultVerbose, this::predictLoop);
  }

  private List<NDArray> predictLoop(
      DataAdapter data, int steps, CallbackList callbacks, Progbar bar) {
    callbacks.onPredictBegin(new Logs());
    List<List<NDArray>> parts = new ArrayList<>();
    for (int i = 0; i < model.outputNames().size(); i++) parts.add(new ArrayList<>());
    data.onEpochBegin(steps);
    for (int b = 0; b < steps; b++) {
      StepData batch = data.next();
      Logs logs = new Logs();
      List<NDArray> outs =
          runBatch(
              batch,
              b,
              data.logSize(batch),
              logs,
              callbacks::onPredictBatchBegin,
              d -> model.predictStep(d.x()));
      for (int i = 0; i < outs.size(); i++) parts.get(i).add(outs.get(i));
      Logs endLogs = new Logs(logs);
      endLogs.put("outputs", outs);
      callbacks.onPredictBatchEnd(b, endLogs);
      if (bar != null) bar.update(progressAt(data, b + 1));
    }
    callbacks.onPredictEnd(new Logs());
    return concatenateOutputs(parts);
  }

  /** Each output's batches joined along the first axis; no batches gives shape {@code (0, ...)}. */
  private List<NDArray> concatenateOutputs(List<List<NDArray>> parts) {
    List<NDArray> out = new ArrayList<>(parts.size());
    for (int i = 0; i < parts.size(); i++) {
      if (parts.get(i).isEmpty()) {
        long[] s = model.outputShapes().get(i).clone();
        s[0] = 0;
        out.add(NDArray.zeros(s));
      } else {
        out.add(NDArray.concatenate(parts.get(i)));
      }
    }
    return out;
  }
}
