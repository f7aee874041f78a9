package jkeras.layers;

import java.util.List;
import java.util.Map;
import jkeras.activations.Activations;
import jkeras.backend.CallContext;
import jkeras.internal.Config;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Softmax(axis=-1)}: the softmax activation along {@code axis}, computed as Keras
 * 2.3.1's {@code activations.softmax}: {@code tf.nn.softmax} for 2D inputs (last axis), {@code
 * exp(x - max) / sum(exp(x - max))} along {@code axis} above, an error for 1D.
 */
public final class Softmax extends PassThroughLayer {
  /** Keras' default {@code axis}. */
  public static final int AXIS_DEFAULT = -1;

  private final int axis;

  /** {@code Softmax()}: {@code axis=-1}. */
  public Softmax() {
    this(builder());
  }

  /** {@code Softmax(axis)}. */
  public Softmax(int axis) {
    this(builder().axis(axis));
  }

  private Softmax(Builder b) {
    super(b);
    this.axis = b.axis;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Keras' {@code axis}. */
  public int axis() {
    return axis;
  }

  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    Operand<TFloat32> x = inputs.get(0);
    Operand<TFloat32> out = Activations.softmax(axis).call(ctx.tf(), x);
    // Keras' cross-entropies use the logits behind a `Softmax` op, which a 2D input gets (larger
    // ranks compute exp / sum).
    if (x.shape().numDimensions() == 2) ctx.recordLogits(out, x, "softmax");
    return out;
  }

  /** Keras' {@code get_config()}: {@code axis}. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("axis", axis);
    return c;
  }

  /** {@code Layers.deserialize} of a Keras {@code Softmax} config. */
  public static Softmax fromConfig(Map<String, Object> config) {
    Layers.check("Softmax", config, "axis");
    return builder().baseConfig(config).axis(Config.getInt(config, "axis", AXIS_DEFAULT)).build();
  }

  /** Builds a {@link Softmax}; defaults are Keras'. */
  public static final class Builder extends Layer.Builder<Builder> {
    private int axis = AXIS_DEFAULT;

    /** {@code axis} (Keras {@code axis}): the normalization axis. Default -1. */
    public Builder axis(int axis) {
      this.axis = axis;
      return this;
    }

    public Softmax build() {
      return new Softmax(this);
    }
  }
}
