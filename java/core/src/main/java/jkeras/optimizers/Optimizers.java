package jkeras.optimizers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import jkeras.internal.ConfigRegistry;
import jkeras.internal.Errors;

/**
 * Resolves Keras optimizer identifiers, as Keras 2.3.1 {@code keras.optimizers.get}, {@code
 * serialize} and {@code deserialize}.
 *
 * <p>Identifiers are the lower-cased class names ({@code sgd, rmsprop, adagrad, adadelta, adam,
 * adamax, nadam}); like Keras, any letter case is accepted ({@code "Adam"}, {@code "RMSprop"}).
 *
 * <pre>{@code
 * Optimizer adam = Optimizers.get("adam");
 * Optimizer sgd = Optimizers.get(Map.of("class_name", "SGD", "config", Map.of("lr", 0.1)));
 * }</pre>
 */
public final class Optimizers {
  private Optimizers() {}

  private record Entry(
      Supplier<Optimizer> defaults, Function<Map<String, ?>, Optimizer> fromConfig) {}

  private static final Map<String, Entry> REGISTRY = registry();

  private static Map<String, Entry> registry() {
    Map<String, Entry> r = new LinkedHashMap<>();
    r.put("sgd", new Entry(SGD::new, SGD::fromConfig));
    r.put("rmsprop", new Entry(RMSprop::new, RMSprop::fromConfig));
    r.put("adagrad", new Entry(Adagrad::new, Adagrad::fromConfig));
    r.put("adadelta", new Entry(Adadelta::new, Adadelta::fromConfig));
    r.put("adam", new Entry(Adam::new, Adam::fromConfig));
    r.put("adamax", new Entry(Adamax::new, Adamax::fromConfig));
    r.put("nadam", new Entry(Nadam::new, Nadam::fromConfig));
    return java.util.Collections.unmodifiableMap(r);
  }

  /** The identifiers {@link #get(String)} accepts, in Keras' order. */
  public static List<String> identifiers() {
    return List.copyOf(REGISTRY.keySet());
  }

  /**
   * A new optimizer with Keras defaults from its identifier, e.g. {@code "adam"}.
   *
   * @throws IllegalArgumentException for an unknown identifier, listing the valid ones
   */
  public static Optimizer get(String identifier) {
    return entry(identifier).defaults().get();
  }

  /**
   * Keras {@code optimizers.get}: an {@link Optimizer} is returned unchanged, a {@code String} is
   * an identifier, a {@code Map} is a serialized optimizer ({@code class_name} and {@code config}).
   *
   * @throws IllegalArgumentException for anything else, or an unknown identifier
   */
  public static Optimizer get(Object identifier) {
    if (identifier instanceof Optimizer o) return o;
    if (identifier instanceof String s) return get(s);
    if (identifier instanceof Map<?, ?> m) return deserialize(m);
    throw new IllegalArgumentException(
        "Could not interpret optimizer identifier: " + Errors.truncate(identifier));
  }

  /** Keras {@code optimizers.serialize}: {@code {"class_name": ..., "config": ...}}. */
  public static Map<String, Object> serialize(Optimizer optimizer) {
    return ConfigRegistry.serialize(optimizer.className(), optimizer.getConfig());
  }

  /**
   * Keras {@code optimizers.deserialize}: {@code class_name} (any case) and an optional {@code
   * config} map passed to the class' {@code fromConfig}.
   */
  public static Optimizer deserialize(Map<?, ?> serialized) {
    Object className = serialized.get("class_name");
    if (!(className instanceof String name)) {
      throw Errors.invalidArgument("class_name", "an optimizer class name", className);
    }
    for (Object key : serialized.keySet()) {
      if (!"class_name".equals(key) && !"config".equals(key)) {
        throw Errors.unknownArgument(
            "optimizers.deserialize",
            String.valueOf(key),
            serialized.get(key),
            List.of("class_name", "config"));
      }
    }
    Object config = serialized.get("config");
    if (config == null) config = Map.of();
    if (!(config instanceof Map<?, ?> c)) {
      throw Errors.invalidArgument("config", "a map of optimizer arguments", config);
    }
    @SuppressWarnings("unchecked")
    Map<String, ?> typed = (Map<String, ?>) c;
    return entry(name).fromConfig().apply(typed);
  }

  private static Entry entry(String identifier) {
    Entry e = identifier == null ? null : REGISTRY.get(identifier.toLowerCase(Locale.ROOT));
    if (e == null) {
      throw Errors.unknownIdentifier("optimizer", identifier, REGISTRY.keySet());
    }
    return e;
  }
}
