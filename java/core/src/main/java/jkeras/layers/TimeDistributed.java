package jkeras.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import jkeras.backend.Weight;
import jkeras.internal.Shapes;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceAny;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TType;

/**
 * Keras' {@code TimeDistributed(layer)}: applies {@code layer} to every timestep of its input (axis
 * 1), with the same weights. As Keras does when the batch size is unknown, the input {@code [batch,
 * T, ...]} is reshaped to {@code [batch * T, ...]}, passed through the layer once, and reshaped
 * back.
 *
 * <p>The weights are the wrapped layer's, named after this layer ({@code
 * time_distributed_1/kernel}, as Keras 2.3.1 names them). The wrapper's {@code trainable} is the
 * wrapped layer's (Keras' wrappers set it on the layer): a layer whose own differs is rebuilt from
 * its config with the wrapper's value.
 *
 * <p>Masks, as Keras' {@code TimeDistributed.compute_mask}: the input mask ({@code [batch, T]}) is
 * reshaped for the wrapped layer; its output mask is reshaped back, and where it gives none the
 * input mask passes on.
 *
 * <pre>{@code
 * KerasTensor seq = LSTM.builder(32).returnSequences(true).build().apply(x);
 * KerasTensor perStep = TimeDistributed.builder(new Dense(10)).build().apply(seq);
 * }</pre>
 */
public final class TimeDistributed extends Layer {
  private final Layer layer;

  /** {@code TimeDistributed(layer)}. */
  public TimeDistributed(Layer layer) {
    this(builder(layer));
  }

  private TimeDistributed(Builder b) {
    super(b);
    Layer l = b.layer;
    if (l.trainable() != trainable()) {
      // Keras: the wrapper's trainable is set on the wrapped layer.
      Map<String, Object> c = l.getConfig();
      c.put("trainable", trainable());
      l = Layers.deserialize(l.getClass().getSimpleName(), c);
    }
    this.layer = l;
    // Keras 2.3.1 builds the layer under the wrapper's name scope: time_distributed_1/kernel.
    if (!l.built()) l.weightScope(name());
  }

  /** {@code layer} (Keras {@code layer}): the layer applied to each timestep. */
  public static Builder builder(Layer layer) {
    return new Builder(layer);
  }

  /** The wrapped layer. */
  public Layer layer() {
    return layer;
  }

  @Override
  public boolean supportsMasking() {
    return true;
  }

  @Override
  public void build(List<long[]> inputShapes) {
    long[] s = inputShapes.get(0);
    if (s.length < 3) {
      throw new IllegalArgumentException(
          "`TimeDistributed` Layer should be passed an `input_shape` with at least 3 dimensions,"
              + " received: "
              + Shapes.toPython(s));
    }
    layer.markBuilt(childShape(s));
  }

  /** {@code (batch,) + input_shape[2:]}: what the wrapped layer sees. */
  private static long[] childShape(long[] s) {
    long[] c = new long[s.length - 1];
    c[0] = -1;
    System.arraycopy(s, 2, c, 1, s.length - 2);
    return c;
  }

