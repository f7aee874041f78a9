package jkeras.python.process;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import jkeras.python.PythonEnvironment;
import jkeras.python.PythonSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The setup of the worker-process tests: the Python environment, and the fixture module ({@link
 * Fixtures#MODULE}) written into the class's temporary directory.
 */
abstract class WorkerProcessTest {
  static PythonEnvironment env;
  @TempDir static Path dir;
  static Path module;

  @BeforeAll
  static void writeModule() throws IOException {
    env = PythonEnvironment.discover();
    module = Fixtures.write(dir);
  }

  /** The enqueuer of the Sequence {@code source}: indices in order, seed 1. */
  static ProcessEnqueuer sequenceEnqueuer(PythonSource source) {
    return new ProcessEnqueuer(env, source, true, false, 1);
  }

  /** The enqueuer of the generator {@code source}, seed 1. */
  static ProcessEnqueuer generatorEnqueuer(PythonSource source) {
    return new ProcessEnqueuer(env, source, false, false, 1);
  }

  /** The fixture module's {@code Numbered(n, **kwargs)} Sequence. */
  static PythonSource numbered(int n, Map<String, Object> kwargs) {
    return PythonSource.fromFile(module, "Numbered", n).withKwargs(kwargs);
  }

  /** The fixture module's {@code gen(**kwargs)} generator. */
  static PythonSource gen(Map<String, Object> kwargs) {
    return PythonSource.fromFile(module, "gen").withKwargs(kwargs);
  }
}
