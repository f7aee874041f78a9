package jkeras.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Keras files both ways against tf-keras and Keras 3 ({@link InteropRunner}): every row must agree.
 * Needs {@code .venv} (scripts/setup-python.sh), which holds both.
 */
@Tag("compat")
@Tag("native")
class InteropTest {
  @Test
  void kerasFilesTravelBothWays() throws Exception {
    CompatRunner.Settings s = CompatRunner.Settings.fromEnvironment();
    assertThat(s.venv().resolve("bin").resolve("python"))
        .as("tf-keras' venv (scripts/setup-python.sh)")
        .isExecutable();
    List<InteropRunner.Row> rows = InteropRunner.run(s);
    System.out.print(
        java.nio.file.Files.readString(s.work().resolve("interop").resolve("report.txt")));
    assertThat(rows).isNotEmpty();
    assertThat(rows.stream().filter(r -> !r.agrees()).toList()).as("disagreements").isEmpty();
  }
}
