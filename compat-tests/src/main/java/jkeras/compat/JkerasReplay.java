package jkeras.compat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import jkeras.utils.Sequence;

/**
 * Replays one scenario in jkeras from the fixture recorded by {@code keras_runner.py}: the same
 * model spec, the same initial weights (set layer by layer, by name), the same data and the same
 * actions. Returns the observations in the runner's JSON schema, so both sides compare field by
 * field.
 */
public final class JkerasReplay {
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  /** The module of the Python data sources, in {@code compat-tests/python}. */
  static final String SOURCES_MODULE = "compat_sources";

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

  /**
   * Runs the scenario recorded in {@code kerasResult} (one element of the runner's {@code
   * scenarios} list).
   *
   * @return {@code {"name", "observations": [...]}}, or {@code {"name", "error"}} when the model
   *     could not even be built; a failing action records {@code {"type", "error"}} and the replay
   *     goes on with the next action
   */
  public ObjectNode replay(JsonNode kerasResult) {
    ObjectNode out = mapper.createObjectNode();
    out.put("name", kerasResult.path("name").asText());
    JsonNode spec = kerasResult.path("spec");
    JsonNode fixture = kerasResult.path("fixture");
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
        model.compile(CompileOptions.fromConfig(mapper.convertValue(spec.path("compile"), MAP)));
      } catch (RuntimeException e) {
        out.put("error", "setting weights / compiling: " + describe(e));
        return out;
      }
      Data train = new Data(arrays(fixture.path("x")), arrays(fixture.path("y")));
      Data val =
          fixture.has("val_x")
              ? new Data(arrays(fixture.path("val_x")), arrays(fixture.path("val_y")))
              : null;
      ArrayNode observations = out.putArray("observations");
      for (JsonNode action : spec.path("actions")) {
        String type = action.path("type").asText();
        ObjectNode obs = mapper.createObjectNode();
        obs.put("type", type);
        try {
          runAction(model, action, type, train, val, fixture.path("work_dir").asText(""), obs);
        } catch (RuntimeException e) {
          obs.put("error", describe(e));
        }
        observations.add(obs);
      }
    }
    return out;
  }

  private void runAction(
      Model model,
      JsonNode action,
      String type,
      Data train,
      Data val,
      String workDir,
      ObjectNode obs) {
    JsonNode kw = action.path("kwargs");
    Data on = "val".equals(action.path("on").asText("train")) ? val : train;
    switch (type) {
      case "train_on_batch" -> {
        int steps = action.path("steps").asInt(20);
        long n = train.rows();
        int batch = action.path("batch").asInt((int) n);
        ArrayNode values = obs.putArray("values");
        for (int step = 0; step < steps; step++) {
          long start = ((long) step * batch) % n;
          long end = Math.min(start + batch, n);
          Scores s = model.trainOnBatch(train.xSlice(start, end), train.ySlice(start, end));
          values.add(scores(s));
        }
      }
      case "fit" -> {
        FitOptions.Builder b =
            FitOptions.builder().verbose(0).shuffle(kw.path("shuffle").asBoolean(false));
        if (kw.has("batch_size")) b.batchSize(kw.get("batch_size").asInt());
        if (kw.has("epochs")) b.epochs(kw.get("epochs").asInt());
        if (kw.has("validation_split")) b.validationSplit(kw.get("validation_split").asDouble());
        if (kw.path("validation_data").asBoolean(false)) b.validationData(val.x(), val.y());
        putHistory(model.fit(train.x(), train.y(), b.build()), obs);
      }
      case "evaluate" -> {
        EvaluateOptions.Builder b = EvaluateOptions.builder().verbose(0);
        if (kw.has("batch_size")) b.batchSize(kw.get("batch_size").asInt());
        obs.set("value", scores(model.evaluate(on.x(), on.y(), b.build())));
      }
      case "predict" -> {
        PredictOptions.Builder b = PredictOptions.builder().verbose(0);
        if (kw.has("batch_size")) b.batchSize(kw.get("batch_size").asInt());
        putOutputs(
            model.outputNames().size() > 1
                ? model.predictOutputs(on.x(), b.build())
                : List.of(model.predict(on.x(), b.build())),
            obs);
      }
      case "fit_generator" -> fitGenerator(model, action, kw, train, val, obs);
      case "fit_python" -> fitPython(model, action, kw, workDir, obs);
      case "evaluate_python" -> evaluatePython(model, action, workDir, obs);
      case "predict_python" -> predictPython(model, action, workDir, obs);
      case "fit_generator_call", "evaluate_generator_call", "fit_progress", "optimizer_config" ->
          new KerasCalls(mapper).run(model, action, type, train, val, obs);
      case "metrics_names" -> {
        ArrayNode a = obs.putArray("value");
        model.metricsNames().forEach(a::add);
      }
      case "layer_configs" -> layerConfigs(model, action.path("layers"), obs);
      default -> throw new IllegalArgumentException("unknown action " + type);
    }
  }

  /** Keras 2.3.1 {@code fit_generator} on a Sequence over the fixture, workers=0, no shuffle. */
  private void fitGenerator(
      Model model, JsonNode action, JsonNode kw, Data train, Data val, ObjectNode obs) {
    Sequence seq = sequence(train, action.path("batch_size").asInt());
    Recorder recorder = new Recorder();
    int verbose = kw.path("verbose").asInt(0);
    FitOptions.Builder b =
        FitOptions.builder()
            .epochs(kw.path("epochs").asInt(1))
            .verbose(verbose)
            .shuffle(false)
            .workers(0)
            .callbacks(recorder);
    if (action.path("validation_batch_size").asInt(0) > 0) {
      b.validationData(sequence(val, action.get("validation_batch_size").asInt()));
      if (kw.has("validation_steps")) b.validationSteps(kw.get("validation_steps").asInt());
    }
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    String clock = System.getProperty(Trainer.PROGBAR_FIXED_CLOCK_PROPERTY);
    History h;
    try {
      System.setOut(new PrintStream(progress, true, StandardCharsets.UTF_8));
      System.setProperty(Trainer.PROGBAR_FIXED_CLOCK_PROPERTY, String.valueOf(FROZEN_CLOCK));
      h = model.fitGenerator(seq, b.build());
    } finally {
      System.setOut(stdout);
      if (clock == null) System.clearProperty(Trainer.PROGBAR_FIXED_CLOCK_PROPERTY);
      else System.setProperty(Trainer.PROGBAR_FIXED_CLOCK_PROPERTY, clock);
    }
    obs.put("steps_per_epoch", seq.size());
    putHistory(h, obs);
    putCallbacks(recorder, obs);
    ObjectNode logs = obs.putObject("batch_logs");
    logs.set("train", mapper.valueToTree(recorder.trainLogs));
    logs.set("test", mapper.valueToTree(recorder.testLogs));
    obs.put("progress", progress.toString(StandardCharsets.UTF_8));
  }

  // -------------------------------------------------------------------------------------------
  // Python data sources: the same compat_sources generators and Sequences tf-keras ran

  /**
   * Keras 2.3.1 {@code fit_generator} over a {@code compat_sources} generator or Sequence (and one
   * for validation), no shuffle, {@code workers} and {@code use_multiprocessing} from the action's
   * {@code jkeras} entry (default 0 and false).
   */
  private void fitPython(
      Model model, JsonNode action, JsonNode kw, String workDir, ObjectNode obs) {
    JsonNode jk = action.path("jkeras");
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
    try (AutoCloseable train = open(action.path("source"), workDir);
        AutoCloseable val =
            action.has("validation_source")
                ? open(action.get("validation_source"), workDir)
                : null) {
      if (val instanceof Sequence s) b.validationData(s);
      else if (val != null) b.validationData((java.util.Iterator<?>) val);
      History h =
          train instanceof Sequence s
              ? model.fitGenerator(s, b.build())
              : model.fitGenerator((java.util.Iterator<?>) train, b.build());
      obs.put(
          "steps_per_epoch",
          kw.has("steps_per_epoch")
              ? kw.get("steps_per_epoch").asInt()
              : ((Sequence) train).size());
      putHistory(h, obs);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    putCallbacks(recorder, obs);
    ObjectNode logs = obs.putObject("batch_logs");
    logs.set("train", mapper.valueToTree(recorder.trainLogs));
    logs.set("test", mapper.valueToTree(recorder.testLogs));
  }

  /** Keras 2.3.1 {@code evaluate_generator} over a fresh {@code compat_sources} object. */
  private void evaluatePython(Model model, JsonNode action, String workDir, ObjectNode obs) {
    JsonNode jk = action.path("jkeras");
    Recorder recorder = new Recorder();
    EvaluateOptions.Builder b =
        EvaluateOptions.builder()
            .verbose(0)
            .workers(jk.path("workers").asInt(0))
            .useMultiprocessing(jk.path("use_multiprocessing").asBoolean(false))
            .callbacks(List.of(recorder));
    if (action.has("steps")) b.steps(action.get("steps").asInt());
    try (AutoCloseable src = open(action.path("source"), workDir)) {
      Scores s =
          src instanceof Sequence seq
              ? model.evaluateGenerator(seq, b.build())
              : model.evaluateGenerator((java.util.Iterator<?>) src, b.build());
      obs.set("value", scores(s));
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    obs.putObject("batch_logs").set("test", mapper.valueToTree(recorder.testLogs));
  }

  /** Keras 2.3.1 {@code predict_generator} over a fresh {@code compat_sources} object. */
  private void predictPython(Model model, JsonNode action, String workDir, ObjectNode obs) {
    JsonNode jk = action.path("jkeras");
    PredictOptions.Builder b =
        PredictOptions.builder()
            .verbose(0)
            .workers(jk.path("workers").asInt(0))
            .useMultiprocessing(jk.path("use_multiprocessing").asBoolean(false));
    if (action.has("steps")) b.steps(action.get("steps").asInt());
    List<NDArray> outs;
    try (AutoCloseable src = open(action.path("source"), workDir)) {
      boolean multi = model.outputNames().size() > 1;
      if (src instanceof Sequence seq) {
        outs =
            multi
                ? model.predictOutputs(seq, b.build())
                : List.of(model.predictGenerator(seq, b.build()));
      } else {
        java.util.Iterator<?> it = (java.util.Iterator<?>) src;
        outs =
            multi
                ? model.predictOutputs(it, b.build())
                : List.of(model.predictGenerator(it, b.build()));
      }
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    putOutputs(outs, obs);
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

  private static void putOutputs(List<NDArray> outs, ObjectNode obs) {
    ArrayNode a = obs.putArray("outputs");
    for (NDArray o : outs) {
      ObjectNode e = a.addObject();
      ArrayNode shape = e.putArray("shape");
      for (long d : o.shape()) shape.add(d);
      ArrayNode data = e.putArray("data");
      for (float f : o.toFloatArray()) data.add(f);
    }
  }

  private static void putCallbacks(Recorder recorder, ObjectNode obs) {
    ObjectNode counts = obs.putObject("callback_counts");
    for (String hook : Recorder.HOOKS) {
      counts.put(hook, recorder.events.stream().filter(e -> e.split(" ")[0].equals(hook)).count());
    }
    ArrayNode events = obs.putArray("callback_events");
    recorder.events.forEach(events::add);
  }

  /** The clock of the progress bars while a fit_generator action runs (as keras_runner.py). */
  static final double FROZEN_CLOCK = 1000.0;

  /** Batches {@code [i*b, (i+1)*b)} of the data, in order; the last one may be smaller. */
  private static Sequence sequence(Data d, int batchSize) {
    long n = d.rows();
    return new Sequence() {
      @Override
      public int size() {
        return (int) ((n + batchSize - 1) / batchSize);
      }

      @Override
      public Batch get(int i) {
        long from = (long) i * batchSize;
        long to = Math.min(n, from + batchSize);
        return Batch.of(d.xSlice(from, to), d.ySlice(from, to));
      }
    };
  }

  private static void putHistory(History h, ObjectNode obs) {
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
    static final List<String> HOOKS =
        List.of(
            "on_train_begin",
            "on_train_end",
            "on_epoch_begin",
            "on_epoch_end",
            "on_train_batch_begin",
            "on_train_batch_end",
            "on_batch_begin",
            "on_batch_end",
            "on_test_begin",
            "on_test_end",
            "on_test_batch_begin",
            "on_test_batch_end",
            "on_predict_begin",
            "on_predict_end",
            "on_predict_batch_begin",
            "on_predict_batch_end");
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
  private JsonNode scores(Scores s) {
    if (s.isScalar()) return mapper.getNodeFactory().numberNode(s.scalar());
    ArrayNode a = mapper.createArrayNode();
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
    return new Model(inputs, outputs, modelSpec.path("name").asText("model"));
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

  /** Sets every layer's weights from the fixture, by layer name (model weight order may differ). */
  private static void setWeights(Model model, JsonNode weights) {
    // jkeras creates the weights' storage lazily, and Layer.setWeights before that throws
    // (Keras allows it as soon as the model exists); a model-level read materialises it.
    model.getWeights();
    for (JsonNode entry : weights) {
      List<NDArray> ws = new ArrayList<>();
      for (JsonNode w : entry.path("weights"))
        ws.add(NDArray.of(floats(w.path("data")), longs(w.path("shape"))));
      model.getLayer(entry.path("layer").asText()).setWeights(ws);
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

  record Data(Map<String, NDArray> xs, Map<String, NDArray> ys) {
    long rows() {
      return xs.values().iterator().next().shape()[0];
    }

    ArrayData x() {
      return wrap(xs);
    }

    ArrayData y() {
      return wrap(ys);
    }

    ArrayData xSlice(long from, long to) {
      return wrap(slice(xs, from, to));
    }

    ArrayData ySlice(long from, long to) {
      return wrap(slice(ys, from, to));
    }

    Map<String, NDArray> xsSlice(long from, long to) {
      return slice(xs, from, to);
    }

    Map<String, NDArray> ysSlice(long from, long to) {
      return slice(ys, from, to);
    }

    private static Map<String, NDArray> slice(Map<String, NDArray> m, long from, long to) {
      Map<String, NDArray> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(k, v.slice(from, to)));
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
