/**
 * Keras' {@code keras.models}: {@link jkeras.models.Model} (functional, named inputs and outputs)
 * and {@link jkeras.models.Sequential}. A model owns its network of layers and its TensorFlow
 * graph; training runs through its {@link jkeras.trainers.Trainer}.
 */
package jkeras.models;
