/**
 * Keras' files ({@code keras.saving}, Keras 2.3.1's {@code keras/engine/saving.py}): the HDF5 model
 * and weights files of Keras 2 and tf-keras, Keras 3's {@code .keras} zip and {@code .weights.h5}
 * ({@link jkeras.saving.KerasFiles}), model configs across Keras versions ({@link
 * jkeras.saving.Configs}), JSON as Keras writes it and atomic file writes. The model-level entry
 * points are {@code Model.save}, {@code Model.saveWeights}, {@code Model.loadWeights} and {@code
 * jkeras.models.Models}.
 */
package jkeras.saving;
