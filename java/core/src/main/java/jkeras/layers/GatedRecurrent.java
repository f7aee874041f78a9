package jkeras.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jkeras.activations.Activation;
import jkeras.activations.Activations;
import jkeras.internal.Config;
import jkeras.internal.Errors;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * What {@link LSTM} and {@link GRU} share beyond {@link Recurrent}: the gates' {@code
 * recurrent_activation} and {@code implementation} (1: each gate's inputs and recurrent state
 * dropped with their own mask; 2: one mask for every gate), and the input projection either way.
 */
abstract class GatedRecurrent extends Recurrent {
  final Activation recurrentActivation;
  final int implementation;

  GatedRecurrent(Builder<?> b) {
    super(b);
    this.recurrentActivation = b.recurrentActivation;
    this.implementation = b.implementation;
  }

  public Activation recurrentActivation() {
    return recurrentActivation;
  }

  public int implementation() {
    return implementation;
  }

  /** Keras draws one dropout mask per gate; implementation 2 uses the first for every gate. */
  int dropoutMaskCount() {
    return implementation == 1 ? gates() : 1;
  }

  /**
   * {@code x}'s projection on the kernel ({@code [batch, T, gates * units]}, the input bias {@code
   * b} added when not null): with implementation 1 and input masks {@code dp}, each gate's block of
   * columns projects its own masked input.
   */
  Operand<TFloat32> projectInputs(
      Ops tf, Operand<TFloat32> x, List<Operand<TFloat32>> dp, Operand<TFloat32> b, int timesteps) {
    Operand<TFloat32> w = kernel.variable().value();
    long u = units;
    long in = inputDim();
    if (dp == null || implementation != 1) {
      Operand<TFloat32> mask = dp == null ? null : dp.get(0);
      return project(tf, x, mask, w, b, timesteps, in, gates() * u);
    }
    List<Operand<TFloat32>> blocks = new ArrayList<>();
    for (int g = 0; g < gates(); g++) {
      Operand<TFloat32> bg = b == null ? null : elements(tf, b, g * u, (g + 1) * u);
      blocks.add(
          project(tf, x, dp.get(g), columns(tf, w, g * u, (g + 1) * u), bg, timesteps, in, u));
    }
    return tf.concat(blocks, tf.constant(-1));
  }

  @Override
  void putAfterActivation(Map<String, Object> c) {
    c.put("recurrent_activation", recurrentActivation.name());
  }

  /** Keras' config: {@link Recurrent}'s keys, then {@code implementation}. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("implementation", implementation);
    return c;
  }

  /**
   * The arguments of the gated layers; defaults are Keras 2.3.1's.
   *
   * @param <B> the concrete builder, for chaining
   */
  @SuppressWarnings("unchecked")
  abstract static class Builder<B extends Builder<B>> extends Recurrent.Builder<B> {
    Activation recurrentActivation = Activations.get(LSTM.RECURRENT_ACTIVATION_DEFAULT);
    int implementation = LSTM.IMPLEMENTATION_DEFAULT;

    Builder(int units) {
      super(units);
    }

    /**
     * {@code recurrentActivation} (Keras {@code recurrent_activation}): the gates' activation.
     * Default sigmoid (Keras 2.3.1 and tf-keras; Keras 2.2 used hard_sigmoid).
     */
    public B recurrentActivation(Object activation) {
      this.recurrentActivation = Activations.get(activation);
      return (B) this;
    }

    /**
     * {@code implementation} (Keras {@code implementation}): 1 or 2. The same numbers either way,
     * except with dropout: mode 1 drops each gate's inputs (and recurrent state) with its own mask,
     * mode 2 with one mask. Default 2.
     */
    public B implementation(int implementation) {
      if (implementation != 1 && implementation != 2)
        throw Errors.invalidArgument("implementation", "1 or 2", implementation);
      this.implementation = implementation;
      return (B) this;
    }

    /**
     * Reads {@link Recurrent}'s keys, {@code recurrent_activation} and {@code implementation}
     * ({@code implementation=0} reads as 1, as Keras does).
     */
    @Override
    B rnnConfig(Map<String, Object> c) {
      super.rnnConfig(c);
      if (c.containsKey("recurrent_activation")) recurrentActivation(c.get("recurrent_activation"));
      int impl = Config.getInt(c, "implementation", LSTM.IMPLEMENTATION_DEFAULT);
      return implementation(impl == 0 ? 1 : impl);
    }

    @Override
    B copyOf(Recurrent l, String name, boolean goBackwards, boolean trainable) {
      super.copyOf(l, name, goBackwards, trainable);
      GatedRecurrent g = (GatedRecurrent) l;
      recurrentActivation = g.recurrentActivation;
      implementation = g.implementation;
      return (B) this;
    }
  }
}
