package jkeras.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Keras' {@code deserialize_keras_object} over one module's table: identifiers (class names and
 * aliases, in Keras' order) to factories taking the object's config, and the {@code {"class_name",
 * "config"}} form that {@code serialize_keras_object} writes. Immutable.
 *
 * @param <T> the objects built, e.g. initializers
 */
public final class ConfigRegistry<T> {
  private final String kind;
  private final Map<String, Function<Map<String, ?>, T>> factories;

  /**
   * A registry of {@code factories}.
   *
   * @param kind what the identifiers name, in errors ({@code "initializer"})
   * @param factories identifier to {@code from_config}, in the order {@link #names()} lists them
   */
  public ConfigRegistry(String kind, Map<String, Function<Map<String, ?>, T>> factories) {
    this.kind = kind;
    this.factories = Collections.unmodifiableMap(new LinkedHashMap<>(factories));
  }

  /** The identifiers, in Keras' order. */
  public List<String> names() {
    return List.copyOf(factories.keySet());
  }

  /**
   * The object {@code name} identifies, built from {@code config}.
   *
   * @throws IllegalArgumentException for an unknown identifier, listing the valid ones
   */
  public T get(String name, Map<String, ?> config) {
    Function<Map<String, ?>, T> f = name == null ? null : factories.get(name);
    if (f == null) throw Errors.unknownIdentifier(kind, name, names());
    return f.apply(config);
  }

  /**
   * Keras {@code get(identifier)}: a {@code String} identifier (built with its defaults), an
   * instance of {@code type} (returned as is), or a {@code {class_name, config}} map.
   *
   * @param expected what is expected, in the error for anything else
   */
  public T get(Object identifier, Class<T> type, String expected) {
    if (identifier instanceof String s) return get(s, Map.of());
    if (type.isInstance(identifier)) return type.cast(identifier);
    if (identifier instanceof Map<?, ?> m) return deserialize(m);
    throw Errors.invalidArgument(kind, expected, identifier);
  }

  /**
   * Keras {@code deserialize}: {@code {"class_name": name, "config": {...}}}.
   *
   * @throws IllegalArgumentException if either key is missing, or as {@link #get(String, Map)}
   */
  public T deserialize(Map<?, ?> serialized) {
    if (!(serialized.get("class_name") instanceof String name)
        || !(serialized.get("config") instanceof Map<?, ?> inner)) {
      throw Errors.invalidArgument(
          "config", "a map with `class_name` (String) and `config` (Map)", serialized);
    }
    @SuppressWarnings("unchecked")
    Map<String, ?> config = (Map<String, ?>) inner;
    return get(name, config);
  }

  /**
   * Keras {@code serialize}: {@code {"class_name": className, "config": config}}, in that order.
   */
  public static Map<String, Object> serialize(String className, Map<String, Object> config) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("class_name", className);
    m.put("config", config);
    return m;
  }
}
