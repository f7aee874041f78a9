package jkeras.trainers.adapters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jkeras.data.ArrayData;
import jkeras.data.Batch;
import jkeras.data.NDArray;
import jkeras.distribute.ReplicaContext;
import jkeras.utils.Sequence;
import jkeras.utils.WorkerLifecycle;

/**
 * One worker's share of a Sequence in multi-worker training: of {@code len(sequence)} batches,
 * worker {@code r} of {@code k} takes indices {@code r, r + k, r + 2k, ...}, so every index is
 * trained by exactly one worker per epoch. Every worker takes {@code ceil(len / k)} steps (the
 * collectives of a step need every worker); a worker whose indices ran out serves an empty batch
 * (no samples: its step adds nothing to the global batch's gradient, loss or metrics).
 */
public final class ShardedSequence extends Sequence implements WorkerLifecycle {
  private final Sequence sequence;
  private final int replicas;
  private final int id;

  public ShardedSequence(Sequence sequence, ReplicaContext context) {
    this.sequence = sequence;
    this.replicas = context.numReplicasInSync();
    this.id = context.replicaId();
  }

  /** The whole Sequence. */
  public Sequence sequence() {
    return sequence;
  }

  @Override
  public int size() {
    return localSize(sequence.size(), replicas);
  }

  /** The index of the whole Sequence that local batch {@code index} is, or -1 for padding. */
  public int globalIndex(int index) {
    return globalIndex(index, sequence.size(), replicas, id);
  }

  /** The steps of each of {@code replicas} workers sharing {@code size} batches. */
  public static int localSize(int size, int replicas) {
    return (size + replicas - 1) / replicas;
  }

  /**
   * The batch of a Sequence of {@code size} batches that worker {@code id} of {@code replicas}
   * takes at its local index {@code index}, or -1 for padding (an empty batch).
   */
  public static int globalIndex(int index, int size, int replicas, int id) {
    int g = index * replicas + id;
    return g < size ? g : -1;
  }

  /**
   * A padding batch: {@code like}'s arrays sliced to no samples (the shapes a step needs); its
   * release releases {@code like}.
   */
  public static Batch emptyLike(Batch like) {
    return new Batch(
        empty(like.x()),
        empty(like.y()),
        empty(like.sampleWeight()),
        like.hasRelease() ? like::release : null);
  }

  @Override
  public Batch get(int index) {
    int g = globalIndex(index);
    if (g >= 0) return sequence.get(g);
    // Padding: a batch of the data's shapes with no samples.
    return emptyLike(sequence.get(sequence.size() - 1));
  }

  @Override
  public void onEpochEnd() {
    sequence.onEpochEnd();
  }

  /** Passed on to a Sequence with per-thread resources (a Python Sequence's interpreter). */
  @Override
  public void workerStarted() {
    if (sequence instanceof WorkerLifecycle w) w.workerStarted();
  }

  @Override
  public void workerStopped() {
    if (sequence instanceof WorkerLifecycle w) w.workerStopped();
  }

  private static ArrayData empty(ArrayData a) {
    if (a == null) return null;
    if (a instanceof NDArray n) return n.slice(0, 0);
    if (a instanceof ArrayData.ListData l) {
      List<NDArray> out = new ArrayList<>();
      for (NDArray n : l.arrays()) out.add(n == null ? null : n.slice(0, 0));
      return new ArrayData.ListData(out);
    }
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : ((ArrayData.MapData) a).arrays().entrySet())
      out.put(e.getKey(), e.getValue().slice(0, 0));
    return ArrayData.of(out);
  }
}
