package jkeras.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import jkeras.backend.Weight;
import jkeras.internal.Errors;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Bidirectional(layer, merge_mode='concat')}: runs a recurrent layer forwards and a
 * copy of it backwards over the same input, and merges their outputs.
 *
 * <p>As Keras 2.3.1 builds it: the forward layer is a copy of {@code layer} named {@code
 * forward_<name>}, the backward one a copy with {@code go_backwards} flipped named {@code
 * backward_<name>}; their weights are the forward layer's then the backward layer's, named {@code
 * bidirectional_1/forward_lstm_1/kernel} and so on. With {@code returnSequences} the backward
 * outputs are reversed back into input order before merging. {@code merge_mode} is one of {@code
 * "concat"} (the default), {@code "sum"}, {@code "mul"}, {@code "ave"}, or {@code null} for the two
 * outputs as they are. With {@code returnState} the outputs are the merged output (or both), then
 * the forward states, then the backward states. An initial state is given as further inputs: {@code
 * [x, forward states..., backward states...]}.
 *
 * <p>Masks: passed to both layers; the output carries the input's mask only with {@code
 * returnSequences}. Keras 2.3.1 outputs, at a masked timestep of a sequence, the previous output of
 * each direction (what this layer does); tf-keras outputs zeros there inside {@code Bidirectional}.
 *
 * <pre>{@code
 * Layer bi = Bidirectional.builder(LSTM.builder(32).returnSequences(true).build()).build();
 * }</pre>
 */
public final class Bidirectional extends Layer {
  /** Keras' default {@code merge_mode}. */
  public static final String MERGE_MODE_DEFAULT = "concat";

  private static final List<String> MERGE_MODES =
      Arrays.asList("sum", "mul", "ave", "concat", null);

  private final Recurrent layer;
  private final Recurrent forward;
  private final Recurrent backward;
  private final String mergeMode;

  private Bidirectional(Builder b) {
    super(b);
    this.layer = b.layer;
    this.mergeMode = b.mergeMode;
    this.forward = layer.copyFor("forward_" + layer.name(), layer.goBackwards, trainable());
    this.backward = layer.copyFor("backward_" + layer.name(), !layer.goBackwards, trainable());
    // Keras 2.3.1 builds each under the wrapper's name scope.
    forward.weightScope(name() + "/" + forward.name());
    backward.weightScope(name() + "/" + backward.name());
  }

  /** {@code Bidirectional(layer)}: {@code layer} is the recurrent layer to run both ways. */
  public static Builder builder(Recurrent layer) {
    return new Builder(layer);
  }

  /** The layer given (its config is this layer's {@code layer} config). */
  public Recurrent layer() {
    return layer;
  }

  /** The layer running forwards ({@code forward_layer}). */
  public Recurrent forwardLayer() {
    return forward;
  }

  /** The layer running backwards ({@code backward_layer}). */
  public Recurrent backwardLayer() {
    return backward;
  }

  /** {@code merge_mode}: concat, sum, mul, ave, or null. */
  public String mergeMode() {
    return mergeMode;
  }

  @Override
  protected boolean acceptsMultipleInputs() {
    return true;
  }

  @Override
  protected void checkInputs(List<long[]> shapes) {
    int states = shapes.size() - 1;
    if (states % 2 != 0) {
      List<String> got = new ArrayList<>();
      for (long[] s : shapes.subList(1, shapes.size())) got.add(jkeras.internal.Shapes.toPython(s));
      throw new IllegalArgumentException(
          "When passing `initial_state` to a Bidirectional RNN, the state should be a list"
              + " containing the states of the underlying RNNs. Found: "
              + got);
    }
    forward.checkInputs(half(shapes, 0));
    backward.checkInputs(half(shapes, 1));
  }

  /** {@code [x]} plus the forward ({@code which=0}) or backward states. */
  private static <T> List<T> half(List<T> inputs, int which) {
    int n = (inputs.size() - 1) / 2;
    List<T> out = new ArrayList<>();
    out.add(inputs.get(0));
    out.addAll(inputs.subList(1 + which * n, 1 + (which + 1) * n));
    return out;
  }

  @Override
  public void build(List<long[]> inputShapes) {
    forward.markBuilt(inputShapes.get(0));
    backward.markBuilt(inputShapes.get(0));
  }

  @Override
  public long[] computeOutputShape(List<long[]> inputShapes) {
    return computeOutputShapes(inputShapes).get(0);
  }

  /** Keras' {@code Bidirectional.compute_output_shape}. */
  @Override
  public List<long[]> computeOutputShapes(List<long[]> inputShapes) {
    List<long[]> f = forward.computeOutputShapes(List.of(inputShapes.get(0)));
    long[] out = f.get(0).clone();
    List<long[]> shapes = new ArrayList<>();
    if ("concat".equals(mergeMode)) out[out.length - 1] *= 2;
    shapes.add(out);
    if (mergeMode == null) shapes.add(out.clone());
    if (layer.returnState) {
      List<long[]> states = f.subList(1, f.size());
      shapes.addAll(states);
      for (long[] s : states) shapes.add(s.clone());
    }
    return shapes;
  }

  @Override
  public boolean supportsMasking() {
    return true;
  }

