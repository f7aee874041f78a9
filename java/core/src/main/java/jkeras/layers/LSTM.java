package jkeras.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jkeras.activations.Activation;
import jkeras.activations.Activations;
import jkeras.backend.CallContext;
import jkeras.initializers.Initializer;
import jkeras.initializers.Ones;
import jkeras.internal.Config;
import jkeras.internal.Errors;
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
public final class LSTM extends Recurrent {
  /** Keras 2.3.1's default {@code recurrent_activation} (Keras 2.2: hard_sigmoid). */
  public static final String RECURRENT_ACTIVATION_DEFAULT = "sigmoid";

  /** Keras' default {@code unit_forget_bias}. */
  public static final boolean UNIT_FORGET_BIAS_DEFAULT = true;

  /** Keras 2.3.1's default {@code implementation}. */
  public static final int IMPLEMENTATION_DEFAULT = 2;

  private final Activation recurrentActivation;
  private final boolean unitForgetBias;
  private final int implementation;

  /** {@code LSTM(units)} with Keras' defaults. */
  public LSTM(int units) {
    this(builder(units));
  }

  private LSTM(Builder b) {
    super(b);
    this.recurrentActivation = b.recurrentActivation;
    this.unitForgetBias = b.unitForgetBias;
    this.implementation = b.implementation;
  }

  /** {@code units} (Keras {@code units}): the size of the output and of each state; positive. */
  public static Builder builder(int units) {
    return new Builder(units);
  }

  public Activation recurrentActivation() {
    return recurrentActivation;
  }

  public boolean unitForgetBias() {
    return unitForgetBias;
  }

  public int implementation() {
    return implementation;
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
    return unitForgetBias ? new ForgetBiasOne(biasInitializer, units) : biasInitializer;
  }

  @Override
  Recurrent copyFor(String name, boolean goBackwards, boolean trainable) {
    Builder b = builder(units).copyOf(this, name, goBackwards, trainable);
    b.recurrentActivation = recurrentActivation;
    b.unitForgetBias = unitForgetBias;
    b.implementation = implementation;
    return b.build();
  }

