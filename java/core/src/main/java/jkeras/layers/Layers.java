package jkeras.layers;

import static java.util.stream.Collectors.joining;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import jkeras.internal.Config;
import jkeras.internal.Errors;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

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
    REGISTRY.put("Dropout", Dropout::fromConfig);
    REGISTRY.put("Flatten", Flatten::fromConfig);
    REGISTRY.put("Reshape", Layers::reshape);
    REGISTRY.put("Concatenate", Layers::concatenate);
    REGISTRY.put("Add", Layers::add);
    // Core layers, advanced activations and merge layers (issue 9, layers-core).
    REGISTRY.put("SpatialDropout1D", SpatialDropout1D::fromConfig);
    REGISTRY.put("SpatialDropout2D", SpatialDropout2D::fromConfig);
    REGISTRY.put("SpatialDropout3D", SpatialDropout3D::fromConfig);
    REGISTRY.put("Permute", Permute::fromConfig);
    REGISTRY.put("RepeatVector", RepeatVector::fromConfig);
    REGISTRY.put("Masking", Masking::fromConfig);
    REGISTRY.put("ActivityRegularization", ActivityRegularization::fromConfig);
    REGISTRY.put("GaussianNoise", GaussianNoise::fromConfig);
    REGISTRY.put("GaussianDropout", GaussianDropout::fromConfig);
    REGISTRY.put("AlphaDropout", AlphaDropout::fromConfig);
    REGISTRY.put("Lambda", Lambda::fromConfig);
    REGISTRY.put("LeakyReLU", LeakyReLU::fromConfig);
    REGISTRY.put("PReLU", PReLU::fromConfig);
    REGISTRY.put("ELU", ELU::fromConfig);
    REGISTRY.put("ThresholdedReLU", ThresholdedReLU::fromConfig);
    REGISTRY.put("Softmax", Softmax::fromConfig);
    REGISTRY.put("ReLU", ReLU::fromConfig);
    REGISTRY.put("Subtract", Subtract::fromConfig);
    REGISTRY.put("Multiply", Multiply::fromConfig);
    REGISTRY.put("Average", Average::fromConfig);
    REGISTRY.put("Maximum", Maximum::fromConfig);
    REGISTRY.put("Minimum", Minimum::fromConfig);
    REGISTRY.put("Dot", Dot::fromConfig);
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

  /**
   * Registers the Java function of a {@link Lambda} of one tensor under {@code name}: {@link
   * #deserialize} gives it to a Keras Lambda config whose function has that name ({@code
   * function_type 'function'}) or whose layer has that name (a Python lambda, stored as bytecode).
   *
   * <pre>{@code
   * Layers.registerLambda("lambda_1", x -> K.square(x));   // before Layers.deserialize(...)
   * }</pre>
   */
  public static void registerLambda(String name, UnaryOperator<Operand<TFloat32>> function) {
    Lambda.register(name, Lambda.Body.of(function));
  }

  /** As {@link #registerLambda(String, UnaryOperator)}, for a function taking Keras' arguments. */
  public static void registerLambda(
      String name, BiFunction<Operand<TFloat32>, Map<String, Object>, Operand<TFloat32>> function) {
    Lambda.register(name, Lambda.Body.of(function));
  }

  /** As {@link #registerLambda(String, UnaryOperator)}, for a Lambda called on a list. */
  public static void registerListLambda(
      String name, Function<List<Operand<TFloat32>>, Operand<TFloat32>> function) {
    Lambda.register(name, Lambda.Body.ofList(function));
  }

  /** A Lambda called on a list, with Keras' arguments. */
  public static void registerListLambda(
      String name,
      BiFunction<List<Operand<TFloat32>>, Map<String, Object>, Operand<TFloat32>> function) {
    Lambda.register(name, Lambda.Body.ofList(function));
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
    b.activityRegularizer(config.get("activity_regularizer"));
    b.kernelConstraint(config.get("kernel_constraint"));
    b.biasConstraint(config.get("bias_constraint"));
    return b.build();
  }

  private static Layer activation(Map<String, Object> config) {
    String className = "Activation";
    check(className, config, "activation");
    return Activation.builder(config.get("activation")).baseConfig(config).build();
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
  private static final List<Unsupported> UNSUPPORTED = List.of();

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
