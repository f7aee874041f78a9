package jkeras.compat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import jkeras.callbacks.Callback;
import jkeras.callbacks.History;
import jkeras.callbacks.Logs;
import jkeras.data.ArrayData;
import jkeras.data.Batch;
import jkeras.data.NDArray;
import jkeras.layers.Input;
import jkeras.layers.KerasTensor;
import jkeras.layers.Layer;
import jkeras.layers.Layers;
import jkeras.models.Model;
import jkeras.models.Sequential;
import jkeras.python.Python;
import jkeras.python.PythonSource;
import jkeras.trainers.CompileOptions;
import jkeras.trainers.EvaluateOptions;
import jkeras.trainers.FitOptions;
import jkeras.trainers.PredictOptions;
import jkeras.trainers.Scores;
import jkeras.trainers.Trainer;
import jkeras.utils.RngUtils;
import jkeras.utils.Sequence;

/**
 * Replays one scenario in jkeras from the fixture recorded by {@code keras_runner.py}: the same
 * model spec, the same initial weights (set layer by layer, by name), the same data and the same
 * actions. Returns the observations in the runner's JSON schema, so both sides compare field by
 * field.
 *
 * <p>Like the runner's {@code clear_session()} and seeding before each scenario, the replay starts
 * the default layer names again ({@link Layer#resetNames()}) and sets the global seed ({@link
 * RngUtils#setRandomSeed}) to the scenario's.
 */
public final class JkerasReplay {
  static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  /** The module of the Python data sources, in {@code compat-tests/python}. */
  static final String SOURCES_MODULE = "compat_sources";

  /** The clock of the progress bars while an action prints its progress (as keras_runner.py). */
  static final double FROZEN_CLOCK = 1000.0;

  private final ObjectMapper mapper;
  private final Path pythonDir;

  /** A replay without Python data sources ({@code *_python} actions fail). */
  public JkerasReplay(ObjectMapper mapper) {
    this(mapper, null);
  }

  /**
   * @param pythonDir the directory of {@code compat_sources.py} ({@code compat-tests/python}), put
   *     on the bridge's {@code sys.path} for the {@code *_python} actions
   */
  public JkerasReplay(ObjectMapper mapper, Path pythonDir) {
    this.mapper = mapper;
    this.pythonDir = pythonDir;
  }

  /** {@link #replay(JsonNode, JsonNode)} without Keras 2.3.1's run. */
  public ObjectNode replay(JsonNode kerasResult) {
    return replay(kerasResult, null);
  }

  /**
   * Runs the scenario recorded in {@code kerasResult} (one element of the runner's {@code
   * scenarios} list).
   *
   * @param keras231Result Keras 2.3.1's run of the scenario, or null: an action that replays what
   *     Keras 2.3.1 drew ({@code "permutations_from": "keras231"}) reads it
   * @return {@code {"name", "observations": [...]}}, or {@code {"name", "error"}} when the model
   *     could not even be built; a failing action records {@code {"type", "error"}} and the replay
   *     goes on with the next action
   */
  public ObjectNode replay(JsonNode kerasResult, JsonNode keras231Result) {
    ObjectNode out = mapper.createObjectNode();
    out.put("name", kerasResult.path("name").asText());
    JsonNode spec = kerasResult.path("spec");
    JsonNode fixture = kerasResult.path("fixture");
    Layer.resetNames();
    RngUtils.setRandomSeed(spec.path("seed").asLong(0));
    Model model;
    try {
      model = build(spec.path("model"));
    } catch (RuntimeException e) {
      out.put("error", "building the model: " + describe(e));
      return out;
    }
    try (model) {
      try {
        setWeights(model, fixture.path("weights"));
        model.compile(compileOptions(spec.path("compile")));
      } catch (RuntimeException e) {
        out.put("error", "setting weights / compiling: " + describe(e));
        return out;
      }
      Data train = Data.of(fixture, "x", "y", "sample_weight");
      Data val =
          fixture.has("val_x") ? Data.of(fixture, "val_x", "val_y", "val_sample_weight") : null;
      List<JsonNode> keras231 = new ArrayList<>();
      if (keras231Result != null) {
        for (JsonNode o : keras231Result.path("observations"))
          if (!o.path("type").asText().equals("compile")) keras231.add(o);
      }
      ArrayNode observations = out.putArray("observations");
      JsonNode actions = spec.path("actions");
      for (int i = 0; i < actions.size(); i++) {
        JsonNode action = actions.get(i);
        ObjectNode obs = observations.addObject();
        obs.put("type", action.path("type").asText());
        Step step =
            new Step(
                model,
                action,
                train,
                val,
                fixture.path("work_dir").asText(""),
                i < keras231.size() ? keras231.get(i) : null);
        try {
          runAction(step, obs);
        } catch (RuntimeException e) {
          obs.put("error", describe(e));
        }
      }
    }
    return out;
  }

