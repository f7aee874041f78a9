package jkeras.trainers.adapters;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import jkeras.distribute.ReplicaContext;
import jkeras.utils.RngUtils;

/**
 * In-memory arrays, Keras 2.3.1's {@code fit_loop}/{@code test_loop}/{@code predict_loop} data
 * path: checked against the model once, then served in batches of {@code batch_size} (the last one
 * smaller), reshuffled before each epoch when asked; or, with {@code steps_per_epoch}, every step
 * uses all the data.
 */
public final class ArrayDataAdapter implements DataAdapter {
  private final StepData data;
  private final int batchSize;
  private final Integer steps;
  private final boolean shuffle;
  private final int[] index;
  private SplittableRandom rng;
  private int position;
  // Multi-worker training: this worker's part of each global batch, and each part's global size.
  private ReplicaContext replicas = ReplicaContext.SINGLE;
  private final Map<StepData, Long> globalSizes = new IdentityHashMap<>();

  /**
   * @param data all the samples, already checked against the model
   * @param batchSize samples per batch (ignored with {@code steps})
   * @param steps {@code steps_per_epoch}: each step then uses all the data; or null
   * @param shuffle reshuffle the samples before each epoch
   */
  ArrayDataAdapter(StepData data, int batchSize, Integer steps, boolean shuffle) {
    this.data = data;
    this.batchSize = batchSize;
    this.steps = steps;
    this.shuffle = shuffle && steps == null;
    this.index = this.shuffle ? identity((int) data.n()) : null;
    this.rng = this.shuffle ? new SplittableRandom(RngUtils.streamSeed()) : null;
  }

  /**
   * The same samples in batches of another size (Keras 2.3.1 validates tuple data of a generator
   * fit in batches of the last training batch's size).
   */
  public ArrayDataAdapter withBatchSize(int newBatchSize) {
    ArrayDataAdapter a = new ArrayDataAdapter(data, newBatchSize, steps, shuffle);
    a.replicas = replicas;
    return a;
  }

  /**
   * This adapter for one of several workers training in sync: {@code batch_size} is the global
   * batch, and each worker trains on its contiguous part of every global batch (sizes differ by at
   * most one sample), so every sample is trained by exactly one worker per epoch and every worker
   * takes the same number of steps. The shuffling must then be the same on every worker: see {@link
   * #reseed}.
   */
  public ArrayDataAdapter shard(ReplicaContext context) {
    ArrayDataAdapter a = new ArrayDataAdapter(data, batchSize, steps, shuffle);
    a.replicas = context;
    return a;
  }

  /** Shuffles from now on with a seed of its own (one the workers share). */
  public void reseed(long seed) {
    if (shuffle) rng = new SplittableRandom(seed);
  }

  /** All the samples, in their order, checked against the model. */
  public StepData data() {
    return data;
  }

  private static int[] identity(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) a[i] = i;
    return a;
  }

  @Override
  public Kind kind() {
    return Kind.ARRAYS;
  }

  @Override
  public Integer numBatches() {
    return steps != null ? steps : (int) ((data.n() + batchSize - 1) / batchSize);
  }

  @Override
  public void onEpochBegin(int epochSteps) {
    position = 0;
    globalSizes.clear();
    if (shuffle) {
      for (int i = index.length - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int t = index[i];
        index[i] = index[j];
        index[j] = t;
      }
    }
  }

  @Override
  public StepData next() {
    StepData global;
    if (steps != null) {
      global = data;
    } else {
      long start = (long) position++ * batchSize;
      long end = Math.min(data.n(), start + batchSize);
      global =
          shuffle
              ? data.rows(Arrays.copyOfRange(index, (int) start, (int) end))
              : data.slice(start, end);
    }
    if (!replicas.distributed()) return global;
    long n = global.n();
    int k = replicas.numReplicasInSync();
    int id = replicas.replicaId();
    StepData part = global.slice(n * id / k, n * (id + 1) / k);
    globalSizes.put(part, n);
    return part;
  }

  @Override
  public void onEpochEnd() {}

  @Override
  public Long samples() {
    return data.n();
  }

  /** The samples served per step: all of them with {@code steps}. */
  @Override
  public long logSize(StepData batch) {
    if (steps != null) return 1;
    // In multi-worker training the global batch's samples: every worker logs the same.
    return globalSizes.getOrDefault(batch, batch.n());
  }

  /** Whether a progress bar over these batches counts samples (no {@code steps}). */
  public boolean countsSamples() {
    return steps == null;
  }

  /** The samples seen after {@code batches} batches, for a progress bar counting samples. */
  public long seenAfter(int batches) {
    return steps != null ? batches : Math.min(data.n(), (long) batches * batchSize);
  }

  @Override
  public void close() {}
}
