package jkeras.preprocessing.image;

import jkeras.data.Batch;
import jkeras.utils.LegacyRandomState;
import jkeras.utils.RngUtils;
import jkeras.utils.Sequence;

/**
 * keras_preprocessing's {@code Iterator}: a {@link Sequence} of {@code ceil(n / batchSize)} batches
 * (the last partial batch included) over an index order that is reshuffled in {@link
 * #onEpochEnd()}.
 *
 * <p><b>Threads.</b> {@link #get(int)} keeps no state between calls: any number of workers may call
 * it at once, and batch {@code i} of an epoch is the same whichever thread computes it and in
 * whatever order the batches are asked for. {@link #onEpochEnd()} must not run while a batch of the
 * epoch is being computed (the enqueuers guarantee this).
 *
 * <p><b>What a seed means.</b> keras_preprocessing reseeds numpy's global generator with {@code
 * seed + total_batches_seen} at each {@code __getitem__}, so its batches depend on the order in
 * which they are requested (and, with threads, on timing). Here batch {@code i} of epoch {@code e}
 * draws from a generator seeded with {@code seed + e * size() + i}: exactly what
 * keras_preprocessing produces when the batches are requested in order (Keras' {@code
 * workers=0}/{@code 1} without the enqueuer's shuffle), and the same whatever {@code workers} is.
 * The first epoch's order is the permutation drawn first from {@code seed} (and batch 0 then
 * continues that stream, as in Keras); each later order is drawn from the stream of the epoch's
 * last batch after its transforms, as Keras' {@code on_epoch_end} does. Without a seed, the seed
 * comes from {@code RngUtils.streamSeed()} (so {@code RngUtils.setRandomSeed} makes runs repeat).
 */
public abstract class ImageIterator extends Sequence {
  private final int n;
  private final int batchSize;
  private final boolean shuffle;
  private final long seed;
  final ImageDataGenerator generator;
  private volatile EpochState state;

  private record EpochState(int epoch, int[] order) {}

  ImageIterator(int n, int batchSize, boolean shuffle, Long seed, ImageDataGenerator generator) {
    this.n = n;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.seed = seed != null ? seed : RngUtils.streamSeed() & 0xFFFFFFFFL;
    this.generator = generator;
    int[] order;
    if (shuffle) {
      order = new LegacyRandomState(this.seed).permutation(n);
    } else {
      order = arange(n);
    }
    this.state = new EpochState(0, order);
  }

  private static int[] arange(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) a[i] = i;
    return a;
  }

  /** Keras {@code n}: the number of samples. */
  public int n() {
    return n;
  }

  /** Keras {@code batch_size}. */
  public int batchSize() {
    return batchSize;
  }

  /** Keras {@code shuffle}. */
  public boolean shuffle() {
    return shuffle;
  }

  /** The seed in use (the given one, or the one drawn from {@code RngUtils}). */
  public long seed() {
    return seed;
  }

  /** Keras {@code index_array}: this epoch's order of the samples (a copy). */
  public int[] indexArray() {
    return state.order.clone();
  }

  /** The number of completed epochs ({@link #onEpochEnd()} calls). */
  public int epoch() {
    return state.epoch;
  }

  @Override
  public int size() {
    return (n + batchSize - 1) / batchSize;
  }

  @Override
  public Batch get(int index) {
    EpochState st = state;
    checkIndex(index);
    return batchOf(indices(st, index), random(st, index));
  }

  /**
   * The transform parameters that batch {@code index} of the current epoch draws, one per sample in
   * batch order: what {@link #get(int)} applies.
   */
  public TransformParameters[] transformParameters(int index) {
    EpochState st = state;
    checkIndex(index);
    int[] idx = indices(st, index);
    LegacyRandomState rs = random(st, index);
    TransformParameters[] out = new TransformParameters[idx.length];
    for (int i = 0; i < idx.length; i++) out[i] = generator.getRandomTransform(imageShape(), rs);
    return out;
  }

  private void checkIndex(int index) {
    if (index < 0 || index >= size()) {
      throw new IllegalArgumentException(
          "Asked to retrieve element " + index + ", but the Sequence has length " + size());
    }
  }

  private int[] indices(EpochState st, int index) {
    int from = batchSize * index;
    int to = Math.min(n, from + batchSize);
    int[] idx = new int[to - from];
    System.arraycopy(st.order, from, idx, 0, idx.length);
    return idx;
  }

  /** numpy's state as keras_preprocessing has it when it computes this batch (in-order calls). */
  private LegacyRandomState random(EpochState st, int index) {
    long s = (seed + (long) st.epoch * size() + index) & 0xFFFFFFFFL;
    LegacyRandomState rs = new LegacyRandomState(s);
    // Keras builds the first order lazily in the first __getitem__, after reseeding.
    if (st.epoch == 0 && index == 0 && shuffle) rs.permutation(n);
    return rs;
  }

  /** Keras {@code on_epoch_end}: the next epoch's order. */
  @Override
  public synchronized void onEpochEnd() {
    EpochState st = state;
    int[] next;
    if (!shuffle || n == 0) {
      next = arange(n);
    } else {
      int last = size() - 1;
      LegacyRandomState rs = random(st, last);
      int count = n - batchSize * last;
      for (int i = 0; i < count; i++) generator.getRandomTransform(imageShape(), rs);
      afterBatchDraws(rs, count);
      next = rs.permutation(n);
    }
    state = new EpochState(st.epoch + 1, next);
  }

  /** Draws a subclass makes after the transforms of a batch (none by default). */
  void afterBatchDraws(LegacyRandomState rs, int count) {}

  /** The shape of one image as the generator sees it. */
  abstract long[] imageShape();

  /** {@code _get_batches_of_transformed_samples(index_array)} with numpy's state {@code rs}. */
  abstract Batch batchOf(int[] indexArray, LegacyRandomState rs);
}
