package jkeras.saving;

import java.util.List;
import java.util.Map;
import jkeras.data.NDArray;

/**
 * The contents of a Keras file, as read or to be written: the model's config (the {@code to_json()}
 * map, or null for weights only), its training config (Keras 2's {@code training_config} or Keras
 * 3's {@code compile_config}, null when not compiled), each layer's weights and the optimizer's.
 *
 * @param format which of Keras' files
 * @param kerasVersion the {@code keras_version} recorded (null when the file has none)
 * @param backend the {@code backend} recorded (null when the file has none)
 * @param modelConfig {@code {"class_name", "config"}} of the model, or null
 * @param trainingConfig the compile arguments, or null
 * @param layerWeights in the file's order: Keras 2's {@code layer_names} (each named by its layer),
 *     or Keras 3's object paths ({@code layers/dense}, each named by that path)
 * @param optimizerWeights in the file's order (empty when not saved)
 */
public record KerasFile(
    Format format,
    String kerasVersion,
    String backend,
    Map<String, Object> modelConfig,
    Map<String, Object> trainingConfig,
    List<LayerWeights> layerWeights,
    List<NamedArray> optimizerWeights) {

  /** Keras' file kinds. */
  public enum Format {
    /** {@code model.save('m.h5')}: Keras 2's HDF5 with {@code model_config}. */
    H5_MODEL,
    /** {@code model.save_weights('w.h5')}: Keras 2's HDF5 weights. */
    H5_WEIGHTS,
    /** Keras 3's {@code .keras} zip: {@code config.json}, {@code model.weights.h5}. */
    KERAS,
    /** Keras 3's {@code save_weights('w.weights.h5')}. */
    KERAS3_WEIGHTS;

    /** Whether the weights are keyed by Keras 3's object paths rather than layer names. */
    public boolean keras3Layout() {
      return this == KERAS || this == KERAS3_WEIGHTS;
    }
  }

  /**
   * One layer's weights.
   *
   * @param name the layer's name (Keras 2 layout) or object path (Keras 3 layout)
   * @param weightNames Keras 2's {@code weight_names} ({@code dense_1/kernel:0}), or Keras 3's
   *     {@code vars/0}, ...
   * @param values in the layer's weight order
   */
  public record LayerWeights(String name, List<String> weightNames, List<NDArray> values) {}

  /** A named array (an optimizer variable). */
  public record NamedArray(String name, NDArray value) {}
}
