package jkeras.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import jkeras.backend.CallContext;
import jkeras.internal.Errors;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Lambda(function, output_shape=None, mask=None, arguments=None)}: a layer whose call
 * is a Java function over backend tensors, written with {@link jkeras.backend.K} as the Keras
 * function is:
 *
 * <pre>{@code
 * // keras: Lambda(lambda x: K.square(x))
 * Layer sq = new Lambda(x -> K.square(x));
 * // keras: Lambda(lambda x, p: K.pow(x, p), arguments={'p': 3})
 * Layer cube = Lambda.builder((x, args) -> K.pow(x, ((Number) args.get("p")).doubleValue()))
 *     .arguments(Map.of("p", 3)).build();
 * // keras: Lambda(lambda xs: K.concatenate([xs[0], xs[1] * 2]))   -- called on a list
 * Layer cat = Lambda.listBuilder(xs -> K.concatenate(List.of(xs.get(0), K.multiply(xs.get(1), 2))))
 *     .build();
 * }</pre>
 *
 * <p>The output shape is inferred by running the function on placeholders of the input shapes, as
 * Keras 2.3.1 does on TensorFlow, unless {@code outputShape} gives it. The function reaches the
 * call's masks and learning phase through {@link CallContext#current()} (Keras passes {@code mask}
 * to a function that takes it); the layer passes no mask on unless {@code mask} computes one.
 *
 * <p><b>Configs.</b> A Keras config holds a Python lambda as bytecode ({@code function_type
 * 'lambda'}) or a named function ({@code 'function'}), neither of which Java can run. {@link
 * Layers#deserialize} therefore takes the function registered under the function's name or the
 * layer's name ({@link Layers#registerLambda}) and fails clearly otherwise. {@link #getConfig()}
 * writes {@code function_type 'function'} with the function's name ({@code functionName}, by
 * default the layer's name), which Keras resolves through {@code custom_objects} too.
 */
public final class Lambda extends Layer {
  /** The functions {@link Layers#registerLambda} registered, by name. */
  private static final Map<String, Body> REGISTERED = new ConcurrentHashMap<>();

  private final Body body;
  private final String functionName;
  private final long[] outputShape;
  private final Function<List<long[]>, long[]> outputShapeFunction;
  private final BiFunction<List<Operand<TFloat32>>, List<Operand<TBool>>, Operand<TBool>> mask;
  private final Map<String, Object> arguments;

  /** A Lambda's function in its general form: the inputs (one or a list) and the arguments. */
  record Body(
      boolean list,
      BiFunction<List<Operand<TFloat32>>, Map<String, Object>, Operand<TFloat32>> function) {
    static Body of(UnaryOperator<Operand<TFloat32>> f) {
      return new Body(false, (xs, args) -> f.apply(xs.get(0)));
    }

    static Body of(BiFunction<Operand<TFloat32>, Map<String, Object>, Operand<TFloat32>> f) {
      return new Body(false, (xs, args) -> f.apply(xs.get(0), args));
    }

    static Body ofList(Function<List<Operand<TFloat32>>, Operand<TFloat32>> f) {
      return new Body(true, (xs, args) -> f.apply(xs));
    }

    static Body ofList(
        BiFunction<List<Operand<TFloat32>>, Map<String, Object>, Operand<TFloat32>> f) {
      return new Body(true, f);
    }
  }

  /** {@code Lambda(function)} for a function of one tensor. */
  public Lambda(UnaryOperator<Operand<TFloat32>> function) {
    this(builder(function));
  }

  private Lambda(Builder b) {
    super(b);
    this.body = b.body;
    this.functionName = b.functionName;
    this.outputShape = b.outputShape;
    this.outputShapeFunction = b.outputShapeFunction;
    this.mask = b.mask;
    this.arguments = Collections.unmodifiableMap(new LinkedHashMap<>(b.arguments));
  }

  /** A Lambda over one tensor: {@code x -> ...} (Keras' {@code lambda x: ...}). */
  public static Builder builder(UnaryOperator<Operand<TFloat32>> function) {
    return new Builder(Body.of(function));
  }

  /**
   * A Lambda over one tensor taking Keras' {@code arguments}: {@code (x, args) -> ...} (Keras'
   * {@code lambda x, **arguments: ...}).
   */
  public static Builder builder(
      BiFunction<Operand<TFloat32>, Map<String, Object>, Operand<TFloat32>> function) {
    return new Builder(Body.of(function));
  }

  /** A Lambda called on a list of tensors: {@code xs -> ...}. */
  public static Builder listBuilder(Function<List<Operand<TFloat32>>, Operand<TFloat32>> function) {
    return new Builder(Body.ofList(function));
  }

  /**
   * A Lambda called on a list of tensors, with Keras' {@code arguments}: {@code (xs, args) -> ...}.
   */
  public static Builder listBuilder(
      BiFunction<List<Operand<TFloat32>>, Map<String, Object>, Operand<TFloat32>> function) {
    return new Builder(Body.ofList(function));
  }

  /** The name the config gives the function (Keras' {@code function.__name__}). */
  public String functionName() {
    return functionName != null ? functionName : name();
  }

  /** Keras' {@code arguments}, passed to the function at each call. */
  public Map<String, Object> arguments() {
    return arguments;
  }

  @Override
  protected boolean acceptsMultipleInputs() {
    return body.list;
  }

  @Override
  protected boolean weightsFreeLayer() {
    return true;
  }

  @Override
  protected void checkInputs(List<long[]> inputShapes) {
    if (!body.list && inputShapes.size() != 1) {
      throw new IllegalArgumentException(
          "Lambda layer "
              + name()
              + " has a function of one tensor but was called on "
              + inputShapes.size()
              + " tensors; build it with Lambda.listBuilder(xs -> ...) for a list.");
    }
    super.checkInputs(inputShapes);
  }

  /** Keras' {@code mask}: when a mask function is given, the layer supports masking. */
  @Override
  public boolean supportsMasking() {
    return mask != null;
  }

  @Override
  public long[] computeOutputShape(List<long[]> inputShapes) {
    if (outputShape != null) {
      long[] out = new long[outputShape.length + 1];
      out[0] = inputShapes.get(0).length > 0 ? inputShapes.get(0)[0] : -1;
      System.arraycopy(outputShape, 0, out, 1, outputShape.length);
      return out;
    }
    if (outputShapeFunction != null) return outputShapeFunction.apply(inputShapes).clone();
    return inferOutputShape(inputShapes);
  }

  /**
   * Keras 2.3.1 on TensorFlow: the function run on placeholders of the input shapes, in a scratch
   * graph, and the result's static shape.
   */
  private long[] inferOutputShape(List<long[]> inputShapes) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      List<Operand<TFloat32>> xs = new ArrayList<>();
      for (long[] s : inputShapes) {
        xs.add(tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(s))));
      }
      Operand<TBool> training = tf.placeholderWithDefault(tf.constant(false), Shape.scalar());
      long[] seed = {0};
      CallContext ctx =
          new CallContext(tf, training, () -> ++seed[0])
              .forCall(tf, Collections.nCopies(xs.size(), null));
      try (CallContext.Scope s = ctx.enter()) {
        Shape out = body.function.apply(xs, new LinkedHashMap<>(arguments)).shape();
        if (out.isUnknown()) {
          throw new IllegalArgumentException(
              "Lambda layer "
                  + name()
                  + ": the output's rank could not be inferred; give it with `outputShape`.");
        }
        return out.asArray();
      }
    }
  }

  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    // Keras' Lambda.call: the function on the inputs and a copy of the arguments.
    return body.function.apply(inputs, new LinkedHashMap<>(arguments));
  }

  /**
   * Keras' {@code Lambda.compute_mask}: the mask function's result, or no mask (the input's mask
   * stops here, silently, as in Keras).
   */
  @Override
  public List<Operand<TBool>> computeMasks(
      CallContext ctx, List<Operand<TFloat32>> inputs, int outputs) {
    Operand<TBool> m = mask == null ? null : mask.apply(inputs, ctx.inputMasks());
    List<Operand<TBool>> out = new ArrayList<>();
    for (int i = 0; i < outputs; i++) out.add(m);
    return out;
  }

  /**
   * Keras' {@code get_config()}: {@code function} (the function's name), {@code function_type}
   * ({@code 'function'}), {@code output_shape} and {@code output_shape_type} ({@code 'raw'}: the
   * shape, or None when inferred or computed by a Java function), {@code arguments}.
   */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("function", functionName());
    c.put("function_type", "function");
    c.put("output_shape", outputShape == null ? null : InputChecks.toConfig(outputShape));
    c.put("output_shape_type", "raw");
    c.put("arguments", new LinkedHashMap<>(arguments));
    return c;
  }

  /**
   * {@code Layers.deserialize} of a Keras {@code Lambda} config: the function registered under the
   * config's function name (for {@code function_type 'function'}) or under the layer's name.
   *
   * @throws IllegalArgumentException when no Java function is registered for it, explaining how to
   *     register one
   */
  public static Lambda fromConfig(Map<String, Object> config) {
    Layers.check(
        "Lambda",
        config,
        "function",
        "function_type",
        "output_shape",
        "output_shape_type",
        "arguments",
        "module",
        "output_shape_module");
    String layerName = config.get("name") instanceof String s ? s : null;
    String type = config.get("function_type") instanceof String t ? t : "lambda";
    String fnName =
        type.equals("function") && config.get("function") instanceof String f ? f : null;
    Body body = fnName != null ? REGISTERED.get(fnName) : null;
    String registeredAs = fnName;
    if (body == null && layerName != null) {
      body = REGISTERED.get(layerName);
      registeredAs = layerName;
    }
    if (body == null) throw unregistered(layerName, type, fnName);
    Builder b = new Builder(body).baseConfig(config).functionName(registeredAs);
    if ("raw".equals(config.getOrDefault("output_shape_type", "raw"))
        && config.get("output_shape") != null) {
      b.outputShape(InputChecks.dims("output_shape", config.get("output_shape")));
    }
    // A Python output-shape function cannot run here either; the shape is inferred instead.
    if (config.get("arguments") instanceof Map<?, ?> args) {
      Map<String, Object> a = new LinkedHashMap<>();
      args.forEach((k, v) -> a.put(String.valueOf(k), v));
      b.arguments(a);
    }
    return b.build();
  }

  private static IllegalArgumentException unregistered(
      String layerName, String type, String fnName) {
    String layer = layerName == null ? "(unnamed)" : "`" + layerName + "`";
    String what =
        type.equals("function")
            ? "calls the Python function `" + fnName + "`"
            : "holds a Python lambda (its bytecode, function_type '" + type + "')";
    String key = fnName != null ? fnName : layerName != null ? layerName : "<layer name>";
    return new IllegalArgumentException(
        "Lambda layer "
            + layer
            + " "
            + what
            + ", which jkeras cannot run. Register a Java function for it before deserializing: "
            + "Layers.registerLambda(\""
            + key
            + "\", x -> ...) (Layers.registerListLambda for a Lambda called on a list).");
  }

  static void register(String name, Body body) {
    if (name == null || name.isEmpty()) throw Errors.invalidArgument("name", "a name", name);
    REGISTERED.put(name, body);
  }

  /** Builds a {@link Lambda}; defaults are Keras'. */
  public static final class Builder extends Layer.Builder<Builder> {
    private final Body body;
    private String functionName;
    private long[] outputShape;
    private Function<List<long[]>, long[]> outputShapeFunction;
    private BiFunction<List<Operand<TFloat32>>, List<Operand<TBool>>, Operand<TBool>> mask;
    private Map<String, Object> arguments = new LinkedHashMap<>();

    private Builder(Body body) {
      if (body == null || body.function == null)
        throw Errors.invalidArgument("function", "a function", null);
      this.body = body;
    }

    /**
     * {@code outputShape} (Keras {@code output_shape} as a tuple): the output shape without the
     * batch axis, {@code -1} for None. Default: inferred from the function.
     */
    public Builder outputShape(long... shape) {
      this.outputShape = shape.clone();
      this.outputShapeFunction = null;
      return this;
    }

    /**
     * {@code outputShape} (Keras {@code output_shape} as a function) for a Lambda of one tensor:
     * the output shape from the input's, both with the batch axis.
     */
    public Builder outputShape(UnaryOperator<long[]> shapeFunction) {
      this.outputShapeFunction = shapes -> shapeFunction.apply(shapes.get(0).clone());
      this.outputShape = null;
      return this;
    }

    /**
     * As {@link #outputShape(UnaryOperator)} for a Lambda called on a list: every input's shape.
     */
    public Builder listOutputShape(Function<List<long[]>, long[]> shapeFunction) {
      this.outputShapeFunction = shapeFunction;
      this.outputShape = null;
      return this;
    }

    /**
     * {@code mask} (Keras {@code mask} as a function of the inputs and their masks): the output's
     * mask; the layer then supports masking. Default: no mask.
     */
    public Builder mask(
        BiFunction<List<Operand<TFloat32>>, List<Operand<TBool>>, Operand<TBool>> mask) {
      this.mask = mask;
      return this;
    }

    /**
     * {@code arguments} (Keras {@code arguments}): passed to the function at each call. Default
     * empty.
     */
    public Builder arguments(Map<String, ?> arguments) {
      this.arguments = new LinkedHashMap<>(arguments);
      return this;
    }

    /**
     * The function's name in the config (Keras' {@code function.__name__}); default the layer's
     * name. Register the function under it ({@link Layers#registerLambda}) to deserialize.
     */
    public Builder functionName(String functionName) {
      this.functionName = functionName;
      return this;
    }

    public Lambda build() {
      return new Lambda(this);
    }
  }
}
