package jkeras.python;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jep.Interpreter;
import jep.JepException;
import jep.python.PyCallable;
import jkeras.internal.Warnings;

/**
 * Runs an unmodified Keras 2 training script in this JVM's embedded Python, with {@code import
 * keras} (and {@code tensorflow.keras}, {@code tf_keras}) answered by jkeras' shim ({@code
 * jkeras.shim}): its models, layers, optimizers and callbacks create and drive jkeras' Java
 * objects, and TensorFlow's Python runtime is never loaded.
 *
 * <pre>{@code
 * int code = KerasScript.runFile(Path.of("mnist_mlp.py"), "--epochs", "2");   // python mnist_mlp.py --epochs 2
 * int code = KerasScript.runModule("my_pkg.train");                          // python -m my_pkg.train
 * }</pre>
 *
 * <p>As {@code python SCRIPT.py ARGS...} does: the script runs as {@code __main__} with {@code
 * sys.argv = [SCRIPT.py, ARGS...]} and its directory first on {@code sys.path}; what it prints goes
 * to {@link System#out} (its {@code sys.stderr} to {@link System#err}), in order with what jkeras
 * prints; the result is the exit code {@code python} would give: 0, 1 when the script raised (the
 * traceback printed on {@code System.err}), or the code of {@code SystemExit(n)}.
 *
 * <p>One script runs at a time in a JVM (a second call waits): a run takes over the embedded
 * interpreter's {@code sys.stdout}, {@code sys.argv} and {@code keras} imports.
 *
 * <p>The script runs on the calling thread, which owns its interpreter for the whole run; {@code
 * fit} and friends run their Java training loop on that same thread (see docs/run.md). The Python
 * environment is {@link PythonRuntime#get()}'s; {@link #runFile(PythonEnvironment, Path,
 * String...)} names another.
 */
public final class KerasScript {
  private KerasScript() {}

  /** Runs {@code script} as {@code python script args...} would; returns the exit code. */
  public static int runFile(Path script, String... args) {
    return runFile(null, script, args);
  }

  /** {@link #runFile(Path, String...)} in the Python of {@code env} (null: discovered). */
  public static int runFile(PythonEnvironment env, Path script, String... args) {
    Path abs = script.toAbsolutePath().normalize();
    if (!Files.isRegularFile(abs)) {
      throw new IllegalArgumentException(
          "No such Python script: " + script + " (looked for " + abs + ").");
    }
    return run(env, "file", abs.toString(), script.toString(), args);
  }

  /** Runs module {@code module} as {@code python -m module args...} would. */
  public static int runModule(String module, String... args) {
    return runModule(null, module, args);
  }

  /** {@link #runModule(String, String...)} in the Python of {@code env} (null: discovered). */
  public static int runModule(PythonEnvironment env, String module, String... args) {
    if (module == null || module.isBlank())
      throw new IllegalArgumentException("A module name is required. Received: " + module);
    return run(env, "module", module, module, args);
  }

  private static int run(
      PythonEnvironment env, String kind, String target, String argv0, String[] args) {
    // One script at a time: the run takes over the interpreter's sys.stdout, sys.argv and imports.
    synchronized (KerasScript.class) {
      return runAlone(env, kind, target, argv0, args);
    }
  }

  private static int runAlone(
      PythonEnvironment env, String kind, String target, String argv0, String[] args) {
    PythonRuntime runtime = env == null ? PythonRuntime.get() : PythonRuntime.get(env);
    List<String> argv = new ArrayList<>(Arrays.asList(args));
    System.out.flush();
    try (Interpreter py = runtime.openInterpreter()) {
      try {
        py.exec("import jkeras.shim.runner as _jkeras_runner");
        PyCallable warn = py.getValue("_jkeras_runner.java_warning", PyCallable.class);
        try (ScriptWarnings w = new ScriptWarnings(warn)) {
          current = w;
          try {
            Object code = py.invoke("_jkeras_runner.run", kind, target, argv0, argv);
            return ((Number) code).intValue();
          } finally {
            current = null;
          }
        }
      } catch (JepException e) {
        throw PythonErrors.fromJep(e);
      }
    } finally {
      System.out.flush();
      System.err.flush();
    }
  }

  /** The running script's warnings, null between runs (one script runs at a time). */
  private static volatile ScriptWarnings current;

  /**
   * Gives the warnings raised on other threads so far, when called on the running script's thread
   * ({@link ShimSupport#warningsCallback}: at each batch and epoch end of the script's training,
   * evaluation and prediction calls, whose loops run on that thread); a no-op elsewhere.
   */
  static void deliverWarnings() {
    ScriptWarnings w = current;
    if (w != null) w.deliver();
  }

  /**
   * jkeras' warnings (Keras' {@code warnings.warn}) during the run, given to Python's {@code
   * warnings} module so the script sees them as Keras prints them (and its warning filters apply).
   * A warning raised on another thread (a worker reading the data) waits for the script's thread
   * (Python objects are bound to it), and is given at the next batch or epoch end of the call the
   * script is in, at its next warning, or when the run ends.
   */
  private static final class ScriptWarnings implements AutoCloseable {
    private final PyCallable warn;
    private final Thread owner = Thread.currentThread();
    private final java.util.Queue<String> pending =
        new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final AutoCloseable listening;

    ScriptWarnings(PyCallable warn) {
      this.warn = warn;
      this.listening = Warnings.listen(this::accept);
    }

    private void accept(String message) {
      pending.add(message);
      if (Thread.currentThread() == owner) drain();
    }

    void deliver() {
      if (Thread.currentThread() == owner && !pending.isEmpty()) drain();
    }

    private void drain() {
      for (String m; (m = pending.poll()) != null; ) warn.call(m);
    }

    @Override
    public void close() {
      try {
        listening.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      drain();
    }
  }
}
