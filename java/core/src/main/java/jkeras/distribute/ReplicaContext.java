package jkeras.distribute;

/**
 * Keras' {@code tf.distribute.ReplicaContext} as the trainer needs it: how many replicas train in
 * sync and which one this process is (replica 0 is the chief).
 */
public record ReplicaContext(int numReplicasInSync, int replicaId) {
  /** One process training alone. */
  public static final ReplicaContext SINGLE = new ReplicaContext(1, 0);

  public boolean isChief() {
    return replicaId == 0;
  }

  public boolean distributed() {
    return numReplicasInSync > 1;
  }
}
