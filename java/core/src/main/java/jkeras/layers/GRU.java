package jkeras.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import jkeras.internal.Config;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code GRU}, the gated recurrent unit (Cho et al. 2014), as Keras 2.3.1 defines it:
 *
 * <pre>
 * z = recurrent_activation(x . W_z + h . U_z + b_z)        r likewise
 * reset_after=False:  hh = activation(x . W_h + b_h + (r * h) . U_h)
 * reset_after=True:   hh = activation(x . W_h + b_h + r * (h . U_h + b'_h))
 * h = z * h + (1 - z) * hh                                 (the output)
 * </pre>
 *
 * <p>Weights as Keras names and lays them out: {@code kernel} {@code (input_dim, 3 * units)} and
 * {@code recurrent_kernel} {@code (units, 3 * units)}, blocks of columns in Keras' order z, r, h;
 * {@code bias} {@code (3 * units,)}, or with {@code reset_after} {@code (2, 3 * units)}: the input
 * bias then the recurrent bias (the layout of CuDNN-compatible weights, tf-keras' default).
 *
 * <p>Keras 2.3.1's defaults: {@code recurrent_activation='sigmoid'}, {@code implementation=2},
 * {@code reset_after=False} (tf-keras defaults to {@code reset_after=True}). Always unrolled (see
 * {@link Recurrent}).
 *
 * <pre>{@code
 * Layer gru = GRU.builder(32).resetAfter(true).returnSequences(true).build();
 * }</pre>
 */
public final class GRU extends GatedRecurrent {
  /** Keras 2.3.1's default {@code recurrent_activation} (Keras 2.2: hard_sigmoid). */
  public static final String RECURRENT_ACTIVATION_DEFAULT = "sigmoid";

  /** Keras 2.3.1's default {@code implementation}. */
  public static final int IMPLEMENTATION_DEFAULT = 2;

  /** Keras 2.3.1's default {@code reset_after} (tf-keras: true). */
  public static final boolean RESET_AFTER_DEFAULT = false;

  private final boolean resetAfter;

  /** {@code GRU(units)} with Keras 2.3.1's defaults. */
  public GRU(int units) {
    this(builder(units));
  }

  private GRU(Builder b) {
    super(b);
    this.resetAfter = b.resetAfter;
  }

  /** {@code units} (Keras {@code units}): the size of the output and state; positive. */
  public static Builder builder(int units) {
    return new Builder(units);
  }

  public boolean resetAfter() {
    return resetAfter;
  }

  @Override
  int stateCount() {
    return 1;
  }

  @Override
  int gates() {
    return 3;
  }

  @Override
  long[] biasShape() {
    return resetAfter ? new long[] {2, 3L * units} : new long[] {3L * units};
  }

  @Override
  Recurrent copyFor(String name, boolean goBackwards, boolean trainable) {
    Builder b = builder(units).copyOf(this, name, goBackwards, trainable);
    b.resetAfter = resetAfter;
    return b.build();
  }

  @Override
  Cell cell(CallContext ctx, Operand<TFloat32> x, int timesteps) {
    Ops tf = ctx.tf();
    long u = units;
    Operand<TFloat32> rw = recurrentKernel.variable().value();
    Operand<TFloat32> inputBias = null;
    Operand<TFloat32> recurrentBias = null;
    if (useBias) {
      Operand<TFloat32> b = bias.variable().value();
      if (resetAfter) {
        inputBias = row(tf, b, 0);
        recurrentBias = row(tf, b, 1);
      } else {
        inputBias = b;
      }
    }
    List<Operand<TFloat32>> dp = inputDropoutMasks(ctx, x, dropoutMaskCount());
    List<Operand<TFloat32>> rdp = recurrentDropoutMasks(ctx, x, dropoutMaskCount());
    List<Output<TFloat32>> xs =
        timesteps(tf, projectInputs(tf, x, dp, inputBias, timesteps), timesteps);
    Operand<TFloat32> rb = recurrentBias;
    // Per-gate recurrent products only where they differ: one recurrent mask per gate.
    if (implementation == 1 && rdp != null) {
      List<Operand<TFloat32>> rws = gateColumns(tf, rw);
      List<Operand<TFloat32>> rbs = new ArrayList<>();
      for (int g = 0; g < 3; g++) rbs.add(rb == null ? null : elements(tf, rb, g * u, (g + 1) * u));
      return (t, states) -> {
        Operand<TFloat32> h = states.get(0);
        List<Output<TFloat32>> xzrh = splitColumns(tf, xs.get(t), 3);
        Operand<TFloat32> hz = tf.math.mul(h, rdp.get(0));
        Operand<TFloat32> hr = tf.math.mul(h, rdp.get(1));
        Operand<TFloat32> hh = tf.math.mul(h, rdp.get(2));
        Operand<TFloat32> rz = addBias(tf, tf.linalg.matMul(hz, rws.get(0)), rbs.get(0));
        Operand<TFloat32> rr = addBias(tf, tf.linalg.matMul(hr, rws.get(1)), rbs.get(1));
        Operand<TFloat32> z = recurrentActivation.call(tf, tf.math.add(xzrh.get(0), rz));
        Operand<TFloat32> r = recurrentActivation.call(tf, tf.math.add(xzrh.get(1), rr));
        Operand<TFloat32> rh =
            resetAfter
                ? tf.math.mul(r, addBias(tf, tf.linalg.matMul(hh, rws.get(2)), rbs.get(2)))
                : tf.linalg.matMul(tf.math.mul(r, hh), rws.get(2));
        Operand<TFloat32> candidate = activation.call(tf, tf.math.add(xzrh.get(2), rh));
        Operand<TFloat32> out = mix(tf, z, h, candidate);
        return List.of(out, out);
      };
    }
    Operand<TFloat32> rwZr = resetAfter ? null : columns(tf, rw, 0, 2 * u);
    Operand<TFloat32> rwH = resetAfter ? null : columns(tf, rw, 2 * u, 3 * u);
    return (t, states) -> {
      // Keras 2.3.1 multiplies h_tm1 itself by the recurrent mask: the mix below uses it too.
      Operand<TFloat32> h = rdp == null ? states.get(0) : tf.math.mul(states.get(0), rdp.get(0));
      List<Output<TFloat32>> xzrh = splitColumns(tf, xs.get(t), 3);
      Operand<TFloat32> z;
      Operand<TFloat32> r;
      Operand<TFloat32> rh;
      if (resetAfter) {
        List<Output<TFloat32>> inner =
            splitColumns(tf, addBias(tf, tf.linalg.matMul(h, rw), rb), 3);
        z = recurrentActivation.call(tf, tf.math.add(xzrh.get(0), inner.get(0)));
        r = recurrentActivation.call(tf, tf.math.add(xzrh.get(1), inner.get(1)));
        rh = tf.math.mul(r, inner.get(2));
      } else {
        List<Output<TFloat32>> inner = splitColumns(tf, tf.linalg.matMul(h, rwZr), 2);
        z = recurrentActivation.call(tf, tf.math.add(xzrh.get(0), inner.get(0)));
        r = recurrentActivation.call(tf, tf.math.add(xzrh.get(1), inner.get(1)));
        rh = tf.linalg.matMul(tf.math.mul(r, h), rwH);
      }
      Operand<TFloat32> candidate = activation.call(tf, tf.math.add(xzrh.get(2), rh));
      Operand<TFloat32> out = mix(tf, z, h, candidate);
      return List.of(out, out);
    };
  }

  /** {@code z * h + (1 - z) * candidate}. */
  private static Operand<TFloat32> mix(
      Ops tf, Operand<TFloat32> z, Operand<TFloat32> h, Operand<TFloat32> candidate) {
    return tf.math.add(tf.math.mul(z, h), tf.math.mul(tf.math.sub(tf.constant(1f), z), candidate));
  }

  private static Operand<TFloat32> addBias(Ops tf, Operand<TFloat32> m, Operand<TFloat32> b) {
    return b == null ? m : tf.nn.biasAdd(m, b);
  }

  /** Row {@code i} of the {@code (2, 3 * units)} bias, as a vector. */
  private static Operand<TFloat32> row(Ops tf, Operand<TFloat32> b, int i) {
    Operand<TFloat32> r =
        tf.slice(b, tf.constant(new int[] {i, 0}), tf.constant(new int[] {1, -1}));
    return tf.reshape(r, tf.constant(new long[] {-1}));
  }

  /** Keras' config: {@link Recurrent}'s keys, {@code implementation}, then {@code reset_after}. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("reset_after", resetAfter);
    return c;
  }

  /** Keras' {@code GRU.from_config}; {@code implementation=0} reads as 1, as Keras does. */
  public static GRU fromConfig(Map<String, Object> config) {
    checkKeys("GRU", config, "recurrent_activation", "implementation", "reset_after");
    Builder b = builder(units(config)).rnnConfig(config);
    b.resetAfter(Config.getBoolean(config, "reset_after", RESET_AFTER_DEFAULT));
    return b.build();
  }

  /** Builds a {@link GRU}; defaults are Keras 2.3.1's. */
  public static final class Builder extends GatedRecurrent.Builder<Builder> {
    private boolean resetAfter = RESET_AFTER_DEFAULT;

    private Builder(int units) {
      super(units);
    }

    /**
     * {@code resetAfter} (Keras {@code reset_after}): apply the reset gate after the recurrent
     * product, with a separate recurrent bias (bias shape {@code (2, 3 * units)}); the layout
     * CuDNN-compatible weights use. Default false (Keras 2.3.1; tf-keras defaults to true).
     */
    public Builder resetAfter(boolean resetAfter) {
      this.resetAfter = resetAfter;
      return this;
    }

    public GRU build() {
      return new GRU(this);
    }
  }
}
