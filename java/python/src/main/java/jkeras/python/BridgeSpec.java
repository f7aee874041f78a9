package jkeras.python;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link PythonSource} as the JSON object {@code jkeras.bridge.build_object} (and the worker
 * processes) read: {@code {"module": str|null, "file": str|null, "attribute": str, "args": [...],
 * "kwargs": {...}, "paths": [str...]}}, paths absolute.
 */
public final class BridgeSpec {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BridgeSpec() {}

  /** The spec as an ordered map (JSON-compatible values). */
  public static Map<String, Object> toMap(PythonSource source) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("module", source.module());
    m.put("file", source.file() == null ? null : source.file().toAbsolutePath().normalize().toString());
    m.put("attribute", source.attribute());
    m.put("args", source.args());
    m.put("kwargs", source.kwargs());
    m.put("paths", source.paths().stream().map(p -> p.toAbsolutePath().normalize().toString()).toList());
    return m;
  }

  /** The spec as JSON text. */
  public static String toJson(PythonSource source) {
    try {
      return JSON.writeValueAsString(toMap(source));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "The arguments of a PythonSource must be JSON-compatible (numbers, strings, booleans, lists, maps, null). Received: "
              + source.args() + " " + source.kwargs(), e);
    }
  }

  /** Paths as strings for {@code jkeras.bridge.add_paths}. */
  static List<String> paths(List<Path> paths) {
    return paths.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList();
  }
}
