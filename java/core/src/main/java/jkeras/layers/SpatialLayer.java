package jkeras.layers;

import java.util.List;
import java.util.function.UnaryOperator;
import jkeras.backend.CallContext;
import jkeras.utils.ConvUtils;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * What the layers without weights over {@code (batch, spatial..., channels)} inputs share (padding,
 * cropping, upsampling and pooling; Keras' {@code convolutional} and {@code pooling} modules):
 * {@code rank} spatial axes, after the channels with {@code channels_first}; an input of rank
 * {@code rank + 2} whose spatial sizes may change from call to call (Keras' {@code
 * InputSpec(ndim=rank + 2)}). Each spatial axis' output length comes from {@link #outputLength} (an
 * unknown length stays unknown); the op runs on the input made channels-last ({@link
 * ConvOps#channelsLast}).
 */
abstract class SpatialLayer extends Layer {
  final int rank;
  final String dataFormat;

  SpatialLayer(Builder<?> b, int rank) {
    this(b, rank, b.dataFormat);
  }

  /** A layer without a {@code data_format} argument passes {@code channels_last}. */
  SpatialLayer(Layer.Builder<?> b, int rank, String dataFormat) {
    super(b);
    this.rank = rank;
    this.dataFormat = dataFormat;
  }

  boolean channelsFirst() {
    return dataFormat.equals("channels_first");
  }

  /** The index of the first spatial axis: 1 channels-last, 2 channels-first. */
  int firstSpatialAxis() {
    return channelsFirst() ? 2 : 1;
  }

  /** Runs {@code op} on {@code x} made channels-last, as Keras' backend does on a CPU. */
  Operand<TFloat32> channelsLast(
      CallContext ctx, Operand<TFloat32> x, UnaryOperator<Operand<TFloat32>> op) {
    return ConvOps.channelsLast(ctx.tf(), x, channelsFirst(), op);
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
    long[] s = inputShapes.get(0).clone();
    int first = firstSpatialAxis();
    for (int i = 0; i < rank; i++) {
      if (s[first + i] >= 0) s[first + i] = outputLength(s[first + i], i);
    }
    return s;
  }

  /**
   * The output length of spatial axis {@code axis} (0-based) for a known input length; the same
   * length by default.
   */
  long outputLength(long length, int axis) {
    return length;
  }

  /**
   * The {@code data_format} argument of the spatial layers that take one; defaults are Keras'.
   *
   * @param <B> the concrete builder, for chaining
   */
  @SuppressWarnings("unchecked")
  abstract static class Builder<B extends Builder<B>> extends Layer.Builder<B> {
    String dataFormat = Conv.DATA_FORMAT_DEFAULT;

    /**
     * {@code dataFormat} (Keras {@code data_format}): "channels_last" or "channels_first"; null is
     * the default. Default "channels_last".
     */
    public B dataFormat(String dataFormat) {
      this.dataFormat = ConvUtils.normalizeDataFormat(dataFormat);
      return (B) this;
    }
  }
}
