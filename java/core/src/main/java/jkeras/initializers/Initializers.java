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
 * <p>Keras 2.3.1's seeded {@code glorot_uniform(seed=...)} and the other variance-scaling functions
 * are {@link #glorotUniform(long)} and its siblings: each returns a {@link VarianceScaling},
 * written in configs as Keras 2.3.1 writes it ({@code class_name: "VarianceScaling"} with its
 * scale, mode and distribution); tf-keras' class names are read as well.
 *
 * <pre>{@code
 * Initializer k = Initializers.get("glorot_uniform");
 * Initializer seeded = Initializers.heNormal(42);
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
    for (VarianceScaling.Preset p : VarianceScaling.Preset.values()) {
      m.put(p.kerasName, p::fromConfig);
      m.put(p.className, p::fromConfig);
    }
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

  /**
   * Keras {@code glorot_uniform(seed=seed)}: uniform in {@code [-limit, limit)} with {@code limit =
   * sqrt(6 / (fan_in + fan_out))}, {@code VarianceScaling(scale=1.0, mode='fan_avg',
   * distribution='uniform')} named {@code GlorotUniform}. Unseeded: {@code get("glorot_uniform")}.
   */
  public static VarianceScaling glorotUniform(long seed) {
    return VarianceScaling.Preset.GLOROT_UNIFORM.of(seed);
  }

  /**
   * Keras {@code glorot_normal(seed=seed)}: truncated normal with standard deviation {@code sqrt(2
   * / (fan_in + fan_out))} after truncation, {@code VarianceScaling(scale=1.0, mode='fan_avg',
   * distribution='normal')} named {@code GlorotNormal}. Unseeded: {@code get("glorot_normal")}.
   */
  public static VarianceScaling glorotNormal(long seed) {
    return VarianceScaling.Preset.GLOROT_NORMAL.of(seed);
  }

  /**
   * Keras {@code he_uniform(seed=seed)}: uniform in {@code [-limit, limit)} with {@code limit =
   * sqrt(6 / fan_in)}, {@code VarianceScaling(scale=2.0, mode='fan_in', distribution='uniform')}
   * named {@code HeUniform}. Unseeded: {@code get("he_uniform")}.
   */
  public static VarianceScaling heUniform(long seed) {
    return VarianceScaling.Preset.HE_UNIFORM.of(seed);
  }

  /**
   * Keras {@code he_normal(seed=seed)}: truncated normal with standard deviation {@code sqrt(2 /
   * fan_in)} after truncation, {@code VarianceScaling(scale=2.0, mode='fan_in',
   * distribution='normal')} named {@code HeNormal}. Unseeded: {@code get("he_normal")}.
   */
  public static VarianceScaling heNormal(long seed) {
    return VarianceScaling.Preset.HE_NORMAL.of(seed);
  }

  /**
   * Keras {@code lecun_uniform(seed=seed)}: uniform in {@code [-limit, limit)} with {@code limit =
   * sqrt(3 / fan_in)}, {@code VarianceScaling(scale=1.0, mode='fan_in', distribution='uniform')}
   * named {@code LecunUniform}. Unseeded: {@code get("lecun_uniform")}.
   */
  public static VarianceScaling lecunUniform(long seed) {
    return VarianceScaling.Preset.LECUN_UNIFORM.of(seed);
  }

  /**
   * Keras {@code lecun_normal(seed=seed)}: truncated normal with standard deviation {@code sqrt(1 /
   * fan_in)} after truncation, {@code VarianceScaling(scale=1.0, mode='fan_in',
   * distribution='normal')} named {@code LecunNormal}. Unseeded: {@code get("lecun_normal")}.
   */
  public static VarianceScaling lecunNormal(long seed) {
    return VarianceScaling.Preset.LECUN_NORMAL.of(seed);
  }

  /** The valid identifiers: Keras class names and aliases. */
  public static List<String> names() {
    return new ArrayList<>(REGISTRY.names());
  }
}
