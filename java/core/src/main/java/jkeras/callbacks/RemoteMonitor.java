package jkeras.callbacks;

import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jkeras.data.NDArray;
import jkeras.internal.Config;
import jkeras.internal.Errors;
import jkeras.internal.PyRepr;
import jkeras.internal.Warnings;

/**
 * Posts each epoch's logs to a server (Keras 2.3.1 {@code RemoteMonitor}): an HTTP POST to {@code
 * root + path} of {@code {"epoch": <0-based epoch>, <logs...>}} as JSON, either as the body ({@code
 * sendAsJson}, content type {@code application/json}) or as the form field {@code field}
 * (URL-encoded, as Keras' {@code requests.post(url, {field: json.dumps(send)})}).
 *
 * <pre>{@code
 * Callback remote = RemoteMonitor.builder().root("http://localhost:9000").sendAsJson(true).build();
 * }</pre>
 *
 * <p>The JSON is Python's {@code json.dumps} of the values ({@code 0.1} for a double, a float32
 * such as {@code lr} through its double value as numpy's {@code .item()} gives it, {@code NaN} and
 * {@code Infinity} for non-finite numbers). When the server cannot be reached, it warns "Warning:
 * could not reach RemoteMonitor root server at {@code root}" and training goes on; the server's
 * answer is not checked (as Keras). Unlike Keras' {@code requests} call, which has no time limit,
 * connecting and the request each give up after {@link #TIMEOUT} (then the same warning), so an
 * unresponsive server cannot stall training.
 */
public class RemoteMonitor extends Callback {
  /** Keras {@code root='http://localhost:9000'}. */
  public static final String ROOT_DEFAULT = "http://localhost:9000";

  /** Keras {@code path='/publish/epoch/end/'}. */
  public static final String PATH_DEFAULT = "/publish/epoch/end/";

  /** Keras {@code field='data'}. */
  public static final String FIELD_DEFAULT = "data";

  /** Keras {@code send_as_json=False}. */
  public static final boolean SEND_AS_JSON_DEFAULT = false;

  /** How long connecting and each request may take. */
  public static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final String root;
  private final String path;
  private final String field;
  private final Map<String, String> headers;
  private final boolean sendAsJson;
  private final URL url;

  private RemoteMonitor(Builder b) {
    this.root = b.root;
    this.path = b.path;
    this.field = b.field;
    this.headers = Map.copyOf(b.headers);
    this.sendAsJson = b.sendAsJson;
    URI uri;
    try {
      uri = URI.create(root + path);
      if (uri.getScheme() == null || !uri.getScheme().matches("https?")) {
        throw Errors.invalidArgument("root", "an http:// or https:// URL", root);
      }
      this.url = uri.toURL();
    } catch (IllegalArgumentException | java.net.MalformedURLException e) {
      throw Errors.invalidArgument("root", "an http:// or https:// URL", root);
    }
  }

  /** Keras {@code RemoteMonitor()}: every argument at its default. */
  public RemoteMonitor() {
    this(builder());
  }

  /** A builder with Keras' defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Keras' keyword form: {@code root}, {@code path}, {@code field}, {@code headers}, {@code
   * send_as_json}.
   *
   * @throws IllegalArgumentException for an unknown key or a value of the wrong type
   */
  public static RemoteMonitor fromConfig(Map<String, ?> config) {
    Errors.checkKeys(
        "RemoteMonitor", config, List.of("root", "path", "field", "headers", "send_as_json"));
    Builder b =
        builder()
            .root(Config.getString(config, "root", ROOT_DEFAULT))
            .path(Config.getString(config, "path", PATH_DEFAULT))
            .field(Config.getString(config, "field", FIELD_DEFAULT))
            .sendAsJson(Config.getBoolean(config, "send_as_json", SEND_AS_JSON_DEFAULT));
    Object h = config.get("headers");
    if (h != null) {
      if (!(h instanceof Map<?, ?> m)) throw Errors.invalidArgument("headers", "a dict", h);
      Map<String, String> headers = new LinkedHashMap<>();
      m.forEach((k, v) -> headers.put(String.valueOf(k), String.valueOf(v)));
      b.headers(headers);
    }
    return b.build();
  }

