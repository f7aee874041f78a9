package jkeras.initializers;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.StatelessRandomGetKeyCounter;
import org.tensorflow.types.TFloat32;

/**
 * Seeded stateless sampling, built from the same ops and in the same order as TensorFlow 2.18's
 * {@code tf.random.stateless_uniform/normal/truncated_normal} with {@code seed=[seed, 0]}, which is
 * what tf-keras 2.x seeded initializers call. Same seed, same shape: same values, in any process.
 */
final class StatelessRandom {
  private StatelessRandom() {}

  /** Uniform in {@code [minval, maxval)}: {@code u * (maxval - minval) + minval}, float32. */
  static Operand<TFloat32> uniform(Ops tf, long[] shape, long seed, double minval, double maxval) {
    StatelessRandomGetKeyCounter kc = keyCounter(tf, seed);
    Operand<TFloat32> u =
        tf.random.statelessRandomUniformV2(
            tf.constant(shape), kc.key(), kc.counter(), tf.random.statelessRandomGetAlg());
    float min = (float) minval;
    float max = (float) maxval;
    // Python subtracts the float32 tensors; float arithmetic here rounds identically.
    return tf.math.add(tf.math.mul(u, tf.constant(max - min)), tf.constant(min));
  }

  /** Normal: {@code n * stddev + mean}, float32. */
  static Operand<TFloat32> normal(Ops tf, long[] shape, long seed, double mean, double stddev) {
    StatelessRandomGetKeyCounter kc = keyCounter(tf, seed);
    Operand<TFloat32> n =
        tf.random.statelessRandomNormalV2(
            tf.constant(shape), kc.key(), kc.counter(), tf.random.statelessRandomGetAlg());
    return tf.math.add(tf.math.mul(n, tf.constant((float) stddev)), tf.constant((float) mean));
  }

  /** Normal truncated (redrawn) beyond two standard deviations: {@code t * stddev + mean}. */
  static Operand<TFloat32> truncatedNormal(
      Ops tf, long[] shape, long seed, double mean, double stddev) {
    StatelessRandomGetKeyCounter kc = keyCounter(tf, seed);
    Operand<TFloat32> t =
        tf.random.statelessTruncatedNormalV2(
            tf.constant(shape), kc.key(), kc.counter(), tf.random.statelessRandomGetAlg());
    return tf.math.add(tf.math.mul(t, tf.constant((float) stddev)), tf.constant((float) mean));
  }

  private static StatelessRandomGetKeyCounter keyCounter(Ops tf, long seed) {
    return tf.random.statelessRandomGetKeyCounter(tf.constant(new long[] {seed, 0L}));
  }
}
