package jkeras.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import jkeras.callbacks.CSVLogger;
import jkeras.callbacks.Callback;
import jkeras.callbacks.EarlyStopping;
import jkeras.callbacks.History;
import jkeras.callbacks.LearningRateScheduler;
import jkeras.callbacks.ModelCheckpoint;
import jkeras.callbacks.ReduceLROnPlateau;
import jkeras.callbacks.RemoteMonitor;
import jkeras.callbacks.TensorBoard;
import jkeras.callbacks.TerminateOnNaN;
import jkeras.compat.JkerasReplay.Data;
import jkeras.compat.JkerasReplay.DataSequence;
import jkeras.compat.JkerasReplay.Recorder;
import jkeras.compat.JkerasReplay.Step;
import jkeras.data.NDArray;
import jkeras.internal.Warnings;
import jkeras.models.Model;
import jkeras.models.Models;
import jkeras.saving.KerasFiles;
import jkeras.trainers.FitOptions;

/**
 * The jkeras side of the {@code fit_callbacks} action (keras_runner.py {@code run_fit_callbacks}):
 * Keras' callbacks built from the same {@code {class_name, config}} specs through each class'
 * {@code fromConfig}, one {@code fit} (or {@code fitGenerator} over Sequences of the fixture), and
 * everything observed as the runner records it: History, what the callbacks printed and warned, the
 * final weights, the hook calls, the CSV files and TensorBoard events (read by {@code
 * callback_files.py}, TensorBoard's own reader, in tf-keras' venv) and the posts a local HTTP
 * server received.
 */
final class CallbackReplay {
  private final ObjectMapper mapper;
  private final Path pythonDir;

  CallbackReplay(ObjectMapper mapper, Path pythonDir) {
    this.mapper = mapper;
    this.pythonDir = pythonDir;
  }

  /** The schedules of keras_runner.py's SCHEDULES, by name. */
  static Callback scheduler(String name, int verbose) {
    return switch (name) {
      case "halve" ->
          LearningRateScheduler.builder((epoch, lr) -> lr * 0.5).verbose(verbose).build();
      case "step_decay" ->
          LearningRateScheduler.builder(epoch -> 0.1 * Math.pow(0.5, epoch / 2))
              .verbose(verbose)
              .build();
      default -> throw new IllegalArgumentException("unknown schedule " + name);
    };
  }

  void run(Step s, ObjectNode obs) throws Exception {
    JsonNode action = s.action();
    Path dir = Path.of(s.workDir(), "callbacks", action.path("dir").asText(), "jkeras");
    if (!action.path("keep_dir").asBoolean(false)) deleteTree(dir);
    Files.createDirectories(dir);
    List<ObjectNode> posts = new ArrayList<>();
    HttpServer server = postRecorder(posts);
    try {
      String root = "http://127.0.0.1:" + server.getAddress().getPort();
      Recorder recorder = new Recorder();
      List<String> warnings = new ArrayList<>();
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      History h;
      PrintStream stdout = System.out;
      try (AutoCloseable listening = Warnings.listen(warnings::add)) {
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        List<Callback> cbs = new ArrayList<>();
        for (JsonNode spec : action.path("callbacks")) cbs.add(callback(spec, dir, root));
        cbs.add(recorder);
        h = fit(s, cbs);
      } finally {
        System.setOut(stdout);
      }
      JkerasReplay.putHistory(h, obs);
      // Checkpoint paths as "{dir}/...", the same on every side.
      obs.put("printed", printed.toString(StandardCharsets.UTF_8).replace(dir.toString(), "{dir}"));
      ArrayNode w = obs.putArray("warnings");
      warnings.forEach(w::add);
      putWeights(s.model().getWeights(), obs.putArray("weights"));
      JkerasReplay.putRecorder(recorder, obs);
      ObjectNode files = obs.putObject("files");
      for (JsonNode spec : action.path("callbacks")) {
        JsonNode config = spec.path("config");
        switch (spec.path("class_name").asText()) {
          case "CSVLogger" -> {
            String name = config.path("filename").asText();
            files.set(
                "csv " + name.replace("{dir}/", ""),
                read(
                    "csv",
                    Path.of(name.replace("{dir}", dir.toString())),
                    config.path("separator").asText(",")));
          }
          case "TensorBoard" ->
              files.set(
                  "tensorboard",
                  read(
                      "events",
                      Path.of(config.path("log_dir").asText().replace("{dir}", dir.toString())),
                      null));
          default -> {}
        }
      }
      boolean checkpoints = false;
      for (JsonNode spec : action.path("callbacks"))
        checkpoints |= spec.path("class_name").asText().equals("ModelCheckpoint");
      if (checkpoints) files.set("checkpoints", checkpoints(s.model(), dir));
      ArrayNode p = obs.putArray("posts");
      posts.forEach(p::add);
    } finally {
      server.stop(0);
    }
  }

  private static void putWeights(List<NDArray> ws, ArrayNode into) {
    for (NDArray a : ws) {
      ObjectNode e = into.addObject();
      ArrayNode shape = e.putArray("shape");
      for (long d : a.shape()) shape.add(d);
      ArrayNode data = e.putArray("data");
      for (float f : a.toFloatArray()) data.add(f);
    }
  }

