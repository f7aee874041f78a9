package jkeras.layers;

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
    ConvolutionalConfigs.registerAll(REGISTRY::put);
    REGISTRY.put("BatchNormalization", Layers::batchNormalization);
    REGISTRY.put("LayerNormalization", Layers::layerNormalization);
    REGISTRY.put("Embedding", Layers::embedding);
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
    // Recurrent layers and wrappers (issue 9, layers-rnn).
    REGISTRY.put("SimpleRNN", SimpleRNN::fromConfig);
    REGISTRY.put("LSTM", LSTM::fromConfig);
    REGISTRY.put("GRU", GRU::fromConfig);
    REGISTRY.put("Bidirectional", Bidirectional::fromConfig);
    REGISTRY.put("TimeDistributed", TimeDistributed::fromConfig);
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
    if (f == null) f = customFactory(className);
    if (f == null) {
      IllegalArgumentException e = Errors.unknownIdentifier("layer", className, classNames());
      throw new IllegalArgumentException(
          e.getMessage()
              + " A layer of your own must be registered before loading: Layers.register(\""
              + className
              + "\", config -> ...), or CustomObjects.register / CustomObjects.scope (Keras'"
              + " custom_objects).");
    }
    return f.apply(config);
  }

  @SuppressWarnings("unchecked")
  private static Function<Map<String, Object>, Layer> customFactory(String className) {
    Object o = jkeras.utils.CustomObjects.get(className);
    if (o instanceof Function<?, ?> f) return (Function<Map<String, Object>, Layer>) f;
    return null;
  }

  private static Layer dense(Map<String, Object> config) {
    String className = "Dense";
    check(
        className,
        config,
        BiasArgsBuilder.configKeys(List.of("units"), "kernel", "bias").toArray(String[]::new));
    Object units = config.get("units");
    if (!(units instanceof Number))
      throw Errors.invalidArgument("units", "a positive integer", units);
    return Dense.builder(((Number) units).intValue())
        .baseConfig(config)
        .readKernelArgs(config)
        .build();
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

  private static Layer batchNormalization(Map<String, Object> config) {
    String className = "BatchNormalization";
    check(
        className,
        config,
        "axis",
        "momentum",
        "epsilon",
        "center",
        "scale",
        "beta_initializer",
        "gamma_initializer",
        "moving_mean_initializer",
        "moving_variance_initializer",
        "beta_regularizer",
        "gamma_regularizer",
        "beta_constraint",
        "gamma_constraint");
    BatchNormalization.Builder b = BatchNormalization.builder().baseConfig(config);
    Object axis = config.get("axis");
    // tf-keras writes the axis as a one-element list once built.
    if (axis instanceof List<?> l && l.size() == 1) axis = l.get(0);
    if (axis != null) {
      if (!(axis instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()))
        throw Errors.invalidArgument("axis", "an integer (Keras 2.3.1 normalizes one axis)", axis);
      b.axis(n.intValue());
    }
    b.momentum(Config.getDouble(config, "momentum", BatchNormalization.MOMENTUM_DEFAULT));
    b.readArguments(config, BatchNormalization.EPSILON_DEFAULT);
    if (config.get("moving_mean_initializer") != null)
      b.movingMeanInitializer(config.get("moving_mean_initializer"));
    if (config.get("moving_variance_initializer") != null)
      b.movingVarianceInitializer(config.get("moving_variance_initializer"));
    return b.build();
  }

  private static Layer layerNormalization(Map<String, Object> config) {
    String className = "LayerNormalization";
    check(
        className,
        config,
        "axis",
        "epsilon",
        "center",
        "scale",
        "beta_initializer",
        "gamma_initializer",
        "beta_regularizer",
        "gamma_regularizer",
        "beta_constraint",
        "gamma_constraint");
    LayerNormalization.Builder b = LayerNormalization.builder().baseConfig(config);
    Object axis = config.get("axis");
    if (axis instanceof List<?> l) {
      int[] axes = new int[l.size()];
      for (int i = 0; i < axes.length; i++) {
        if (!(l.get(i) instanceof Number n))
          throw Errors.invalidArgument("axis", "an integer or a list of integers", axis);
        axes[i] = n.intValue();
      }
      b.axes(axes);
    } else if (axis != null) {
      b.axis(Config.getInt(config, "axis", -1));
    }
    return b.readArguments(config, LayerNormalization.EPSILON_DEFAULT).build();
  }

  private static Layer embedding(Map<String, Object> config) {
    String className = "Embedding";
    List<String> keys = new ArrayList<>(List.of("input_dim", "output_dim"));
    keys.addAll(WeightArgs.penaltyKeys("embeddings"));
    keys.addAll(List.of("mask_zero", "input_length"));
    check(className, config, keys.toArray(String[]::new));
    if (!(config.get("input_dim") instanceof Number))
      throw Errors.invalidArgument("input_dim", "a positive integer", config.get("input_dim"));
    if (!(config.get("output_dim") instanceof Number))
      throw Errors.invalidArgument("output_dim", "a positive integer", config.get("output_dim"));
    Embedding.Builder b =
        Embedding.builder(
                Config.getInt(config, "input_dim", 0), Config.getInt(config, "output_dim", 0))
            .baseConfig(config);
    if (config.get("embeddings_initializer") != null)
      b.embeddingsInitializer(config.get("embeddings_initializer"));
    b.embeddingsRegularizer(config.get("embeddings_regularizer"));
    b.activityRegularizer(config.get("activity_regularizer"));
    b.embeddingsConstraint(config.get("embeddings_constraint"));
    b.maskZero(Config.getBoolean(config, "mask_zero", false));
    Object length = config.get("input_length");
    if (length instanceof List<?> l) {
      long[] lengths = new long[l.size()];
      for (int i = 0; i < lengths.length; i++)
        lengths[i] = l.get(i) == null ? -1 : ((Number) l.get(i)).longValue();
      b.inputLengths(lengths);
    } else if (length != null) {
      b.inputLength(Config.getInt(config, "input_length", 0));
    }
    return b.build();
  }

  /** Checks that {@code config} has only the base keys and {@code own}. */
  static void check(String owner, Map<String, Object> config, String... own) {
    List<String> valid = new ArrayList<>(Layer.BASE_KEYS);
    valid.addAll(List.of(own));
    Errors.checkKeys(owner, config, valid);
  }
}
