/**
 * Keras 2.3.1 losses ({@code keras.losses}). {@link jkeras.losses.Loss} is the central type; {@link
 * jkeras.losses.Losses} resolves Keras string identifiers ({@code "mse"}, {@code
 * "categorical_crossentropy"}, ...) and holds the loss functions themselves, written on TF Java ops
 * with Keras' clipping ({@code epsilon = 1e-7}) and its use of softmax/sigmoid logits.
 */
package jkeras.losses;
