/**
 * Keras' {@code keras.layers}: {@link jkeras.layers.Layer}, the base of every layer, {@link
 * jkeras.layers.Input} and the symbolic {@link jkeras.layers.KerasTensor} of the functional API,
 * the built-in layers, and {@link jkeras.layers.Layers#deserialize} for Keras configs.
 */
package jkeras.layers;
