package jkeras.trainers;

import java.util.List;
import jkeras.trainers.adapters.StepData;

/**
 * A compiled model's train and test steps, in host arrays: Keras 3's {@code train_step} and {@code
 * test_step}. The TensorFlow engine implements them with one {@code Session.run} each; a wrapper
 * may add to them (e.g. a distribution strategy reducing gradients across workers).
 */
public interface CompiledSteps {
  /**
   * {@code model.metrics_names}: {@code loss}, each output's loss when several, then the metrics.
   */
  List<String> metricsNames();

  /** Each output's target shape (batch dimension first, -1 for None), in output order. */
  List<long[]> targetShapes();

  /** One step that updates the weights ({@code training=true}). */
  StepResult trainStep(StepData data);

  /** One step that only measures ({@code training=false}). */
  StepResult testStep(StepData data);
}
