package jkeras.compat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jkeras.compat.Comparison.Diff;

/**
 * What a script printed, with what depends on the clock masked, so two runs of the same script can
 * be compared line by line (the script scenarios; compat-tests/README.md, "Script scenarios").
 *
 * <p>The text is rendered as a terminal shows it ({@link ProgressOutput#render}), then:
 *
 * <ul>
 *   <li>intermediate progress-bar lines ({@code 128/1024 [==>....] - ETA: 0s - loss: ...}) are
 *       dropped: how many a run prints depends on the 0.05 s throttle, and their values are the
 *       running means between two of those moments;
 *   <li>in a final progress line the elapsed time and the time per step ({@code - 1s 148us/step},
 *       {@code - 0s 5ms/step}) become {@code - Ts T/step}, and at verbose=2 ({@code - 1s - loss:
 *       ...}) {@code - Ts};
 *   <li>TensorFlow's start-up log lines ({@code 2026-12-06 00:18:30.123456: I tensorflow/...}), its
 *       {@code WARNING:tensorflow:} lines and Keras 2.3.1's {@code Using TensorFlow backend.} are
 *       dropped (they normally go to standard error, which is not compared);
 *   <li>trailing blanks are dropped (Keras pads a progress line to the width of the previous one,
 *       which was intermediate).
 * </ul>
 *
 * Everything else, the numbers a progress line shows included, is kept; {@link #compare} compares
 * it as text, but for numbers printed at full precision.
 */
public final class ScriptOutput {
  private static final Pattern INTERMEDIATE =
      Pattern.compile("^\\s*\\d+/\\d+ \\[[=>.]*\\] - ETA: .*");
  private static final Pattern FINAL_VERBOSE1 =
      Pattern.compile("^(\\s*\\d+/\\d+ \\[[=>.]*\\] - )\\d+s \\d+(?:us|ms|s)/step");
  private static final Pattern FINAL_VERBOSE2 = Pattern.compile("^ - \\d+s(?= - |$)");
  private static final Pattern TENSORFLOW_LOG =
      Pattern.compile(
          "^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d+: [IWEF] |WARNING:tensorflow:|Using TensorFlow backend\\.$).*");

  private static final Pattern FULL_PRECISION = Pattern.compile("-?\\d+\\.\\d{6,}(?:e[-+]?\\d+)?");

  private ScriptOutput() {}

  /** The lines of {@code raw} with the clock masked (see the class comment). */
  public static List<String> mask(String raw) {
    List<String> out = new ArrayList<>();
    for (String line : ProgressOutput.render(raw)) {
      if (INTERMEDIATE.matcher(line).matches() || TENSORFLOW_LOG.matcher(line).matches()) continue;
      String l = FINAL_VERBOSE1.matcher(line).replaceFirst("$1Ts T/step");
      l = FINAL_VERBOSE2.matcher(l).replaceFirst(" - Ts");
      out.add(l);
    }
    return out;
  }

  /**
   * The printed output of a reference against jkeras', both masked: line by line, character for
   * character, except numbers printed at full precision (6 decimals or more, e.g. {@code
   * print('Test loss:', score[0])}), which compare by value within {@link
   * Comparison#RELATIVE_TOLERANCE}, as the values they print do. The progress bar's {@code %.4f}
   * values compare as text.
   */
  public static Diff compare(String reference, String jkeras) {
    List<String> k = mask(reference);
    List<String> j = mask(jkeras);
    double max = 0;
    String where = "";
    for (int i = 0; i < Math.max(k.size(), j.size()); i++) {
      String a = i < k.size() ? k.get(i) : "(no line)";
      String b = i < j.size() ? j.get(i) : "(no line)";
      if (a.equals(b)) continue;
      Matcher ma = FULL_PRECISION.matcher(a);
      Matcher mb = FULL_PRECISION.matcher(b);
      boolean same = ma.replaceAll("#").equals(mb.replaceAll("#"));
      ma.reset();
      mb.reset();
      while (same && ma.find() && mb.find()) {
        double x = Double.parseDouble(ma.group());
        double y = Double.parseDouble(mb.group());
        double d = Math.abs(x - y) / Math.max(Math.abs(x), 1e-6);
        if (d > max) {
          max = d;
          where = "line " + (i + 1) + ": reference " + ma.group() + " jkeras " + mb.group();
        }
      }
      if (!same || max > Comparison.RELATIVE_TOLERANCE) {
        return Diff.exact(
            false,
            "line "
                + (i + 1)
                + ": reference "
                + ProgressOutput.quote(a)
                + " jkeras "
                + ProgressOutput.quote(b));
      }
    }
    if (k.isEmpty()) return Diff.exact(false, "nothing printed");
    return Diff.exact(
        true,
        where.isEmpty()
            ? ""
            : "numbers within "
                + Comparison.RELATIVE_TOLERANCE
                + ", largest relative difference "
                + String.format(java.util.Locale.ROOT, "%.2g", max)
                + " at "
                + where);
  }

  /** {@link #mask} joined with newlines, each line ended by one. */
  public static String masked(String raw) {
    StringBuilder sb = new StringBuilder();
    for (String l : mask(raw)) sb.append(l).append('\n');
    return sb.toString();
  }
}
