package jkeras.python;

import java.util.Iterator;
import jkeras.data.Batch;
import jkeras.utils.GeneratorExhaustedException;
import jkeras.utils.WorkerLifecycle;

/**
 * A Python generator (or any iterable of batches) as an {@link Iterator} of {@link Batch}, for
 * {@code fit}/{@code fitGenerator}, {@code evaluate} and {@code predict}. Made by {@link
 * Python#generator(PythonSource)}; close it afterwards.
 *
 * <p>Its {@code next} is serialised: with {@code workers > 1} threads take turns advancing the one
 * generator (as Keras' threaded {@code GeneratorEnqueuer}). {@code StopIteration} ends it: {@link
 * #hasNext()} turns false and {@link #next()} throws {@link GeneratorExhaustedException}. With
 * {@code useMultiprocessing=true} each worker process runs its own copy, rebuilt from the {@link
 * PythonSource} (see {@link PythonDataAdapters}).
 *
 * <p>Batches are copied by numpy into Java-owned direct buffers of the calling thread and come as
 * views of them ({@link BatchBuffers}); {@link Batch#release()} (the training loop calls it after
 * each step) lets the thread reuse the buffers. A batch never released stays valid.
 */
public final class PythonGenerator implements Iterator<Batch>, WorkerLifecycle, AutoCloseable {
  private final PythonHandle handle;
  private Batch pending;
  private boolean exhausted;

  PythonGenerator(PythonHandle handle) {
    this.handle = handle;
  }

  /** Draws the next batch from Python if none is waiting; false after {@code StopIteration}. */
  @Override
  public synchronized boolean hasNext() {
    if (pending != null) return true;
    if (exhausted) return false;
    long h = handle.handle();
    Batch b = PythonErrors.unlessInterrupted(handle.call(t -> t.genNext(h)));
    if (b == null) {
      exhausted = true;
      return false;
    }
    pending = b;
    return true;
  }

  /** {@code next(generator)} as a Batch. */
  @Override
  public synchronized Batch next() {
    if (!hasNext()) throw PythonErrors.exhausted();
    Batch b = pending;
    pending = null;
    return b;
  }

  @Override
  public void workerStarted() {
    handle.workerStarted();
  }

  @Override
  public void workerStopped() {
    handle.workerStopped();
  }

  PythonHandle handle() {
    return handle;
  }

  /** The source it was built from, or null when it came from an expression or an object. */
  public PythonSource source() {
    return handle.source();
  }

  /** Releases the Python generator and the control thread. Idempotent. */
  @Override
  public void close() {
    handle.close();
  }

  @Override
  public String toString() {
    // a script's own object reads as Python's str() of it, as Keras' messages (legacy-call
    // warnings) show it
    return handle.wrapsObject()
        ? handle.description()
        : "PythonGenerator[" + handle.description() + "]";
  }
}