  @Override
  public long[] computeOutputShape(List<long[]> inputShapes) {
    long[] s = inputShapes.get(0);
    long[] child = layer.computeOutputShape(List.of(childShape(s)));
    long[] out = new long[child.length + 1];
    out[0] = -1;
    out[1] = s[1];
    System.arraycopy(child, 1, out, 2, child.length - 1);
    return out;
  }

  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    Ops tf = ctx.tf();
    Operand<TFloat32> x = inputs.get(0);
    Operand<TFloat32> inner = mergeTime(tf, x);
    Operand<TBool> mask = ctx.inputMask(0);
    CallContext innerCtx =
        ctx.forCall(tf, Arrays.asList(mask == null ? null : mergeTime(tf, mask)));
    List<Operand<TFloat32>> y;
    // The wrapped layer's call is current while it builds (a ported layer's K functions use it).
    try (CallContext.Scope s = innerCtx.enter()) {
      y = layer.callOutputs(innerCtx, List.of(inner));
    }
    if (y.size() != 1) {
      throw new IllegalArgumentException(
          "`TimeDistributed` wraps layers with one output; "
              + layer.name()
              + " has "
              + y.size()
              + ".");
    }
    return splitTime(tf, y.get(0), x);
  }

  /** {@code [batch, T, rest...]} to {@code [batch * T, rest...]}. */
  private static <T extends TType> Operand<T> mergeTime(Ops tf, Operand<T> x) {
    long[] s = x.shape().asArray();
    long[] target = childShape(s);
    boolean known = true;
    for (int i = 1; i < target.length; i++) known &= target[i] >= 0;
    if (known) return tf.reshape(x, tf.constant(target));
    Operand<TInt32> rest =
        tf.slice(tf.shape(x), tf.constant(new int[] {2}), tf.constant(new int[] {-1}));
    return tf.reshape(x, tf.concat(List.of(tf.constant(new int[] {-1}), rest), tf.constant(0)));
  }

  /** {@code [batch * T, rest...]} back to {@code [batch, T, rest...]}, T from {@code like}. */
  private static <T extends TType> Operand<T> splitTime(Ops tf, Operand<T> y, Operand<?> like) {
    long t = like.shape().get(1);
    long[] ys = y.shape().asArray();
    boolean known = t >= 0;
    for (int i = 1; i < ys.length; i++) known &= ys[i] >= 0;
    if (known) {
      // A constant shape keeps the static shape for the layers after (Flatten reads it).
      long[] target = new long[ys.length + 1];
      target[0] = -1;
      target[1] = t;
      System.arraycopy(ys, 1, target, 2, ys.length - 1);
      return tf.reshape(y, tf.constant(target));
    }
    Operand<TInt32> time =
        t >= 0
            ? tf.constant(new int[] {(int) t})
            : tf.slice(tf.shape(like), tf.constant(new int[] {1}), tf.constant(new int[] {1}));
    Operand<TInt32> rest =
        tf.slice(tf.shape(y), tf.constant(new int[] {1}), tf.constant(new int[] {-1}));
    return tf.reshape(
        y, tf.concat(List.of(tf.constant(new int[] {-1}), time, rest), tf.constant(0)));
  }

  /**
   * Keras' {@code TimeDistributed.compute_mask}: the wrapped layer's mask reshaped back to {@code
   * [batch, T, ...]}; without one, the input mask (reduced to {@code [batch, T]}).
   *
   * @throws IllegalArgumentException when a mask reaches a wrapped layer that does not support
   *     masking (Keras' error)
   */
  @Override
  public List<Operand<TBool>> computeMasks(
      CallContext ctx, List<Operand<TFloat32>> inputs, int outputs) {
    Ops tf = ctx.tf();
    Operand<TFloat32> x = inputs.get(0);
    Operand<TBool> mask = ctx.inputMask(0);
    CallContext innerCtx =
        ctx.forCall(tf, Arrays.asList(mask == null ? null : mergeTime(tf, mask)));
    Operand<TBool> inner;
    try (CallContext.Scope s = innerCtx.enter()) {
      inner = layer.computeMasks(innerCtx, List.of(mergeTime(tf, x)), 1).get(0);
    }
    Operand<TBool> out;
    if (inner != null) {
      out = splitTime(tf, inner, x);
    } else if (mask != null) {
      out = mask;
      int rank = mask.shape().numDimensions();
      for (int i = 2; i < rank; i++)
        out = tf.reduceAny(out, tf.constant(-1), ReduceAny.keepDims(false));
    } else {
      out = null;
    }
    List<Operand<TBool>> masks = new ArrayList<>();
    masks.add(out);
    return masks;
  }

  /**
   * The wrapped layer's (Keras' {@code Wrapper.activity_regularizer}), applied once to this layer's
   * output (Keras 2.3.1's {@code TimeDistributed.call} adds the same penalty a second time, which
   * jkeras does not).
   */
  @Override
  public jkeras.regularizers.Regularizer activityRegularizer() {
    return layer.activityRegularizer();
  }

  @Override
  public List<Weight> trainableWeights() {
    return layer.trainableWeights();
  }

  @Override
  public List<Weight> nonTrainableWeights() {
    return layer.nonTrainableWeights();
  }

  @Override
  public long countParams() {
    if (!built()) return super.countParams();
    return layer.countParams();
  }

  @Override
  protected boolean weightsFreeLayer() {
    return layer.weightsFreeLayer();
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("layer", Wrappers.serialize(layer));
    return c;
  }

  /** Keras' {@code TimeDistributed.from_config}: the wrapped layer from its own config. */
  public static TimeDistributed fromConfig(Map<String, Object> config) {
    Layers.check("TimeDistributed", config, "layer");
    return builder(Wrappers.innerLayer("TimeDistributed", config)).baseConfig(config).build();
  }

  /** Builds a {@link TimeDistributed}. */
  public static final class Builder extends Layer.Builder<Builder> {
    private final Layer layer;

    private Builder(Layer layer) {
      if (layer == null) throw jkeras.internal.Errors.invalidArgument("layer", "a layer", null);
      this.layer = layer;
    }

    public TimeDistributed build() {
      return new TimeDistributed(this);
    }
  }
}
