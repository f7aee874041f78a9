package jkeras.layers;

import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import jkeras.internal.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceAny;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Masking(mask_value=0.0)}: masks the timesteps whose features all equal {@code
 * mask_value}, for the layers after it (recurrent layers skip them; the loss ignores them where the
 * mask reaches the output). Its output is its input with the masked timesteps set to 0.
 *
 * <pre>{@code
 * KerasTensor x = Input.create(new long[] {20, 8}, "padded");
 * KerasTensor h = LSTM.builder(16).build().apply(new Masking().apply(x));
 * }</pre>
 */
public final class Masking extends Layer {
  /** Keras' default {@code mask_value}. */
  public static final double MASK_VALUE_DEFAULT = 0.0;

  private final double maskValue;

  /** {@code Masking()}: masks timesteps of zeros. */
  public Masking() {
    this(builder());
  }

  /** {@code Masking(maskValue)}. */
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

  public double maskValue() {
    return maskValue;
  }

  @Override
  public boolean supportsMasking() {
    return true;
  }

  @Override
  protected boolean weightsFreeLayer() {
    return true;
  }

  @Override
  public long[] computeOutputShape(List<long[]> inputShapes) {
    return inputShapes.get(0);
  }

  private Operand<TBool> kept(Ops tf, Operand<TFloat32> x, boolean keepDims) {
    return tf.reduceAny(
        tf.math.notEqual(x, tf.constant((float) maskValue)),
        tf.constant(-1),
        ReduceAny.keepDims(keepDims));
  }

  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    Ops tf = ctx.tf();
    Operand<TFloat32> x = inputs.get(0);
    return tf.math.mul(x, tf.dtypes.cast(kept(tf, x, true), TFloat32.class));
  }

  /** Keras' {@code Masking.compute_mask}: a timestep is kept where any feature differs. */
  @Override
  public List<Operand<TBool>> computeMasks(
      CallContext ctx, List<Operand<TFloat32>> inputs, int outputs) {
    return List.of(kept(ctx.tf(), inputs.get(0), false));
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("mask_value", maskValue);
    return c;
  }

  /** Keras' {@code Masking.from_config}. */
  public static Masking fromConfig(Map<String, Object> config) {
    Layers.check("Masking", config, "mask_value");
    return builder()
        .maskValue(Config.getDouble(config, "mask_value", MASK_VALUE_DEFAULT))
        .baseConfig(config)
        .build();
  }

  /** Builds a {@link Masking}; defaults are Keras'. */
  public static final class Builder extends Layer.Builder<Builder> {
    private double maskValue = MASK_VALUE_DEFAULT;

    private Builder() {}

    /** {@code maskValue} (Keras {@code mask_value}): the padding value. Default 0. */
    public Builder maskValue(double maskValue) {
      this.maskValue = maskValue;
      return this;
    }

    public Masking build() {
      return new Masking(this);
    }
  }
}
