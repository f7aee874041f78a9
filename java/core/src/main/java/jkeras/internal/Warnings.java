package jkeras.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Keras' {@code warnings.warn(...)} for recoverable misuse: logged through the JDK's platform
 * logger {@code jkeras} at WARNING, and passed to any listeners (tests use one to see them).
 */
public final class Warnings {
  private static final System.Logger LOG = System.getLogger("jkeras");
  private static final List<Consumer<String>> LISTENERS = new CopyOnWriteArrayList<>();

  private Warnings() {}

  /** Emits a warning with Keras' text. */
  public static void warn(String message) {
    LOG.log(System.Logger.Level.WARNING, message);
    for (Consumer<String> l : LISTENERS) l.accept(message);
  }

  /** Adds a listener; returns a handle that removes it. */
  public static AutoCloseable listen(Consumer<String> listener) {
    LISTENERS.add(listener);
    return () -> LISTENERS.remove(listener);
  }
}
