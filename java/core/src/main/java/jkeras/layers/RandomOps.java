package jkeras.layers;

import jkeras.backend.K;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/**
 * The stateful random ops of the noise and dropout layers (Keras' {@code K.random_uniform} and
 * {@code K.random_normal} through {@link K}, and dropout's keep mask): a new draw at every step,
 * the same sequence for the same seed (a layer's {@code seed}, else the next of the model's seed
 * sequence). Called inside a layer's call.
 */
final class RandomOps {
  private RandomOps() {}

  /**
   * {@code tf.nn.dropout}'s keep mask: 1 where a uniform draw in {@code [0, 1)} is at least {@code
   * rate}, else 0; drawn by TensorFlow's stateful op with {@code seed} split in two 31-bit halves.
   */
  static Operand<TFloat32> keepMask(Ops tf, Operand<TInt32> shape, double rate, long seed) {
    Operand<TFloat32> u =
        tf.random.randomUniform(
            shape,
            TFloat32.class,
            RandomUniform.seed(seed & 0x7fffffffL),
            RandomUniform.seed2((seed >>> 31) & 0x7fffffffL));
    return tf.dtypes.cast(tf.math.greaterEqual(u, tf.constant((float) rate)), TFloat32.class);
  }

  /** Uniform in {@code [0, 1)}. */
  static Operand<TFloat32> uniform(Ops tf, Operand<? extends TNumber> shape, long seed) {
    return K.randomUniform(shape, 0.0, 1.0, seed);
  }

  /** {@code K.random_normal(shape, mean, stddev)}: {@code standard_normal * stddev + mean}. */
  static Operand<TFloat32> normal(
      Ops tf, Operand<? extends TNumber> shape, double mean, double stddev, long seed) {
    return K.randomNormal(shape, mean, stddev, seed);
  }
}
