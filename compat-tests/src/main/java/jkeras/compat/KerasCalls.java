package jkeras.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import jkeras.callbacks.History;
import jkeras.data.ArrayData;
import jkeras.data.Batch;
import jkeras.data.NDArray;
import jkeras.internal.Warnings;
import jkeras.models.Model;
import jkeras.trainers.FitOptions;
import jkeras.trainers.Scores;
import jkeras.trainers.Trainer;
import jkeras.utils.BatchSized;
import jkeras.utils.Sequence;

/**
 * The jkeras side of the actions that call Keras' API as written: {@code fit_generator_call} and
 * {@code evaluate_generator_call} go through jkeras' keyword form ({@code model.fitGenerator(List
 * args, Map kwargs)}, Keras 1 names included), {@code fit_progress} is {@code fit} on arrays with
 * its progress bar, {@code optimizer_config} the compiled optimizer's {@code getConfig()}. The
 * observations follow {@code keras_runner.py}'s: outcome or exception, Keras' warnings, callbacks,
 * every item the data sources gave, the progress text.
 */
final class KerasCalls {
  /**
   * What {@code str()} of the runner's objects starts with: Keras' warnings print it, cut at 10
   * characters.
   */
  private static final String PYTHON_STR = "<__main__.%s object>";

  private final ObjectMapper mapper;

