package jkeras.testing;

/** Thread helpers for the concurrency tests. */
public final class Threads {
  private Threads() {}

  /** {@link Thread#sleep}, an interrupt rethrown unchecked with the flag kept. */
  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
