package jkeras.python;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import jkeras.utils.SequenceEnqueuer;

/** Creates {@code jkeras.python.process.ProcessEnqueuer} for the wrappers' {@code processEnqueuer}. */
final class ProcessEnqueuers {
  private ProcessEnqueuers() {}

  static SequenceEnqueuer create(PythonHandle handle, boolean isSequence, boolean shuffle, long seed) {
    PythonSource source = handle.source();
    if (source == null) {
      throw new IllegalArgumentException("The Python " + (isSequence ? "Sequence" : "generator") + " " + handle.description()
          + " was obtained from an expression or an interpreter object, which a new process cannot rebuild: it must be"
          + " given as a PythonSource (module or file, function, arguments) to run in worker processes"
          + " (use_multiprocessing=True). Use Python.sequence(PythonSource) / Python.generator(PythonSource), or"
          + " use_multiprocessing=False.");
    }
    PythonEnvironment env = PythonRuntime.get().environment();
    // Reflection keeps this module compiling while the process enqueuer is written separately.
    try {
      Class<?> c = Class.forName("jkeras.python.process.ProcessEnqueuer");
      Constructor<?> k = c.getConstructor(PythonEnvironment.class, PythonSource.class, boolean.class, boolean.class, long.class);
      return (SequenceEnqueuer) k.newInstance(env, source, isSequence, shuffle, seed);
    } catch (ClassNotFoundException | NoSuchMethodException e) {
      throw new UnsupportedOperationException("Python worker processes (use_multiprocessing=True) are not available in this"
          + " build: jkeras.python.process.ProcessEnqueuer(PythonEnvironment, PythonSource, boolean, boolean, long) is missing.", e);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      if (e.getCause() instanceof Error err) throw err;
      throw new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
