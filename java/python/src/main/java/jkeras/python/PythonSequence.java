package jkeras.python;

import jkeras.data.Batch;
import jkeras.utils.Sequence;
import jkeras.utils.WorkerLifecycle;

/**
 * A Python Sequence ({@code __len__}, {@code __getitem__}, optional {@code on_epoch_end}, e.g. a
 * subclass of {@code keras.utils.Sequence}) as a jkeras {@link Sequence}. Made by {@link
 * Python#sequence(PythonSource)}; pass it to {@code fit}/{@code fitGenerator}, {@code evaluate} or
 * {@code predict} like any Sequence, and close it afterwards.
 *
 * <p>With {@code workers > 1} and {@code useMultiprocessing=false}, {@code __getitem__} runs on
 * several threads at once, each with its own interpreter; they share one GIL, so this helps when
 * {@code __getitem__} spends its time in numpy, I/O or other code that releases the GIL. With
 * {@code useMultiprocessing=true} it runs in Python worker processes (see {@link
 * PythonDataAdapters}), rebuilt there from its {@link PythonSource}.
 *
 * <p>Batches are copied by numpy into Java-owned direct buffers of the calling thread and come as
 * views of them ({@link BatchBuffers}); {@link Batch#release()} (the training loop calls it after
 * each step) lets the thread reuse the buffers. A batch never released stays valid.
 */
public final class PythonSequence extends Sequence implements WorkerLifecycle, AutoCloseable {
  private final PythonHandle handle;

  PythonSequence(PythonHandle handle) {
    this.handle = handle;
  }

  /** {@code len(sequence)}. */
  @Override
  public int size() {
    long h = handle.handle();
    return handle.call(b -> b.seqLen(h));
  }

  /** {@code sequence[index]} as a Batch. */
  @Override
  public Batch get(int index) {
    long h = handle.handle();
    return PythonErrors.unlessInterrupted(handle.call(b -> b.seqGet(h, index)));
  }

  /** {@code sequence.on_epoch_end()}, when the object has it. */
  @Override
  public void onEpochEnd() {
    long h = handle.handle();
    handle.call(
        b -> {
          b.seqEpochEnd(h);
          return null;
        });
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

  /** Releases the Python object and the control thread. Idempotent. */
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
        : "PythonSequence[" + handle.description() + "]";
  }
}
