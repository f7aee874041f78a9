package jkeras.backend;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Creates variables in the model's graph while it is built. Layers get one for their weights,
 * optimizers one for their slots and hyper-parameters.
 */
public interface VariableFactory {
  /** The graph's op builder, scoped to the model's graph. */
  Ops tf();

  /**
   * Creates a float32 variable.
   *
   * @param name the Keras-style name without the {@code :0} suffix, e.g. {@code dense/kernel}
   * @param shape its static shape
   * @param initialValue an op computing the initial value (run once, when the session starts)
   * @param trainable whether gradients are taken with respect to it
   */
  KerasVariable create(
      String name, long[] shape, Operand<TFloat32> initialValue, boolean trainable);

  /** A non-trainable variable of {@code like}'s shape, initialised to zeros (optimizer slots). */
  default KerasVariable zerosLike(KerasVariable like, String name) {
    return create(
        name, like.shape(), tf().zeros(tf().constant(like.shape()), TFloat32.class), false);
  }

  /** A non-trainable scalar (hyper-parameters such as the learning rate, iteration counters). */
  default KerasVariable scalar(String name, float value) {
    return create(name, new long[0], tf().constant(value), false);
  }

  /** A seed for the next random initializer: derived from the global seed when one is set. */
  long nextSeed();
}
