package jkeras.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What a user's console shows of a run: Keras' output, not TensorFlow's native start-up lines. */
@Tag("native")
class ConsoleOutputTest {
  @Test
  void aFreshProcessPrintsNoAbslStartUpLinesButKeepsItsOwnStderr() throws Exception {
    // A fresh JVM: TensorFlow prints its start-up pair once per process, at the first session run.
    List<String> cmd =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Dorg.bytedeco.javacpp.cachedir="
                + System.getProperty("org.bytedeco.javacpp.cachedir", ""),
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName(),
            "train",
            "--samples",
            "64",
            "--epochs",
            "1",
            "--test-samples",
            "64",
            "--seed",
            "3");
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(err).isZero();
    assertThat(out).contains("Epoch 1/1");
    assertThat(err)
        .doesNotContain("absl::InitializeLog")
        .doesNotContain("MLIR V1 optimization pass");
  }
}
