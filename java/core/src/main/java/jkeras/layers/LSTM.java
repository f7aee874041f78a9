package jkeras.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jkeras.activations.Activations;
import jkeras.backend.CallContext;
import jkeras.initializers.Initializer;
import jkeras.initializers.Ones;
import jkeras.internal.Config;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code LSTM}, long short-term memory (Hochreiter 1997), as Keras 2.3.1 defines it:
 *
 * <pre>
 * i = recurrent_activation(x . W_i + h . U_i + b_i)     f, o likewise
 * c = f * c + i * activation(x . W_c + h . U_c + b_c)
 * h = o * activation(c)                                 (the output)
 * </pre>
 *
 * <p>Weights as Keras names and lays them out: {@code kernel} {@code (input_dim, 4 * units)},
 * {@code recurrent_kernel} {@code (units, 4 * units)} and {@code bias} {@code (4 * units,)}, the
 * four blocks of columns in Keras' gate order i, f, c, o. With {@code unit_forget_bias} (the
 * default) the forget gate's bias starts at 1.
 *
 * <p>Keras 2.3.1's defaults are {@code recurrent_activation='sigmoid'} and {@code
 * implementation=2}, as in tf-keras (Keras 2.2 used {@code hard_sigmoid} and {@code
 * implementation=1}). With those activations ({@code tanh}, {@code sigmoid}), no mask, no recurrent
 * dropout (nor input dropout with {@code implementation=1}) and {@code unroll=False}, a sequence
 * longer than 200 timesteps runs as TensorFlow's fused {@code BlockLSTMV2} kernel, whose graph does
 * not grow with the length; otherwise as unrolled ops (see {@link Recurrent}).
 *
 * <pre>{@code
 * KerasTensor x = Input.create(new long[] {80, 128}, "tokens");
 * KerasTensor h = LSTM.builder(64).dropout(0.2).build().apply(x);
 * List<KerasTensor> hc = LSTM.builder(64).returnState(true).build().applyOutputs(List.of(x));
 * }</pre>
 */
public final class LSTM extends GatedRecurrent {
  /** Keras 2.3.1's default {@code recurrent_activation} (Keras 2.2: hard_sigmoid). */
  public static final String RECURRENT_ACTIVATION_DEFAULT = "sigmoid";

  /** Keras' default {@code unit_forget_bias}. */
  public static final boolean UNIT_FORGET_BIAS_DEFAULT = true;

  /** Keras 2.3.1's default {@code implementation}. */
  public static final int IMPLEMENTATION_DEFAULT = 2;

  private final boolean unitForgetBias;

  /** {@code LSTM(units)} with Keras' defaults. */
  public LSTM(int units) {
    this(builder(units));
  }

  private LSTM(Builder b) {
    super(b);
    this.unitForgetBias = b.unitForgetBias;
  }

  /** {@code units} (Keras {@code units}): the size of the output and of each state; positive. */
  public static Builder builder(int units) {
    return new Builder(units);
  }

  public boolean unitForgetBias() {
    return unitForgetBias;
  }

  @Override
  int stateCount() {
    return 2;
  }

  @Override
  int gates() {
    return 4;
  }

  /** Keras: with {@code unit_forget_bias}, the bias is {@code [init(u), ones(u), init(2u)]}. */
  @Override
  Initializer biasInitializerForBuild() {
    return unitForgetBias ? new ForgetBiasOne(biasArgs.initializer, units) : biasArgs.initializer;
  }

  @Override
  Recurrent copyFor(String name, boolean goBackwards, boolean trainable) {
    Builder b = builder(units).copyOf(this, name, goBackwards, trainable);
    b.unitForgetBias = unitForgetBias;
    return b.build();
  }

