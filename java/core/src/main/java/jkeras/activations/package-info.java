/**
 * Keras 2.3.1 activation functions ({@code keras.activations}). {@link
 * jkeras.activations.Activation} is the central type; {@link jkeras.activations.Activations} holds
 * the built-ins as constants and resolves Keras identifiers ({@code "relu"}, {@code "softmax"},
 * ...). Each builds the same TensorFlow ops as the Keras 2.3.1 TensorFlow backend.
 */
package jkeras.activations;
