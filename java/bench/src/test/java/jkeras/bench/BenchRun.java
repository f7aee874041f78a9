package jkeras.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** The exit code of one {@code bench} command line and what it printed to {@code System.out}. */
record BenchRun(int code, String out) {
  static BenchRun of(String... args) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    int code;
    try (PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      code = BenchMain.commandLine().execute(args);
    } finally {
      System.setOut(saved);
    }
    return new BenchRun(code, buffer.toString(StandardCharsets.UTF_8));
  }
}
