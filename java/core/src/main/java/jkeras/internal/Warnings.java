package jkeras.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keras' {@code warnings.warn(...)} for recoverable misuse: logged at WARN through SLF4J, the JVM's
 * logging convention, under the logger {@code jkeras} (so it lands wherever the application's logs
 * go), and passed to any listeners (tests use one to see them).
 */
public final class Warnings {
  private static final Logger LOG = LoggerFactory.getLogger("jkeras");
  private static final List<Consumer<String>> LISTENERS = new CopyOnWriteArrayList<>();

  private Warnings() {}

  /** Emits a warning with Keras' text. */
  public static void warn(String message) {
    LOG.warn(message);
    for (Consumer<String> l : LISTENERS) l.accept(message);
  }

  /** Adds a listener; returns a handle that removes it. */
  public static AutoCloseable listen(Consumer<String> listener) {
    LISTENERS.add(listener);
    return () -> LISTENERS.remove(listener);
  }
}
