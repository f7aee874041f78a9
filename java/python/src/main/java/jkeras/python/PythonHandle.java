package jkeras.python;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A Python object held in {@code jkeras.bridge}'s registry, and how Java threads reach it.
 *
 * <p>A thread that announced itself with {@link #workerStarted()} (enqueuer workers, and the
 * training thread when {@code workers=0}) has its own interpreter and calls Python directly. Any
 * other thread (the training thread asking {@code size()}, the enqueuer's dispatcher) is served by
 * this object's control thread, which owns an interpreter of its own and is ended by {@link
 * #close()}.
 */
final class PythonHandle implements AutoCloseable {
  private static final AtomicInteger CONTROL_THREADS = new AtomicInteger();
  private static final Runnable STOP = () -> {};

  private final PythonRuntime runtime;
  private final String description;
  private final PythonSource source;
  private final ThreadLocal<int[]> workerDepth = ThreadLocal.withInitial(() -> new int[1]);
  private final Object controlLock = new Object();
  private BlockingQueue<Runnable> controlQueue;
  private Thread control;
  private volatile long handle;
  private volatile boolean closed;

  private PythonHandle(PythonRuntime runtime, String description, PythonSource source) {
    this.runtime = runtime;
    this.description = description;
    this.source = source;
  }

  /**
   * Builds {@code source} in Python as a {@code kind} ("sequence" or "generator"), or as what the
   * object is by Keras' rule when {@code kind} is null; {@code kindOut[0]} receives the kind.
   */
  static PythonHandle build(PythonSource source, String kind, String[] kindOut) {
    PythonHandle h = new PythonHandle(PythonRuntime.get(), describe(source), source);
    String spec = BridgeSpec.toJson(source);
    h.init(
        b -> {
          java.util.List<?> r = b.build(spec, kind);
          kindOut[0] = (String) r.get(2);
          return ((Number) r.get(1)).longValue();
        });
    return h;
  }

  /** Evaluates {@code expression}; the kind is detected when {@code kind} is null. */
  static PythonHandle evaluate(
      String expression, java.util.List<java.nio.file.Path> paths, String kind, String[] kindOut) {
    PythonHandle h = new PythonHandle(PythonRuntime.get(), "`" + expression + "`", null);
    java.util.List<String> p = BridgeSpec.paths(paths);
    h.init(
        b -> {
          java.util.List<?> r = b.evaluate(expression, p, kind);
          kindOut[0] = (String) r.get(2);
          return ((Number) r.get(1)).longValue();
        });
    return h;
  }

  /** Registers an object of the calling thread's interpreter. */
  static PythonHandle register(jep.python.PyObject obj, String kind, String[] kindOut) {
    PythonRuntime rt = PythonRuntime.get();
    ThreadBridge b = rt.currentBridge();
    if (b == null) {
      throw new IllegalStateException(
          "Python.wrap must run on the thread whose interpreter (from "
              + "PythonRuntime.get().openInterpreter()) produced the object.");
    }
    PythonHandle h = new PythonHandle(rt, pythonStr(obj), null);
    java.util.List<?> r = b.register(obj, kind);
    kindOut[0] = (String) r.get(2);
    h.handle = ((Number) r.get(1)).longValue();
    return h;
  }

  /** Python's {@code str(obj)} (Jep's {@code toString}), as Keras' messages show the object. */
  private static String pythonStr(jep.python.PyObject obj) {
    try {
      return obj.toString();
    } catch (RuntimeException e) {
      return "a Python object";
    }
  }

  /** Whether this wraps a live object of the script ({@link #register}) rather than a source. */
  boolean wrapsObject() {
    return source == null;
  }

  private void init(Function<ThreadBridge, Long> create) {
    try {
      handle = call(create);
    } catch (RuntimeException e) {
      stopControl();
      throw e;
    }
  }

  private static String describe(PythonSource s) {
    return (s.module() != null ? s.module() : s.file().toString()) + "." + s.attribute() + "(...)";
  }

  long handle() {
    return handle;
  }

  String description() {
    return description;
  }

  /** The source it was built from, or null when it cannot be rebuilt in another process. */
  PythonSource source() {
    return source;
  }

  /** Runs {@code fn} with a bridge: the calling thread's own, or the control thread's. */
  <T> T call(Function<ThreadBridge, T> fn) {
    if (closed)
      throw new IllegalStateException("This Python source (" + description + ") is closed.");
    ThreadBridge b = runtime.currentBridge();
    if (b != null) return fn.apply(b);
    return onControl(fn);
  }

  private <T> T onControl(Function<ThreadBridge, T> fn) {
    CompletableFuture<T> f = new CompletableFuture<>();
    Runnable task =
        () -> {
          try {
            f.complete(fn.apply(runtime.currentBridge()));
          } catch (Throwable t) {
            f.completeExceptionally(t);
          }
        };
    synchronized (controlLock) {
      if (control == null) startControl();
      controlQueue.add(task);
    }
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "Interrupted while waiting for Python (" + description + ").", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException r) throw r;
      if (c instanceof Error err) throw err;
      throw new IllegalStateException(c);
    }
  }

  private void startControl() {
    BlockingQueue<Runnable> q = new LinkedBlockingQueue<>();
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                runtime.acquire();
              } catch (Throwable e) {
                ready.completeExceptionally(e);
                return;
              }
              ready.complete(null);
              try {
                while (true) {
                  Runnable r = q.take();
                  if (r == STOP) return;
                  r.run();
                }
              } catch (InterruptedException e) {
                // closing
              } finally {
                runtime.release();
              }
            },
            "jkeras-python-control-" + CONTROL_THREADS.incrementAndGet());
    t.setDaemon(true);
    t.start();
    try {
      ready.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while starting Python.", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException r) throw r;
      throw new IllegalStateException(c);
    }
    controlQueue = q;
    control = t;
  }

  private void stopControl() {
    Thread t;
    synchronized (controlLock) {
      t = control;
      if (t == null) return;
      controlQueue.add(STOP);
      control = null;
      controlQueue = null;
    }
    if (t != Thread.currentThread()) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * This thread gets its own interpreter for calls to this object (balanced by {@link
   * #workerStopped()}).
   */
  void workerStarted() {
    // A failure here must not kill the worker thread silently: calls then go to the control
    // thread, which reports the same failure to whoever waits for a batch.
    try {
      runtime.acquire();
      workerDepth.get()[0]++;
    } catch (RuntimeException e) {
      // reported by the next call
    }
  }

  void workerStopped() {
    int[] d = workerDepth.get();
    if (d[0] == 0) return;
    d[0]--;
    if (d[0] == 0) workerDepth.remove();
    runtime.release();
  }

  /** Forgets the Python object and ends the control thread. Idempotent. */
  @Override
  public void close() {
    if (closed) return;
    // An interrupted caller (fit stopped by an interrupt) still releases the object and waits for
    // the control thread to end; the flag is restored afterwards.
    boolean interrupted = Thread.interrupted();
    try {
      release();
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  private void release() {
    try {
      long h = handle;
      if (h != 0)
        call(
            b -> {
              b.release(h);
              return null;
            });
    } catch (RuntimeException e) {
      // the interpreter is gone or broken: nothing left to release
    } finally {
      closed = true;
      stopControl();
    }
  }
}
