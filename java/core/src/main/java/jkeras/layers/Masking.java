package jkeras.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import jkeras.internal.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Any;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Masking(mask_value=0.)}: masks the time steps whose features all equal {@code
 * maskValue}. The mask (true where any feature differs from {@code maskValue}) goes to the layers
 * after it, which skip masked steps (an error for a layer that does not support masking), and to
 * the loss, which does not count them; the output is the input with masked steps zeroed, as Keras
 * computes it.
 */
public final class Masking extends PassThroughLayer {
  /** Keras' default {@code mask_value}. */
  public static final double MASK_VALUE_DEFAULT = 0.0;

  private final double maskValue;

  /** {@code Masking()}: masks steps of zeros. */
  public Masking() {
    this(builder());
  }

  /** {@code Masking(mask_value)}. */
  public Masking(double maskValue) {
    this(builder().maskValue(maskValue));
  }

  private Masking(Builder b) {
    super(b);
    this.maskValue = b.maskValue;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Keras' {@code mask_value}. */
  public double maskValue() {
    return maskValue;
  }

  private Operand<TBool> kept(Ops tf, Operand<TFloat32> x, boolean keepdims) {
    return tf.any(
        tf.math.notEqual(x, tf.constant((float) maskValue)),
        tf.constant(-1),
        Any.keepDims(keepdims));
  }

  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    Ops tf = ctx.tf();
    Operand<TFloat32> x = inputs.get(0);
    return tf.math.mul(x, tf.dtypes.cast(kept(tf, x, true), TFloat32.class));
  }

  /** Keras' {@code compute_mask}: {@code K.any(K.not_equal(inputs, mask_value), axis=-1)}. */
  @Override
  public List<Operand<TBool>> computeMasks(
      CallContext ctx, List<Operand<TFloat32>> inputs, int outputs) {
    List<Operand<TBool>> out = new ArrayList<>();
    Operand<TBool> m = kept(ctx.tf(), inputs.get(0), false);
    for (int i = 0; i < outputs; i++) out.add(m);
    return out;
  }

  /** Keras' {@code get_config()}: {@code mask_value}. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("mask_value", maskValue);
    return c;
  }

  /** {@code Layers.deserialize} of a Keras {@code Masking} config. */
  public static Masking fromConfig(Map<String, Object> config) {
    Layers.check("Masking", config, "mask_value");
    return builder()
        .baseConfig(config)
        .maskValue(Config.getDouble(config, "mask_value", MASK_VALUE_DEFAULT))
        .build();
  }

  /** Builds a {@link Masking}; defaults are Keras'. */
  public static final class Builder extends Layer.Builder<Builder> {
    private double maskValue = MASK_VALUE_DEFAULT;

    /** {@code maskValue} (Keras {@code mask_value}): the value of masked steps. Default 0. */
    public Builder maskValue(double maskValue) {
      this.maskValue = maskValue;
      return this;
    }

    public Masking build() {
      return new Masking(this);
    }
  }
}
