package jkeras.layers;

import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Zero padding or cropping ({@link ZeroPadding1D}, {@link ZeroPadding2D}, {@link Cropping1D},
 * {@link Cropping2D}): a (start, end) count for each spatial axis, added as zeros or removed.
 */
abstract class SpatialMargins extends SpatialLayer {
  private final boolean crop;
  final int[][] margins;

  /**
   * @param crop whether the margins are removed (cropping) rather than added (padding)
   * @param margins (start, end) for each spatial axis
   */
  SpatialMargins(Layer.Builder<?> b, String dataFormat, boolean crop, int[][] margins) {
    super(b, margins.length, dataFormat);
    this.crop = crop;
    this.margins = margins;
  }

  @Override
  long outputLength(long length, int axis) {
    int both = margins[axis][0] + margins[axis][1];
    return crop ? length - both : length + both;
  }

  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    Ops tf = ctx.tf();
    return channelsLast(
        ctx,
        inputs.get(0),
        x -> crop ? ConvOps.crop(tf, x, margins) : ConvOps.zeroPad(tf, x, margins));
  }

  /**
   * Keras' config: {@code padding} or {@code cropping}, (start, end) in 1D, ((top, bottom), (left,
   * right)) in 2D; then {@code data_format} (2D only: the 1D layers take none).
   */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put(
        crop ? "cropping" : "padding",
        rank == 1 ? LayerUtils.tuple(margins[0]) : LayerUtils.tuples(margins));
    if (rank > 1) c.put("data_format", dataFormat);
    return c;
  }
}
