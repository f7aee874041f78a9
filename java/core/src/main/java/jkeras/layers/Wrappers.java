package jkeras.layers;

import java.util.LinkedHashMap;
import java.util.Map;
import jkeras.internal.Errors;

/** What the wrapper layers ({@link Bidirectional}, {@link TimeDistributed}) share. */
final class Wrappers {
  private Wrappers() {}

  /** The wrapped layer of a wrapper's Keras config: its {@code layer} key, deserialized. */
  @SuppressWarnings("unchecked")
  static Layer innerLayer(String owner, Map<String, Object> config) {
    Object spec = config.get("layer");
    if (!(spec instanceof Map<?, ?> m)
        || !(m.get("class_name") instanceof String className)
        || !(m.get("config") instanceof Map<?, ?> inner)) {
      throw Errors.invalidArgument(
          "layer", "a layer config {\"class_name\": ..., \"config\": {...}} for " + owner, spec);
    }
    return Layers.deserialize(className, new LinkedHashMap<>((Map<String, Object>) inner));
  }

  /** {@code {"class_name": ..., "config": ...}} of a wrapped layer, as Keras' wrappers write it. */
  static Map<String, Object> serialize(Layer layer) {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("class_name", layer.getClass().getSimpleName());
    inner.put("config", layer.getConfig());
    return inner;
  }
}
