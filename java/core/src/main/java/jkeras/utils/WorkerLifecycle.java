package jkeras.utils;

/**
 * Implemented by data sources that hold per-thread resources (a Python interpreter, a file handle):
 * each enqueuer worker thread calls {@link #workerStarted()} before it first touches the source and
 * {@link #workerStopped()} as it ends, on that same thread.
 */
public interface WorkerLifecycle {
  void workerStarted();

  void workerStopped();
}
