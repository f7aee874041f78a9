package jkeras.trainers;

import java.util.List;
import jkeras.distribute.ReplicaContext;
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

  /** {@code steps_per_execution}: how many train steps one {@link #trainSteps} call chains. */
  default int stepsPerExecution() {
    return 1;
  }

  /**
   * Train steps one after the other, each on its batch and each seeing the weights the one before
   * left: the same results as {@link #trainStep} on each batch in turn, in one execution where the
   * engine can. Returns each step's results in order.
   */
  default List<StepResult> trainSteps(List<StepData> batches) {
    List<StepResult> out = new java.util.ArrayList<>(batches.size());
    for (StepData b : batches) out.add(trainStep(b));
    return out;
  }

  /** One step that only measures ({@code training=false}). */
  StepResult testStep(StepData data);

  /** The replicas training in sync (multi-worker training), or {@link ReplicaContext#SINGLE}. */
  default ReplicaContext replicaContext() {
    return ReplicaContext.SINGLE;
  }

  /**
   * Multi-worker training: sets this worker's weights and optimizer state to the chief's; every
   * worker calls it at the same point (the start of {@code fit}), with the epoch it would start
   * from. Returns a seed the chief drew and the chief's starting epoch, the same on every worker;
   * training alone, seed 0 and {@code initialEpoch}.
   */
  default ReplicaSync synchronizeReplicas(int initialEpoch) {
    return new ReplicaSync(0, initialEpoch);
  }
}
