package jkeras.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The main job, the seed article's example, through the command line with small settings. */
@Tag("native")
@Tag("python")
class DemoCommandTest {
  @Test
  void pythonGeneratorTrainsTheTwoInputModelAndTheLossFalls(@TempDir Path dir) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    DemoCommand demo = new DemoCommand();
    demo.out = new PrintStream(buf, true, StandardCharsets.UTF_8);
    int code =
        new CommandLine(demo)
            .execute(
                "--epochs",
                "3",
                "--steps-per-epoch",
                "200",
                "--lines",
                "300",
                "--workers",
                "2",
                "--verbose",
                "0",
                "--data",
                dir.resolve("data.txt").toString());
    String out = buf.toString(StandardCharsets.UTF_8);
    assertThat(code).as(out).isZero();
    assertThat(out).contains("fit_generator(generate_arrays_from_file(").contains("workers=2");
    String[] parts =
        out.substring(out.indexOf("loss by epoch: ") + 15).split("\n")[0].split(" -> ");
    assertThat(Double.parseDouble(parts[2])).isLessThan(Double.parseDouble(parts[0]) / 2);
    // Validation through the same generator over a second file, and the curves beside the data.
    assertThat(out)
        .contains("validation_data=generate_arrays_from_file(")
        .contains("validation_steps=200");
    assertThat(out).contains("val_loss by epoch: ");
    assertThat(out).contains("training curves: " + dir.resolve("history.png"));
    assertThat(dir.resolve("history.png")).isNotEmptyFile();
  }
}
