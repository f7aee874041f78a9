package jkeras.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jkeras.data.Batch;
import jkeras.internal.Warnings;
import jkeras.models.Model;
import jkeras.utils.BatchSized;
import jkeras.utils.SequenceEnqueuer;

/**
 * The jkeras side of the actions that call Keras' API as written: {@code fit_generator_call},
 * {@code evaluate_generator_call} and {@code predict_generator_call} go through jkeras' keyword
 * form ({@code model.fitGenerator(List args, Map kwargs)}, Keras 1 names included), {@code
 * optimizer_config} is the compiled optimizer's {@code getConfig()}. The observations follow {@code
 * keras_runner.py}'s: outcome or exception, Keras' warnings, callbacks, every item the data sources
 * gave, the progress text.
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

  void run(JkerasReplay.Step s, ObjectNode obs) {
    if (s.type().equals("optimizer_config")) {
      obs.put("class_name", s.model().optimizer().className());
      obs.set("config", mapper.valueToTree(s.model().optimizer().getConfig()));
    } else {
      generatorCall(s, obs);
    }
  }

  /**
   * {@code fit_generator}, {@code evaluate_generator} or {@code predict_generator} through the
   * keyword form, with the action's kwargs in their order ({@code "{validation}"}: the validation
   * source, {@code "{recorder}"}: the recorder, appended when not placed).
   */
  private void generatorCall(JkerasReplay.Step s, ObjectNode obs) {
    JsonNode action = s.action();
    List<String> timeline = Collections.synchronizedList(new ArrayList<>());
    JkerasReplay.Recorder recorder =
        new TimelineRecorder(timeline, action.path("sleep_on_epoch_end").asDouble(0));
    Object source = source(action.path("source"), s.train(), "train", timeline);
    // Keras 2.3.1's 30 s enqueuer wait, shortened for the scenario: jkeras waits as long before
    // its warning, and the slow item starts its sleep once the loop asks for it, as in the runner.
    double timeout = action.path("keras231_enqueuer_timeout").asDouble(0);
    if (timeout > 0 && source instanceof RecordingGenerator g) g.gateOnConsumer();
    Map<String, Object> kwargs = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = action.path("kwargs").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String v = e.getValue().isTextual() ? e.getValue().asText() : null;
      if ("{validation}".equals(v))
        kwargs.put(e.getKey(), source(action.path("validation"), s.val(), "val", timeline));
      else if ("{recorder}".equals(v)) kwargs.put(e.getKey(), List.of(recorder));
      else kwargs.put(e.getKey(), mapper.convertValue(e.getValue(), Object.class));
    }
    kwargs.putIfAbsent("callbacks", List.of(recorder));
    List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    Model model = s.model();
    obs.putNull("raised");
    if (timeout > 0) SequenceEnqueuer.setDefaultFetchTimeout(timeout);
    try (AutoCloseable listening = Warnings.listen(warnings::add)) {
      JkerasReplay.withFrozenProgbar(
          progress,
          () -> {
            switch (s.type()) {
              case "fit_generator_call" ->
                  JkerasReplay.putHistory(model.fitGenerator(List.of(source), kwargs), obs);
              case "evaluate_generator_call" ->
                  obs.set(
                      "value",
                      JkerasReplay.scores(model.evaluateGenerator(List.of(source), kwargs)));
              default ->
                  JkerasReplay.putOutputs(model.predictGenerator(List.of(source), kwargs), obs);
            }
            return null;
          });
    } catch (RuntimeException e) {
      obs.set("raised", raised(e));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      if (timeout > 0) SequenceEnqueuer.setDefaultFetchTimeout(null);
    }
    ArrayNode w = obs.putArray("warnings");
    warnings.forEach(w::add);
    JkerasReplay.putRecorder(recorder, obs);
    ArrayNode t = obs.putArray("timeline");
    synchronized (timeline) {
      timeline.forEach(t::add);
    }
    obs.put("progress", progress.toString(StandardCharsets.UTF_8));
  }

  private ObjectNode raised(RuntimeException e) {
    ObjectNode r = mapper.createObjectNode();
    r.put("type", e.getClass().getSimpleName());
    r.put("message", e.getMessage());
    return r;
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
        yield new RecordingGenerator(d, sizes, role, timeline, spec);
      }
      default ->
          throw new IllegalArgumentException("unknown source kind " + spec.path("kind").asText());
    };
  }

  /**
   * Batches {@code [i*b, (i+1)*b)}; records {@code "<role> get i"} and {@code "<role>
   * on_epoch_end"}.
   */
  static final class RecordingSequence extends JkerasReplay.DataSequence implements BatchSized {
    private final String role;
    private final List<String> timeline;

    RecordingSequence(JkerasReplay.Data d, int batchSize, String role, List<String> timeline) {
      super(d, batchSize);
      this.role = role;
      this.timeline = timeline;
    }

    @Override
    public Batch get(int i) {
      timeline.add(role + " get " + i);
      return super.get(i);
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
   * stopped and wrapping around the data; records {@code "<role> next j"}; sleeps before the
   * source's {@code slow.index}. Items are {@code (x, y)}, or with the source's {@code items}
   * {@code "x_tuple"} a one-element list {@code (x,)} and {@code "x"} the bare inputs.
   */
  static final class RecordingGenerator implements Iterator<Object> {
    private final JkerasReplay.Data d;
    private final List<Integer> sizes;
    private final String role;
    private final List<String> timeline;
    private final int slowIndex;
    private final double slowSeconds;
    private final String items;
    private int item;
    private long offset;
    private boolean gate;

    RecordingGenerator(
        JkerasReplay.Data d,
        List<Integer> sizes,
        String role,
        List<String> timeline,
        JsonNode spec) {
      this.d = d;
      this.sizes = sizes;
      this.role = role;
      this.timeline = timeline;
      this.slowIndex = spec.path("slow").path("index").asInt(-1);
      this.slowSeconds = spec.path("slow").path("seconds").asDouble(0);
      this.items = spec.path("items").asText("xy");
    }

    @Override
    public boolean hasNext() {
      return true;
    }

    @Override
    public Object next() {
      int j = item++;
      int size = sizes.get(j % sizes.size());
      int[] rows = new int[size];
      for (int r = 0; r < size; r++) rows[r] = (int) ((offset + r) % d.rows());
      offset = (offset + size) % d.rows();
      timeline.add(role + " next " + j);
      if (j == slowIndex) {
        try {
          if (gate) awaitConsumer(j);
          Thread.sleep((long) (slowSeconds * 1000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      JkerasReplay.Data part = d.take(rows);
      return switch (items) {
        case "x" -> part.x();
        case "x_tuple" -> List.of(part.x());
        default -> Batch.of(part.x(), part.y());
      };
    }

    /**
     * The slow item sleeps only once the training loop asks for it (the runner's {@code
     * wait_for_consumer}): its wait then lasts the whole sleep however long the earlier steps took.
     */
    void gateOnConsumer() {
      gate = true;
    }

    /** Waits (up to 60 s) until {@code j} training steps ended: the loop asks for item j next. */
    private void awaitConsumer(int j) throws InterruptedException {
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (System.nanoTime() < deadline) {
        long ended;
        synchronized (timeline) {
          ended = timeline.stream().filter(e -> e.startsWith("on_train_batch_end ")).count();
        }
        if (ended >= j) return;
        Thread.sleep(2);
      }
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
