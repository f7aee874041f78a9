package jkeras.layers;

import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import jkeras.utils.ConvUtils;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The base of the global pooling layers, Keras 2.3.1's {@code _GlobalPooling1D} and {@code
 * _GlobalPooling2D}: the maximum or the mean over every step (1D) or every position (2D), giving
 * {@code (batch, channels)}.
 */
public abstract class GlobalPooling extends Layer {
  final int rank;
  final String dataFormat;
  private final boolean max;

  GlobalPooling(Builder<?> b, boolean max) {
    super(b);
    this.rank = b.rank;
    this.dataFormat = b.dataFormat;
    this.max = max;
  }

  public String dataFormat() {
    return dataFormat;
  }

  boolean channelsFirst() {
    return dataFormat.equals("channels_first");
  }

  @Override
  protected boolean weightsFreeLayer() {
    return true;
  }

  @Override
  protected void checkInputs(List<long[]> inputShapes) {
    LayerUtils.checkInputSpec(this, inputShapes, rank + 2, 0, null);
  }

  @Override
  public long[] computeOutputShape(List<long[]> inputShapes) {
    long[] s = inputShapes.get(0);
    return new long[] {s[0], channelsFirst() ? s[1] : s[s.length - 1]};
  }

  /** The pooled axes: 1..rank channels-last, 2..rank+1 channels-first. */
  int[] axes() {
    int[] a = new int[rank];
    for (int i = 0; i < rank; i++) a[i] = (channelsFirst() ? 2 : 1) + i;
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
  @SuppressWarnings("unchecked")
  public abstract static class Builder<B extends Builder<B>> extends Layer.Builder<B> {
    final int rank;
    String dataFormat = Conv.DATA_FORMAT_DEFAULT;

    Builder(int rank) {
      this.rank = rank;
    }

    /**
     * {@code dataFormat} (Keras {@code data_format}): "channels_last" or "channels_first"; null is
     * the default. Default "channels_last".
     */
    public B dataFormat(String dataFormat) {
      this.dataFormat = ConvUtils.normalizeDataFormat(dataFormat);
      return (B) this;
    }

    /** Builds the layer. */
    public abstract GlobalPooling build();
  }
}
