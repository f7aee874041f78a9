package jkeras.utils;

import jkeras.data.Batch;

/**
 * Keras' {@code keras.utils.Sequence}: a dataset of batches indexed from 0 to {@code size() - 1}.
 * The safe input for training with several workers: every index is fetched exactly once per epoch,
 * in order (or in a shuffled order), and {@link #onEpochEnd()} runs after each epoch.
 *
 * <pre>{@code
 * class Squares extends Sequence {
 *   public int size() { return 10; }                     // __len__
 *   public Batch get(int i) { return Batch.of(x(i), y(i)); }  // __getitem__
 * }
 * }</pre>
 *
 * <p>With {@code workers > 1}, {@link #get(int)} is called from several threads at once.
 */
public abstract class Sequence {
  /** The number of batches per epoch ({@code __len__}). */
  public abstract int size();

  /** The batch at {@code index} ({@code __getitem__}). */
  public abstract Batch get(int index);

  /** Called once after every epoch ({@code on_epoch_end}); e.g. to reshuffle. Default: nothing. */
  public void onEpochEnd() {}
}
