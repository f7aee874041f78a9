package jkeras.testing;

import java.util.Iterator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import jkeras.data.Batch;
import jkeras.utils.Sequence;

/**
 * An endless generator, as Keras' tests write them ({@code while True: yield ...}): the {@code
 * i}-th call to {@link #next} returns {@code item(i)}, and {@link #drawn} counts the calls. Calls
 * may come from several threads; they are not serialized (so a test can see whether the caller
 * does).
 *
 * @param <T> the items, {@link Batch} but for tests of malformed generators
 */
public class Endless<T> implements Iterator<T> {
  private final IntFunction<T> item;
  private final AtomicInteger drawn = new AtomicInteger();

  public Endless(IntFunction<T> item) {
    this.item = item;
  }

  /** The batches of {@code sequence} over and over (Keras' tests' {@code data_generator}). */
  public static Endless<Batch> cycle(Sequence sequence) {
    return new Endless<>(i -> sequence.get(i % sequence.size()));
  }

  /** How many times {@link #next} was called. */
  public int drawn() {
    return drawn.get();
  }

  @Override
  public final boolean hasNext() {
    return true;
  }

  @Override
  public T next() {
    return item.apply(drawn.getAndIncrement());
  }
}