  /** Keras' {@code Bidirectional.compute_mask}. */
  @Override
  public List<Operand<TBool>> computeMasks(
      CallContext ctx, List<Operand<TFloat32>> inputs, int outputs) {
    Operand<TBool> mask = layer.returnSequences ? ctx.inputMask(0) : null;
    List<Operand<TBool>> out = new ArrayList<>(outputs);
    out.add(mask);
    if (mergeMode == null) out.add(mask);
    while (out.size() < outputs) out.add(null);
    return out;
  }

  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    return callOutputs(ctx, inputs).get(0);
  }

  @Override
  public List<Operand<TFloat32>> callOutputs(CallContext ctx, List<Operand<TFloat32>> inputs) {
    Ops tf = ctx.tf();
    List<Operand<TBool>> masks = new ArrayList<>();
    masks.add(ctx.inputMask(0));
    for (int i = 1; i < (inputs.size() + 1) / 2; i++) masks.add(null);
    List<Operand<TFloat32>> y =
        run(forward, ctx.forCall(tf.withSubScope(forward.name()), masks), half(inputs, 0));
    List<Operand<TFloat32>> yRev =
        run(backward, ctx.forCall(tf.withSubScope(backward.name()), masks), half(inputs, 1));
    Operand<TFloat32> a = y.get(0);
    Operand<TFloat32> b = yRev.get(0);
    if (layer.returnSequences) b = tf.reverse(b, tf.constant(new int[] {1}));
    List<Operand<TFloat32>> outs = new ArrayList<>();
    if (mergeMode == null) {
      outs.add(a);
      outs.add(b);
    } else {
      outs.add(
          switch (mergeMode) {
            case "concat" -> tf.concat(List.of(a, b), tf.constant(-1));
            case "sum" -> tf.math.add(a, b);
            case "ave" -> tf.math.div(tf.math.add(a, b), tf.constant(2f));
            default -> tf.math.mul(a, b);
          });
    }
    outs.addAll(y.subList(1, y.size()));
    outs.addAll(yRev.subList(1, yRev.size()));
    return outs;
  }

  /** One direction's call, current while it builds. */
  private static List<Operand<TFloat32>> run(
      Recurrent layer, CallContext ctx, List<Operand<TFloat32>> inputs) {
    try (CallContext.Scope s = ctx.enter()) {
      return layer.callOutputs(ctx, inputs);
    }
  }

  /**
   * The wrapped layer's (Keras' {@code Wrapper.activity_regularizer}): the engine penalises this
   * layer's outputs with it, states included, once (the two directions' own calls do not).
   */
  @Override
  public jkeras.regularizers.Regularizer activityRegularizer() {
    return layer.activityRegularizer();
  }

  /** The forward layer's trainable weights, then the backward layer's. */
  @Override
  public List<Weight> trainableWeights() {
    List<Weight> out = new ArrayList<>(forward.trainableWeights());
    out.addAll(backward.trainableWeights());
    return out;
  }

  /** The forward layer's non-trainable weights, then the backward layer's. */
  @Override
  public List<Weight> nonTrainableWeights() {
    List<Weight> out = new ArrayList<>(forward.nonTrainableWeights());
    out.addAll(backward.nonTrainableWeights());
    return out;
  }

  @Override
  public long countParams() {
    if (!built()) return super.countParams();
    return forward.countParams() + backward.countParams();
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("layer", Wrappers.serialize(layer));
    c.put("merge_mode", mergeMode);
    return c;
  }

  /** Keras' {@code Bidirectional.from_config}: the wrapped layer from its own config. */
  public static Bidirectional fromConfig(Map<String, Object> config) {
    Layers.check("Bidirectional", config, "layer", "merge_mode");
    Layer inner = Wrappers.innerLayer("Bidirectional", config);
    if (!(inner instanceof Recurrent r)) {
      throw Errors.invalidArgument(
          "layer", "a recurrent layer (SimpleRNN, LSTM, GRU)", config.get("layer"));
    }
    Builder b = builder(r).baseConfig(config);
    if (config.containsKey("merge_mode")) b.mergeMode((String) config.get("merge_mode"));
    return b.build();
  }

  /** Builds a {@link Bidirectional}; defaults are Keras'. */
  public static final class Builder extends Layer.Builder<Builder> {
    private final Recurrent layer;
    private String mergeMode = MERGE_MODE_DEFAULT;

    private Builder(Recurrent layer) {
      if (layer == null)
        throw Errors.invalidArgument("layer", "a recurrent layer (SimpleRNN, LSTM, GRU)", null);
      this.layer = layer;
    }

    /**
     * {@code mergeMode} (Keras {@code merge_mode}): how the two directions' outputs combine:
     * "concat", "sum", "mul", "ave", or null for both as separate outputs. Default "concat".
     *
     * @throws IllegalArgumentException for any other value (Keras' message)
     */
    public Builder mergeMode(String mergeMode) {
      if (!MERGE_MODES.contains(mergeMode)) {
        throw new IllegalArgumentException(
            "Invalid merge mode. Merge mode should be one of "
                + "{\"sum\", \"mul\", \"ave\", \"concat\", None}");
      }
      this.mergeMode = mergeMode;
      return this;
    }

    public Bidirectional build() {
      return new Bidirectional(this);
    }
  }
}