  /**
   * One action to run: the model, the action, the fixture's data, the runner's work directory and
   * Keras 2.3.1's observation of the same action (or null).
   */
  record Step(
      Model model, JsonNode action, Data train, Data val, String workDir, JsonNode keras231) {
    JsonNode kw() {
      return action.path("kwargs");
    }

    String type() {
      return action.path("type").asText();
    }
  }

  private void runAction(Step s, ObjectNode obs) {
    Model model = s.model();
    Data on = "val".equals(s.action().path("on").asText("train")) ? s.val() : s.train();
    switch (s.type()) {
      case "train_on_batch", "test_on_batch" -> onBatch(s, obs);
      case "fit", "fit_progress" -> fit(s, obs);
      case "evaluate" -> {
        EvaluateOptions.Builder b = EvaluateOptions.builder().verbose(0);
        if (s.kw().has("batch_size")) b.batchSize(s.kw().get("batch_size").asInt());
        if (s.kw().path("sample_weight").asBoolean(false)) b.sampleWeight(on.sampleWeight());
        obs.set("value", scores(model.evaluate(on.x(), on.y(), b.build())));
      }
      case "predict" -> {
        PredictOptions.Builder b = PredictOptions.builder().verbose(0);
        if (s.kw().has("batch_size")) b.batchSize(s.kw().get("batch_size").asInt());
        putOutputs(model.predictOutputs(on.x(), b.build()), obs);
      }
      case "fit_generator" -> fitGenerator(s, obs);
      case "fit_python" -> fitPython(s, obs);
      case "evaluate_python" -> evaluatePython(s, obs);
      case "predict_python" -> predictPython(s, obs);
      case "fit_generator_call",
          "evaluate_generator_call",
          "predict_generator_call",
          "optimizer_config" ->
          new KerasCalls(mapper).run(s, obs);
      case "metrics_names" -> {
        ArrayNode a = obs.putArray("value");
        model.metricsNames().forEach(a::add);
      }
      case "layer_names" -> {
        ObjectNode v = obs.putObject("value").put("model", model.name());
        ArrayNode a = v.putArray("layers");
        model.layers().forEach(l -> a.add(l.name()));
      }
      case "layer_configs" -> layerConfigs(model, s.action().path("layers"), obs);
      case "initializer_stats" -> initializerStats(s.action(), obs);
      case "fit_callbacks" -> {
        try {
          new CallbackReplay(mapper, pythonDir).run(s, obs);
        } catch (RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
      default -> throw new IllegalArgumentException("unknown action " + s.type());
    }
  }

  /**
   * {@code train_on_batch} / {@code test_on_batch}: step i on rows {@code [i*batch % n, +batch)},
   * with the action's {@code class_weight} and ({@code "sample_weight": true}) the fixture's sample
   * weights of those rows.
   */
  private void onBatch(Step s, ObjectNode obs) {
    int steps = s.action().path("steps").asInt(20);
    long n = s.train().rows();
    int batch = s.action().path("batch").asInt((int) n);
    Map<Integer, Double> classWeight = classWeight(s.kw());
    boolean weighted = s.kw().path("sample_weight").asBoolean(false);
    ArrayNode values = obs.putArray("values");
    for (int step = 0; step < steps; step++) {
      long start = ((long) step * batch) % n;
      Data d = s.train().slice(start, Math.min(start + batch, n));
      NDArray sw = weighted ? d.sampleWeight() : null;
      values.add(
          scores(
              s.type().equals("train_on_batch")
                  ? s.model().trainOnBatch(d.x(), d.y(), sw, classWeight)
                  : s.model().testOnBatch(d.x(), d.y(), sw)));
    }
    ArrayNode names = obs.putArray("names");
    s.model().metricsNames().forEach(names::add);
  }

  /**
   * {@code fit} on the fixture arrays, its progress printed into the observation with the clock
   * frozen. With {@code "batch_logs": true} a recorder takes the callbacks and batch logs. With
   * {@code "permutations_from": "keras231"} the epochs run in the order Keras 2.3.1 shuffled the
   * samples into (its recorded {@code permutations}), through a Sequence of those batches, jkeras'
   * own shuffle off.
   */
  private void fit(Step s, ObjectNode obs) {
    boolean replayOrder = s.action().path("permutations_from").asText("").equals("keras231");
    ObjectNode kw = s.kw().deepCopy();
    if (replayOrder) kw.remove("batch_size"); // the Sequence's batches
    FitOptions.Builder b = fitOptions(kw, s.train(), s.val());
    Recorder recorder = new Recorder();
    if (s.action().path("batch_logs").asBoolean(false)) b.callbacks(recorder);
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    History h;
    if (replayOrder) {
      if (s.keras231() == null || s.keras231().path("permutations").isEmpty())
        throw new IllegalStateException("no Keras 2.3.1 permutations to replay");
      Sequence seq =
          new PermutedSequence(
              s.train(),
              s.kw().path("batch_size").asInt(FitOptions.BATCH_SIZE_DEFAULT),
              s.keras231().path("permutations"));
      FitOptions o = b.shuffle(false).workers(0).build();
      h = withFrozenProgbar(progress, () -> s.model().fitGenerator(seq, o));
    } else {
      FitOptions o = b.build();
      h = withFrozenProgbar(progress, () -> s.model().fit(s.train().x(), s.train().y(), o));
    }
    putHistory(h, obs);
    if (s.action().path("batch_logs").asBoolean(false)) putRecorder(recorder, obs);
    if (s.kw().path("verbose").asInt(0) != 0)
      obs.put("progress", progress.toString(StandardCharsets.UTF_8));
  }

  /** {@code fit}'s Keras kwargs of an action ({@code verbose} 0 and no shuffle by default). */
  static FitOptions.Builder fitOptions(JsonNode kw, Data train, Data val) {
    FitOptions.Builder b =
        FitOptions.builder()
            .verbose(kw.path("verbose").asInt(0))
            .shuffle(kw.path("shuffle").asBoolean(false));
    if (kw.has("batch_size")) b.batchSize(kw.get("batch_size").asInt());
    if (kw.has("epochs")) b.epochs(kw.get("epochs").asInt());
    if (kw.has("initial_epoch")) b.initialEpoch(kw.get("initial_epoch").asInt());
    if (kw.has("validation_split")) b.validationSplit(kw.get("validation_split").asDouble());
    if (kw.path("validation_data").asBoolean(false)) b.validationData(val.x(), val.y());
    if (kw.path("validation_freq").isInt()) b.validationFreq(kw.get("validation_freq").asInt());
    if (kw.path("validation_freq").isArray()) {
      List<Integer> epochs = new ArrayList<>();
      kw.get("validation_freq").forEach(e -> epochs.add(e.asInt()));
      b.validationFreq(epochs);
    }
    if (kw.has("class_weight")) b.classWeight(classWeight(kw));
    if (kw.path("sample_weight").asBoolean(false)) b.sampleWeight(train.sampleWeight());
    return b;
  }

  /** Keras' {@code class_weight} (JSON keys are strings), or null. */
  private static Map<Integer, Double> classWeight(JsonNode kw) {
    if (!kw.has("class_weight")) return null;
    Map<Integer, Double> m = new LinkedHashMap<>();
    kw.get("class_weight")
        .fields()
        .forEachRemaining(e -> m.put(Integer.parseInt(e.getKey()), e.getValue().asDouble()));
    return m;
  }

  /**
   * Batches of the rows in the order Keras 2.3.1 shuffled them: epoch e serves {@code
   * permutations[e]} in batches of {@code batchSize}; {@code onEpochEnd} (once per epoch in jkeras)
   * moves to the next epoch's order.
   */
  static final class PermutedSequence extends DataSequence {
    private final JsonNode permutations;
    private int epoch;

    PermutedSequence(Data d, int batchSize, JsonNode permutations) {
      super(d, batchSize);
      this.permutations = permutations;
    }

    @Override
    public Batch get(int i) {
      JsonNode order = permutations.get(epoch);
      int from = i * batchSize;
      int[] rows = new int[Math.min(order.size(), from + batchSize) - from];
      for (int r = 0; r < rows.length; r++) rows[r] = order.get(from + r).asInt();
      Data part = d.take(rows);
      return Batch.of(part.x(), part.y());
    }

    @Override
    public void onEpochEnd() {
      epoch++;
    }
  }

  /**
   * Each initializer of the action as a user meets it: the kernel of a fresh {@code Dense(units,
   * use_bias=False, kernel_initializer=spec)} on {@code fan_in} inputs, summarised as the runner's
   * {@code draw_statistics} does.
   */
  private void initializerStats(JsonNode action, ObjectNode obs) {
    int fanIn = action.path("shape").get(0).asInt();
    int units = action.path("shape").get(1).asInt();
    ArrayNode stats = obs.putArray("stats");
    for (JsonNode spec : action.path("initializers")) {
      Map<String, Object> config = new LinkedHashMap<>();
      config.put("units", units);
      config.put("use_bias", false);
      config.put("kernel_initializer", mapper.convertValue(spec, Object.class));
      config.put("input_shape", List.of(fanIn));
      try (Sequential m = new Sequential()) {
        m.add(Layers.deserialize("Dense", config));
        stats.add(drawStatistics(m.getWeights().get(0).toFloatArray()));
      }
    }
  }

  /** n, mean, std (population), min, max, kurtosis (in double) and the first 8 values. */
  static ObjectNode drawStatistics(float[] v) {
    double mean = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (float f : v) {
      mean += f;
      min = Math.min(min, f);
      max = Math.max(max, f);
    }
    mean /= v.length;
    double m2 = 0;
    double m4 = 0;
    for (float f : v) {
      double d = f - mean;
      m2 += d * d;
      m4 += d * d * d * d;
    }
    m2 /= v.length;
    m4 /= v.length;
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("n", v.length).put("mean", mean).put("std", Math.sqrt(m2)).put("min", min);
    o.put("max", max).put("kurtosis", m4 / (m2 * m2));
    ArrayNode first = o.putArray("first");
    for (int i = 0; i < Math.min(8, v.length); i++) first.add(v[i]);
    return o;
  }

  /** Keras 2.3.1 {@code fit_generator} on a Sequence over the fixture, workers=0, no shuffle. */
  private void fitGenerator(Step s, ObjectNode obs) {
    JsonNode kw = s.kw();
    Sequence seq = sequence(s.train(), s.action().path("batch_size").asInt());
    Recorder recorder = new Recorder();
    FitOptions.Builder b =
        FitOptions.builder()
            .epochs(kw.path("epochs").asInt(1))
            .verbose(kw.path("verbose").asInt(0))
            .shuffle(false)
            .workers(0)
            .callbacks(recorder);
    if (s.action().path("validation_batch_size").asInt(0) > 0) {
      b.validationData(sequence(s.val(), s.action().get("validation_batch_size").asInt()));
      if (kw.has("validation_steps")) b.validationSteps(kw.get("validation_steps").asInt());
    }
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    History h = withFrozenProgbar(progress, () -> s.model().fitGenerator(seq, b.build()));
    obs.put("steps_per_epoch", seq.size());
    putHistory(h, obs);
    putRecorder(recorder, obs);
    obs.put("progress", progress.toString(StandardCharsets.UTF_8));
  }

  /**
   * Runs {@code call} with {@code System.out} captured into {@code into} and the Progbar clock
   * frozen at {@link #FROZEN_CLOCK} ({@link Trainer#PROGBAR_FIXED_CLOCK_PROPERTY}, read by fit,
   * evaluate and predict).
   */
  static <T> T withFrozenProgbar(ByteArrayOutputStream into, Supplier<T> call) {
    PrintStream stdout = System.out;
    String clock = System.getProperty(Trainer.PROGBAR_FIXED_CLOCK_PROPERTY);
    try {
      System.setOut(new PrintStream(into, true, StandardCharsets.UTF_8));
      System.setProperty(Trainer.PROGBAR_FIXED_CLOCK_PROPERTY, String.valueOf(FROZEN_CLOCK));
      return call.get();
    } finally {
      System.setOut(stdout);
      if (clock == null) System.clearProperty(Trainer.PROGBAR_FIXED_CLOCK_PROPERTY);
      else System.setProperty(Trainer.PROGBAR_FIXED_CLOCK_PROPERTY, clock);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Python data sources: the same compat_sources generators and Sequences tf-keras ran

  /**
   * Keras 2.3.1 {@code fit_generator} over a {@code compat_sources} generator or Sequence (and one
   * for validation), no shuffle, {@code workers} and {@code use_multiprocessing} from the action's
   * {@code jkeras} entry (default 0 and false).
   */
  private void fitPython(Step s, ObjectNode obs) {
    JsonNode kw = s.kw();
    JsonNode jk = s.action().path("jkeras");
    Recorder recorder = new Recorder();
    FitOptions.Builder b =
        FitOptions.builder()
            .epochs(kw.path("epochs").asInt(1))
            .verbose(0)
            .shuffle(false)
            .workers(jk.path("workers").asInt(0))
            .useMultiprocessing(jk.path("use_multiprocessing").asBoolean(false))
            .callbacks(recorder);
    if (kw.has("steps_per_epoch")) b.stepsPerEpoch(kw.get("steps_per_epoch").asInt());
    if (kw.has("validation_steps")) b.validationSteps(kw.get("validation_steps").asInt());
    History h =
        withSource(
            s,
            "source",
            train ->
                withSource(
                    s,
                    "validation_source",
                    val -> {
                      if (val != null) b.validationData(val);
                      obs.put(
                          "steps_per_epoch",
                          kw.has("steps_per_epoch")
                              ? kw.get("steps_per_epoch").asInt()
                              : ((Sequence) train).size());
                      return s.model().fitGenerator(train, b.build());
                    }));
    putHistory(h, obs);
    putRecorder(recorder, obs);
  }

  /** Keras 2.3.1 {@code evaluate_generator} over a fresh {@code compat_sources} object. */
  private void evaluatePython(Step s, ObjectNode obs) {
    JsonNode jk = s.action().path("jkeras");
    Recorder recorder = new Recorder();
    EvaluateOptions.Builder b =
        EvaluateOptions.builder()
            .verbose(0)
            .workers(jk.path("workers").asInt(0))
            .useMultiprocessing(jk.path("use_multiprocessing").asBoolean(false))
            .callbacks(List.of(recorder));
    if (s.action().has("steps")) b.steps(s.action().get("steps").asInt());
    obs.set(
        "value",
        scores(withSource(s, "source", src -> s.model().evaluateGenerator(src, b.build()))));
    putRecorder(recorder, obs);
  }

  /** Keras 2.3.1 {@code predict_generator} over a fresh {@code compat_sources} object. */
  private void predictPython(Step s, ObjectNode obs) {
    JsonNode jk = s.action().path("jkeras");
    PredictOptions.Builder b =
        PredictOptions.builder()
            .verbose(0)
            .workers(jk.path("workers").asInt(0))
            .useMultiprocessing(jk.path("use_multiprocessing").asBoolean(false));
    if (s.action().has("steps")) b.steps(s.action().get("steps").asInt());
    putOutputs(withSource(s, "source", src -> s.model().predictOutputs(src, b.build())), obs);
  }

  /**
   * Opens the action's {@code compat_sources} object named by {@code key} (none if the action has
   * no such key: {@code use} gets null), gives it to {@code use} and closes it.
   */
  private <T> T withSource(Step s, String key, Function<Object, T> use) {
    if (!s.action().has(key)) return use.apply(null);
    try (AutoCloseable src = open(s.action().get(key), s.workDir())) {
      return use.apply(src);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A {@code compat_sources} object through the Jep bridge: {@code {"kind": "generator" |
   * "sequence", "attribute", "args", "kwargs"}}, {@code "{work}"} in strings replaced by the
   * runner's work directory (where it wrote the data files).
   */
  private AutoCloseable open(JsonNode spec, String workDir) {
    if (pythonDir == null)
      throw new IllegalStateException("no compat_sources directory given to JkerasReplay");
    Object[] args = mapper.convertValue(placeholders(spec.path("args"), workDir), Object[].class);
    Map<String, Object> kwargs =
        spec.has("kwargs")
            ? mapper.convertValue(placeholders(spec.get("kwargs"), workDir), MAP)
            : Map.of();
    PythonSource src =
        PythonSource.fromModule(SOURCES_MODULE, spec.path("attribute").asText(), args)
            .withKwargs(kwargs)
            .withPaths(pythonDir);
    String kind = spec.path("kind").asText("generator");
    return switch (kind) {
      case "generator" -> Python.generator(src);
      case "sequence" -> Python.sequence(src);
      default -> throw new IllegalArgumentException("unknown source kind " + kind);
    };
  }

  private JsonNode placeholders(JsonNode n, String workDir) {
    if (n.isTextual())
      return mapper.getNodeFactory().textNode(n.asText().replace("{work}", workDir));
    if (n.isArray()) {
      ArrayNode a = mapper.createArrayNode();
      n.forEach(e -> a.add(placeholders(e, workDir)));
      return a;
    }
    if (n.isObject()) {
      ObjectNode o = mapper.createObjectNode();
      n.fields().forEachRemaining(e -> o.set(e.getKey(), placeholders(e.getValue(), workDir)));
      return o;
    }
    return n.isMissingNode() ? mapper.createArrayNode() : n;
  }

  static void putOutputs(List<NDArray> outs, ObjectNode obs) {
    ArrayNode a = obs.putArray("outputs");
    for (NDArray o : outs) {
      ObjectNode e = a.addObject();
      ArrayNode shape = e.putArray("shape");
      for (long d : o.shape()) shape.add(d);
      ArrayNode data = e.putArray("data");
      for (float f : o.toFloatArray()) data.add(f);
    }
  }

  /**
   * The recorder's hook calls ({@code callback_events}) and its batch logs ({@code batch_logs:
   * {train, test}}), as the runner's {@code Recorder.observations}.
   */
  static void putRecorder(Recorder recorder, ObjectNode obs) {
    ArrayNode events = obs.putArray("callback_events");
    recorder.events.forEach(events::add);
    ObjectNode logs = obs.putObject("batch_logs");
    logs.set("train", logsNode(recorder.trainLogs));
    logs.set("test", logsNode(recorder.testLogs));
  }

  private static ArrayNode logsNode(List<List<Map<String, Double>>> lists) {
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    for (List<Map<String, Double>> list : lists) {
      ArrayNode l = a.addArray();
      for (Map<String, Double> m : list) {
        ObjectNode o = l.addObject();
        m.forEach(o::put);
      }
    }
    return a;
  }

  private static Sequence sequence(Data d, int batchSize) {
    return new DataSequence(d, batchSize);
  }

  /** Batches {@code [i*b, (i+1)*b)} of the data, in order; the last one may be smaller. */
  static class DataSequence extends Sequence {
    final Data d;
    final int batchSize;

    DataSequence(Data d, int batchSize) {
      this.d = d;
      this.batchSize = batchSize;
    }

    @Override
    public int size() {
      return (int) ((d.rows() + batchSize - 1) / batchSize);
    }

    @Override
    public Batch get(int i) {
      return d.batch((long) i * batchSize, Math.min(d.rows(), (long) (i + 1) * batchSize));
    }
  }

  static void putHistory(History h, ObjectNode obs) {
    Map<String, List<Double>> hist = h.history();
    ArrayNode keys = obs.putArray("history_keys");
    hist.keySet().forEach(keys::add);
    ObjectNode hv = obs.putObject("history");
    hist.forEach(
        (k, vs) -> {
          ArrayNode a = hv.putArray(k);
          vs.forEach(a::add);
        });
    ArrayNode ep = obs.putArray("epoch");
    h.epoch().forEach(ep::add);
  }

  /**
   * Records every hook call as {@code "hook index"} (the epoch or batch index; none for begin/end
   * hooks), like the runner's {@code Recorder}. {@code onTrainBatch*} keep Callback's forwarding to
   * {@code onBatch*}, which are recorded too. Also keeps the numeric batch logs of {@code
   * onTrainBatchEnd} (one list per epoch) and {@code onTestBatchEnd} (one list per evaluation):
   * Keras 2.3.1 logs hold {@code batch}, {@code size}, the batch's loss and the metrics' running
   * means.
   */
  static class Recorder extends Callback {
    final List<String> events;
    final List<List<Map<String, Double>>> trainLogs = new ArrayList<>();
    final List<List<Map<String, Double>>> testLogs = new ArrayList<>();

    Recorder() {
      this(new ArrayList<>());
    }

    /** Records into {@code events} (KerasCalls passes one that also feeds its timeline). */
    Recorder(List<String> events) {
      this.events = events;
    }

    private static Map<String, Double> numeric(Logs logs) {
      Map<String, Double> m = new LinkedHashMap<>();
      if (logs != null)
        logs.forEach(
            (k, v) -> {
              if (v instanceof Number n) m.put(k, n.doubleValue());
            });
      return m;
    }

    @Override
    public void onTrainBegin(Logs logs) {
      events.add("on_train_begin");
    }

    @Override
    public void onTrainEnd(Logs logs) {
      events.add("on_train_end");
    }

    @Override
    public void onEpochBegin(int epoch, Logs logs) {
      events.add("on_epoch_begin " + epoch);
      trainLogs.add(new ArrayList<>());
    }

    @Override
    public void onEpochEnd(int epoch, Logs logs) {
      events.add("on_epoch_end " + epoch);
    }

    @Override
    public void onTrainBatchBegin(int batch, Logs logs) {
      events.add("on_train_batch_begin " + batch);
      super.onTrainBatchBegin(batch, logs);
    }

    @Override
    public void onTrainBatchEnd(int batch, Logs logs) {
      events.add("on_train_batch_end " + batch);
      if (!trainLogs.isEmpty()) trainLogs.get(trainLogs.size() - 1).add(numeric(logs));
      super.onTrainBatchEnd(batch, logs);
    }

    @Override
    public void onBatchBegin(int batch, Logs logs) {
      events.add("on_batch_begin " + batch);
    }

    @Override
    public void onBatchEnd(int batch, Logs logs) {
      events.add("on_batch_end " + batch);
    }

    @Override
    public void onTestBegin(Logs logs) {
      events.add("on_test_begin");
      testLogs.add(new ArrayList<>());
    }

    @Override
    public void onTestEnd(Logs logs) {
      events.add("on_test_end");
    }

    @Override
    public void onTestBatchBegin(int batch, Logs logs) {
      events.add("on_test_batch_begin " + batch);
    }

    @Override
    public void onTestBatchEnd(int batch, Logs logs) {
      events.add("on_test_batch_end " + batch);
      if (!testLogs.isEmpty()) testLogs.get(testLogs.size() - 1).add(numeric(logs));
    }

    @Override
    public void onPredictBegin(Logs logs) {
      events.add("on_predict_begin");
    }

    @Override
    public void onPredictEnd(Logs logs) {
      events.add("on_predict_end");
    }

    @Override
    public void onPredictBatchBegin(int batch, Logs logs) {
      events.add("on_predict_batch_begin " + batch);
    }

    @Override
    public void onPredictBatchEnd(int batch, Logs logs) {
      events.add("on_predict_batch_end " + batch);
    }
  }

  /** Keras' scalar-or-list return value, in the runner's JSON form. */
  static JsonNode scores(Scores s) {
    if (s.isScalar()) return JsonNodeFactory.instance.numberNode(s.scalar());
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    s.forEach(a::add);
    return a;
  }

  // -------------------------------------------------------------------------------------------
  // Model

  private Model build(JsonNode modelSpec) {
    String type = modelSpec.path("type").asText();
    if (type.equals("sequential")) {
      Sequential m = new Sequential();
      for (JsonNode l : modelSpec.path("layers")) m.add(layer(l));
      return m;
    }
    if (!type.equals("functional"))
      throw new IllegalArgumentException("unknown model type " + type);
    Map<String, KerasTensor> tensors = new LinkedHashMap<>();
    List<KerasTensor> inputs = new ArrayList<>();
    for (JsonNode in : modelSpec.path("inputs")) {
      KerasTensor t =
          Input.builder()
              .shape(longs(in.path("shape")))
              .name(in.path("name").asText())
              .dtype(in.path("dtype").asText("float32"))
              .build();
      tensors.put(in.path("name").asText(), t);
      inputs.add(t);
    }
    for (JsonNode node : modelSpec.path("nodes")) {
      Layer layer = layer(node.path("layer"));
      List<KerasTensor> inbound = new ArrayList<>();
      for (JsonNode name : node.path("inbound")) {
        KerasTensor t = tensors.get(name.asText());
        if (t == null) throw new IllegalArgumentException("unknown inbound node " + name.asText());
        inbound.add(t);
      }
      List<KerasTensor> outs = layer.applyOutputs(inbound);
      String name = node.path("name").asText();
      tensors.put(name, outs.get(0));
      // Several outputs (return_state): "name:i" each, as the runners name them.
      if (outs.size() > 1)
        for (int i = 0; i < outs.size(); i++) tensors.put(name + ":" + i, outs.get(i));
    }
    List<KerasTensor> outputs = new ArrayList<>();
    for (JsonNode o : modelSpec.path("outputs")) outputs.add(tensors.get(o.asText()));
    return new Model(inputs, outputs, modelSpec.path("name").asText(null));
  }

  /**
   * Each layer's {@code getConfig()} after a round trip through {@code Layers.deserialize}: the
   * layers {@code names} lists, else all but the input layers; a layer whose config does not come
   * back unchanged is recorded.
   */
  private void layerConfigs(Model model, JsonNode names, ObjectNode obs) {
    List<String> only = new ArrayList<>();
    names.forEach(n -> only.add(n.asText()));
    ArrayNode layers = obs.putArray("layers");
    for (Layer l : model.layers()) {
      if (l instanceof jkeras.layers.InputLayer) continue;
      if (!names.isMissingNode() && !only.contains(l.name())) continue;
      String className = l.getClass().getSimpleName();
      Map<String, Object> config = l.getConfig();
      Map<String, Object> again = Layers.deserialize(className, config).getConfig();
      if (!mapper.valueToTree(again).equals(mapper.valueToTree(config)))
        obs.put("round_trip_changed", className + " " + config + " -> " + again);
      ObjectNode entry = layers.addObject();
      entry.put("class_name", className);
      entry.set("config", mapper.valueToTree(again));
    }
  }

  private Layer layer(JsonNode spec) {
    return Layers.deserialize(
        spec.path("class_name").asText(), mapper.convertValue(spec.path("config"), MAP));
  }

  /**
   * The scenario's Keras 2.3.1 compile kwargs; a loss given as {@code {class_name, config}} is that
   * loss class' {@code fromConfig} (as {@code keras.losses.get} deserializes it).
   */
  private CompileOptions compileOptions(JsonNode compile) {
    Map<String, Object> kwargs = mapper.convertValue(compile, MAP);
    JsonNode loss = compile.path("loss");
    if (loss.has("class_name")) {
      String cls = "jkeras.losses." + loss.get("class_name").asText();
      try {
        kwargs.put(
            "loss",
            Class.forName(cls)
                .getMethod("fromConfig", Map.class)
                .invoke(null, mapper.convertValue(loss.path("config"), MAP)));
      } catch (ReflectiveOperationException e) {
        throw new IllegalArgumentException("no loss class " + cls + " with fromConfig", e);
      }
    }
    return CompileOptions.fromConfig(kwargs);
  }

  /**
   * Sets every layer's weights from the fixture, by layer name (model weight order may differ), or
   * by position among the layers with weights when the scenario keeps the default names.
   */
  private static void setWeights(Model model, JsonNode weights) {
    // jkeras creates the weights' storage lazily, and Layer.setWeights before that throws
    // (Keras allows it as soon as the model exists); a model-level read materialises it.
    model.getWeights();
    List<Layer> weighted = model.layers().stream().filter(l -> !l.getWeights().isEmpty()).toList();
    for (JsonNode entry : weights) {
      List<NDArray> ws = new ArrayList<>();
      for (JsonNode w : entry.path("weights"))
        ws.add(NDArray.of(floats(w.path("data")), longs(w.path("shape"))));
      Layer layer =
          entry.has("index")
              ? weighted.get(entry.get("index").asInt())
              : model.getLayer(entry.path("layer").asText());
      layer.setWeights(ws);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Data

  /** One side's arrays by name ({@code null} name: the single array of a Sequential model). */
  private static Map<String, NDArray> arrays(JsonNode list) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (JsonNode a : list) {
      long[] shape = longs(a.path("shape"));
      String dtype = a.path("dtype").asText("float32");
      NDArray arr;
      if (dtype.startsWith("int")) {
        int[] v = new int[a.path("data").size()];
        for (int i = 0; i < v.length; i++) v[i] = a.path("data").get(i).asInt();
        arr = NDArray.ofInts(v, shape);
      } else {
        arr = NDArray.of(floats(a.path("data")), shape);
      }
      out.put(a.path("name").isNull() ? null : a.path("name").asText(), arr);
    }
    return out;
  }

  /**
   * Inputs and targets by name, and the samples' weights (or null): the fixture's training or
   * validation data, or rows of them.
   */
  record Data(Map<String, NDArray> xs, Map<String, NDArray> ys, NDArray sampleWeight) {
    /** The fixture's arrays under {@code x}, {@code y} and (if there) {@code sampleWeight}. */
    static Data of(JsonNode fixture, String x, String y, String sampleWeight) {
      return new Data(
          arrays(fixture.path(x)),
          arrays(fixture.path(y)),
          fixture.has(sampleWeight) ? arrays(fixture.get(sampleWeight)).get(null) : null);
    }

    long rows() {
      return xs.values().iterator().next().shape()[0];
    }

    ArrayData x() {
      return wrap(xs);
    }

    ArrayData y() {
      return wrap(ys);
    }

    /** Rows {@code [from, to)}. */
    Data slice(long from, long to) {
      return map(a -> a.slice(from, to));
    }

    /** The rows at {@code indices}, in that order. */
    Data take(int[] indices) {
      return map(a -> a.take(indices));
    }

    /** {@code (x, y)} of rows {@code [from, to)}. */
    Batch batch(long from, long to) {
      Data d = slice(from, to);
      return Batch.of(d.x(), d.y());
    }

    private Data map(java.util.function.UnaryOperator<NDArray> f) {
      return new Data(
          mapValues(xs, f), mapValues(ys, f), sampleWeight == null ? null : f.apply(sampleWeight));
    }

    private static Map<String, NDArray> mapValues(
        Map<String, NDArray> m, java.util.function.UnaryOperator<NDArray> f) {
      Map<String, NDArray> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(k, f.apply(v)));
      return out;
    }

    static ArrayData wrap(Map<String, NDArray> m) {
      return m.containsKey(null) ? m.get(null) : ArrayData.of(m);
    }
  }

  private static float[] floats(JsonNode data) {
    float[] v = new float[data.size()];
    for (int i = 0; i < v.length; i++) v[i] = (float) data.get(i).asDouble();
    return v;
  }

  private static long[] longs(JsonNode data) {
    long[] v = new long[data.size()];
    for (int i = 0; i < v.length; i++) v[i] = data.get(i).asLong();
    return v;
  }

  private static String describe(Throwable e) {
    String msg = e.getClass().getSimpleName() + ": " + e.getMessage();
    return msg.length() > 400 ? msg.substring(0, 400) + "..." : msg;
  }
}
