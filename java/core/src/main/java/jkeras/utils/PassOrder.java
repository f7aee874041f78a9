package jkeras.utils;

import java.util.SplittableRandom;
import java.util.function.IntSupplier;

/**
 * The order in which a {@link Sequence}'s indices are drawn: pass after pass over {@code 0 ..
 * size()-1}, each pass shuffled when asked, {@code size()} read again at the start of each pass.
 * Shared by the synchronous ({@code workers=0}) path, {@link OrderedEnqueuer} and the Python worker
 * processes (which know the size from their workers, not from a {@link Sequence}). Not thread-safe.
 */
public final class PassOrder {
  private final IntSupplier size;
  private final boolean shuffle;
  private final SplittableRandom rng;
  private int[] order;
  private int position;

  public PassOrder(Sequence sequence, boolean shuffle, long seed) {
    this(() -> sequence.size(), shuffle, seed);
  }

  /** The order over {@code 0 .. size-1}, with {@code size} read at the start of each pass. */
  public PassOrder(IntSupplier size, boolean shuffle, long seed) {
    this.size = size;
    this.shuffle = shuffle;
    this.rng = new SplittableRandom(seed);
  }

  /** The next index; starts a new pass when the current one is used up. */
  public int next() {
    if (order == null || position >= order.length) {
      int n = size.getAsInt();
      if (n <= 0)
        throw new IllegalStateException("The Sequence is empty: size() returned " + n + ".");
      order = new int[n];
      for (int i = 0; i < n; i++) order[i] = i;
      if (shuffle) {
        for (int i = n - 1; i > 0; i--) {
          int j = rng.nextInt(i + 1);
          int t = order[i];
          order[i] = order[j];
          order[j] = t;
        }
      }
      position = 0;
    }
    return order[position++];
  }
}
