package jkeras.layers;

import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The base of the global pooling layers, Keras 2.3.1's {@code _GlobalPooling1D} and {@code
 * _GlobalPooling2D}: the maximum or the mean over every step (1D) or every position (2D), giving
 * {@code (batch, channels)}.
 */
public abstract class GlobalPooling extends SpatialLayer {
  private final boolean max;

  /** {@code max}: the maximum over the spatial axes, else the mean. */
  GlobalPooling(Builder<?> b, boolean max) {
    super(b, b.rank);
    this.max = max;
  }

  public String dataFormat() {
    return dataFormat;
  }

  @Override
  public long[] computeOutputShape(List<long[]> inputShapes) {
    long[] s = inputShapes.get(0);
    return new long[] {s[0], channelsFirst() ? s[1] : s[s.length - 1]};
  }

  /** The pooled axes: 1..rank channels-last, 2..rank+1 channels-first. */
  int[] axes() {
    int[] a = new int[rank];
    for (int i = 0; i < rank; i++) a[i] = firstSpatialAxis() + i;
    return a;
  }

  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    Ops tf = ctx.tf();
    Operand<TFloat32> x = inputs.get(0);
    return max ? tf.reduceMax(x, tf.constant(axes())) : tf.math.mean(x, tf.constant(axes()));
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("data_format", dataFormat);
    return c;
  }

  /**
   * The arguments every global pooling layer takes; defaults are Keras'.
   *
   * @param <B> the concrete builder, for chaining
   */
  public abstract static class Builder<B extends Builder<B>> extends SpatialLayer.Builder<B> {
    final int rank;

    Builder(int rank) {
      this.rank = rank;
    }

    /** Builds the layer. */
    public abstract GlobalPooling build();
  }
}
