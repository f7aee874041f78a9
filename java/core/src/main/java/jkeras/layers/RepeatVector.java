package jkeras.layers;

import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import jkeras.internal.Config;
import jkeras.internal.Errors;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code RepeatVector(n)}: repeats a {@code (batch, features)} input {@code n} times, giving
 * {@code (batch, n, features)} (e.g. to feed an encoding to every step of a decoder).
 */
public final class RepeatVector extends Layer {
  private final int n;

  /** {@code RepeatVector(n)}: {@code n} a positive integer. */
  public RepeatVector(int n) {
    this(builder(n));
  }

  private RepeatVector(Builder b) {
    super(b);
    this.n = b.n;
  }

  /** {@code n} (Keras {@code n}): the number of repetitions. */
  public static Builder builder(int n) {
    return new Builder(n);
  }

  /** Keras' {@code n}. */
  public int n() {
    return n;
  }

  @Override
  protected boolean weightsFreeLayer() {
    return true;
  }

  @Override
  protected void checkInputs(List<long[]> inputShapes) {
    super.checkInputs(inputShapes);
    InputChecks.ndim(name(), inputShapes.get(0), 2);
  }

  @Override
  public long[] computeOutputShape(List<long[]> inputShapes) {
    long[] in = inputShapes.get(0);
    return new long[] {in[0], n, in[1]};
  }

  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    // K.repeat: expand_dims(x, 1), then tile [1, n, 1].
    Ops tf = ctx.tf();
    Operand<TFloat32> e = tf.expandDims(inputs.get(0), tf.constant(1));
    return tf.tile(e, tf.constant(new int[] {1, n, 1}));
  }

  /** Keras' {@code get_config()}: {@code n}. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("n", n);
    return c;
  }

  /** {@code Layers.deserialize} of a Keras {@code RepeatVector} config. */
  public static RepeatVector fromConfig(Map<String, Object> config) {
    Layers.check("RepeatVector", config, "n");
    if (config.get("n") == null) throw Errors.invalidArgument("n", "a positive integer", null);
    return builder(Config.getInt(config, "n", 0)).baseConfig(config).build();
  }

  /** Builds a {@link RepeatVector}. */
  public static final class Builder extends Layer.Builder<Builder> {
    private final int n;

    private Builder(int n) {
      if (n <= 0) throw Errors.invalidArgument("n", "a positive integer", n);
      this.n = n;
    }

    public RepeatVector build() {
      return new RepeatVector(this);
    }
  }
}
