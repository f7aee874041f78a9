package jkeras.layers;

import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import jkeras.internal.Errors;
import jkeras.utils.ConvUtils;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.op.image.ResizeNearestNeighbor;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras' {@code UpSampling2D(size, data_format, interpolation)}: resizes {@code (batch, rows, cols,
 * channels)} to {@code (batch, rows * size[0], cols * size[1], channels)} with Keras 2.3.1's {@code
 * K.resize_images}: TensorFlow's {@code ResizeNearestNeighbor} ("nearest": each value repeated) or
 * {@code ResizeBilinear} ("bilinear"), both with TensorFlow 1's corner convention ({@code
 * align_corners=False, half_pixel_centers=False}). tf-keras 2.x resizes with half-pixel centres,
 * which gives other "bilinear" values.
 */
public final class UpSampling2D extends SpatialLayer {
  /** Keras' default {@code interpolation}. */
  public static final String INTERPOLATION_DEFAULT = "nearest";

  private final int[] size;
  private final String interpolation;

  /** {@code UpSampling2D()} with Keras' defaults. */
  public UpSampling2D() {
    this(builder());
  }

  /** {@code UpSampling2D(size)}: one value for both axes, or (rows, cols). */
  public UpSampling2D(int... size) {
    this(builder().size(size));
  }

  private UpSampling2D(Builder b) {
    super(b, 2);
    this.size = b.size;
    this.interpolation = b.interpolation;
  }

  public static Builder builder() {
    return new Builder();
  }

  public int[] size() {
    return size.clone();
  }

  public String dataFormat() {
    return dataFormat;
  }

  public String interpolation() {
    return interpolation;
  }

  @Override
  long outputLength(long length, int axis) {
    return length * size[axis];
  }

  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    Ops tf = ctx.tf();
    return channelsLast(
        ctx,
        inputs.get(0),
        x -> {
          long h = x.shape().get(1);
          long w = x.shape().get(2);
          // A constant size where known keeps the output's static shape (Flatten after it).
          Operand<TInt32> hw =
              h >= 0 && w >= 0
                  ? tf.constant(new int[] {(int) h * size[0], (int) w * size[1]})
                  : tf.math.mul(
                      tf.slice(tf.shape(x), tf.constant(new int[] {1}), tf.constant(new int[] {2})),
                      tf.constant(size));
          if (interpolation.equals("bilinear")) {
            return tf.image.resizeBilinear(
                x, hw, ResizeBilinear.alignCorners(false), ResizeBilinear.halfPixelCenters(false));
          }
          return tf.image.resizeNearestNeighbor(
              x,
              hw,
              ResizeNearestNeighbor.alignCorners(false),
              ResizeNearestNeighbor.halfPixelCenters(false));
        });
  }

  /** Keras' config: {@code size, data_format, interpolation}. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("size", LayerUtils.tuple(size));
    c.put("data_format", dataFormat);
    c.put("interpolation", interpolation);
    return c;
  }

  /** Builds an {@link UpSampling2D}; defaults are Keras'. */
  public static final class Builder extends SpatialLayer.Builder<Builder> {
    private int[] size = {2, 2};
    private String interpolation = INTERPOLATION_DEFAULT;

    private Builder() {}

    /** {@code size} (Keras {@code size}): one factor for both axes, or (rows, cols). (2, 2). */
    public Builder size(int... size) {
      int[] s = ConvUtils.normalizeTuple(size, 2, "size");
      for (int v : s) {
        if (v <= 0)
          throw Errors.invalidArgument("size", "positive integers", ConvUtils.pythonTuple(s));
      }
      this.size = s;
      return this;
    }

    /** {@code interpolation} (Keras {@code interpolation}): "nearest" or "bilinear". "nearest". */
    public Builder interpolation(String interpolation) {
      if (!"nearest".equals(interpolation) && !"bilinear".equals(interpolation)) {
        throw new IllegalArgumentException(
            "interpolation should be one of \"nearest\" or \"bilinear\".");
      }
      this.interpolation = interpolation;
      return this;
    }

    public UpSampling2D build() {
      return new UpSampling2D(this);
    }
  }
}
