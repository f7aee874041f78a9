package jkeras.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import jkeras.bench.AllBench.Goal;
import jkeras.bench.AllBench.Row;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The table of {@code bench all}: as text, as JSON and as a PNG chart (XChart). */
final class BenchReport {
  private final List<Row> rows;
  private final List<Goal> goals;
  private final String tfkNote;
  private final Map<String, Object> initialLoss;
  private final Map<String, Object> extra;
  private final int repetitions;
  private final int warmup;
  private final double seconds;
  private final List<String> notes;
  private final String date = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);

  BenchReport(
      List<Row> rows,
      List<Goal> goals,
      String tfkNote,
      Map<String, Object> initialLoss,
      Map<String, Object> extra,
      int repetitions,
      int warmup,
      double seconds,
      List<String> notes) {
    this.notes = notes;
    this.rows = rows;
    this.goals = goals;
    this.tfkNote = tfkNote;
    this.initialLoss = initialLoss;
    this.extra = extra;
    this.repetitions = repetitions;
    this.warmup = warmup;
    this.seconds = seconds;
  }

  // ---------------------------------------------------------------------------------------------
  // Text

  String text() {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "jkeras bench all, %s; %d CPUs (%s); %s%n",
            date,
            Runtime.getRuntime().availableProcessors(),
            cpuModel(),
            javaAndOs()));
    b.append("command: ").append(AllBench.commandLine()).append('\n');
    b.append("tf-keras: ").append(tfkNote).append('\n');
    b.append(
        String.format(
            Locale.ROOT,
            "median [min..max] over %d timed rounds (after %d warm-up), tf-keras and jkeras alternating;"
                + " ratio = per-round ratio of the two figures; total %.0f s%n",
            repetitions,
            warmup,
            seconds));
    String[] head = {"workload", "unit", "tf-keras", "jkeras", "ratio"};
    List<String[]> cells = new ArrayList<>();
    for (Row r : rows) cells.add(cells(r));
    b.append(table(head, cells));
    for (String n : notes) b.append("  - ").append(n).append('\n');
    b.append('\n').append("goals:\n");
    for (Goal g : goals) {
      String mark = g.met() == null ? "[n/a]   " : g.met() ? "[met]   " : "[MISSED]";
      b.append("  ")
          .append(mark)
          .append(' ')
          .append(g.goal())
          .append(" (")
          .append(g.target())
          .append("): ")
          .append(g.measured())
          .append('\n');
    }
    return b.toString();
  }

  private static String[] cells(Row r) {
    String ratio;
    if (r.ratio.isEmpty()) {
      ratio = "-";
    } else if (r.ratio.size() == 1) {
      ratio = fmtRatio(r.ratio.get(0)) + " " + r.ratioLabel;
    } else {
      ratio =
          fmtRatio(median(r.ratio))
              + " ["
              + fmtNum(min(r.ratio))
              + ".."
              + fmtNum(max(r.ratio))
              + "] "
              + r.ratioLabel;
    }
    return new String[] {
      r.workload, r.unit, figure(r.tfk, r.tfkNote, null), figure(r.jk, r.jkNote, r.jkText), ratio
    };
  }

  private static String figure(List<Double> v, String note, String text) {
    if (text != null) return text;
    if (v == null || v.isEmpty()) return note == null ? "n/a" : note;
    if (v.size() == 1) return fmtNum(v.get(0));
    return fmtNum(median(v)) + " [" + fmtNum(min(v)) + ".." + fmtNum(max(v)) + "]";
  }

  /** Draws a series as the red line of a target, without markers. */
  private static void targetLine(CategorySeries s) {
    s.setChartCategorySeriesRenderStyle(
        org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle.Line);
    s.setMarker(SeriesMarkers.NONE);
    s.setLineColor(Color.RED);
  }

  /** A Markdown table, columns padded to their widest cell; each line ends with a newline. */
  static String table(String[] head, List<String[]> rows) {
    int[] w = new int[head.length];
    for (int i = 0; i < w.length; i++) {
      w[i] = head[i].length();
      for (String[] r : rows) w[i] = Math.max(w[i], r[i].length());
    }
    StringBuilder b = new StringBuilder(line(head, w)).append('\n').append('|');
    for (int wi : w) b.append("-".repeat(wi + 2)).append('|');
    b.append('\n');
    for (String[] r : rows) b.append(line(r, w)).append('\n');
    return b.toString();
  }

  private static String line(String[] c, int[] w) {
    StringBuilder b = new StringBuilder("|");
    for (int i = 0; i < c.length; i++)
      b.append(' ').append(String.format("%-" + w[i] + "s", c[i])).append(" |");
    return b.toString();
  }

  // ---------------------------------------------------------------------------------------------
  // JSON

  Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("date", date);
    m.put("command", AllBench.commandLine());
    Map<String, Object> machine = new LinkedHashMap<>();
    machine.put("nproc", Runtime.getRuntime().availableProcessors());
    machine.put("cpu", cpuModel());
    machine.put(
        "java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    machine.put(
        "os",
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"));
    m.put("machine", machine);
    m.put("tf_keras", tfkNote);
    m.put("repetitions", repetitions);
    m.put("warmup_rounds", warmup);
    m.put("seconds", round3(seconds));
    m.put("initial_loss", initialLoss);
    m.putAll(extra);
    List<Map<String, Object>> rs = new ArrayList<>();
    for (Row r : rows) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("id", r.id);
      x.put("workload", r.workload);
      x.put("unit", r.unit);
      x.put("tf_keras", stats(r.tfk, r.tfkNote));
      x.put("jkeras", stats(r.jk, r.jkNote));
      Map<String, Object> ratio = stats(r.ratio, null);
      ratio.put("of", r.ratioLabel);
      x.put("ratio", ratio);
      x.put("higher_is_better", r.higherIsBetter);
      if (r.jkText != null) x.put("text", r.jkText);
      rs.add(x);
    }
    m.put("rows", rs);
    List<Map<String, Object>> gs = new ArrayList<>();
    for (Goal g : goals) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("goal", g.goal());
      x.put("target", g.target());
      x.put("measured", g.measured());
      x.put("met", g.met());
      gs.add(x);
    }
    m.put("goals", gs);
    m.put("notes", notes);
    return m;
  }

  private static Map<String, Object> stats(List<Double> v, String note) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (v != null && !v.isEmpty()) {
      m.put("median", round3(median(v)));
      m.put("min", round3(min(v)));
      m.put("max", round3(max(v)));
      m.put("values", v.stream().map(BenchReport::round3).toList());
    }
    if (note != null) m.put("note", note);
    return m;
  }

  private static double round3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  // ---------------------------------------------------------------------------------------------
  // PNG

  private static final Map<String, String> SHORT = new LinkedHashMap<>();

  static {
    SHORT.put("train_on_batch", "train_on_batch");
    SHORT.put("fit_arrays", "fit, arrays");
    SHORT.put("fit_generator_w1", "generator w=1");
    SHORT.put("sequence_w2_mp", "Sequence w=2 mp");
    SHORT.put("gil_w1", "GIL gen 1 proc");
    SHORT.put("gil_w2", "GIL gen 2 procs");
  }

  BufferedImage chart() {
    Map<String, Row> by = byId(rows);

    // Left: jkeras / tf-keras per throughput row, goal 2x.
    CategoryChart left =
        categoryChart(
            "jkeras / tf-keras 2.18 throughput (median of rounds)",
            "ratio (higher: jkeras faster)");
    List<String> cats = new ArrayList<>();
    List<Double> ratio = new ArrayList<>();
    List<Double> goal = new ArrayList<>();
    for (Map.Entry<String, String> e : SHORT.entrySet()) {
      Row r = by.get(e.getKey());
      if (r == null) continue;
      cats.add(e.getValue());
      ratio.add(r.ratio.isEmpty() ? 0.0 : median(r.ratio));
      goal.add(2.0);
    }
    if (cats.isEmpty()) {
      cats.add("none");
      ratio.add(0.0);
      goal.add(2.0);
    }
    left.addSeries("jkeras / tf-keras", cats, ratio);
    targetLine(left.addSeries("goal: 2x", cats, goal));
    style(left);

    // Right: the other goals, each as measured / target (<= 1 or >= 1 as labelled).
    CategoryChart right =
        categoryChart(
            "other goals: at or under 1.0 = met", "measured / target (GIL: target / measured)");
    List<String> gc = new ArrayList<>();
    List<Double> tk = new ArrayList<>();
    List<Double> jk = new ArrayList<>();
    List<Double> one = new ArrayList<>();
    Double floor = medianRatio(by, "engine_floor");
    if (floor != null) add(gc, tk, jk, one, "floor/jkeras / 1.15", null, (1 / floor) / 1.15);
    Double bridge = medianRatio(by, "bridge_cost");
    if (bridge != null) add(gc, tk, jk, one, "bridge/copy / 2", null, bridge / 2);
    Row gil = by.get("gil_scaling");
    if (gil != null) {
      add(
          gc,
          tk,
          jk,
          one,
          "1.8 / GIL scaling",
          gil.tfk.isEmpty() ? null : 1.8 / median(gil.tfk),
          gil.jk.isEmpty() ? null : 1.8 / median(gil.jk));
    }
    Row ov = by.get("producer_eq_step");
    if (ov != null) {
      add(
          gc,
          tk,
          jk,
          one,
          "epoch/max / 1.1",
          ov.tfk.isEmpty() ? null : median(ov.tfk) / 1.1,
          ov.jk.isEmpty() ? null : median(ov.jk) / 1.1);
    }
    for (String id : List.of("memory_java", "memory_python")) {
      Row r = by.get(id);
      if (r != null && !r.ratio.isEmpty())
        add(gc, tk, jk, one, "RSS " + id.substring(7) + " / 1.05", null, r.ratio.get(0) / 1.05);
    }
    if (gc.isEmpty()) add(gc, tk, jk, one, "none", null, 0.0);
    right.addSeries("tf-keras", gc, tk);
    right.addSeries("jkeras", gc, jk);
    targetLine(right.addSeries("target", gc, one));
    style(right);

    BufferedImage a = BitmapEncoder.getBufferedImage(left);
    BufferedImage b = BitmapEncoder.getBufferedImage(right);
    BufferedImage out =
        new BufferedImage(
            a.getWidth() + b.getWidth(),
            Math.max(a.getHeight(), b.getHeight()) + 30,
            BufferedImage.TYPE_INT_RGB);
    Graphics2D gr = out.createGraphics();
    gr.setColor(Color.WHITE);
    gr.fillRect(0, 0, out.getWidth(), out.getHeight());
    gr.drawImage(a, 0, 0, null);
    gr.drawImage(b, a.getWidth(), 0, null);
    gr.setColor(Color.DARK_GRAY);
    gr.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 13));
    gr.drawString(
        String.format(
            Locale.ROOT,
            "jkeras bench all, %s, %d CPUs (%s), %d timed rounds; tf-keras: %s",
            date.substring(0, 16),
            Runtime.getRuntime().availableProcessors(),
            cpuModel(),
            repetitions,
            tfkNote),
        10,
        out.getHeight() - 10);
    gr.dispose();
    return out;
  }

  private static void add(
      List<String> c,
      List<Double> tk,
      List<Double> jk,
      List<Double> one,
      String cat,
      Double t,
      Double j) {
    c.add(cat);
    tk.add(t == null ? 0.0 : t);
    jk.add(j == null ? 0.0 : j);
    one.add(1.0);
  }

  /** A 760x520 bar chart of the report. */
  private static CategoryChart categoryChart(String title, String yAxisTitle) {
    return new CategoryChartBuilder()
        .width(760)
        .height(520)
        .title(title)
        .yAxisTitle(yAxisTitle)
        .build();
  }

  private static void style(CategoryChart c) {
    c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    c.getStyler().setXAxisLabelRotation(30);
    c.getStyler().setChartBackgroundColor(Color.WHITE);
    c.getStyler().setPlotGridVerticalLinesVisible(false);
    c.getStyler().setLabelsVisible(true);
    c.getStyler()
        .setLabelsFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 11));
    c.getStyler().setYAxisMin(0.0);
    c.getStyler().setYAxisDecimalPattern("0.0");
  }

  // ---------------------------------------------------------------------------------------------

  void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("bench-all.txt"), text(), StandardCharsets.UTF_8);
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(dir.resolve("bench-all.json").toFile(), json());
    ImageIO.write(chart(), "png", dir.resolve("bench-all.png").toFile());
  }

  static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: fall through
    }
    return System.getProperty("os.arch");
  }

  private static String javaAndOs() {
    return "Java "
        + System.getProperty("java.version")
        + ", "
        + System.getProperty("os.name")
        + " "
        + System.getProperty("os.arch");
  }

  /** The rows by id, in their order. */
  static Map<String, Row> byId(List<Row> rows) {
    Map<String, Row> by = new LinkedHashMap<>();
    for (Row r : rows) by.put(r.id, r);
    return by;
  }

  /** The median jkeras / tf-keras ratio of row {@code id}; null without the row or its ratios. */
  static Double medianRatio(Map<String, Row> by, String id) {
    Row r = by.get(id);
    return r == null || r.ratio.isEmpty() ? null : median(r.ratio);
  }

  static double median(List<Double> v) {
    return median(v.stream().mapToDouble(Double::doubleValue).toArray());
  }

  static double median(double[] v) {
    double[] s = v.clone();
    java.util.Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  static double min(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  static double max(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  static String fmtRatio(double v) {
    return String.format(Locale.ROOT, "%.2fx", v);
  }

  static String fmtNum(double v) {
    double a = Math.abs(v);
    if (a >= 100) return String.format(Locale.ROOT, "%.0f", v);
    if (a >= 10) return String.format(Locale.ROOT, "%.1f", v);
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
