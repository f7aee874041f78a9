package jkeras.layers;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomStandardNormal;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * The stateful random ops of the noise layers: a new draw at every step, the same sequence for the
 * same seed (a layer's {@code seed}, else the next of the model's seed sequence).
 */
final class RandomOps {
  private RandomOps() {}

  /** Uniform in {@code [0, 1)}. */
  static Operand<TFloat32> uniform(Ops tf, Operand<? extends TNumber> shape, long seed) {
    return tf.random.randomUniform(
        shape, TFloat32.class, RandomUniform.seed(first(seed)), RandomUniform.seed2(second(seed)));
  }

  /** {@code K.random_normal(shape, mean, stddev)}: {@code standard_normal * stddev + mean}. */
  static Operand<TFloat32> normal(
      Ops tf, Operand<? extends TNumber> shape, double mean, double stddev, long seed) {
    Operand<TFloat32> n =
        tf.random.randomStandardNormal(
            shape,
            TFloat32.class,
            RandomStandardNormal.seed(first(seed)),
            RandomStandardNormal.seed2(second(seed)));
    return tf.math.add(tf.math.mul(n, tf.constant((float) stddev)), tf.constant((float) mean));
  }

  // TensorFlow seeds an op nondeterministically when both seeds are 0: never pass that.
  private static long first(long s) {
    long a = s & 0x7fffffffL;
    return a == 0 && second(s) == 0 ? 1 : a;
  }

  private static long second(long s) {
    return (s >>> 31) & 0x7fffffffL;
  }
}
