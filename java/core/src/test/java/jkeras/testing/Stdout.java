package jkeras.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Captures what code prints to {@code System.out}. */
public final class Stdout {
  private Stdout() {}

  /** What {@code action} prints to {@code System.out}. */
  public static String capture(Runnable action) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      System.setOut(ps);
      action.run();
    } finally {
      System.setOut(old);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }
}
