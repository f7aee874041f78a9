package jkeras.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** History.plot: one panel per quantity, training beside validation, written atomically. */
class HistoryPlotTest {
  @TempDir Path dir;

  private static History history() {
    History h = new History();
    h.onTrainBegin(new Logs());
    for (int e = 0; e < 6; e++) {
      Logs l = new Logs();
      if (e % 2 == 1) { // validation_freq=2
        l.put("val_loss", 1.0 / (e + 2));
        l.put("val_accuracy", 0.5 + e / 20.0);
      }
      l.put("loss", 1.0 / (e + 1));
      l.put("accuracy", 0.5 + e / 15.0);
      l.put("lr", 0.01f);
      h.onEpochEnd(e, l);
    }
    return h;
  }

  @Test
  void groupsTrainingAndValidationKeysPerQuantityLossFirst() {
    History h = history();
    assertThat(HistoryPlot.panels(h))
        .containsExactly(
            java.util.Map.entry("loss", java.util.List.of("loss", "val_loss")),
            java.util.Map.entry("accuracy", java.util.List.of("accuracy", "val_accuracy")),
            java.util.Map.entry("lr", java.util.List.of("lr")));
    assertThat(h.epochsOf("val_loss")).containsExactly(1, 3, 5);
    assertThat(h.epochsOf("loss")).containsExactly(0, 1, 2, 3, 4, 5);
  }

  @Test
  void writesAPngWithOnePanelPerQuantity() throws Exception {
    Path png = dir.resolve("sub/curves.png");
    assertThat(history().plot(png, "run 1")).isEqualTo(png);
    BufferedImage img = ImageIO.read(png.toFile());
    assertThat(img.getWidth()).isEqualTo(3 * HistoryPlot.PANEL_WIDTH);
    assertThat(img.getHeight()).isEqualTo(HistoryPlot.PANEL_HEIGHT);
    try (Stream<Path> files = Files.list(png.getParent())) {
      assertThat(files).containsExactly(png); // no temporary file left behind
    }
  }

  @Test
  void anEmptyHistoryHasNothingToPlot() {
    History h = new History();
    assertThatThrownBy(() -> h.plot(dir.resolve("x.png")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("This History has no values to plot: train the model first.");
  }
}
