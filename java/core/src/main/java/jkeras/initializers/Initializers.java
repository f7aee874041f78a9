package jkeras.initializers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import jkeras.internal.ConfigRegistry;

/**
 * Resolves initializers by Keras identifier or config, as {@code keras.initializers.get} and {@code
 * deserialize} do.
 *
 * <p>Accepted names: the Keras 2.3.1 class names and aliases ({@code Zeros zeros zero Ones ones one
 * Constant constant RandomNormal random_normal normal RandomUniform random_uniform uniform
 * TruncatedNormal truncated_normal VarianceScaling glorot_uniform glorot_normal he_uniform
 * he_normal lecun_uniform lecun_normal Orthogonal orthogonal}) and the tf-keras class names of the
 * variance-scaling variants ({@code GlorotUniform GlorotNormal HeUniform HeNormal LecunUniform
 * LecunNormal}). {@code Identity} is not implemented.
 *
 * <pre>{@code
 * Initializer k = Initializers.get("glorot_uniform");
 * Initializer b =
 *     Initializers.deserialize(Map.of("class_name", "Constant", "config", Map.of("value", 0.1)));
 * }</pre>
 */
public final class Initializers {
  private Initializers() {}

  private static final ConfigRegistry<Initializer> REGISTRY =
      new ConfigRegistry<>("initializer", registry());

  private static Map<String, Function<Map<String, ?>, Initializer>> registry() {
    Map<String, Function<Map<String, ?>, Initializer>> m = new LinkedHashMap<>();
    m.put("Zeros", Zeros::fromConfig);
    m.put("zeros", Zeros::fromConfig);
    m.put("zero", Zeros::fromConfig);
    m.put("Ones", Ones::fromConfig);
    m.put("ones", Ones::fromConfig);
    m.put("one", Ones::fromConfig);
    m.put("Constant", Constant::fromConfig);
    m.put("constant", Constant::fromConfig);
    m.put("RandomNormal", RandomNormal::fromConfig);
    m.put("random_normal", RandomNormal::fromConfig);
    m.put("normal", RandomNormal::fromConfig);
    m.put("RandomUniform", RandomUniform::fromConfig);
    m.put("random_uniform", RandomUniform::fromConfig);
    m.put("uniform", RandomUniform::fromConfig);
    m.put("TruncatedNormal", TruncatedNormal::fromConfig);
    m.put("truncated_normal", TruncatedNormal::fromConfig);
    m.put("Orthogonal", Orthogonal::fromConfig);
    m.put("orthogonal", Orthogonal::fromConfig);
    m.put("VarianceScaling", VarianceScaling::fromConfig);
    m.put("glorot_uniform", GlorotUniform::fromConfig);
    m.put("GlorotUniform", GlorotUniform::fromConfig);
    m.put("glorot_normal", GlorotNormal::fromConfig);
    m.put("GlorotNormal", GlorotNormal::fromConfig);
    m.put("he_uniform", HeUniform::fromConfig);
    m.put("HeUniform", HeUniform::fromConfig);
    m.put("he_normal", HeNormal::fromConfig);
    m.put("HeNormal", HeNormal::fromConfig);
    m.put("lecun_uniform", LecunUniform::fromConfig);
    m.put("LecunUniform", LecunUniform::fromConfig);
    m.put("lecun_normal", LecunNormal::fromConfig);
    m.put("LecunNormal", LecunNormal::fromConfig);
    return m;
  }

  /**
   * Keras {@code initializers.get(name)}: the initializer with this identifier and its Keras
   * defaults (unseeded).
   *
   * @throws IllegalArgumentException for an unknown identifier; the message lists the valid ones
   */
  public static Initializer get(String name) {
    return REGISTRY.get(name, Map.of());
  }

  /**
   * Keras {@code initializers.get(identifier)}: a {@code String} identifier, a {@code {class_name,
   * config}} map, or an {@link Initializer} (returned as is).
   *
   * @throws IllegalArgumentException for {@code null} or any other type, as Keras does
   */
  public static Initializer get(Object identifier) {
    return REGISTRY.get(
        identifier, Initializer.class, "an identifier (String), a config Map or an Initializer");
  }

  /**
   * Keras {@code initializers.deserialize(config)}: {@code {"class_name": name, "config": {...}}}.
   *
   * @throws IllegalArgumentException if either key is missing, the class name is unknown, or the
   *     config has keys the class does not take
   */
  public static Initializer deserialize(Map<?, ?> config) {
    return REGISTRY.deserialize(config);
  }

  /** Keras {@code initializers.serialize}: {@code {"class_name": ..., "config": {...}}}. */
  public static Map<String, Object> serialize(Initializer initializer) {
    return ConfigRegistry.serialize(initializer.className(), initializer.getConfig());
  }

  /** The valid identifiers: Keras class names and aliases. */
  public static List<String> names() {
    return new ArrayList<>(REGISTRY.names());
  }
}
