package jkeras.utils;

/**
 * A data source that can run in separate worker processes ({@code use_multiprocessing=True}),
 * such as a Python generator or Sequence the bridge can rebuild in a new process. {@code fit},
 * {@code evaluate} and {@code predict} ask it for its enqueuer instead of using threads.
 */
public interface ProcessCapable {
  /**
   * An enqueuer running this source in {@code workers} processes; started by the caller.
   *
   * @param shuffle shuffle a Sequence's order each epoch
   * @param seed the seed for that order, and for per-process generator seeds
   */
  SequenceEnqueuer processEnqueuer(boolean shuffle, long seed);
}
