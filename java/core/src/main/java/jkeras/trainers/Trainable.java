package jkeras.trainers;

import java.util.List;
import jkeras.callbacks.Callback;
import jkeras.data.NDArray;

/**
 * The model as a {@link Trainer} drives it: its inputs and outputs, its predict step, its compiled
 * steps, and what callbacks see as {@code callback.model}. {@code Model} implements it for its
 * trainer; the trainer knows nothing else of the model (and nothing of TensorFlow).
 */
public interface Trainable {
  List<String> inputNames();

  /** Input shapes, batch dimension first as -1. */
  List<long[]> inputShapes();

  List<String> outputNames();

  /** Output shapes, batch dimension first as -1. */
  List<long[]> outputShapes();

  /** The outputs for a batch of (checked) inputs, {@code training=false}. */
  List<NDArray> predictStep(List<NDArray> x);

  /**
   * The compiled steps.
   *
   * @throws IllegalStateException with Keras' "You must compile your model before using it." when
   *     the model is not compiled
   */
  CompiledSteps compiled();

  /** {@code model.metrics_names}; empty when not compiled. */
  List<String> metricsNames();

  /** Gives {@code callbacks} the model ({@code callback.set_model(model)}). */
  void setModelOn(Callback callbacks);
}
