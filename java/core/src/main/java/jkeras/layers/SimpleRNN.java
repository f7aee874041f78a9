package jkeras.layers;

import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code SimpleRNN}: a fully connected recurrence whose output is its state, {@code h =
 * activation(x . kernel + bias + h . recurrent_kernel)}.
 *
 * <p>Weights as Keras names them: {@code kernel} {@code (input_dim, units)}, {@code
 * recurrent_kernel} {@code (units, units)}, {@code bias} {@code (units,)}. Arguments, masks,
 * initial state and dropout: see {@link Recurrent}.
 *
 * <pre>{@code
 * Layer rnn = SimpleRNN.builder(32).returnSequences(true).build();
 * }</pre>
 */
public final class SimpleRNN extends Recurrent {
  /** {@code SimpleRNN(units)} with Keras' defaults. */
  public SimpleRNN(int units) {
    this(builder(units));
  }

  private SimpleRNN(Builder b) {
    super(b);
  }

  /** {@code units} (Keras {@code units}): the size of the output and state; positive. */
  public static Builder builder(int units) {
    return new Builder(units);
  }

  @Override
  int stateCount() {
    return 1;
  }

  @Override
  int gates() {
    return 1;
  }

  @Override
  Recurrent copyFor(String name, boolean goBackwards, boolean trainable) {
    return builder(units).copyOf(this, name, goBackwards, trainable).build();
  }

  @Override
  Cell cell(CallContext ctx, Operand<TFloat32> x, int timesteps) {
    Ops tf = ctx.tf();
    Operand<TFloat32> rw = recurrentKernel.variable().value();
    List<Operand<TFloat32>> dps = inputDropoutMasks(ctx, x, 1);
    List<Operand<TFloat32>> rdps = recurrentDropoutMasks(ctx, x, 1);
    Operand<TFloat32> dp = dps == null ? null : dps.get(0);
    Operand<TFloat32> rdp = rdps == null ? null : rdps.get(0);
    Operand<TFloat32> b = useBias ? bias.variable().value() : null;
    List<Output<TFloat32>> xs =
        timesteps(
            tf,
            project(tf, x, dp, kernel.variable().value(), b, timesteps, inputDim(), units),
            timesteps);
    return (t, states) -> {
      Operand<TFloat32> h = states.get(0);
      if (rdp != null) h = tf.math.mul(h, rdp);
      Operand<TFloat32> out = activation.call(tf, tf.math.add(xs.get(t), tf.linalg.matMul(h, rw)));
      return List.of(out, out);
    };
  }

  /**
   * Keras' {@code SimpleRNN.from_config}; an {@code implementation} key (deprecated for this layer)
   * is dropped, as Keras drops it.
   */
  public static SimpleRNN fromConfig(Map<String, Object> config) {
    checkKeys("SimpleRNN", config, "implementation");
    return builder(units(config)).rnnConfig(config).build();
  }

  /** Builds a {@link SimpleRNN}; defaults are Keras'. */
  public static final class Builder extends Recurrent.Builder<Builder> {
    private Builder(int units) {
      super(units);
    }

    public SimpleRNN build() {
      return new SimpleRNN(this);
    }
  }
}