  @Override
  public void onEpochEnd(int epoch, Logs logs) {
    Map<String, Object> send = new LinkedHashMap<>();
    send.put("epoch", epoch);
    send.putAll(logs);
    String json = json(send);
    String contentType;
    String body;
    if (sendAsJson) {
      contentType = "application/json";
      body = json;
    } else {
      contentType = "application/x-www-form-urlencoded";
      body =
          URLEncoder.encode(field, StandardCharsets.UTF_8)
              + "="
              + URLEncoder.encode(json, StandardCharsets.UTF_8);
    }
    try {
      post(contentType, body.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      Warnings.warn("Warning: could not reach RemoteMonitor root server at " + root);
    }
  }

  /** One synchronous POST on the training thread (no client threads to leak). */
  private void post(String contentType, byte[] body) throws IOException {
    HttpURLConnection c = (HttpURLConnection) url.openConnection();
    try {
      int timeout = (int) TIMEOUT.toMillis();
      c.setConnectTimeout(timeout);
      c.setReadTimeout(timeout);
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      c.setFixedLengthStreamingMode(body.length);
      c.setRequestProperty("Content-Type", contentType);
      headers.forEach(c::setRequestProperty);
      try (OutputStream out = c.getOutputStream()) {
        out.write(body);
      }
      c.getResponseCode(); // waits for the answer; its status is not checked, as in Keras
    } finally {
      c.disconnect();
    }
  }

  /** Python's {@code json.dumps} of the logs (default separators, non-finite as NaN/Infinity). */
  static String json(Object v) {
    if (v == null) return "null";
    if (v instanceof Boolean b) return b ? "true" : "false";
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d)) return "NaN";
      if (Double.isInfinite(d)) return d > 0 ? "Infinity" : "-Infinity";
      return PyRepr.pyFloat(d);
    }
    if (v instanceof Number n) return n.toString();
    if (v instanceof NDArray a) {
      if (a.shape().length == 0) return json(a.getDouble());
      List<Object> items = new java.util.ArrayList<>();
      for (double d : a.toDoubleArray()) items.add(d);
      return json(items);
    }
    if (v instanceof Map<?, ?> m) {
      StringBuilder sb = new StringBuilder("{");
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) sb.append(", ");
        first = false;
        sb.append(PyRepr.jsonString(String.valueOf(e.getKey())))
            .append(": ")
            .append(json(e.getValue()));
      }
      return sb.append('}').toString();
    }
    if (v instanceof Collection<?> c) {
      StringBuilder sb = new StringBuilder("[");
      boolean first = true;
      for (Object o : c) {
        if (!first) sb.append(", ");
        first = false;
        sb.append(json(o));
      }
      return sb.append(']').toString();
    }
    return PyRepr.jsonString(v.toString());
  }

  /** Builds a {@link RemoteMonitor}; every argument defaults as in Keras 2.3.1. */
  public static final class Builder {
    private String root = ROOT_DEFAULT;
    private String path = PATH_DEFAULT;
    private String field = FIELD_DEFAULT;
    private Map<String, String> headers = Map.of();
    private boolean sendAsJson = SEND_AS_JSON_DEFAULT;

    private Builder() {}

    /**
     * {@code root} (Keras {@code root}): the server's root URL. Default {@code
     * http://localhost:9000}.
     */
    public Builder root(String root) {
      this.root = Monitors.required(root, "root");
      return this;
    }

    /**
     * {@code path} (Keras {@code path}): appended to {@code root}. Default {@code
     * /publish/epoch/end/}.
     */
    public Builder path(String path) {
      this.path = Monitors.required(path, "path");
      return this;
    }

    /**
     * {@code field} (Keras {@code field}): the form field holding the JSON when not {@code
     * sendAsJson}. Default {@code data}.
     */
    public Builder field(String field) {
      this.field = Monitors.required(field, "field");
      return this;
    }

    /** {@code headers} (Keras {@code headers}): extra HTTP headers. Default none. */
    public Builder headers(Map<String, String> headers) {
      this.headers = headers == null ? Map.of() : new LinkedHashMap<>(headers);
      return this;
    }

    /**
     * {@code sendAsJson} (Keras {@code send_as_json}): post the JSON as the body instead of a form
     * field. Default false.
     */
    public Builder sendAsJson(boolean sendAsJson) {
      this.sendAsJson = sendAsJson;
      return this;
    }

    /**
     * @throws IllegalArgumentException when {@code root + path} is not an http(s) URL
     */
    public RemoteMonitor build() {
      return new RemoteMonitor(this);
    }
  }
}
