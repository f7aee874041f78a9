package jkeras.layers;

import static java.util.stream.Collectors.joining;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import jkeras.internal.Config;
import jkeras.internal.Errors;

/**
 * Builds layers from Keras' {@code {"class_name", "config"}} form (Keras' {@code
 * layers.deserialize}).
 */
public final class Layers {
  private Layers() {}

  /**
   * Layer factories by Keras class name: each takes the layer's Keras config. Built-in layers
   * register here (one line each); {@link #register} adds custom ones.
   */
  private static final Map<String, Function<Map<String, Object>, Layer>> REGISTRY =
      new ConcurrentHashMap<>();

  static {
    REGISTRY.put("Dense", Layers::dense);
    REGISTRY.put("Activation", Layers::activation);
    REGISTRY.put("Dropout", Layers::dropout);
    REGISTRY.put("Flatten", Layers::flatten);
    REGISTRY.put("Reshape", Layers::reshape);
    REGISTRY.put("Concatenate", Layers::concatenate);
    REGISTRY.put("Add", Layers::add);
    REGISTRY.put("SimpleRNN", SimpleRNN::fromConfig);
    REGISTRY.put("LSTM", LSTM::fromConfig);
    REGISTRY.put("GRU", GRU::fromConfig);
    REGISTRY.put("Bidirectional", Bidirectional::fromConfig);
    REGISTRY.put("TimeDistributed", TimeDistributed::fromConfig);
    REGISTRY.put("Masking", Masking::fromConfig);
  }

  /** The layer classes {@link #deserialize} knows, by Keras class name, sorted. */
  public static List<String> classNames() {
    return REGISTRY.keySet().stream().sorted().toList();
  }

  /**
   * Registers a layer class for {@link #deserialize} (Keras' {@code custom_objects}): {@code
   * factory} builds the layer from its Keras config.
   */
  public static void register(String className, Function<Map<String, Object>, Layer> factory) {
    REGISTRY.put(className, factory);
  }

  /** {@code layers.deserialize({"class_name": className, "config": config})}. */
  public static Layer deserialize(String className, Map<String, Object> config) {
    Function<Map<String, Object>, Layer> f = REGISTRY.get(className);
    if (f == null) throw Errors.unknownIdentifier("layer", className, classNames());
    return f.apply(config);
  }

  private static Layer dense(Map<String, Object> config) {
    String className = "Dense";
    check(
        className,
        config,
        "units",
        "activation",
        "use_bias",
        "kernel_initializer",
        "bias_initializer",
        "kernel_regularizer",
        "bias_regularizer",
        "activity_regularizer",
        "kernel_constraint",
        "bias_constraint");
    Object units = config.get("units");
    if (!(units instanceof Number))
      throw Errors.invalidArgument("units", "a positive integer", units);
    Dense.Builder b = Dense.builder(((Number) units).intValue()).baseConfig(config);
    if (config.get("activation") != null) b.activation(config.get("activation"));
    b.useBias(Config.getBoolean(config, "use_bias", true));
    if (config.get("kernel_initializer") != null)
      b.kernelInitializer(config.get("kernel_initializer"));
    if (config.get("bias_initializer") != null) b.biasInitializer(config.get("bias_initializer"));
    if (config.get("kernel_regularizer") != null)
      b.kernelRegularizer(regularizer(config.get("kernel_regularizer")));
    if (config.get("bias_regularizer") != null)
      b.biasRegularizer(regularizer(config.get("bias_regularizer")));
    return b.build();
  }

  private static Layer activation(Map<String, Object> config) {
    String className = "Activation";
    check(className, config, "activation");
    return Activation.builder(config.get("activation")).baseConfig(config).build();
  }

  private static Layer dropout(Map<String, Object> config) {
    String className = "Dropout";
    check(className, config, "rate", "seed", "noise_shape");
    Dropout.Builder b = Dropout.builder(Config.getDouble(config, "rate", 0)).baseConfig(config);
    b.seed(Config.getSeed(config, "seed"));
    return b.build();
  }

  private static Layer flatten(Map<String, Object> config) {
    String className = "Flatten";
    check(className, config, "data_format");
    return Flatten.builder().baseConfig(config).build();
  }

  private static Layer reshape(Map<String, Object> config) {
    String className = "Reshape";
    check(className, config, "target_shape");
    List<?> t = (List<?>) config.get("target_shape");
    if (t == null) throw Errors.invalidArgument("target_shape", "a list of dimensions", null);
    long[] s = new long[t.size()];
    for (int i = 0; i < s.length; i++) s[i] = ((Number) t.get(i)).longValue();
    return Reshape.builder(s).baseConfig(config).build();
  }

  private static Layer concatenate(Map<String, Object> config) {
    String className = "Concatenate";
    check(className, config, "axis");
    return Concatenate.builder().axis(Config.getInt(config, "axis", -1)).baseConfig(config).build();
  }

  private static Layer add(Map<String, Object> config) {
    String className = "Add";
    check(className, config);
    return Add.builder().baseConfig(config).build();
  }

  /**
   * A Keras config key whose feature jkeras lacks yet: {@code accepted} are the values that ask for
   * no feature (Keras' defaults), {@code feature} names what any other value would need.
   */
  private record Unsupported(String layer, String key, String feature, List<String> accepted) {}

  /**
   * The keys {@link #deserialize} accepts only at their default, failing on any other value rather
   * than ignoring it. Remove a key's entry when its feature is implemented.
   */
  private static final List<Unsupported> UNSUPPORTED =
      List.of(
          new Unsupported("Dense", "activity_regularizer", "activity regularizers", List.of()),
          new Unsupported("Dense", "kernel_constraint", "constraints", List.of()),
          new Unsupported("Dense", "bias_constraint", "constraints", List.of()),
          new Unsupported("Dropout", "noise_shape", "noise shapes", List.of()),
          new Unsupported(
              "Flatten",
              "data_format",
              "data formats other than 'channels_last'",
              List.of("channels_last")),
          new Unsupported("SimpleRNN", "kernel_constraint", "constraints", List.of()),
          new Unsupported("SimpleRNN", "recurrent_constraint", "constraints", List.of()),
          new Unsupported("SimpleRNN", "bias_constraint", "constraints", List.of()),
          new Unsupported("LSTM", "kernel_constraint", "constraints", List.of()),
          new Unsupported("LSTM", "recurrent_constraint", "constraints", List.of()),
          new Unsupported("LSTM", "bias_constraint", "constraints", List.of()),
          new Unsupported("GRU", "kernel_constraint", "constraints", List.of()),
          new Unsupported("GRU", "recurrent_constraint", "constraints", List.of()),
          new Unsupported("GRU", "bias_constraint", "constraints", List.of()));

  /** Checks the keys of {@code config}, and that none asks for a feature jkeras lacks. */
  static void check(String owner, Map<String, Object> config, String... own) {
    List<String> valid = new ArrayList<>(Layer.BASE_KEYS);
    valid.addAll(List.of(own));
    Errors.checkKeys(owner, config, valid);
    for (Unsupported u : UNSUPPORTED) {
      Object value = config.get(u.key());
      if (u.layer().equals(owner) && value != null && !u.accepted().contains(value)) {
        String expected =
            "None" + u.accepted().stream().map(a -> " or '" + a + "'").collect(joining());
        throw Errors.invalidArgument(
            u.key(),
            expected + ": " + u.feature() + " are not supported yet by jkeras' " + owner,
            value);
      }
    }
  }

  private static jkeras.regularizers.Regularizer regularizer(Object spec) {
    return jkeras.regularizers.Regularizers.get(spec);
  }
}