  /**
   * Every .h5 file the checkpoints wrote, by name, loaded back as keras_runner.py's {@code
   * read_checkpoints} does: a whole model with {@code Models.loadModel}, weights into the trained
   * model (its final weights are recorded before).
   */
  private ArrayNode checkpoints(Model model, Path dir) throws IOException {
    ArrayNode out = mapper.createArrayNode();
    List<Path> h5;
    try (Stream<Path> list = Files.list(dir)) {
      h5 = list.filter(p -> p.getFileName().toString().endsWith(".h5")).sorted().toList();
    }
    for (Path p : h5) {
      ObjectNode e = out.addObject();
      e.put("name", p.getFileName().toString());
      boolean whole = KerasFiles.read(p).modelConfig() != null;
      e.put("model", whole);
      if (whole) {
        try (Model loaded = Models.loadModel(p)) {
          putWeights(loaded.getWeights(), e.putArray("weights"));
        }
      } else {
        model.loadWeights(p);
        putWeights(model.getWeights(), e.putArray("weights"));
      }
    }
    return out;
  }

  private History fit(Step s, List<Callback> cbs) {
    JsonNode action = s.action();
    JsonNode jk = action.path("jkeras");
    if (action.has("sequence")) {
      JsonNode seq = action.get("sequence");
      JsonNode kw = action.path("kwargs");
      FitOptions.Builder b =
          FitOptions.builder()
              .epochs(kw.path("epochs").asInt(1))
              .verbose(kw.path("verbose").asInt(0))
              .shuffle(false)
              .workers(jk.path("workers").asInt(0))
              .callbacks(cbs);
      if (seq.has("validation_batch_size"))
        b.validationData(new DataSequence(s.val(), seq.get("validation_batch_size").asInt()));
      return s.model()
          .fitGenerator(new DataSequence(s.train(), seq.path("batch_size").asInt()), b.build());
    }
    FitOptions o =
        JkerasReplay.fitOptions(action.path("kwargs"), s.train(), s.val()).callbacks(cbs).build();
    Data train = s.train();
    return s.model().fit(train.x(), train.y(), o);
  }

  /** A jkeras callback from a Keras spec, through its class' {@code fromConfig}. */
  private Callback callback(JsonNode spec, Path dir, String serverRoot) {
    String text =
        (spec.path("config").isObject() ? spec.get("config").toString() : "{}")
            .replace("{dir}", dir.toString().replace("\\", "\\\\"))
            .replace("{server}", serverRoot);
    Map<String, Object> config;
    try {
      config = mapper.readValue(text, JkerasReplay.MAP);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
    return switch (spec.path("class_name").asText()) {
      case "EarlyStopping" -> EarlyStopping.fromConfig(config);
      case "ModelCheckpoint" -> ModelCheckpoint.fromConfig(config);
      case "ReduceLROnPlateau" -> ReduceLROnPlateau.fromConfig(config);
      case "CSVLogger" -> CSVLogger.fromConfig(config);
      case "TerminateOnNaN" -> TerminateOnNaN.fromConfig(config);
      case "RemoteMonitor" -> RemoteMonitor.fromConfig(config);
      case "TensorBoard" -> TensorBoard.fromConfig(config);
      case "LearningRateScheduler" ->
          scheduler(
              (String) config.get("schedule"),
              ((Number) config.getOrDefault("verbose", 0)).intValue());
      default ->
          throw new IllegalArgumentException("no jkeras callback " + spec.path("class_name"));
    };
  }

  /** What {@code callback_files.py <what> <path>} prints: the reading every side shares. */
  private JsonNode read(String what, Path path, String separator)
      throws IOException, InterruptedException {
    String venv = System.getProperty("jkeras.python.venv");
    if (venv == null || pythonDir == null)
      throw new IllegalStateException("no Python environment to read " + path + " with");
    Path out = Files.createTempFile("callback-files", ".json");
    try {
      List<String> command =
          new ArrayList<>(
              List.of(
                  Path.of(venv, "bin", "python").toString(),
                  pythonDir.resolve("callback_files.py").toString(),
                  what,
                  path.toString()));
      if (separator != null) command.add(separator);
      Process p =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectErrorStream(false)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("callback_files.py " + what + " " + path + " timed out");
      }
      if (p.exitValue() != 0)
        throw new IllegalStateException("callback_files.py " + what + " " + path + " failed");
      return mapper.readTree(out.toFile());
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** An HTTP server on 127.0.0.1 recording each POST's JSON as the runner's PostRecorder does. */
  private HttpServer postRecorder(List<ObjectNode> posts) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String kind = exchange.getRequestHeaders().getFirst("Content-Type");
          kind = kind == null ? "" : kind.split(";")[0];
          ObjectNode post = mapper.createObjectNode();
          post.put("path", exchange.getRequestURI().getPath());
          post.put("content_type", kind);
          if (kind.equals("application/json")) {
            post.set("data", mapper.readTree(body));
          } else {
            ObjectNode data = post.putObject("data");
            for (String pair : body.split("&")) {
              int eq = pair.indexOf('=');
              data.set(
                  URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                  mapper.readTree(
                      URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)));
            }
          }
          synchronized (posts) {
            posts.add(post);
          }
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
    return server;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
