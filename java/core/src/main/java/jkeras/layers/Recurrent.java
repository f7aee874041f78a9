package jkeras.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jkeras.activations.Activation;
import jkeras.backend.CallContext;
import jkeras.backend.Weight;
import jkeras.constraints.Constraints;
import jkeras.initializers.Initializer;
import jkeras.initializers.Initializers;
import jkeras.internal.Config;
import jkeras.internal.Errors;
import jkeras.internal.Shapes;
import jkeras.regularizers.Regularizers;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Stack;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The base of the recurrent layers {@link SimpleRNN}, {@link LSTM} and {@link GRU}: Keras 2.3.1's
 * {@code RNN} layer arguments ({@code return_sequences}, {@code return_state}, {@code
 * go_backwards}, {@code stateful}, {@code unroll}), the arguments their cells share, masking, the
 * initial state and the loop over time.
 *
 * <p><b>How the recurrence is built.</b> TensorFlow Java cannot differentiate through a graph loop,
 * so jkeras unrolls the recurrence over the time axis: the input projection of every timestep is
 * one matrix product, then each timestep adds its own recurrent product and gate ops, whatever
 * {@code unroll} says (Keras' {@code unroll=True} path, which computes the same numbers as its
 * loop). The number of timesteps must therefore be known when the layer is called: {@code
 * Input(shape=(80, 128))}, not {@code (None, 128)}. The graph grows linearly with the sequence
 * length (about 70 ops and 1.7 MB per timestep for an LSTM, forward and backward); it trains faster
 * than a fused kernel but takes longer to build. Beyond 200 timesteps, an {@link LSTM} with Keras'
 * default activations, no mask and {@code unroll=False} runs instead as one fused {@code
 * BlockLSTMV2} kernel, whose gradient jkeras registers (the system property {@code
 * jkeras.rnn.fused} overrides the choice; {@code docs/layers.md} has both paths' measured costs).
 *
 * <p>Masks (from {@code Masking} or an embedding's {@code mask_zero}) follow Keras' {@code K.rnn}:
 * a masked timestep keeps the previous states, and its output repeats the previous output (zeros
 * before the first unmasked step). The input mask passes on only with {@code returnSequences}.
 *
 * <p>The initial state is given as further inputs, as Keras does when it is given symbolically:
 * {@code lstm.applyOutputs(List.of(x, h0, c0))} (Keras' {@code lstm(x, initial_state=[h0, c0])}).
 * With {@code returnState} the layer's outputs are the output then the final states ({@code h, c}
 * for an LSTM).
 *
 * <p>Stateful and not thread-safe, as every layer.
 */
public abstract class Recurrent extends Layer {
  /** Keras' default {@code activation}. */
  public static final String ACTIVATION_DEFAULT = "tanh";

  /** Keras' default {@code kernel_initializer}. */
  public static final String KERNEL_INITIALIZER_DEFAULT = "glorot_uniform";

  /** Keras' default {@code recurrent_initializer}. */
  public static final String RECURRENT_INITIALIZER_DEFAULT = "orthogonal";

  /** Keras' default {@code bias_initializer}. */
  public static final String BIAS_INITIALIZER_DEFAULT = "zeros";

  /** Keras' default {@code dropout} and {@code recurrent_dropout}. */
  public static final double DROPOUT_DEFAULT = 0.0;

  final int units;
  final Activation activation;
  final boolean useBias;
  final WeightArgs kernelArgs;
  final WeightArgs recurrentArgs;
  final WeightArgs biasArgs;
  final double dropout;
  final double recurrentDropout;
  final boolean returnSequences;
  final boolean returnState;
  final boolean goBackwards;
  final boolean unroll;

  Weight kernel;
  Weight recurrentKernel;
  Weight bias;
  private long inputDim = -1;

  Recurrent(Builder<?> b) {
    super(b);
    this.units = b.units;
    this.activation = b.activation;
    this.useBias = b.useBias;
    this.kernelArgs = b.kernel.copy();
    this.recurrentArgs = b.recurrent.copy();
    this.biasArgs = b.bias.copy();
    // Keras 2.3.1's Layer.__call__ penalises every output (the states too); the engine adds it.
    setActivityRegularizer(b.activityRegularizer);
    this.dropout = b.dropout;
    this.recurrentDropout = b.recurrentDropout;
    this.returnSequences = b.returnSequences;
    this.returnState = b.returnState;
    this.goBackwards = b.goBackwards;
    this.unroll = b.unroll;
  }

  public int units() {
    return units;
  }

  public Activation activation() {
    return activation;
  }

  public boolean useBias() {
    return useBias;
  }

  public double dropout() {
    return dropout;
  }

  public double recurrentDropout() {
    return recurrentDropout;
  }

  public boolean returnSequences() {
    return returnSequences;
  }

  public boolean returnState() {
    return returnState;
  }

  public boolean goBackwards() {
    return goBackwards;
  }

  /** Always false: stateful layers are not supported (the builder refuses them). */
  public boolean stateful() {
    return false;
  }

  public boolean unroll() {
    return unroll;
  }

  /** How many state tensors the cell carries ({@code h}; {@code h, c} for an LSTM). */
  abstract int stateCount();

  /** How many blocks of {@code units} columns the kernels have (4 for an LSTM, 3 for a GRU). */
  abstract int gates();

  /** The bias' shape (Keras' {@code (gates * units,)}). */
  long[] biasShape() {
    return new long[] {(long) gates() * units};
  }

  /** The initializer the bias is created with (the LSTM's {@code unit_forget_bias} changes it). */
  Initializer biasInitializerForBuild() {
    return biasArgs.initializer;
  }

  /** A copy with another name, direction and trainability, for {@link Bidirectional}. */
  abstract Recurrent copyFor(String name, boolean goBackwards, boolean trainable);

  /**
   * One call's recurrence: the per-step computation, given the whole input once (so the input
   * projections of all timesteps are one matrix product).
   */
  interface Cell {
    /**
     * Timestep {@code t} (an index into the input's time axis) from the previous states: the
     * output, then the new states.
     */
    List<Operand<TFloat32>> step(int t, List<Operand<TFloat32>> states);
  }

  /** Builds the ops shared by all timesteps of one call on {@code x} ({@code [batch, T, in]}). */
  abstract Cell cell(CallContext ctx, Operand<TFloat32> x, int timesteps);

  /**
   * The recurrence as one fused kernel, when this layer's arguments allow it and this call has no
   * mask; else {@code null} (the unrolled path).
   */
  Result fused(CallContext ctx, Operand<TFloat32> x, List<Operand<TFloat32>> initial) {
    return null;
  }

  /**
   * What the recurrence produced.
   *
   * @param sequence every output, {@code [batch, T, units]}, in the order computed (reversed with
   *     {@code goBackwards}); only built when {@code returnSequences}
   * @param last the last output computed
   * @param states the final states
   */
  record Result(
      Operand<TFloat32> sequence, Operand<TFloat32> last, List<Operand<TFloat32>> states) {}

  @Override
  protected boolean acceptsMultipleInputs() {
    // The initial states come as further inputs.
    return true;
  }

  @Override
  protected void checkInputs(List<long[]> shapes) {
    long[] s = shapes.get(0);
    if (s.length != 3) {
      throw new IllegalArgumentException(
          "Input 0 is incompatible with layer "
              + name()
              + ": expected ndim=3, found ndim="
              + s.length);
    }
    if (s[2] < 0) {
      throw new IllegalArgumentException(
          "The last dimension of the inputs to `"
              + getClass().getSimpleName()
              + "` should be defined. Found `None`.");
    }
    if (s[1] < 0) throw unknownTimesteps(s);
    if (inputDim >= 0 && s[2] != inputDim) {
      throw new IllegalArgumentException(
          "Input 0 is incompatible with layer "
              + name()
              + ": expected shape="
              + Shapes.toPython(new long[] {-1, -1, inputDim})
              + ", found shape="
              + Shapes.toPython(s));
    }
    if (shapes.size() > 1) {
      List<long[]> states = shapes.subList(1, shapes.size());
      if (states.size() != stateCount()) {
        throw new IllegalArgumentException(
            "Layer has "
                + stateCount()
                + " states but was passed "
                + states.size()
                + " initial states.");
      }
      for (long[] st : states) {
        if (st.length != 2 || st[1] != units) {
          List<String> got = new ArrayList<>();
          for (long[] x : states) got.add(Shapes.toPython(x));
          throw new IllegalArgumentException(
              "An `initial_state` was passed that is not compatible with `cell.state_size`."
                  + " Received `state_spec`="
                  + got
                  + "; however `cell.state_size` is "
                  + stateSizeRepr());
        }
      }
    }
  }

  private IllegalArgumentException unknownTimesteps(long[] shape) {
    return new IllegalArgumentException(
        "jkeras builds `"
            + getClass().getSimpleName()
            + "` unrolled over the timesteps, so their number must be known; layer "
            + name()
            + " received input shape "
            + Shapes.toPython(shape)
            + ". Give the time dimension in the first layer's `input_shape` or in `Input(shape=...)`"
            + " (pad or cut the sequences to one length; a Masking layer can hide the padding).");
  }

  private String stateSizeRepr() {
    if (stateCount() == 1) return Integer.toString(units);
    List<String> each = new ArrayList<>();
    for (int i = 0; i < stateCount(); i++) each.add(Integer.toString(units));
    return "(" + String.join(", ", each) + ")";
  }

  @Override
  public void build(List<long[]> inputShapes) {
    long[] s = inputShapes.get(0);
    inputDim = s[2];
    long cols = (long) gates() * units;
    kernel = kernelArgs.addTo(this, "kernel", new long[] {inputDim, cols});
    recurrentKernel = recurrentArgs.addTo(this, "recurrent_kernel", new long[] {units, cols});
    if (useBias) {
      bias =
          addWeight(
              "bias",
              biasShape(),
              biasInitializerForBuild(),
              biasArgs.regularizer,
              true,
              biasArgs.constraint);
    }
  }

  @Override
  public long[] computeOutputShape(List<long[]> inputShapes) {
    return computeOutputShapes(inputShapes).get(0);
  }

  /** Keras' {@code RNN.compute_output_shape}: the output, then one shape per state. */
  @Override
  public List<long[]> computeOutputShapes(List<long[]> inputShapes) {
    long[] s = inputShapes.get(0);
    List<long[]> out = new ArrayList<>();
    out.add(returnSequences ? new long[] {s[0], s[1], units} : new long[] {s[0], units});
    if (returnState) for (int i = 0; i < stateCount(); i++) out.add(new long[] {s[0], units});
    return out;
  }

  @Override
  public boolean supportsMasking() {
    return true;
  }

  /** Keras' {@code RNN.compute_mask}: the input's mask with {@code returnSequences}, else none. */
  @Override
  public List<Operand<TBool>> computeMasks(
      CallContext ctx, List<Operand<TFloat32>> inputs, int outputs) {
    return LayerUtils.firstMask(returnSequences ? ctx.inputMask(0) : null, outputs);
  }

  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    return callOutputs(ctx, inputs).get(0);
  }

  @Override
  public List<Operand<TFloat32>> callOutputs(CallContext ctx, List<Operand<TFloat32>> inputs) {
    Ops tf = ctx.tf();
    Operand<TFloat32> x = inputs.get(0);
    long[] shape = x.shape().asArray();
    if (shape[1] < 0) throw unknownTimesteps(shape);
    int timesteps = (int) shape[1];
    List<Operand<TFloat32>> initial = new ArrayList<>();
    if (inputs.size() > 1) {
      initial.addAll(inputs.subList(1, inputs.size()));
    } else {
      Operand<TFloat32> zeros = zeroState(tf, x);
      for (int i = 0; i < stateCount(); i++) initial.add(zeros);
    }
    Operand<TBool> mask = ctx.inputMask(0);
    Result r = mask == null && FusedRnn.wanted(timesteps, unroll) ? fused(ctx, x, initial) : null;
    if (r == null) r = unrolled(ctx, x, initial, mask, timesteps);
    List<Operand<TFloat32>> outs = new ArrayList<>();
    outs.add(returnSequences ? r.sequence() : r.last());
    if (returnState) {
      // The last output is often the state tensor itself; a model fetches each output once.
      for (Operand<TFloat32> s : r.states()) outs.add(outs.contains(s) ? tf.identity(s) : s);
    }
    return outs;
  }

  /** Zeros of shape {@code [batch, units]} (Keras' {@code get_initial_state}). */
  Operand<TFloat32> zeroState(Ops tf, Operand<TFloat32> x) {
    Operand<TInt32> batch =
        tf.slice(tf.shape(x), tf.constant(new int[] {0}), tf.constant(new int[] {1}));
    Operand<TInt32> dims =
        tf.concat(List.of(batch, tf.constant(new int[] {units})), tf.constant(0));
    return tf.fill(dims, tf.constant(0f));
  }

  /** Keras' {@code K.rnn(..., unroll=True)}: one cell step per timestep, with the mask. */
  private Result unrolled(
      CallContext ctx,
      Operand<TFloat32> x,
      List<Operand<TFloat32>> initial,
      Operand<TBool> mask,
      int timesteps) {
    Ops tf = ctx.tf();
    Cell cell = cell(ctx, x, timesteps);
    List<Output<TBool>> masks = null;
    if (mask != null) {
      // [batch, T] -> T masks of [batch, 1], broadcast over the units.
      masks =
          tf.unstack(tf.expandDims(mask, tf.constant(-1)), (long) timesteps, Unstack.axis(1L))
              .output();
    }
    List<Operand<TFloat32>> states = initial;
    List<Operand<TFloat32>> outputs = new ArrayList<>(timesteps);
    Operand<TFloat32> previous = null;
    for (int k = 0; k < timesteps; k++) {
      int t = goBackwards ? timesteps - 1 - k : k;
      List<Operand<TFloat32>> r = cell.step(t, states);
      Operand<TFloat32> out = r.get(0);
      List<Operand<TFloat32>> next = r.subList(1, r.size());
      if (masks != null) {
        Operand<TBool> m = masks.get(t);
        out = tf.select(m, out, previous != null ? previous : tf.zerosLike(out));
        List<Operand<TFloat32>> kept = new ArrayList<>(next.size());
        for (int i = 0; i < next.size(); i++) kept.add(tf.select(m, next.get(i), states.get(i)));
        next = kept;
      }
      outputs.add(out);
      previous = out;
      states = next;
    }
    Operand<TFloat32> sequence = returnSequences ? tf.stack(outputs, Stack.axis(1L)) : null;
    return new Result(sequence, previous, states);
  }

  // ------------------------------------------------------------------ helpers for the cells

  /** {@code (x * mask) . kernel + bias} for every timestep at once: {@code [batch, T, cols]}. */
  static Operand<TFloat32> project(
      Ops tf,
      Operand<TFloat32> x,
      Operand<TFloat32> dropMask,
      Operand<TFloat32> kernelValue,
      Operand<TFloat32> biasValue,
      int timesteps,
      long inputDim,
      long cols) {
    Operand<TFloat32> in = x;
    if (dropMask != null) in = tf.math.mul(in, tf.expandDims(dropMask, tf.constant(1)));
    Operand<TFloat32> flat = tf.reshape(in, tf.constant(new long[] {-1, inputDim}));
    Operand<TFloat32> p = tf.linalg.matMul(flat, kernelValue);
    if (biasValue != null) p = tf.nn.biasAdd(p, biasValue);
    return tf.reshape(p, tf.constant(new long[] {-1, timesteps, cols}));
  }

  /** A {@code [batch, T, n]} tensor as T tensors of {@code [batch, n]}. */
  static List<Output<TFloat32>> timesteps(Ops tf, Operand<TFloat32> seq, int timesteps) {
    return tf.unstack(seq, (long) timesteps, Unstack.axis(1L)).output();
  }

  /** Columns {@code [from, to)} of a matrix. */
  static Operand<TFloat32> columns(Ops tf, Operand<TFloat32> m, long from, long to) {
    // int32 begin and size: the C++ gradient of Slice subtracts them from an int32 shape.
    return tf.slice(
        m, tf.constant(new int[] {0, (int) from}), tf.constant(new int[] {-1, (int) (to - from)}));
  }

  /** Elements {@code [from, to)} of a vector. */
  static Operand<TFloat32> elements(Ops tf, Operand<TFloat32> v, long from, long to) {
    return tf.slice(
        v, tf.constant(new int[] {(int) from}), tf.constant(new int[] {(int) (to - from)}));
  }

  /** Splits the last axis of a {@code [batch, n * units]} tensor into {@code n} blocks. */
  static List<Output<TFloat32>> splitColumns(Ops tf, Operand<TFloat32> m, int n) {
    return tf.split(tf.constant(1), m, (long) n).output();
  }

  /**
   * Keras' {@code _generate_dropout_mask}: {@code count} masks of ones with {@code rate} of the
   * entries dropped and the rest scaled by {@code 1/(1-rate)} in training steps, ones otherwise;
   * one per call, the same at every timestep.
   */
  private static List<Operand<TFloat32>> dropoutMasks(
      CallContext ctx, Operand<TInt32> shape, double rate, int count) {
    Ops tf = ctx.tf();
    Operand<TFloat32> ones = tf.fill(shape, tf.constant(1f));
    List<Operand<TFloat32>> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long s = ctx.nextSeed();
      // Only the train step's graph draws the mask (its learning phase is known when built).
      out.add(
          ctx.inTrainPhase(
              () ->
                  tf.math.mul(
                      RandomOps.keepMask(tf, shape, rate, s),
                      tf.constant((float) (1.0 / (1.0 - rate)))),
              () -> ones));
    }
    return out;
  }

  /**
   * This call's {@code count} masks on the input features ({@code dropout}), or null when {@code
   * dropout} drops nothing.
   */
  List<Operand<TFloat32>> inputDropoutMasks(CallContext ctx, Operand<TFloat32> x, int count) {
    if (!LayerUtils.drops(dropout)) return null;
    return dropoutMasks(ctx, batchBy(ctx.tf(), x, inputDim), dropout, count);
  }

  /**
   * This call's {@code count} masks on the recurrent state ({@code recurrent_dropout}), or null
   * when it drops nothing.
   */
  List<Operand<TFloat32>> recurrentDropoutMasks(CallContext ctx, Operand<TFloat32> x, int count) {
    if (!LayerUtils.drops(recurrentDropout)) return null;
    return dropoutMasks(ctx, batchBy(ctx.tf(), x, units), recurrentDropout, count);
  }

  /** Column blocks {@code [g * units, (g + 1) * units)} of {@code m}, one per gate. */
  List<Operand<TFloat32>> gateColumns(Ops tf, Operand<TFloat32> m) {
    List<Operand<TFloat32>> out = new ArrayList<>(gates());
    for (int g = 0; g < gates(); g++) out.add(columns(tf, m, (long) g * units, (g + 1L) * units));
    return out;
  }

  /**
   * {@code [batch, n]}: the shape of one timestep of {@code x} ({@code n} its features) or a state.
   */
  static Operand<TInt32> batchBy(Ops tf, Operand<TFloat32> x, long n) {
    Operand<TInt32> batch =
        tf.slice(tf.shape(x), tf.constant(new int[] {0}), tf.constant(new int[] {1}));
    return tf.concat(List.of(batch, tf.constant(new int[] {(int) n})), tf.constant(0));
  }

  long inputDim() {
    return inputDim;
  }

  // ------------------------------------------------------------------ config

  /**
   * Keras' config: the base layer's keys, {@code RNN}'s ({@code return_sequences} to {@code
   * unroll}), then the cell's: {@code units}, {@code activation}, (the gates' {@link
   * #putAfterActivation}), {@code use_bias}, the initializers, ({@link #putAfterInitializers}), the
   * regularizers, {@code activity_regularizer}, the constraints, {@code dropout}, {@code
   * recurrent_dropout}; a layer with more keys adds them after.
   */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("return_sequences", returnSequences);
    c.put("return_state", returnState);
    c.put("go_backwards", goBackwards);
    c.put("stateful", false);
    c.put("unroll", unroll);
    c.put("units", units);
    c.put("activation", activation.name());
    putAfterActivation(c);
    c.put("use_bias", useBias);
    WeightArgs.putInitializers(c, kernelArgs, recurrentArgs, biasArgs);
    putAfterInitializers(c);
    WeightArgs.putPenalties(c, activityRegularizer(), kernelArgs, recurrentArgs, biasArgs);
    c.put("dropout", dropout);
    c.put("recurrent_dropout", recurrentDropout);
    return c;
  }

  /** The config keys Keras writes after {@code activation} ({@code recurrent_activation}). */
  void putAfterActivation(Map<String, Object> c) {}

  /** The config keys Keras writes after the initializers (LSTM's {@code unit_forget_bias}). */
  void putAfterInitializers(Map<String, Object> c) {}

  /**
   * The arguments of every recurrent layer: Keras' {@code RNN} arguments and those its cells share.
   *
   * @param <B> the concrete builder, for chaining
   */
  @SuppressWarnings("unchecked")
  public abstract static class Builder<B extends Builder<B>> extends KernelArgsBuilder<B> {
    final int units;
    final WeightArgs recurrent = new WeightArgs("recurrent", RECURRENT_INITIALIZER_DEFAULT);
    double dropout = DROPOUT_DEFAULT;
    double recurrentDropout = DROPOUT_DEFAULT;
    boolean returnSequences;
    boolean returnState;
    boolean goBackwards;
    boolean unroll;

    Builder(int units) {
      super(ACTIVATION_DEFAULT);
      if (units <= 0) throw Errors.invalidArgument("units", "a positive integer", units);
      this.units = units;
    }

    /** {@code recurrentInitializer} (Keras {@code recurrent_initializer}). Default orthogonal. */
    public B recurrentInitializer(Object init) {
      recurrent.initializer = Initializers.get(init);
      return (B) this;
    }

    /**
     * {@code recurrentRegularizer} (Keras {@code recurrent_regularizer}): as a bias regularizer.
     */
    public B recurrentRegularizer(Object r) {
      recurrent.regularizer = Regularizers.get(r);
      return (B) this;
    }

    /** {@code recurrentConstraint} (Keras {@code recurrent_constraint}): as the kernel's. */
    public B recurrentConstraint(Object c) {
      recurrent.constraint = Constraints.get(c);
      return (B) this;
    }

    /**
     * {@code dropout} (Keras {@code dropout}): the fraction of the input features dropped in
     * training steps, with one mask per call shared by all timesteps. Clamped to [0, 1] as Keras
     * does; 0 and 1 drop nothing. Default 0.
     */
    public B dropout(double dropout) {
      this.dropout = Math.min(1.0, Math.max(0.0, dropout));
      return (B) this;
    }

    /**
     * {@code recurrentDropout} (Keras {@code recurrent_dropout}): the same for the recurrent state
     * entering the recurrent kernel. Clamped to [0, 1]. Default 0.
     */
    public B recurrentDropout(double recurrentDropout) {
      this.recurrentDropout = Math.min(1.0, Math.max(0.0, recurrentDropout));
      return (B) this;
    }

    /**
     * {@code returnSequences} (Keras {@code return_sequences}): output every timestep ({@code
     * [batch, T, units]}) rather than the last. Default false.
     */
    public B returnSequences(boolean returnSequences) {
      this.returnSequences = returnSequences;
      return (B) this;
    }

    /**
     * {@code returnState} (Keras {@code return_state}): also output the final states. Default
     * false.
     */
    public B returnState(boolean returnState) {
      this.returnState = returnState;
      return (B) this;
    }

    /**
     * {@code goBackwards} (Keras {@code go_backwards}): run from the last timestep to the first;
     * the output sequence is in that order. Default false.
     */
    public B goBackwards(boolean goBackwards) {
      this.goBackwards = goBackwards;
      return (B) this;
    }

    /**
     * {@code stateful} (Keras {@code stateful}): only false is supported.
     *
     * @throws IllegalArgumentException for true: states carried across batches are not supported
     */
    public B stateful(boolean stateful) {
      if (stateful) {
        throw Errors.invalidArgument(
            "stateful",
            "False: stateful recurrent layers (states carried from batch to batch, reset with"
                + " reset_states()) are not supported by jkeras",
            "True");
      }
      return (B) this;
    }

    /**
     * {@code unroll} (Keras {@code unroll}): jkeras always builds the recurrence without a graph
     * loop (see {@link Recurrent}), computing what Keras' loop computes; {@code true} also keeps a
     * long LSTM off the fused kernel (unrolled: faster steps, a larger graph). Default false.
     */
    public B unroll(boolean unroll) {
      this.unroll = unroll;
      return (B) this;
    }

    /** Builds the layer. */
    public abstract Recurrent build();

    /** Reads the Keras config keys every recurrent layer has (not {@code units}). */
    B rnnConfig(Map<String, Object> c) {
      baseConfig(c);
      readKernelArgs(c);
      recurrent.readConfig(c);
      dropout(Config.getDouble(c, "dropout", DROPOUT_DEFAULT));
      recurrentDropout(Config.getDouble(c, "recurrent_dropout", DROPOUT_DEFAULT));
      returnSequences(Config.getBoolean(c, "return_sequences", false));
      returnState(Config.getBoolean(c, "return_state", false));
      goBackwards(Config.getBoolean(c, "go_backwards", false));
      stateful(Config.getBoolean(c, "stateful", false));
      unroll(Config.getBoolean(c, "unroll", false));
      return (B) this;
    }

    /** Copies this layer's arguments into the builder (for {@link Recurrent#copyFor}). */
    B copyOf(Recurrent l, String name, boolean goBackwards, boolean trainable) {
      name(name);
      trainable(trainable);
      dtype(l.dtype().kerasName());
      activation = l.activation;
      useBias = l.useBias;
      kernel.copyFrom(l.kernelArgs);
      recurrent.copyFrom(l.recurrentArgs);
      bias.copyFrom(l.biasArgs);
      activityRegularizer = l.activityRegularizer();
      dropout = l.dropout;
      recurrentDropout = l.recurrentDropout;
      returnSequences = l.returnSequences;
      returnState = l.returnState;
      this.goBackwards = goBackwards;
      unroll = l.unroll;
      return (B) this;
    }
  }

  /** The Keras config keys of every recurrent layer besides the base layer's. */
  static final List<String> RNN_KEYS = rnnKeys();

  private static List<String> rnnKeys() {
    List<String> keys =
        BiasArgsBuilder.configKeys(
            List.of(
                "return_sequences", "return_state", "go_backwards", "stateful", "unroll", "units"),
            "kernel",
            "recurrent",
            "bias");
    keys.addAll(List.of("dropout", "recurrent_dropout"));
    return List.copyOf(keys);
  }

  /**
   * Checks a Keras config of the layer {@code className} against the base keys, {@link #RNN_KEYS}
   * and {@code own}.
   */
  static void checkKeys(String className, Map<String, Object> config, String... own) {
    List<String> keys = new ArrayList<>(RNN_KEYS);
    keys.addAll(List.of(own));
    Layers.check(className, config, keys.toArray(String[]::new));
  }

  /** The {@code units} of a Keras config. */
  static int units(Map<String, Object> c) {
    Object units = c.get("units");
    if (!(units instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()))
      throw Errors.invalidArgument("units", "a positive integer", units);
    return n.intValue();
  }
}
