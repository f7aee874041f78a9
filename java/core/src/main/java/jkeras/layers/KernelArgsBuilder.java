package jkeras.layers;

import java.util.Map;
import jkeras.constraints.Constraints;
import jkeras.initializers.Initializers;
import jkeras.regularizers.Regularizers;

/**
 * {@link BiasArgsBuilder}'s arguments and the kernel's initializer, regularizer and constraint
 * ({@link Dense}, the recurrent layers). Defaults are Keras'.
 *
 * @param <B> the concrete builder, for chaining
 */
@SuppressWarnings("unchecked")
abstract class KernelArgsBuilder<B extends KernelArgsBuilder<B>> extends BiasArgsBuilder<B> {
  final WeightArgs kernel = new WeightArgs("kernel", Conv.KERNEL_INITIALIZER_DEFAULT);

  KernelArgsBuilder(String activation) {
    super(activation);
  }

  /** {@code kernelInitializer} (Keras {@code kernel_initializer}). Default glorot_uniform. */
  public B kernelInitializer(Object init) {
    kernel.initializer = Initializers.get(init);
    return (B) this;
  }

  /** {@code kernelRegularizer} (Keras {@code kernel_regularizer}): as a bias regularizer. */
  public B kernelRegularizer(Object r) {
    kernel.regularizer = Regularizers.get(r);
    return (B) this;
  }

  /** {@code kernelConstraint} (Keras {@code kernel_constraint}): as a bias constraint. */
  public B kernelConstraint(Object c) {
    kernel.constraint = Constraints.get(c);
    return (B) this;
  }

  /** {@link #readBiasArgs}, then the kernel's initializer, regularizer and constraint. */
  B readKernelArgs(Map<String, Object> config) {
    readBiasArgs(config);
    kernel.readConfig(config);
    return (B) this;
  }
}
