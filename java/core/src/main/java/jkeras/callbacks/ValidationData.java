package jkeras.callbacks;

import java.util.List;
import jkeras.data.NDArray;

/**
 * The validation arrays of a {@code fit}, as Keras 2.3.1 gives them to every callback ({@code
 * callback.validation_data = val_x + val_y + val_sample_weights}), split in its three parts, each
 * in model order and checked against the model.
 *
 * @param x one array per model input
 * @param y one array per model output
 * @param sampleWeights one weight per sample for each output (ones when none was given, as Keras'
 *     {@code standardize_weights})
 */
public record ValidationData(List<NDArray> x, List<NDArray> y, List<NDArray> sampleWeights) {
  public ValidationData {
    x = List.copyOf(x);
    y = List.copyOf(y);
    sampleWeights = List.copyOf(sampleWeights);
  }

  /** The number of validation samples. */
  public long samples() {
    return x.get(0).shape()[0];
  }
}
