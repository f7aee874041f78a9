package jkeras.testing;

import java.util.function.IntFunction;
import jkeras.data.Batch;
import jkeras.utils.Sequence;

/** Sequences for tests, made of their length and their batches. */
public final class Sequences {
  private Sequences() {}

  /** A Sequence of {@code size} batches, batch {@code i} being {@code batch.apply(i)}. */
  public static Sequence of(int size, IntFunction<Batch> batch) {
    return new Sequence() {
      @Override
      public int size() {
        return size;
      }

      @Override
      public Batch get(int index) {
        return batch.apply(index);
      }
    };
  }
}