  KerasCalls(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  void run(
      Model model,
      JsonNode action,
      String type,
      JkerasReplay.Data train,
      JkerasReplay.Data val,
      ObjectNode obs) {
    switch (type) {
      case "fit_generator_call", "evaluate_generator_call" ->
          generatorCall(model, action, type, train, val, obs);
      case "fit_progress" -> fitProgress(model, action, train, val, obs);
      case "optimizer_config" -> {
        obs.put("class_name", model.optimizer().className());
        obs.set("config", mapper.valueToTree(model.optimizer().getConfig()));
      }
      default -> throw new IllegalArgumentException("unknown action " + type);
    }
  }

  private void generatorCall(
      Model model,
      JsonNode action,
      String type,
      JkerasReplay.Data train,
      JkerasReplay.Data val,
      ObjectNode obs) {
    List<String> timeline = Collections.synchronizedList(new ArrayList<>());
    JkerasReplay.Recorder recorder =
        new TimelineRecorder(timeline, action.path("sleep_on_epoch_end").asDouble(0));
    Object source = source(action.path("source"), train, "train", timeline);
    Map<String, Object> kwargs = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = action.path("kwargs").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String v = e.getValue().isTextual() ? e.getValue().asText() : null;
      if ("{validation}".equals(v))
        kwargs.put(e.getKey(), source(action.path("validation"), val, "val", timeline));
      else if ("{recorder}".equals(v)) kwargs.put(e.getKey(), List.of(recorder));
      else kwargs.put(e.getKey(), mapper.convertValue(e.getValue(), Object.class));
    }
    kwargs.putIfAbsent("callbacks", List.of(recorder));
    List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    obs.putNull("raised");
    try (AutoCloseable listening = Warnings.listen(warnings::add)) {
      withFrozenProgbar(
          progress,
          () -> {
            if (type.equals("fit_generator_call")) {
              putHistory(model.fitGenerator(List.of(source), kwargs), obs);
            } else {
              obs.set("value", scores(model.evaluateGenerator(List.of(source), kwargs)));
            }
            return null;
          });
    } catch (RuntimeException e) {
      obs.set("raised", raised(e));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    ArrayNode w = obs.putArray("warnings");
    warnings.forEach(w::add);
    putRecorder(recorder, obs);
    ArrayNode t = obs.putArray("timeline");
    synchronized (timeline) {
      timeline.forEach(t::add);
    }
    obs.put("progress", progress.toString(StandardCharsets.UTF_8));
  }

  /** {@code fit(x, y, verbose, ...)} on arrays, printing into a buffer with the frozen clock. */
  private void fitProgress(
      Model model,
      JsonNode action,
      JkerasReplay.Data train,
      JkerasReplay.Data val,
      ObjectNode obs) {
    JsonNode kw = action.path("kwargs");
    FitOptions.Builder b =
        FitOptions.builder()
            .verbose(kw.path("verbose").asInt(1))
            .shuffle(kw.path("shuffle").asBoolean(false));
    if (kw.has("batch_size")) b.batchSize(kw.get("batch_size").asInt());
    if (kw.has("epochs")) b.epochs(kw.get("epochs").asInt());
    if (kw.has("validation_split")) b.validationSplit(kw.get("validation_split").asDouble());
    if (kw.path("validation_data").asBoolean(false)) b.validationData(val.x(), val.y());
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    History h = withFrozenProgbar(progress, () -> model.fit(train.x(), train.y(), b.build()));
    putHistory(h, obs);
    obs.put("progress", progress.toString(StandardCharsets.UTF_8));
  }

  /**
   * Runs {@code call} with {@code System.out} captured and the Progbar clock frozen (as
   * JkerasReplay).
   */
  private static <T> T withFrozenProgbar(ByteArrayOutputStream into, Supplier<T> call) {
    PrintStream stdout = System.out;
    String clock = System.getProperty(Trainer.PROGBAR_FIXED_CLOCK_PROPERTY);
    try {
      System.setOut(new PrintStream(into, true, StandardCharsets.UTF_8));
      System.setProperty(
          Trainer.PROGBAR_FIXED_CLOCK_PROPERTY, String.valueOf(JkerasReplay.FROZEN_CLOCK));
      return call.get();
    } finally {
      System.setOut(stdout);
      if (clock == null) System.clearProperty(Trainer.PROGBAR_FIXED_CLOCK_PROPERTY);
      else System.setProperty(Trainer.PROGBAR_FIXED_CLOCK_PROPERTY, clock);
    }
  }

  private ObjectNode raised(RuntimeException e) {
    ObjectNode r = mapper.createObjectNode();
    r.put("type", e.getClass().getSimpleName());
    r.put("message", e.getMessage());
    return r;
  }

  private void putHistory(History h, ObjectNode obs) {
    ArrayNode keys = obs.putArray("history_keys");
    h.history().keySet().forEach(keys::add);
    ObjectNode hv = obs.putObject("history");
    h.history()
        .forEach(
            (k, vs) -> {
              ArrayNode a = hv.putArray(k);
              vs.forEach(a::add);
            });
    ArrayNode ep = obs.putArray("epoch");
    h.epoch().forEach(ep::add);
  }

  private void putRecorder(JkerasReplay.Recorder recorder, ObjectNode obs) {
    ObjectNode counts = obs.putObject("callback_counts");
    for (String hook : JkerasReplay.Recorder.HOOKS) {
      counts.put(hook, recorder.events.stream().filter(e -> e.split(" ")[0].equals(hook)).count());
    }
    ArrayNode events = obs.putArray("callback_events");
    recorder.events.forEach(events::add);
    ObjectNode logs = obs.putObject("batch_logs");
    logs.set("train", mapper.valueToTree(recorder.trainLogs));
    logs.set("test", mapper.valueToTree(recorder.testLogs));
  }

  private JsonNode scores(Scores s) {
    if (s.isScalar()) return mapper.getNodeFactory().numberNode(s.scalar());
    ArrayNode a = mapper.createArrayNode();
    s.forEach(a::add);
    return a;
  }

  // -------------------------------------------------------------------------------------------
  // Data sources over the fixture, recording what they give, as the runner's ArraySequence and
  // ArrayGenerator do

  private static Object source(
      JsonNode spec, JkerasReplay.Data d, String role, List<String> timeline) {
    if (d == null)
      throw new IllegalArgumentException("the scenario has no data for the " + role + " source");
    return switch (spec.path("kind").asText()) {
      case "sequence" -> new RecordingSequence(d, spec.path("batch_size").asInt(), role, timeline);
      case "generator" -> {
        List<Integer> sizes = new ArrayList<>();
        spec.path("sizes").forEach(s -> sizes.add(s.asInt()));
        if (sizes.isEmpty()) sizes.add(spec.path("batch_size").asInt());
        JsonNode slow = spec.path("slow");
        yield new RecordingGenerator(
            d,
            sizes,
            role,
            timeline,
            slow.path("index").asInt(-1),
            slow.path("seconds").asDouble(0));
      }
      default ->
          throw new IllegalArgumentException("unknown source kind " + spec.path("kind").asText());
    };
  }

  /**
   * Batches {@code [i*b, (i+1)*b)}; records {@code "<role> get i"} and {@code "<role>
   * on_epoch_end"}.
   */
  static final class RecordingSequence extends Sequence implements BatchSized {
    private final JkerasReplay.Data d;
    private final int batchSize;
    private final String role;
    private final List<String> timeline;

    RecordingSequence(JkerasReplay.Data d, int batchSize, String role, List<String> timeline) {
      this.d = d;
      this.batchSize = batchSize;
      this.role = role;
      this.timeline = timeline;
    }

    @Override
    public int size() {
      return (int) ((d.rows() + batchSize - 1) / batchSize);
    }

    @Override
    public Batch get(int i) {
      timeline.add(role + " get " + i);
      long from = (long) i * batchSize;
      long to = Math.min(d.rows(), from + batchSize);
      return Batch.of(d.xSlice(from, to), d.ySlice(from, to));
    }

    @Override
    public void onEpochEnd() {
      timeline.add(role + " on_epoch_end");
    }

    @Override
    public int batchSize() {
      return batchSize;
    }

    @Override
    public String toString() {
      return String.format(PYTHON_STR, "ArraySequence");
    }
  }

  /**
   * Endless batches: item j has {@code sizes[j % sizes.size()]} rows, continuing where item j-1
   * stopped and wrapping around the data; records {@code "<role> next j"}; sleeps before item
   * {@code slowIndex}.
   */
  static final class RecordingGenerator implements Iterator<Batch> {
    private final JkerasReplay.Data d;
    private final List<Integer> sizes;
    private final String role;
    private final List<String> timeline;
    private final int slowIndex;
    private final double slowSeconds;
    private int item;
    private long offset;

    RecordingGenerator(
        JkerasReplay.Data d,
        List<Integer> sizes,
        String role,
        List<String> timeline,
        int slowIndex,
        double slowSeconds) {
      this.d = d;
      this.sizes = sizes;
      this.role = role;
      this.timeline = timeline;
      this.slowIndex = slowIndex;
      this.slowSeconds = slowSeconds;
    }

    @Override
    public boolean hasNext() {
      return true;
    }

    @Override
    public Batch next() {
      int j = item++;
      int size = sizes.get(j % sizes.size());
      long n = d.rows();
      long from = offset;
      offset = (offset + size) % n;
      timeline.add(role + " next " + j);
      if (j == slowIndex) {
        try {
          Thread.sleep((long) (slowSeconds * 1000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return Batch.of(rows(d, true, from, size), rows(d, false, from, size));
    }

    private static ArrayData rows(JkerasReplay.Data d, boolean x, long from, int size) {
      long n = d.rows();
      long end = from + size;
      if (end <= n) return x ? d.xSlice(from, end) : d.ySlice(from, end);
      // wraps around: the end of the data, then its start
      Map<String, NDArray> head = x ? d.xsSlice(from, n) : d.ysSlice(from, n);
      Map<String, NDArray> tail = x ? d.xsSlice(0, end - n) : d.ysSlice(0, end - n);
      Map<String, NDArray> joined = new LinkedHashMap<>();
      head.forEach((k, v) -> joined.put(k, NDArray.concatenate(List.of(v, tail.get(k)))));
      return JkerasReplay.Data.wrap(joined);
    }

    @Override
    public String toString() {
      return String.format(PYTHON_STR, "ArrayGenerator");
    }
  }

  /**
   * The replay's recorder writing into the shared timeline too; sleeps at each epoch end when
   * asked.
   */
  static final class TimelineRecorder extends JkerasReplay.Recorder {
    private final double sleepOnEpochEnd;

    TimelineRecorder(List<String> timeline, double sleepOnEpochEnd) {
      super(
          new ArrayList<>() {
            @Override
            public boolean add(String event) {
              timeline.add(event);
              return super.add(event);
            }
          });
      this.sleepOnEpochEnd = sleepOnEpochEnd;
    }

    @Override
    public void onEpochEnd(int epoch, jkeras.callbacks.Logs logs) {
      super.onEpochEnd(epoch, logs);
      if (sleepOnEpochEnd > 0) {
        try {
          Thread.sleep((long) (sleepOnEpochEnd * 1000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    @Override
    public String toString() {
      return String.format(PYTHON_STR, "Recorder");
    }
  }
}
