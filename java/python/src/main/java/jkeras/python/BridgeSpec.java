package jkeras.python;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link PythonSource} as the JSON object {@code jkeras.bridge.build_object} (and the worker
 * processes) read: {@code {"module": str|null, "file": str|null, "attribute": str, "args": [...],
 * "kwargs": {...}, "paths": [str...]}}, paths absolute. A {@link Path} among the arguments arrives
 * as its plain path string ({@code path.toString()}), ready for {@code open()}: Jackson alone would
 * write a {@code file://} URI.
 */
public final class BridgeSpec {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BridgeSpec() {}

  /** The spec as an ordered map (JSON-compatible values). */
  public static Map<String, Object> toMap(PythonSource source) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("module", source.module());
    m.put(
        "file",
        source.file() == null ? null : source.file().toAbsolutePath().normalize().toString());
    m.put("attribute", source.attribute());
    m.put("args", argument(source.args()));
    m.put("kwargs", argument(source.kwargs()));
    m.put(
        "paths",
        source.paths().stream().map(p -> p.toAbsolutePath().normalize().toString()).toList());
    return m;
  }

  /** The spec as JSON text. */
  public static String toJson(PythonSource source) {
    try {
      return JSON.writeValueAsString(toMap(source));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "The arguments of a PythonSource must be JSON-compatible (numbers, strings, booleans, lists, maps, null). Received: "
              + source.args()
              + " "
              + source.kwargs(),
          e);
    }
  }

  /**
   * {@code value} with every {@link Path} in it, however nested in lists, maps and arrays, as a
   * string.
   */
  private static Object argument(Object value) {
    if (value instanceof Path p) return p.toString();
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(k, argument(v)));
      return out;
    }
    if (value instanceof Collection<?> c) {
      List<Object> out = new ArrayList<>(c.size());
      for (Object v : c) out.add(argument(v));
      return out;
    }
    if (value instanceof Object[] a) return argument(java.util.Arrays.asList(a));
    return value;
  }

  /** Paths as strings for {@code jkeras.bridge.add_paths}. */
  static List<String> paths(List<Path> paths) {
    return paths.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList();
  }
}
