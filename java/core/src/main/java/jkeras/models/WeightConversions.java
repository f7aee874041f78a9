package jkeras.models;

import java.util.List;
import jkeras.data.NDArray;
import jkeras.layers.Layer;

/**
 * Keras 2.3.1's {@code preprocess_weights_for_loading}: the layouts older Keras versions saved for
 * some layers, converted to today's on load. The layers jkeras has today keep one layout in every
 * Keras version it reads (kernels HWIO, Dense kernels (in, out), BatchNormalization's four
 * vectors); the recurrent layers' conversions belong here.
 */
final class WeightConversions {
  private WeightConversions() {}

  static List<NDArray> forLoading(Layer layer, List<NDArray> values, String originalKerasVersion) {
    return values;
  }
}
