package jkeras.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("native")
class TrainCommandTest {
  @Test
  void tinyTrainRunPrintsKerasProgressAndBeatsChanceAndDrawsItsCurves(@TempDir Path dir)
      throws Exception {
    // The progress bar and summary write to System.out, as Keras' print() does.
    CliRun run =
        CliRun.of(
            "train",
            "--samples",
            "256",
            "--epochs",
            "2",
            "--test-samples",
            "1000",
            "--seed",
            "7",
            "--plot",
            dir.resolve("curves.png").toString());
    int code = run.code();
    String out = run.out();
    System.out.println(out);

    assertThat(code).isZero();
    assertThat(out).contains("Epoch 1/2").contains("Epoch 2/2").contains("Total params: 101,770");
    Matcher m = Pattern.compile(TrainCommand.TEST_ACCURACY_LABEL + "([0-9.]+)").matcher(out);
    assertThat(m.find()).as("final accuracy line in:%n%s", out).isTrue();
    double accuracy = Double.parseDouble(m.group(1));
    // Ten classes: chance is 0.1, with a standard deviation of 0.0095 over 1000 test samples; 16
    // Adam steps on 230 samples reach 0.22-0.32 (seeds 1, 2, 3, 7), so 0.15 is 5 sigma above
    // chance.
    assertThat(accuracy).isGreaterThan(0.15);
    // Two panels, loss and accuracy, each with training and validation.
    assertThat(out).contains("training curves: " + dir.resolve("curves.png"));
    BufferedImage png = javax.imageio.ImageIO.read(dir.resolve("curves.png").toFile());
    assertThat(png.getWidth()).isGreaterThan(png.getHeight());
  }
}
