package jkeras.layers;

import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import jkeras.internal.Errors;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras' {@code UpSampling1D(size)}: repeats each step {@code size} times along the steps of {@code
 * (batch, steps, features)} (Keras' {@code K.repeat_elements(x, size, axis=1)}).
 */
public final class UpSampling1D extends SpatialLayer {
  /** Keras' default {@code size}. */
  public static final int SIZE_DEFAULT = 2;

  private final int size;

  /** {@code UpSampling1D()} with Keras' defaults. */
  public UpSampling1D() {
    this(builder());
  }

  /** {@code UpSampling1D(size)}. */
  public UpSampling1D(int size) {
    this(builder().size(size));
  }

  private UpSampling1D(Builder b) {
    super(b, 1, Conv.DATA_FORMAT_DEFAULT);
    this.size = b.size;
  }

  public static Builder builder() {
    return new Builder();
  }

  public int size() {
    return size;
  }

  @Override
  long outputLength(long length, int axis) {
    return length * size;
  }

  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    Ops tf = ctx.tf();
    Operand<TFloat32> x = inputs.get(0);
    // (b, s, f) -> (b, s, 1, f) -> tiled (b, s, size, f) -> (b, s * size, f): each step repeated.
    Operand<TFloat32> tiled =
        tf.tile(tf.expandDims(x, tf.constant(2)), tf.constant(new int[] {1, 1, size, 1}));
    long steps = x.shape().get(1);
    long features = x.shape().get(2);
    // A constant shape where known keeps the output's static shape (Flatten after it).
    Operand<TInt32> target =
        steps >= 0 && features >= 0
            ? tf.constant(new int[] {-1, (int) steps * size, (int) features})
            : tf.math.mul(tf.shape(x), tf.constant(new int[] {1, size, 1}));
    return tf.reshape(tiled, target);
  }

  /** Keras' config: {@code size} (an integer). */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("size", size);
    return c;
  }

  /** Builds an {@link UpSampling1D}; defaults are Keras'. */
  public static final class Builder extends Layer.Builder<Builder> {
    private int size = SIZE_DEFAULT;

    private Builder() {}

    /** {@code size} (Keras {@code size}): the repetitions of each step. Default 2. */
    public Builder size(int size) {
      if (size <= 0) throw Errors.invalidArgument("size", "a positive integer", size);
      this.size = size;
      return this;
    }

    public UpSampling1D build() {
      return new UpSampling1D(this);
    }
  }
}
