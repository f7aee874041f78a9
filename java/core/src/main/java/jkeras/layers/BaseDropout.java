package jkeras.layers;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * What {@link Dropout} and the spatial dropouts share (Keras' {@code SpatialDropout1D} subclasses
 * {@code Dropout}): Keras' {@code Dropout(rate, noise_shape=None, seed=None)}: in training steps,
 * zeroes a fraction {@code rate} of the inputs and scales the rest by {@code 1/(1-rate)}; the
 * identity in test and predict steps.
 *
 * <p>{@code noiseShape} is the shape of the keep/drop mask, broadcast over the input: {@code (-1,
 * 1, features)} drops the same features at every time step ({@code -1} is Keras' {@code None}, the
 * input's size there). {@link SpatialDropout1D}, {@link SpatialDropout2D} and {@link
 * SpatialDropout3D} fix it to whole feature maps.
 */
abstract class BaseDropout extends NoiseLayer {
  private final double rate;
  private final long[] noiseShape;
  private final long[] maskShape;

  /**
   * @param noiseShape the config's {@code noise_shape}, or null
   * @param maskShape the keep/drop mask's shape ({@code -1} for the input's size), or null for the
   *     input's shape
   */
  BaseDropout(RateBuilder<?> b, long[] noiseShape, long[] maskShape) {
    super(b, LayerUtils.drops(b.rate));
    this.rate = b.rate;
    this.noiseShape = noiseShape;
    this.maskShape = maskShape;
  }

  public double rate() {
    return rate;
  }

  /** Keras' {@code noise_shape} ({@code -1} for None), or null for the input's shape. */
  public long[] noiseShape() {
    return noiseShape == null ? null : noiseShape.clone();
  }

  /** Keras' {@code seed}, or null. */
  public Long seed() {
    return seed;
  }

  @Override
  public void build(List<long[]> inputShapes) {
    long[] in = inputShapes.get(0);
    if (maskShape != null && maskShape.length != in.length) {
      throw new IllegalArgumentException(
          "Layer "
              + name()
              + ": `noise_shape` "
              + InputChecks.toConfig(maskShape)
              + " must have the input's rank, "
              + in.length
              + " (input shape "
              + InputChecks.py(in)
              + ").");
    }
  }

  @Override
  Operand<TFloat32> noised(Ops tf, Operand<TFloat32> x, long s) {
    // Keras' _get_noise_shape: noise_shape with its None entries read from x's shape.
    Operand<TInt32> shape = maskShape != null ? shapeWithNone(tf, x, maskShape) : tf.shape(x);
    Operand<TFloat32> keep = RandomOps.keepMask(tf, shape, rate, s);
    // tf.nn.dropout's order: x * 1/(1-rate), then zero where the draw is below rate (the mask
    // broadcasts over a noise shape's 1s).
    return tf.math.mul(tf.math.mul(x, tf.constant((float) (1.0 / (1.0 - rate)))), keep);
  }

  /** Keras' {@code get_config()}: {@code rate}, {@code noise_shape}, {@code seed}. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("rate", rate);
    c.put("noise_shape", noiseShape == null ? null : InputChecks.toConfig(noiseShape));
    c.put("seed", seed);
    return c;
  }
}
