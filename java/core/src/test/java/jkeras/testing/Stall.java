package jkeras.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A source's slow step that lasts until the consumer has warned about it {@code warnings} times,
 * for the fetch-timeout tests: a sleep of fixed length raced the warnings due at multiples of the
 * timeout (a warning at 1.0 s against a 1 s sleep saw the item already fetched), on a loaded
 * machine the race was lost about once in five runs. Use {@link #warned} as the warnings listener
 * and call {@link #hold} from the slow step; {@link #whileHeld} are the warnings given while a step
 * was held, each of which describes it. Only the first {@code holds} calls hold: a generator's
 * items drawn ahead of the last step are never waited for.
 */
public final class Stall {
  /** A hang guard only: a held step is released after this many seconds without the warnings. */
  public static final long HANG_GUARD_SECONDS = 60;

  private final int warnings;
  private final AtomicInteger holds;
  private final List<String> all = new CopyOnWriteArrayList<>();
  private final List<String> whileHeld = new CopyOnWriteArrayList<>();
  private volatile CountDownLatch held;

  /** Stalls {@code holds} steps, each for {@code warnings} stall warnings. */
  public Stall(int warnings, int holds) {
    this.warnings = warnings;
    this.holds = new AtomicInteger(holds);
  }

  /**
   * Blocks the calling (worker) thread, in state TIMED_WAITING, until {@code warnings} more
   * warnings came; fails after {@link #HANG_GUARD_SECONDS} without them. Returns at once after the
   * first {@code holds} calls.
   */
  public void hold() {
    if (holds.getAndDecrement() <= 0) return;
    CountDownLatch l = new CountDownLatch(warnings);
    held = l;
    try {
      if (!l.await(HANG_GUARD_SECONDS, TimeUnit.SECONDS))
        throw new IllegalStateException(
            "no " + warnings + " stall warnings within " + HANG_GUARD_SECONDS + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      held = null;
    }
  }

  /** The warnings listener: records {@code warning}, and counts it towards a held step's end. */
  public void warned(String warning) {
    all.add(warning);
    CountDownLatch l = held;
    if (l != null && l.getCount() > 0) { // one warning at a time: the consumer's thread gives them
      whileHeld.add(warning);
      l.countDown();
    }
  }

  /** Every warning, in order. */
  public List<String> all() {
    return all;
  }

  /**
   * The warnings given while a step was held: the step cannot have ended before they were composed
   * (its release is counted down by them), so each describes it.
   */
  public List<String> whileHeld() {
    return whileHeld;
  }
}
