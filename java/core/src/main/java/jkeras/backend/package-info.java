/**
 * Keras' backend as custom layers, losses and optimizers are written against it: graph tensors
 * ({@code org.tensorflow.Operand}), {@link jkeras.backend.KerasVariable} (a weight's variable),
 * {@link jkeras.backend.Weight} (what a layer declares in {@code build}), {@link
 * jkeras.backend.CallContext} (what a layer's {@code call} receives) and {@link
 * jkeras.backend.VariableFactory}. This and the {@code call}/{@code getUpdates} methods of the
 * layer, loss, metric and optimizer packages are the only public API with TensorFlow types.
 */
package jkeras.backend;
