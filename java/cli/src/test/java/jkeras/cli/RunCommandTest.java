package jkeras.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jkeras run SCRIPT.py [ARGS...]} and {@code jkeras run -m MODULE [ARGS...]}. */
@Tag("python")
class RunCommandTest {
  @TempDir Path tmp;

  @Test
  void theScriptGetsEveryArgumentAfterItAndItsExitCodeIsTheCommands() throws IOException {
    Path script = tmp.resolve("args.py");
    Files.writeString(
        script,
        "import sys\nfrom keras.utils import to_categorical\n"
            + "print(sys.argv[1:], to_categorical([1]).tolist())\nsys.exit(4)\n");
    CliRun r = CliRun.of("run", script.toString(), "--epochs", "2", "-m", "x", "--help");
    assertThat(r.code()).isEqualTo(4);
    assertThat(r.out()).isEqualTo("['--epochs', '2', '-m', 'x', '--help'] [[0.0, 1.0]]\n");
  }

  @Test
  void aModuleRunsWithDashM() throws IOException {
    Path names = tmp.resolve("names.txt");
    Files.writeString(names, "keras.layers Dense\nkeras.optimizers SGD\n");
    CliRun r = CliRun.of("run", "-m", "jkeras.shim.coverage", names.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("checked 2 names\n");
  }

  @Test
  void withoutAScriptTheUsageErrorIsTwo() {
    assertThat(CliRun.of("run").code()).isEqualTo(2);
    assertThat(CliRun.of("run", tmp.resolve("missing.py").toString()).code()).isEqualTo(2);
  }
}
