package jkeras.constraints;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import jkeras.internal.Errors;

/**
 * Resolves constraints by Keras identifier or config, as {@code keras.constraints.get}, {@code
 * serialize} and {@code deserialize} do.
 *
 * <p>Accepted names (Keras 2.3.1's module attributes): {@code MaxNorm max_norm maxnorm NonNeg
 * non_neg nonneg UnitNorm unit_norm unitnorm MinMaxNorm min_max_norm}, and the class names given to
 * {@link #register}.
 *
 * <pre>{@code
 * Constraint c = Constraints.get("max_norm");                 // MaxNorm(max_value=2, axis=0)
 * Constraint d = Constraints.get(Map.of("class_name", "MaxNorm",
 *     "config", Map.of("max_value", 3, "axis", 0)));
 * Dense.builder(64).kernelConstraint(new MaxNorm(3, 0)).build();
 * }</pre>
 */
public final class Constraints {
  private Constraints() {}

  /** Keras' {@code K.epsilon()} (1e-7), the fuzz factor of the norm constraints. */
  static final float EPSILON = 1e-7f;

  private static final Map<String, Function<Map<String, ?>, Constraint>> BUILT_IN = builtIn();

  private static final Map<String, Function<Map<String, ?>, Constraint>> CUSTOM =
      new ConcurrentHashMap<>();

  private static Map<String, Function<Map<String, ?>, Constraint>> builtIn() {
    Map<String, Function<Map<String, ?>, Constraint>> m = new LinkedHashMap<>();
    m.put("MaxNorm", MaxNorm::fromConfig);
    m.put("max_norm", MaxNorm::fromConfig);
    m.put("maxnorm", MaxNorm::fromConfig);
    m.put("NonNeg", NonNeg::fromConfig);
    m.put("non_neg", NonNeg::fromConfig);
    m.put("nonneg", NonNeg::fromConfig);
    m.put("UnitNorm", UnitNorm::fromConfig);
    m.put("unit_norm", UnitNorm::fromConfig);
    m.put("unitnorm", UnitNorm::fromConfig);
    m.put("MinMaxNorm", MinMaxNorm::fromConfig);
    m.put("min_max_norm", MinMaxNorm::fromConfig);
    return m;
  }

  /**
   * Keras {@code constraints.get(identifier)}: {@code null} gives {@code null} (no constraint), a
   * string is a class name or alias (built with its defaults), a {@code {class_name, config}} map
   * is deserialized, a {@link Constraint} is returned as is.
   *
   * @throws IllegalArgumentException for an unknown identifier (listing the valid ones) or any
   *     other type ("Could not interpret constraint identifier", Keras' words)
   */
  public static Constraint get(Object identifier) {
    if (identifier == null) return null;
    if (identifier instanceof Constraint c) return c;
    if (identifier instanceof String s) return get(s, Map.of());
    if (identifier instanceof Map<?, ?> m) return deserialize(m);
    throw new IllegalArgumentException(
        "Could not interpret constraint identifier: "
            + Errors.truncate(identifier)
            + ". Expected an identifier (String), a config Map, a Constraint or null.");
  }

  /**
   * Keras {@code constraints.deserialize(config)}: {@code {"class_name": name, "config": {...}}}.
   *
   * @throws IllegalArgumentException if either key is missing, the name is unknown, or the config
   *     has keys the class does not take
   */
  public static Constraint deserialize(Map<?, ?> serialized) {
    if (!(serialized.get("class_name") instanceof String name)
        || !(serialized.get("config") == null || serialized.get("config") instanceof Map<?, ?>)) {
      throw Errors.invalidArgument(
          "config", "a map with `class_name` (String) and `config` (Map)", serialized);
    }
    @SuppressWarnings("unchecked")
    Map<String, ?> config =
        serialized.get("config") == null ? Map.of() : (Map<String, ?>) serialized.get("config");
    return get(name, config);
  }

  private static Constraint get(String name, Map<String, ?> config) {
    Function<Map<String, ?>, Constraint> f = CUSTOM.get(name);
    if (f == null) f = BUILT_IN.get(name);
    if (f == null) throw Errors.unknownIdentifier("constraint", name, names());
    return f.apply(config);
  }

  /**
   * Keras {@code constraints.serialize}: {@code {"class_name": ..., "config": {...}}}, or {@code
   * null} for no constraint (Keras writes {@code None}).
   */
  public static Map<String, Object> serialize(Constraint constraint) {
    if (constraint == null) return null;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("class_name", constraint.className());
    m.put("config", constraint.getConfig());
    return m;
  }

  /**
   * Registers a custom constraint class for {@link #get} and {@link #deserialize} (Keras' {@code
   * custom_objects}): {@code factory} builds it from its config.
   */
  public static void register(String className, Function<Map<String, ?>, Constraint> factory) {
    CUSTOM.put(className, factory);
  }

  /** The valid identifiers: Keras' class names and aliases, then the registered ones. */
  public static List<String> names() {
    List<String> n = new ArrayList<>(BUILT_IN.keySet());
    CUSTOM.keySet().stream().sorted().filter(k -> !BUILT_IN.containsKey(k)).forEach(n::add);
    return n;
  }
}
