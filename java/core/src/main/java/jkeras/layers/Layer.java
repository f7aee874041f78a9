package jkeras.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import jkeras.backend.CallContext;
import jkeras.backend.Weight;
import jkeras.constraints.Constraint;
import jkeras.constraints.Constraints;
import jkeras.data.DType;
import jkeras.data.NDArray;
import jkeras.initializers.Initializer;
import jkeras.initializers.Initializers;
import jkeras.internal.Shapes;
import jkeras.regularizers.Regularizer;
import jkeras.regularizers.Regularizers;
import org.tensorflow.Operand;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * The base of all layers, Keras' {@code keras.layers.Layer}: a configuration, weights declared in
 * {@link #build}, and {@link #call} which builds the layer's ops in the model's graph.
 *
 * <p>Layers are called on symbolic tensors ({@link #apply}) to build models; the TensorFlow graph
 * and the weights' values exist once the layer is part of a model. Stateful and not thread-safe. A
 * layer called in several models shares its weights between them, as in Keras.
 *
 * <p>A custom layer ports from Keras method by method: a constructor (Keras' {@code __init__};
 * {@code super(name)}, {@code super()} or {@code super(kwargs)}), {@link #build(long[])}, {@link
 * #call(Operand)}, {@link #computeOutputShape(long[])} and {@link #getConfig()}, with {@link
 * jkeras.backend.K}'s functions for Keras' {@code K.*}:
 *
 * <pre>{@code
 * class MyLayer extends Layer {                        // class MyLayer(Layer):
 *   private final int outputDim;
 *   private Weight kernel;
 *   MyLayer(int outputDim) { this.outputDim = outputDim; }
 *   public void build(long[] inputShape) {             //   def build(self, input_shape):
 *     kernel = addWeight("kernel", new long[] {inputShape[1], outputDim}, "uniform");
 *   }
 *   public Operand<TFloat32> call(Operand<TFloat32> x) {   //   def call(self, x):
 *     return K.dot(x, kernel.value());                 //     return K.dot(x, self.kernel)
 *   }
 *   public long[] computeOutputShape(long[] inputShape) {
 *     return new long[] {inputShape[0], outputDim};
 *   }
 * }
 * }</pre>
 */
public abstract class Layer {
  private static final Map<String, AtomicInteger> UIDS = new ConcurrentHashMap<>();

  private final String name;
  private final boolean trainable;
  private final long[] inputShape;
  private final DType dtype;
  private final List<Weight> weights = new ArrayList<>();
  private Regularizer activityRegularizer;
  private String weightScope;
  private boolean built;
  private long[] builtInputShape;
  private int nodes;

  protected Layer(Builder<?> b) {
    this.name = b.name != null ? b.name : uniqueName(defaultPrefix());
    this.trainable = b.trainable;
    this.inputShape = b.inputShape;
    this.dtype = b.dtype;
  }

  /**
   * A custom layer with Keras' base arguments at their defaults and a name from its class ({@code
   * my_layer_1} for {@code MyLayer}).
   */
  protected Layer() {
    this(new Kwargs());
  }

  /** A custom layer named {@code name} (a unique name from its class when null). */
  protected Layer(String name) {
    this(new Kwargs().name(name));
  }

  /**
   * Keras' base keyword arguments ({@code name}, {@code trainable}, {@code input_shape}, {@code
   * dtype}), for a custom layer's constructor that forwards them as Keras' {@code
   * super().__init__(**kwargs)} does: {@code super(Layer.kwargs().name("x").inputShape(4))}.
   */
  public static Kwargs kwargs() {
    return new Kwargs();
  }

  /**
   * The base keyword arguments read from a Keras config ({@code name}, {@code trainable}, {@code
   * batch_input_shape}, {@code dtype}), for a custom layer's {@code fromConfig}.
   */
  public static Kwargs kwargs(Map<String, Object> config) {
    return new Kwargs().baseConfig(config);
  }

  /**
   * Keras 2.3.1's default names: {@code dense_1}, {@code dense_2}, ... per prefix ({@code
   * K.get_uid(prefix)} counts from 1; tf-keras names the first one {@code dense}), for the life of
   * the JVM (Keras keeps them per graph until {@code clear_session()}; see {@link #resetNames()}).
   */
  public static String uniqueName(String prefix) {
    int n = UIDS.computeIfAbsent(prefix, k -> new AtomicInteger()).incrementAndGet();
    return prefix + "_" + n;
  }

  /** Keras' {@code backend.clear_session()} for names: numbering starts again. */
  public static void resetNames() {
    UIDS.clear();
  }

  /** The snake_case class name, Keras' default name prefix. */
  protected String defaultPrefix() {
    return toSnakeCase(getClass().getSimpleName());
  }

  /**
   * Keras 2.3.1's {@code _to_snake_case}: {@code Conv2D} is {@code conv2d}, {@code MaxPooling2D}
   * {@code max_pooling2d}, {@code Conv2DTranspose} {@code conv2d_transpose}.
   */
  static String toSnakeCase(String s) {
    String a = s.replaceAll("(.)([A-Z][a-z0-9]+)", "$1_$2");
    return a.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
  }

  public String name() {
    return name;
  }

  public boolean trainable() {
    return trainable;
  }

  /** The {@code input_shape} given to the layer (without batch dimension), or null. */
  public long[] inputShape() {
    return inputShape == null ? null : inputShape.clone();
  }

  public DType dtype() {
    return dtype;
  }

  /**
   * The dtype of the model input a {@code Sequential} model creates when this layer comes first:
   * {@link #dtype()}, except for layers that read integers (an {@code Embedding} takes int32 ids,
   * which float32 holds exactly only up to 2^24).
   */
  public DType inputDtype() {
    return dtype;
  }

  public boolean built() {
    return built;
  }

  /** Calls the layer on one symbolic tensor (Keras' {@code layer(x)}). */
  public final KerasTensor apply(KerasTensor x) {
    return apply(List.of(x));
  }

  /**
   * Calls the layer on several symbolic tensors (Keras' {@code layer([a, b])}); returns its first
   * output (see {@link #applyOutputs} for layers with several).
   */
  public KerasTensor apply(List<KerasTensor> inputs) {
    return applyOutputs(inputs).get(0);
  }

  /**
   * Calls the layer on symbolic tensors and returns every output (Keras' {@code layer(x)} returning
   * a list, e.g. an LSTM with {@code return_state}). Builds the layer on its first call.
   */
  public List<KerasTensor> applyOutputs(List<KerasTensor> inputs) {
    Objects.requireNonNull(inputs, "inputs");
    if (inputs.isEmpty())
      throw new IllegalArgumentException("Layer " + name + " was called with no inputs.");
    List<long[]> shapes = new ArrayList<>();
    for (KerasTensor t : inputs) shapes.add(t.shape());
    checkInputs(shapes);
    if (!built) {
      build(shapes);
      built = true;
      builtInputShape = shapes.get(0);
    }
    List<long[]> outShapes = computeOutputShapes(shapes);
    Node node = newNode(inputs);
    List<KerasTensor> outs = new ArrayList<>(outShapes.size());
    for (int i = 0; i < outShapes.size(); i++) {
      String tensorName = name + "/" + getClass().getSimpleName() + ":" + i;
      outs.add(new KerasTensor(outShapes.get(i), DType.FLOAT32, node, i, tensorName));
    }
    return List.copyOf(outs);
  }

  /** A new call of this layer on {@code inbound}: the next node. */
  Node newNode(List<KerasTensor> inbound) {
    return new Node(this, inbound, nodes++);
  }

  /** How many times the layer was called (its nodes). */
  public int nodeCount() {
    return nodes;
  }

  /** Checks the inputs fit this layer (count, rank); throws Keras' errors otherwise. */
  protected void checkInputs(List<long[]> inputShapes) {
    if (inputShapes.size() != 1 && !acceptsMultipleInputs()) {
      throw new IllegalArgumentException(
          "Layer "
              + name
              + " expects 1 inputs, but it received "
              + inputShapes.size()
              + " input tensors.");
    }
    if (built && builtInputShape != null && !acceptsMultipleInputs()) {
      long[] got = inputShapes.get(0);
      if (got.length != builtInputShape.length || !compatible(got, builtInputShape)) {
        throw new IllegalArgumentException(
            "Input 0 is incompatible with layer "
                + name
                + ": expected shape="
                + Shapes.toPython(builtInputShape)
                + ", found shape="
                + Shapes.toPython(got));
      }
    }
  }

  private static boolean compatible(long[] a, long[] b) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] >= 0 && b[i] >= 0 && a[i] != b[i]) return false;
    }
    return true;
  }

  /** Whether the layer takes a list of inputs (merge layers). */
  protected boolean acceptsMultipleInputs() {
    return false;
  }

  /**
   * Creates the layer's weights for these input shapes (batch dimension -1), Keras' {@code build}.
   * By default, a layer called on one tensor builds with {@link #build(long[])}.
   */
  public void build(List<long[]> inputShapes) {
    if (inputShapes.size() == 1) build(inputShapes.get(0));
  }

  /**
   * Keras' {@code build(input_shape)} for a layer called on one tensor: declare the weights with
   * {@link #addWeight}. The shape has the batch dimension first, {@code -1} for Keras' {@code
   * None}. Does nothing by default.
   */
  public void build(long[] inputShape) {}

  /**
   * The output shape for these input shapes, batch dimension -1 (Keras' {@code
   * compute_output_shape}). By default, a layer called on one tensor answers {@link
   * #computeOutputShape(long[])}; a layer taking several inputs overrides this.
   */
  public long[] computeOutputShape(List<long[]> inputShapes) {
    if (inputShapes.size() == 1) return computeOutputShape(inputShapes.get(0));
    throw new UnsupportedOperationException(
        "Layer "
            + name
            + " was called on "
            + inputShapes.size()
            + " inputs but does not override computeOutputShape(List<long[]>).");
  }

  /**
   * Keras' {@code compute_output_shape(input_shape)} for a layer called on one tensor: the input
   * shape by default, as in Keras 2.3.1 (a layer that changes the shape must override it).
   */
  public long[] computeOutputShape(long[] inputShape) {
    return inputShape.clone();
  }

  /** Every output's shape; one output by default ({@link #computeOutputShape}). */
  public List<long[]> computeOutputShapes(List<long[]> inputShapes) {
    return List.of(computeOutputShape(inputShapes));
  }

  /**
   * Builds the layer's ops on its inputs, Keras' {@code call}: {@code ctx} gives the op builder,
   * the learning phase, seeds and the inputs' masks. By default, one input goes to {@link
   * #call(Operand)} and several to {@link #call(List)}, which a ported layer overrides instead,
   * using {@link jkeras.backend.K} (the context is then {@link CallContext#current()}).
   */
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    return inputs.size() == 1 ? call(inputs.get(0)) : call(inputs);
  }

  /** Keras' {@code call(self, x)} for one input; see {@link #call(CallContext, List)}. */
  public Operand<TFloat32> call(Operand<TFloat32> x) {
    throw new UnsupportedOperationException(
        "Layer " + name + " must override call(Operand) or call(CallContext, List).");
  }

  /**
   * Keras' {@code call(self, inputs)} for a list of inputs; see {@link #call(CallContext, List)}.
   */
  public Operand<TFloat32> call(List<Operand<TFloat32>> inputs) {
    throw new UnsupportedOperationException(
        "Layer "
            + name
            + " was called on "
            + inputs.size()
            + " inputs but does not override call(List) or call(CallContext, List).");
  }

  /**
   * Builds the ops of every output; a layer with several outputs overrides this (and {@link
   * #computeOutputShapes}), and its {@link #call} returns the first.
   */
  public List<Operand<TFloat32>> callOutputs(CallContext ctx, List<Operand<TFloat32>> inputs) {
    return List.of(call(ctx, inputs));
  }

  /**
   * Whether the layer passes masks on (Keras' {@code supports_masking}): when true and it does not
   * override {@link #computeMasks}, its outputs carry its first input's mask; when false, a masked
   * input is an error (Keras raises the same).
   */
  public boolean supportsMasking() {
    return false;
  }

  /**
   * Keras' {@code compute_mask}: the masks of this call's outputs (one per output, {@code null} for
   * none) from its inputs and their masks (in {@code ctx.inputMasks()}).
   *
   * @throws IllegalArgumentException when a mask reaches a layer that does not support masking
   */
  public List<Operand<TBool>> computeMasks(
      CallContext ctx, List<Operand<TFloat32>> inputs, int outputs) {
    if (!supportsMasking()) {
      for (Operand<TBool> m : ctx.inputMasks()) {
        if (m != null) {
          throw new IllegalArgumentException(
              "Layer " + name + " does not support masking, but was passed an input_mask: " + m);
        }
      }
    }
    Operand<TBool> passed = supportsMasking() ? ctx.inputMask(0) : null;
    List<Operand<TBool>> out = new ArrayList<>(outputs);
    for (int i = 0; i < outputs; i++) out.add(passed);
    return out;
  }

  /**
   * Declares a weight, Keras' {@code add_weight}; the variable is created with the model's graph.
   */
  protected final Weight addWeight(
      String weightName,
      long[] shape,
      Initializer initializer,
      Regularizer regularizer,
      boolean weightTrainable) {
    return addWeight(weightName, shape, initializer, regularizer, weightTrainable, null);
  }

  /**
   * Keras' {@code add_weight(name, shape, initializer)}: a trainable weight; {@code initializer} is
   * a Keras identifier ({@code "uniform"}, {@code "zeros"}), a config map or an {@link
   * Initializer}.
   */
  protected final Weight addWeight(String weightName, long[] shape, Object initializer) {
    return addWeight(weightName, shape, initializer, null, true, null);
  }

  /** Keras' {@code add_weight(name, shape, initializer, trainable=...)}. */
  protected final Weight addWeight(
      String weightName, long[] shape, Object initializer, boolean weightTrainable) {
    return addWeight(weightName, shape, initializer, null, weightTrainable, null);
  }

  /**
   * Keras' {@code add_weight(name, shape, initializer, regularizer, trainable, constraint)}; each
   * of {@code initializer}, {@code regularizer} and {@code constraint} is an identifier, a config
   * map or an instance ({@code null} for no regularizer or constraint). The weight is trainable
   * when {@code weightTrainable} and the layer are.
   */
  protected final Weight addWeight(
      String weightName,
      long[] shape,
      Object initializer,
      Object regularizer,
      boolean weightTrainable,
      Object constraint) {
    Initializer init = Initializers.get(initializer);
    Regularizer reg = Regularizers.get(regularizer);
    Constraint con = Constraints.get(constraint);
    String scope = weightScope != null ? weightScope : name;
    Weight w = new Weight(scope, weightName, shape, init, reg, con, weightTrainable && trainable);
    weights.add(w);
    return w;
  }

  /**
   * Names the weights this layer declares from now on {@code scope/<weight>} instead of {@code
   * <layer name>/<weight>}: a wrapper builds its layer under its own name scope, as Keras does
   * ({@code time_distributed_1/kernel}, {@code bidirectional_1/forward_lstm_1/kernel}).
   */
  void weightScope(String scope) {
    this.weightScope = scope;
  }

  /**
   * Keras' {@code self.add_loss(loss)} inside {@code call}: adds a scalar to the model's total loss
   * (train and test steps). Only while the layer's call is built.
   */
  protected final void addLoss(Operand<TFloat32> loss) {
    CallContext.current().addLoss(loss);
  }

  /**
   * Keras' {@code self.add_update(op)} inside {@code call}: an op run with every training step
   * (e.g. {@code K.update(weight, value)}). Only while the layer's call is built.
   */
  protected final void addUpdate(org.tensorflow.op.Op update) {
    CallContext.current().addUpdate(update);
  }

  /**
   * Keras' {@code activity_regularizer}: a penalty on the layer's outputs, added to the model's
   * loss at each call (Keras 2.3.1 adds it undivided; tf-keras divides it by the batch size); null
   * for none.
   */
  public Regularizer activityRegularizer() {
    return activityRegularizer;
  }

  /**
   * Sets the activity regularizer (Keras' {@code self.activity_regularizer = ...}); it applies to
   * the calls built after this.
   */
  protected void setActivityRegularizer(Regularizer regularizer) {
    this.activityRegularizer = regularizer;
  }

  /**
   * All weights, trainable first then non-trainable, each in creation order (Keras' {@code
   * weights}).
   */
  public List<Weight> weights() {
    List<Weight> out = new ArrayList<>(trainableWeights());
    out.addAll(nonTrainableWeights());
    return out;
  }

  public List<Weight> trainableWeights() {
    return weights.stream().filter(Weight::trainable).toList();
  }

  public List<Weight> nonTrainableWeights() {
    return weights.stream().filter(w -> !w.trainable()).toList();
  }

  /** The weights' current values, in {@link #weights()} order (Keras' {@code get_weights()}). */
  public List<NDArray> getWeights() {
    List<Weight> ws = weights();
    if (ws.isEmpty()) return List.of();
    if (ws.get(0).store() == null) {
      throw new IllegalStateException(
          "The weights of layer `"
              + name
              + "` exist once it is part of a built model; create the model first.");
    }
    return ws.get(0).store().read(ws);
  }

  /** Sets the weights' values, in {@link #weights()} order (Keras' {@code set_weights()}). */
  public void setWeights(List<NDArray> values) {
    List<Weight> ws = weights();
    if (values.size() != ws.size()) {
      throw new IllegalArgumentException(
          "You called `set_weights(weights)` on layer \""
              + name
              + "\" with a weight list of length "
              + values.size()
              + ", but the layer was expecting "
              + ws.size()
              + " weights. Provided weights: "
              + jkeras.internal.Errors.truncate(values));
    }
    for (int i = 0; i < ws.size(); i++) {
      long[] expected = ws.get(i).shape();
      if (!Arrays.equals(expected, values.get(i).shape())) {
        throw new IllegalArgumentException(
            "Layer weight shape "
                + Shapes.toPython(expected)
                + " not compatible with provided weight shape "
                + Shapes.toPython(values.get(i).shape()));
      }
    }
    if (ws.isEmpty()) return;
    if (ws.get(0).store() == null) {
      throw new IllegalStateException(
          "The weights of layer `"
              + name
              + "` exist once it is part of a built model; create the model first.");
    }
    ws.get(0).store().write(ws, values);
  }

  /** Number of scalars in the weights (Keras' {@code count_params()}). */
  public long countParams() {
    if (!built && !weightsFreeLayer()) {
      throw new IllegalStateException(
          "You tried to call `count_params` on "
              + name
              + ", but the layer isn't built. You can build it manually via: `"
              + name
              + ".build(batch_input_shape)`.");
    }
    long n = 0;
    for (Weight w : weights) n += w.size();
    return n;
  }

  /** Layers without weights can count params (0) before being built. */
  protected boolean weightsFreeLayer() {
    return false;
  }

  void markBuilt(long[] inputShapeWithBatch) {
    if (!built) {
      build(List.of(inputShapeWithBatch));
      built = true;
      builtInputShape = inputShapeWithBatch;
    }
  }

  /**
   * Keras' {@code get_config()}: name, trainable, (batch_input_shape, dtype), then the layer's own
   * keys.
   */
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", name);
    c.put("trainable", trainable);
    if (inputShape != null) {
      List<Object> bis = new ArrayList<>();
      bis.add(null);
      for (long d : inputShape) bis.add(d < 0 ? null : d);
      c.put("batch_input_shape", bis);
    }
    c.put("dtype", dtype.kerasName());
    return c;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(name=" + name + ")";
  }

  /**
   * Arguments every layer takes (Keras' base {@code Layer} kwargs). Subclass builders extend it.
   *
   * @param <B> the concrete builder, for chaining
   */
  @SuppressWarnings("unchecked")
  public abstract static class Builder<B extends Builder<B>> {
    String name;
    boolean trainable = true;
    long[] inputShape;
    DType dtype = DType.FLOAT32;

    /**
     * {@code name} (Keras {@code name}): default a unique name from the class, e.g. {@code
     * dense_1}.
     */
    public B name(String name) {
      this.name = name;
      return (B) this;
    }

    /**
     * {@code trainable} (Keras {@code trainable}): whether the weights are trained. Default true.
     */
    public B trainable(boolean trainable) {
      this.trainable = trainable;
      return (B) this;
    }

    /**
     * {@code inputShape} (Keras {@code input_shape}), without the batch dimension; for a model's
     * first layer.
     */
    public B inputShape(long... shape) {
      for (long d : shape) {
        if (d <= 0 && d != -1)
          throw jkeras.internal.Errors.invalidArgument(
              "inputShape", "positive dimensions or -1 for None", Arrays.toString(shape));
      }
      this.inputShape = shape.clone();
      return (B) this;
    }

    /** {@code dtype} (Keras {@code dtype}). Default float32. */
    public B dtype(String dtype) {
      this.dtype = DType.of(dtype);
      return (B) this;
    }

    /**
     * Applies the base keys of a Keras config (name, trainable, input_shape/batch_input_shape,
     * dtype).
     */
    public B baseConfig(Map<String, Object> config) {
      if (config.get("name") instanceof String s) name(s);
      if (config.get("trainable") instanceof Boolean t) trainable(t);
      if (config.get("dtype") instanceof String d) dtype(d);
      Object is = config.get("input_shape");
      if (is instanceof List<?> l) inputShape(toDims(l, 0));
      Object bis = config.get("batch_input_shape");
      if (bis instanceof List<?> l) inputShape(toDims(l, 1));
      return (B) this;
    }

    private static long[] toDims(List<?> l, int skip) {
      long[] s = new long[l.size() - skip];
      for (int i = skip; i < l.size(); i++)
        s[i - skip] = l.get(i) == null ? -1 : ((Number) l.get(i)).longValue();
      return s;
    }
  }

  /**
   * Keras' base layer keyword arguments on their own, for custom layers ({@link #kwargs()}, {@code
   * super(kwargs)}).
   */
  public static final class Kwargs extends Builder<Kwargs> {
    Kwargs() {}
  }

  /** The keys of {@link Builder#baseConfig}. */
  static final List<String> BASE_KEYS =
      List.of("name", "trainable", "input_shape", "batch_input_shape", "dtype");
}
