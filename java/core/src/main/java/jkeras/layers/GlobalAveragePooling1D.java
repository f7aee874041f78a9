package jkeras.layers;

import java.util.List;
import jkeras.backend.CallContext;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code GlobalAveragePooling1D(data_format)}: the mean over the steps of {@code (batch,
 * steps, features)}, giving {@code (batch, features)}.
 *
 * <p>Masks, as Keras 2.3.1: with a mask on the input (an Embedding with {@code mask_zero}, a
 * Masking layer), the mean is over the unmasked steps only ({@code sum(x * mask) / sum(mask)}; a
 * sample with every step masked gives NaN, as in Keras); the output carries no mask.
 */
public final class GlobalAveragePooling1D extends GlobalPooling {
  /** {@code GlobalAveragePooling1D()} with Keras' defaults. */
  public GlobalAveragePooling1D() {
    this(builder());
  }

  private GlobalAveragePooling1D(Builder b) {
    super(b, false);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Keras 2.3.1: {@code supports_masking = True}; its {@code compute_mask} returns None. */
  @Override
  public boolean supportsMasking() {
    return true;
  }

  @Override
  public List<Operand<TBool>> computeMasks(
      CallContext ctx, List<Operand<TFloat32>> inputs, int outputs) {
    return LayerUtils.firstMask(null, outputs);
  }

  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    Operand<TBool> mask = ctx.inputMask(0);
    if (mask == null) return super.call(ctx, inputs);
    Ops tf = ctx.tf();
    Operand<TFloat32> x = inputs.get(0);
    int steps = channelsFirst() ? 2 : 1;
    // Keras reshapes the mask to (-1, steps, 1); channels-first has the steps last: (-1, 1, steps).
    Operand<TFloat32> m =
        tf.expandDims(tf.dtypes.cast(mask, TFloat32.class), tf.constant(channelsFirst() ? 1 : 2));
    return tf.math.div(
        tf.reduceSum(tf.math.mul(x, m), tf.constant(steps)), tf.reduceSum(m, tf.constant(steps)));
  }

  /** Builds a {@link GlobalAveragePooling1D}; defaults are Keras'. */
  public static final class Builder extends GlobalPooling.Builder<Builder> {
    private Builder() {
      super(1);
    }

    @Override
    public GlobalAveragePooling1D build() {
      return new GlobalAveragePooling1D(this);
    }
  }
}