  @Override
  Cell cell(CallContext ctx, Operand<TFloat32> x, int timesteps) {
    Ops tf = ctx.tf();
    long u = units;
    long in = inputDim();
    Operand<TFloat32> w = kernel.variable().value();
    Operand<TFloat32> rw = recurrentKernel.variable().value();
    Operand<TFloat32> b = useBias ? bias.variable().value() : null;
    // Keras draws 4 masks; implementation 2 uses the first for every gate.
    int masks = implementation == 1 ? 4 : 1;
    List<Operand<TFloat32>> dp =
        drops(dropout) ? dropoutMasks(ctx, batchBy(tf, x, in), dropout, masks) : null;
    List<Operand<TFloat32>> rdp =
        drops(recurrentDropout)
            ? dropoutMasks(ctx, batchBy(tf, x, u), recurrentDropout, masks)
            : null;
    Operand<TFloat32> projected;
    if (dp != null && implementation == 1) {
      // One mask per gate: each gate's block of columns projects its own masked input.
      List<Operand<TFloat32>> blocks = new ArrayList<>();
      for (int g = 0; g < 4; g++) {
        Operand<TFloat32> bg = b == null ? null : elements(tf, b, g * u, (g + 1) * u);
        blocks.add(
            project(tf, x, dp.get(g), columns(tf, w, g * u, (g + 1) * u), bg, timesteps, in, u));
      }
      projected = tf.concat(blocks, tf.constant(-1));
    } else {
      projected = project(tf, x, dp == null ? null : dp.get(0), w, b, timesteps, in, 4 * u);
    }
    List<Output<TFloat32>> xs = timesteps(tf, projected, timesteps);
    List<Operand<TFloat32>> rws = new ArrayList<>();
    if (rdp != null && implementation == 1) {
      for (int g = 0; g < 4; g++) rws.add(columns(tf, rw, g * u, (g + 1) * u));
    }
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
    boolean inputMaskPerGate = drops(dropout) && implementation == 1;
    if (activation != Activations.TANH
        || recurrentActivation != Activations.SIGMOID
        || drops(recurrentDropout)
        || inputMaskPerGate) {
      return null;
    }
    Ops tf = ctx.tf();
    Operand<TFloat32> in = x;
    if (drops(dropout)) {
      Operand<TFloat32> m = dropoutMasks(ctx, batchBy(tf, x, inputDim()), dropout, 1).get(0);
      in = tf.math.mul(in, tf.expandDims(m, tf.constant(1)));
    }
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
  public Map<String, Object> getConfig() {
    Map<String, Object> c = rnnConfig();
    c.put("units", units);
    c.put("activation", activation.name());
    c.put("recurrent_activation", recurrentActivation.name());
    c.put("use_bias", useBias);
    c.put("kernel_initializer", serialize(kernelInitializer));
    c.put("recurrent_initializer", serialize(recurrentInitializer));
    c.put("bias_initializer", serialize(biasInitializer));
    c.put("unit_forget_bias", unitForgetBias);
    putPenaltiesAndConstraints(c);
    c.put("dropout", dropout);
    c.put("recurrent_dropout", recurrentDropout);
    c.put("implementation", implementation);
    return c;
  }

  /** Keras' {@code LSTM.from_config}; {@code implementation=0} reads as 1, as Keras does. */
  public static LSTM fromConfig(Map<String, Object> config) {
    List<String> keys = new ArrayList<>(RNN_KEYS);
    keys.addAll(List.of("recurrent_activation", "unit_forget_bias", "implementation"));
    Layers.check("LSTM", config, keys.toArray(String[]::new));
    Builder b = builder(units(config)).rnnConfig(config);
    if (config.containsKey("recurrent_activation"))
      b.recurrentActivation(config.get("recurrent_activation"));
    b.unitForgetBias(Config.getBoolean(config, "unit_forget_bias", UNIT_FORGET_BIAS_DEFAULT));
    int impl = Config.getInt(config, "implementation", IMPLEMENTATION_DEFAULT);
    b.implementation(impl == 0 ? 1 : impl);
    return b.build();
  }

  /** Builds an {@link LSTM}; defaults are Keras 2.3.1's. */
  public static final class Builder extends Recurrent.Builder<Builder> {
    private Activation recurrentActivation = Activations.get(RECURRENT_ACTIVATION_DEFAULT);
    private boolean unitForgetBias = UNIT_FORGET_BIAS_DEFAULT;
    private int implementation = IMPLEMENTATION_DEFAULT;

    private Builder(int units) {
      super(units);
    }

    /**
     * {@code recurrentActivation} (Keras {@code recurrent_activation}): the gates' activation.
     * Default sigmoid (Keras 2.3.1 and tf-keras; Keras 2.2 used hard_sigmoid).
     */
    public Builder recurrentActivation(Object activation) {
      this.recurrentActivation = Activations.get(activation);
      return this;
    }

    /**
     * {@code unitForgetBias} (Keras {@code unit_forget_bias}): start the forget gate's bias at 1
     * (the other gates' at the bias initializer's values). Default true.
     */
    public Builder unitForgetBias(boolean unitForgetBias) {
      this.unitForgetBias = unitForgetBias;
      return this;
    }

    /**
     * {@code implementation} (Keras {@code implementation}): 1 or 2. The same numbers either way,
     * except with dropout: mode 1 drops each gate's inputs (and recurrent state) with its own mask,
     * mode 2 with one mask. Default 2.
     */
    public Builder implementation(int implementation) {
      if (implementation != 1 && implementation != 2)
        throw Errors.invalidArgument("implementation", "1 or 2", implementation);
      this.implementation = implementation;
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
