package jkeras.python;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jkeras.utils.GeneratorExhaustedException;

/**
 * The one mapping from a Python exception to the Java exception jkeras throws, for the in-process
 * bridge and the worker processes alike. Python reports an exception the same way in both ({@code
 * jkeras.bridge.report}): its type name, message and traceback text, and whether it is a usage
 * error. Then:
 *
 * <ul>
 *   <li>a usage error (an item that is no batch, a source that is not what was asked for) is an
 *       {@link IllegalArgumentException} with the message, as Keras raises {@code ValueError};
 *   <li>any other exception is a {@link PythonException} with the Python type, message and
 *       traceback;
 *   <li>{@code StopIteration} ending a generator is not reported as an exception but as the end of
 *       the data: {@link #exhausted()}.
 * </ul>
 */
public final class PythonErrors {
  private static final Pattern JEP_MESSAGE =
      Pattern.compile("^<class '([^']+)'>:?\\s?(.*)$", Pattern.DOTALL);

  private PythonErrors() {}

  /**
   * The exception for a Python exception reported by the bridge or a worker process.
   *
   * @param type Python's name of the type as tracebacks print it ({@code ValueError}, {@code
   *     my_module.MyError})
   * @param message {@code str(exception)}
   * @param traceback the formatted traceback, or empty
   * @param usage whether Python classed it as a usage error
   */
  public static RuntimeException toJava(
      String type, String message, String traceback, boolean usage) {
    if (usage) return new IllegalArgumentException(message);
    return new PythonException(type, message, traceback);
  }

  /**
   * From a {@code jep.JepException} that escaped the bridge's own status protocol (interpreter
   * failures): the type is read from Jep's {@code "<class 'Type'>: message"} text; no traceback.
   */
  static PythonException fromJep(RuntimeException e) {
    String text = String.valueOf(e.getMessage());
    Matcher m = JEP_MESSAGE.matcher(text);
    if (m.find()) return new PythonException(m.group(1), m.group(2), "", e);
    return new PythonException("JepException", text, "", e);
  }

  /** A generator's {@code StopIteration} once the batches drawn before it are used up. */
  public static GeneratorExhaustedException exhausted() {
    return new GeneratorExhaustedException();
  }

  /**
   * {@code b}, unless the calling thread was interrupted while Python ran on it (an interrupt
   * cannot stop Python code, so it is seen when the call returns): then {@code b} is released and
   * fit stops as it does for an interrupt while waiting for a batch, keeping the flag.
   */
  static jkeras.data.Batch unlessInterrupted(jkeras.data.Batch b) {
    if (!Thread.currentThread().isInterrupted()) return b;
    if (b != null) b.release();
    throw new IllegalStateException("Interrupted while waiting for the next batch.");
  }
}
