package jkeras.python;

/**
 * An exception raised by Python code the bridge called (a generator's body, a Sequence's {@code
 * __getitem__}, {@code on_epoch_end}, the source's factory), in this JVM or in a worker process. It
 * keeps Python's type name and the full traceback text:
 *
 * <pre>{@code
 * try {
 *   model.fitGenerator(gen, options);
 * } catch (PythonException e) {
 *   e.pythonType();       // "ValueError", or "my_data.BadRecord" for a user's class
 *   e.pythonMessage();    // "corrupt record at line 3"
 *   e.pythonTraceback();  // "Traceback (most recent call last):\n  File \"my_data.py\", line 12, ..."
 * }
 * }</pre>
 *
 * <p>{@link #getMessage()} is {@code "Type: message"} followed by a blank line and the traceback,
 * so a logged stack trace shows the Python frames. {@link PythonErrors} decides when a Python
 * exception becomes one.
 */
public class PythonException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String pythonType;
  private final String pythonMessage;
  private final String pythonTraceback;

  /**
   * @param pythonType Python's name of the exception type as tracebacks print it ({@code
   *     ValueError}, {@code module.Class})
   * @param pythonMessage {@code str(exception)}
   * @param pythonTraceback the formatted traceback ({@code traceback.format_exception}), or empty
   */
  public PythonException(String pythonType, String pythonMessage, String pythonTraceback) {
    this(pythonType, pythonMessage, pythonTraceback, null);
  }

  public PythonException(
      String pythonType, String pythonMessage, String pythonTraceback, Throwable cause) {
    super(format(pythonType, pythonMessage, pythonTraceback), cause);
    this.pythonType = pythonType;
    this.pythonMessage = pythonMessage == null ? "" : pythonMessage;
    this.pythonTraceback = pythonTraceback == null ? "" : pythonTraceback;
  }

  private static String format(String type, String message, String traceback) {
    String head = message == null || message.isEmpty() ? type : type + ": " + message;
    return traceback == null || traceback.isEmpty()
        ? head
        : head + "\n\n" + traceback.stripTrailing();
  }

  /** The Python exception type's name, e.g. {@code "ValueError"} or {@code "my_data.BadRecord"}. */
  public String pythonType() {
    return pythonType;
  }

  /** The Python exception's message ({@code str(e)}). */
  public String pythonMessage() {
    return pythonMessage;
  }

  /** The full traceback text Python would print, ending with {@code "Type: message"}. */
  public String pythonTraceback() {
    return pythonTraceback;
  }
}
