package jkeras.python;

import jkeras.distribute.ReplicaContext;
import jkeras.python.process.WorkerFaultOptions;
import jkeras.utils.SequenceEnqueuer;

/** Creates {@code jkeras.python.process.ProcessEnqueuer} for {@link PythonDataAdapters}. */
final class ProcessEnqueuers {
  private ProcessEnqueuers() {}

  static SequenceEnqueuer create(
      PythonHandle handle, boolean isSequence, boolean shuffle, long seed, ReplicaContext shard) {
    PythonSource source = handle.source();
    if (source == null) {
      throw new IllegalArgumentException(
          "The Python "
              + (isSequence ? "Sequence" : "generator")
              + " "
              + handle.description()
              + " was obtained from an expression or an interpreter object, which a new process cannot rebuild: it must be"
              + " given as a PythonSource (module or file, function, arguments) to run in worker processes"
              + " (use_multiprocessing=True). Use Python.sequence(PythonSource) / Python.generator(PythonSource), or"
              + " use_multiprocessing=False.");
    }
    PythonEnvironment env = PythonRuntime.get().environment();
    return new jkeras.python.process.ProcessEnqueuer(
        env, source, isSequence, shuffle, seed, WorkerFaultOptions.defaults(), shard);
  }
}