  @Override
  Cell cell(CallContext ctx, Operand<TFloat32> x, int timesteps) {
    Ops tf = ctx.tf();
    Operand<TFloat32> rw = recurrentKernel.variable().value();
    Operand<TFloat32> b = useBias ? bias.variable().value() : null;
    List<Operand<TFloat32>> dp = inputDropoutMasks(ctx, x, dropoutMaskCount());
    List<Operand<TFloat32>> rdp = recurrentDropoutMasks(ctx, x, dropoutMaskCount());
    List<Output<TFloat32>> xs = timesteps(tf, projectInputs(tf, x, dp, b, timesteps), timesteps);
    List<Operand<TFloat32>> rws =
        rdp != null && implementation == 1 ? gateColumns(tf, rw) : List.of();
    return (t, states) -> {
      Operand<TFloat32> h = states.get(0);
      Operand<TFloat32> c = states.get(1);
      Operand<TFloat32> rec;
      if (rdp != null && implementation == 1) {
        List<Operand<TFloat32>> parts = new ArrayList<>();
        for (int g = 0; g < 4; g++)
          parts.add(tf.linalg.matMul(tf.math.mul(h, rdp.get(g)), rws.get(g)));
        rec = tf.concat(parts, tf.constant(1));
      } else {
        rec = tf.linalg.matMul(rdp == null ? h : tf.math.mul(h, rdp.get(0)), rw);
      }
      List<Output<TFloat32>> z = splitColumns(tf, tf.math.add(xs.get(t), rec), 4);
      Operand<TFloat32> i = recurrentActivation.call(tf, z.get(0));
      Operand<TFloat32> f = recurrentActivation.call(tf, z.get(1));
      Operand<TFloat32> cNew =
          tf.math.add(tf.math.mul(f, c), tf.math.mul(i, activation.call(tf, z.get(2))));
      Operand<TFloat32> o = recurrentActivation.call(tf, z.get(3));
      Operand<TFloat32> hNew = tf.math.mul(o, activation.call(tf, cNew));
      return List.of(hNew, hNew, cNew);
    };
  }

  /** BlockLSTMV2 computes exactly this layer's cell for tanh/sigmoid without per-step masks. */
  @Override
  Result fused(CallContext ctx, Operand<TFloat32> x, List<Operand<TFloat32>> initial) {
    boolean inputMaskPerGate = LayerUtils.drops(dropout) && implementation == 1;
    if (activation != Activations.TANH
        || recurrentActivation != Activations.SIGMOID
        || LayerUtils.drops(recurrentDropout)
        || inputMaskPerGate) {
      return null;
    }
    Ops tf = ctx.tf();
    Operand<TFloat32> in = x;
    List<Operand<TFloat32>> dp = inputDropoutMasks(ctx, x, 1);
    if (dp != null) in = tf.math.mul(in, tf.expandDims(dp.get(0), tf.constant(1)));
    Operand<TFloat32> b =
        useBias
            ? bias.variable().value()
            : tf.zeros(tf.constant(new long[] {4L * units}), TFloat32.class);
    return FusedRnn.lstm(
        tf,
        in,
        kernel.variable().value(),
        recurrentKernel.variable().value(),
        b,
        initial.get(0),
        initial.get(1),
        goBackwards,
        returnSequences);
  }

  @Override
  void putAfterInitializers(Map<String, Object> c) {
    c.put("unit_forget_bias", unitForgetBias);
  }

  /** Keras' {@code LSTM.from_config}; {@code implementation=0} reads as 1, as Keras does. */
  public static LSTM fromConfig(Map<String, Object> config) {
    checkKeys("LSTM", config, "recurrent_activation", "unit_forget_bias", "implementation");
    Builder b = builder(units(config)).rnnConfig(config);
    b.unitForgetBias(Config.getBoolean(config, "unit_forget_bias", UNIT_FORGET_BIAS_DEFAULT));
    return b.build();
  }

  /** Builds an {@link LSTM}; defaults are Keras 2.3.1's. */
  public static final class Builder extends GatedRecurrent.Builder<Builder> {
    private boolean unitForgetBias = UNIT_FORGET_BIAS_DEFAULT;

    private Builder(int units) {
      super(units);
    }

    /**
     * {@code unitForgetBias} (Keras {@code unit_forget_bias}): start the forget gate's bias at 1
     * (the other gates' at the bias initializer's values). Default true.
     */
    public Builder unitForgetBias(boolean unitForgetBias) {
      this.unitForgetBias = unitForgetBias;
      return this;
    }

    public LSTM build() {
      return new LSTM(this);
    }
  }

  /**
   * Keras' {@code unit_forget_bias} initializer: the given initializer for the input gate's block
   * and for the cell and output gates' blocks, ones for the forget gate's.
   */
  static final class ForgetBiasOne extends Initializer {
    private final Initializer inner;
    private final long units;

    ForgetBiasOne(Initializer inner, long units) {
      this.inner = inner;
      this.units = units;
    }

    @Override
    public String className() {
      return inner.className();
    }

    @Override
    public Operand<TFloat32> call(Ops tf, long[] shape, long seed) {
      return tf.concat(
          List.of(
              inner.call(tf, new long[] {units}, seed),
              new Ones().call(tf, new long[] {units}, seed),
              inner.call(tf, new long[] {2 * units}, seed)),
          tf.constant(0));
    }

    @Override
    public Map<String, Object> getConfig() {
      return inner.getConfig();
    }
  }
}
