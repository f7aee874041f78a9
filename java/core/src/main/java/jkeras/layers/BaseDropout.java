package jkeras.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import jkeras.internal.Errors;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomUniform;
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
abstract class BaseDropout extends Layer {
  /** Keras 2.3.1: {@code supports_masking = True}; the input's mask passes through. */
  @Override
  public boolean supportsMasking() {
    return true;
  }

  private final double rate;
  private final long[] noiseShape;
  private final long[] maskShape;
  private final Long seed;

  /**
   * @param noiseShape the config's {@code noise_shape}, or null
   * @param maskShape the keep/drop mask's shape ({@code -1} for the input's size), or null for the
   *     input's shape
   */
  BaseDropout(Layer.Builder<?> b, double rate, long[] noiseShape, long[] maskShape, Long seed) {
    super(b);
    this.rate = checkRate(rate);
    this.noiseShape = noiseShape;
    this.maskShape = maskShape;
    this.seed = seed;
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
  public long[] computeOutputShape(List<long[]> inputShapes) {
    return inputShapes.get(0);
  }

  @Override
  protected boolean weightsFreeLayer() {
    return true;
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

  /**
   * The mask's shape for input {@code x} (Keras' {@code _get_noise_shape}): {@code noise_shape}
   * with its None entries read from {@code x}'s shape, or null for {@code x}'s own shape.
   */
  Operand<TInt32> noiseShape(Ops tf, Operand<TFloat32> x) {
    if (maskShape == null) return null;
    return shapeWithNone(tf, x, maskShape);
  }

  /** {@code shape} with its None entries ({@code -1}) read from {@code x}'s dynamic shape. */
  static Operand<TInt32> shapeWithNone(Ops tf, Operand<TFloat32> x, long[] shape) {
    List<Operand<TInt32>> dims = new ArrayList<>();
    Operand<TInt32> s = null;
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] >= 0) {
        dims.add(tf.constant((int) shape[i]));
      } else {
        if (s == null) s = tf.shape(x);
        dims.add(
            tf.reshape(
                tf.slice(s, tf.constant(new int[] {i}), tf.constant(new int[] {1})),
                tf.constant(new int[0])));
      }
    }
    return tf.stack(dims);
  }

  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    Operand<TFloat32> x = inputs.get(0);
    if (!(rate > 0 && rate < 1)) return x;
    Ops tf = ctx.tf();
    long s = seed != null ? seed : ctx.nextSeed();
    return ctx.inTrainPhase(() -> dropped(tf, x, s), () -> x);
  }

  private Operand<TFloat32> dropped(Ops tf, Operand<TFloat32> x, long s) {
    Operand<TInt32> shape = noiseShape(tf, x);
    // A stateful random op: a new mask each step, the same sequence for the same seed.
    Operand<TFloat32> u =
        tf.random.randomUniform(
            shape != null ? shape : tf.shape(x),
            TFloat32.class,
            RandomUniform.seed(s & 0x7fffffffL),
            RandomUniform.seed2((s >>> 31) & 0x7fffffffL));
    // tf.nn.dropout's order: x * 1/(1-rate), then zero where the draw is below rate (the mask
    // broadcasts over a noise shape's 1s).
    Operand<TFloat32> keep =
        tf.dtypes.cast(tf.math.greaterEqual(u, tf.constant((float) rate)), TFloat32.class);
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

  static double checkRate(double rate) {
    if (!(rate >= 0 && rate < 1)) throw Errors.invalidArgument("rate", "a float in [0, 1)", rate);
    return rate;
  }
}
