package jkeras.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** The exit code of one {@code jkeras} command line and what it printed to {@code System.out}. */
record CliRun(int code, String out) {
  static CliRun of(String... args) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    int code;
    try (PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      code = Main.commandLine().execute(args);
    } finally {
      System.setOut(saved);
    }
    return new CliRun(code, buffer.toString(StandardCharsets.UTF_8));
  }
}
