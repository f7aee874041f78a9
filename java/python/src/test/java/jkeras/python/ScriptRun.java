package jkeras.python;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** One {@link KerasScript} run: its exit code and what it printed on System.out and System.err. */
record ScriptRun(int code, String out, String err) {
  /** A script of the test resources' {@code scripts/} directory. */
  static Path script(String name) {
    try {
      return Path.of(ScriptRun.class.getResource("/scripts/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static ScriptRun of(Path script, String... args) {
    return capture(() -> KerasScript.runFile(script, args));
  }

  static ScriptRun ofModule(String module, String... args) {
    return capture(() -> KerasScript.runModule(module, args));
  }

  private static ScriptRun capture(java.util.function.IntSupplier run) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream savedOut = System.out;
    PrintStream savedErr = System.err;
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      System.setOut(o);
      System.setErr(e);
      code = run.getAsInt();
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
    ScriptRun r =
        new ScriptRun(
            code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    savedOut.print(r.out);
    savedErr.print(r.err);
    return r;
  }
}
