package jkeras.callbacks;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws a {@link History} with XChart, as a Keras user draws {@code history.history} with
 * matplotlib: one panel per quantity ({@code loss} first, then the metrics, then anything else such
 * as {@code lr}), the training values beside the {@code val_} ones, epochs counted from 1 on the x
 * axis (as Keras prints them). Loaded only by {@link History#plot}, so XChart is needed only by
 * programs that draw.
 */
final class HistoryPlot {
  static final int PANEL_WIDTH = 480;
  static final int PANEL_HEIGHT = 340;
  static final int PANELS_PER_ROW = 3;

  private HistoryPlot() {}

  /** The panels: quantity name to its training and validation series (either may be absent). */
  static Map<String, List<String>> panels(History h) {
    Map<String, List<String>> panels = new LinkedHashMap<>();
    List<String> keys = new ArrayList<>(h.history().keySet());
    keys.sort((a, b) -> Integer.compare(rank(base(a)), rank(base(b))));
    for (String k : keys) panels.computeIfAbsent(base(k), x -> new ArrayList<>()).add(k);
    // Training first, then validation: the legend's order.
    panels
        .values()
        .forEach(
            l -> l.sort((a, b) -> Boolean.compare(a.startsWith("val_"), b.startsWith("val_"))));
    return panels;
  }

  private static String base(String key) {
    return key.startsWith("val_") ? key.substring(4) : key;
  }

  /** {@code loss} first, per-output losses next, then the rest in first-seen order. */
  private static int rank(String base) {
    if (base.equals("loss")) return 0;
    if (base.endsWith("_loss")) return 1;
    return 2;
  }

  static void write(History h, Path png, String title) throws IOException {
    Map<String, List<String>> panels = panels(h);
    if (panels.isEmpty()) {
      throw new IllegalStateException("This History has no values to plot: train the model first.");
    }
    List<BufferedImage> images = new ArrayList<>();
    for (Map.Entry<String, List<String>> p : panels.entrySet()) {
      images.add(BitmapEncoder.getBufferedImage(chart(h, p.getKey(), p.getValue(), title)));
    }
    int cols = Math.min(PANELS_PER_ROW, images.size());
    int rows = (images.size() + cols - 1) / cols;
    BufferedImage out =
        new BufferedImage(cols * PANEL_WIDTH, rows * PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, out.getWidth(), out.getHeight());
    for (int i = 0; i < images.size(); i++) {
      g.drawImage(images.get(i), (i % cols) * PANEL_WIDTH, (i / cols) * PANEL_HEIGHT, null);
    }
    g.dispose();
    Path parent = png.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    // Written beside the destination and moved into place: a reader never sees half a PNG.
    Path tmp = Files.createTempFile(parent, png.getFileName().toString(), ".tmp");
    try {
      if (!ImageIO.write(out, "png", tmp.toFile())) throw new IOException("no PNG writer");
      Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static XYChart chart(History h, String quantity, List<String> keys, String title) {
    XYChart c =
        new XYChartBuilder()
            .width(PANEL_WIDTH)
            .height(PANEL_HEIGHT)
            .title(title == null ? "model " + quantity : title + ": " + quantity)
            .xAxisTitle("epoch")
            .yAxisTitle(quantity)
            .build();
    XYStyler s = c.getStyler();
    s.setChartBackgroundColor(Color.WHITE);
    s.setLegendPosition(Styler.LegendPosition.InsideNE);
    s.setPlotGridVerticalLinesVisible(false);
    s.setXAxisDecimalPattern("#0");
    for (String k : keys) {
      List<Integer> epochs = h.epochsOf(k);
      List<Double> x = new ArrayList<>();
      for (int e : epochs) x.add(e + 1.0);
      List<Double> y = new ArrayList<>(h.history().get(k));
      XYSeries series = c.addSeries(k.startsWith("val_") ? "validation" : "training", x, y);
      series.setMarker(x.size() <= 30 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
    }
    return c;
  }
}
