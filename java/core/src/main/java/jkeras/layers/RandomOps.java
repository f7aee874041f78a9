package jkeras.layers;

import jkeras.backend.K;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * The stateful random ops of the noise layers, through {@link K} (Keras' {@code K.random_uniform}
 * and {@code K.random_normal}): a new draw at every step, the same sequence for the same seed (a
 * layer's {@code seed}, else the next of the model's seed sequence). Called inside a layer's call.
 */
final class RandomOps {
  private RandomOps() {}

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
