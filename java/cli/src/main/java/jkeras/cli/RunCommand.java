package jkeras.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import jkeras.python.KerasScript;
import jkeras.python.PythonEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jkeras run SCRIPT.py [ARGS...]}: an unmodified Keras 2 training script, run in this JVM's
 * embedded Python with jkeras behind {@code import keras} ({@link KerasScript}). Everything after
 * the script (or after {@code -m MODULE}) is the script's {@code sys.argv[1:]}.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a Keras 2 training script as `python SCRIPT.py ARGS...` would, with `import keras`"
          + " (and tensorflow.keras, tf_keras) answered by jkeras: models, layers and training run in"
          + " Java. Exits with the script's exit code (1 when it raised)."
    })
final class RunCommand implements Callable<Integer> {
  private static final String SLF4J_JKERAS_LEVEL = "org.slf4j.simpleLogger.log.jkeras";

  @Option(
      names = "-m",
      paramLabel = "MODULE",
      description = "Run a module as a script, as `python -m MODULE` does.")
  String module;

  @Option(
      names = "--venv",
      paramLabel = "DIR",
      description =
          "The Python virtual environment (default: -Djkeras.python.venv, $JKERAS_VENV, or the"
              + " project's .venv).")
  Path venv;

  @Parameters(
      paramLabel = "SCRIPT_AND_ARGS",
      arity = "0..*",
      description = "The script, then its arguments (with -m: the module's arguments).")
  List<String> positional = new ArrayList<>();

  @Override
  public Integer call() {
    if (module == null && positional.isEmpty()) {
      System.err.println("jkeras run: a script is required: jkeras run SCRIPT.py [ARGS...]");
      return 2;
    }
    // jkeras' warnings reach the script as Python warnings (KerasScript); the command's SLF4J
    // logger would print each a second time.
    if (System.getProperty(SLF4J_JKERAS_LEVEL) == null)
      System.setProperty(SLF4J_JKERAS_LEVEL, "error");
    try {
      PythonEnvironment env = venv == null ? null : PythonEnvironment.of(venv);
      if (module != null) {
        return KerasScript.runModule(env, module, positional.toArray(String[]::new));
      }
      String[] args = positional.subList(1, positional.size()).toArray(String[]::new);
      return KerasScript.runFile(env, Path.of(positional.get(0)), args);
    } catch (IllegalArgumentException e) {
      System.err.println("jkeras run: " + e.getMessage());
      return 2;
    } catch (IllegalStateException e) {
      // the Python environment cannot start (no venv, jep missing or mismatched): said how to fix
      System.err.println("jkeras run: " + e.getMessage());
      return 1;
    }
  }
}
