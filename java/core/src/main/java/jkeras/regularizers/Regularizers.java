package jkeras.regularizers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import jkeras.internal.Config;
import jkeras.internal.ConfigRegistry;
import jkeras.internal.Errors;

/**
 * The Keras 2.3.1 regularizer factories ({@code l1}, {@code l2}, {@code l1_l2}) and the registry
 * behind {@code keras.regularizers.get}. All of them return {@link L1L2}, as in Keras 2.3.1
 * (tf-keras has separate {@code L1}/{@code L2} classes with the same penalty).
 *
 * <pre>{@code
 * Regularizer r = Regularizers.l2(1e-4);        // keras.regularizers.l2(1e-4)
 * Regularizer d = Regularizers.get("l1_l2");     // l1=0.01, l2=0.01
 * }</pre>
 */
public final class Regularizers {
  private Regularizers() {}

  /** Keras default factor of the {@code l1}, {@code l2} and {@code l1_l2} factories. */
  public static final double FACTOR_DEFAULT = 0.01;

  private static final ConfigRegistry<Regularizer> REGISTRY =
      new ConfigRegistry<>("regularizer", registry());

  private static Map<String, Function<Map<String, ?>, Regularizer>> registry() {
    Map<String, Function<Map<String, ?>, Regularizer>> m = new LinkedHashMap<>();
    m.put("L1L2", L1L2::fromConfig);
    // The factories take their own keyword (`l` for l1/l2), as deserialize_keras_object calls them.
    m.put(
        "l1",
        c -> {
          Errors.checkKeys("l1", c, List.of("l"));
          return l1(Config.getDouble(c, "l", FACTOR_DEFAULT));
        });
    m.put(
        "l2",
        c -> {
          Errors.checkKeys("l2", c, List.of("l"));
          return l2(Config.getDouble(c, "l", FACTOR_DEFAULT));
        });
    m.put(
        "l1_l2",
        c -> {
          Errors.checkKeys("l1_l2", c, List.of("l1", "l2"));
          return l1L2(
              Config.getDouble(c, "l1", FACTOR_DEFAULT), Config.getDouble(c, "l2", FACTOR_DEFAULT));
        });
    return m;
  }

  /** Keras {@code l1(l=0.01)}: {@code L1L2(l1=l)}. */
  public static L1L2 l1(double l) {
    return new L1L2(l, 0.0);
  }

  /** Keras {@code l1()} with the default {@code l=0.01}. */
  public static L1L2 l1() {
    return l1(FACTOR_DEFAULT);
  }

  /** Keras {@code l2(l=0.01)}: {@code L1L2(l2=l)}. */
  public static L1L2 l2(double l) {
    return new L1L2(0.0, l);
  }

  /** Keras {@code l2()} with the default {@code l=0.01}. */
  public static L1L2 l2() {
    return l2(FACTOR_DEFAULT);
  }

  /** Keras {@code l1_l2(l1=0.01, l2=0.01)}. */
  public static L1L2 l1L2(double l1, double l2) {
    return new L1L2(l1, l2);
  }

  /** Keras {@code l1_l2()} with the defaults {@code l1=0.01, l2=0.01}. */
  public static L1L2 l1L2() {
    return l1L2(FACTOR_DEFAULT, FACTOR_DEFAULT);
  }

  /**
   * Keras {@code regularizers.get(name)}: {@code "l1"}, {@code "l2"}, {@code "l1_l2"} with their
   * defaults, or {@code "L1L2"} (no penalty).
   *
   * @throws IllegalArgumentException for an unknown identifier; the message lists the valid ones
   */
  public static Regularizer get(String name) {
    return REGISTRY.get(name, Map.of());
  }

  /**
   * Keras {@code regularizers.get(identifier)}: {@code null} gives {@code null}, a string is looked
   * up, a {@code {class_name, config}} map is deserialized, a {@link Regularizer} is returned as
   * is.
   *
   * @throws IllegalArgumentException for any other type
   */
  public static Regularizer get(Object identifier) {
    if (identifier == null) {
      return null;
    }
    return REGISTRY.get(
        identifier,
        Regularizer.class,
        "an identifier (String), a config Map, a Regularizer or null");
  }

  /**
   * Keras {@code regularizers.deserialize(config)}: {@code {"class_name": name, "config": {...}}}.
   *
   * @throws IllegalArgumentException if either key is missing, the name is unknown, or the config
   *     has keys the class does not take
   */
  public static Regularizer deserialize(Map<?, ?> config) {
    return REGISTRY.deserialize(config);
  }

  /** Keras {@code regularizers.serialize}: {@code {"class_name": "L1L2", "config": {l1, l2}}}. */
  public static Map<String, Object> serialize(Regularizer regularizer) {
    return ConfigRegistry.serialize(
        regularizer.getClass().getSimpleName(), regularizer.getConfig());
  }

  /** The valid identifiers. */
  public static List<String> names() {
    return new ArrayList<>(REGISTRY.names());
  }
}
