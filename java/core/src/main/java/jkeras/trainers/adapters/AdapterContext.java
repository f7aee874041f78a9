package jkeras.trainers.adapters;

import java.util.Map;
import jkeras.distribute.ReplicaContext;

/**
 * How a data adapter is to serve one call: what the data is for, what the model expects, and Keras'
 * data arguments ({@code workers}, {@code max_queue_size}, {@code use_multiprocessing}, {@code
 * shuffle}, {@code class_weight}, {@code batch_size}).
 *
 * @param role what the batches feed
 * @param spec the model's inputs and outputs
 * @param workers Keras {@code workers}: 0 runs a stream on the caller's thread
 * @param maxQueueSize Keras {@code max_queue_size}
 * @param useMultiprocessing Keras {@code use_multiprocessing}
 * @param shuffle Keras {@code shuffle} (training data only)
 * @param classWeight Keras {@code class_weight} (training data only), or null
 * @param replicas the workers training in sync: a Sequence is sharded by batch index, and a
 *     provider seeds each worker's generator copies apart
 */
public record AdapterContext(
    Role role,
    DataSpec spec,
    int workers,
    int maxQueueSize,
    boolean useMultiprocessing,
    boolean shuffle,
    Map<Integer, Double> classWeight,
    ReplicaContext replicas) {

  /** A context for one process training alone. */
  public AdapterContext(
      Role role,
      DataSpec spec,
      int workers,
      int maxQueueSize,
      boolean useMultiprocessing,
      boolean shuffle,
      Map<Integer, Double> classWeight) {
    this(
        role,
        spec,
        workers,
        maxQueueSize,
        useMultiprocessing,
        shuffle,
        classWeight,
        ReplicaContext.SINGLE);
  }

  /** What the batches feed; it decides what a batch must hold and who ends an epoch. */
  public enum Role {
    /**
     * {@code fit}'s training data: targets required, class weights apply, a Sequence's {@code
     * on_epoch_end} runs.
     */
    TRAIN,
    /** Validation data of {@code fit}, or {@code evaluate}'s data: targets required. */
    EVALUATE,
    /** {@code predict}'s data: inputs only (a batch's targets are ignored). */
    PREDICT;

    /** Whether a batch must carry targets. */
    public boolean needsTargets() {
      return this != PREDICT;
    }
  }
}
