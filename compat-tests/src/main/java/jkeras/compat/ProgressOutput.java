package jkeras.compat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of {@code fit}'s progress output that Keras 2.3.1 (jkeras) and tf-keras 2.18 print
 * identically, with the Progbar clock frozen (both sides use a constant clock, so every elapsed
 * time is {@code 0s}). Against Keras 2.3.1 itself the whole text is compared, byte for byte; this
 * is the comparison with tf-keras, whose format differs.
 *
 * <p>The raw text is first rendered as a terminal shows it ({@code \r} returns to the start of the
 * line, {@code \b} moves back one column, trailing blanks dropped): tf-keras rewrites the line in
 * place on any POSIX system, Keras 2.3.1 does so only on a tty and otherwise writes a newline
 * before each update. Then, for every {@code Epoch i/n} header, the epoch's final line is the last
 * non-blank line before the next header. The intermediate lines are not compared: how many are
 * drawn depends on the display mode and on the 0.05 s throttle.
 *
 * <p>Compared, per epoch (keras-semantics.md 3.1 versus 3.3):
 *
 * <ul>
 *   <li>the header {@code Epoch i/n} (tf-keras prints it only when {@code epochs > 1}, so the
 *       scenarios use several epochs);
 *   <li>verbose=1: the bar {@code N/N [====...]}, the elapsed {@code - 0s} and the values {@code -
 *       loss: ... - val_...: ...} (same keys in the same order, {@code %.4f}; Keras 2.3.1 shows the
 *       loss as {@code (sum of batch losses + epoch mean) / (steps + 1)}, tf-keras the epoch mean:
 *       equal only when all batches have the same size);
 *   <li>verbose=2: the elapsed {@code - 0s} and the values.
 * </ul>
 *
 * <p>Not compared: the verbose=1 per-step time and tf-keras' verbose=2 {@code N/N} prefix and
 * {@code - 0s/epoch - 0s/step} suffix ({@link Parsed#differing()}).
 */
public final class ProgressOutput {
  private static final Pattern HEADER = Pattern.compile("Epoch \\d+/\\d+");
  private static final String VALUES = "((?: - [^ :]+: \\S+)*)";
  private static final Pattern VERBOSE1 =
      Pattern.compile("(\\d+/\\d+ \\[[=>.]+\\]) - (\\d+s) (\\S+)/step" + VALUES);
  private static final Pattern VERBOSE2_KERAS231 = Pattern.compile(" - (\\d+s)" + VALUES);
  private static final Pattern VERBOSE2_TF_KERAS =
      Pattern.compile("\\d+/\\d+ - (\\d+s)" + VALUES + " - (\\S+)/epoch - (\\S+)/step");

  private ProgressOutput() {}

  /**
   * The comparable parts of one side's output.
   *
   * @param comparable per epoch: header, then (verbose=1) bar, elapsed, values or (verbose=2)
   *     elapsed, values
   * @param differing per epoch, the parts of each version's own format, not compared (verbose=1
   *     per-step time; verbose=2 the tf-keras suffix, empty for Keras 2.3.1)
   * @param problem why the text could not be parsed, or {@code null}
   */
  public record Parsed(List<String> comparable, List<String> differing, String problem) {}

  /**
   * Parses {@code raw} printed by {@code fit(verbose)}; {@code tfKeras} selects tf-keras' line
   * format, otherwise Keras 2.3.1's.
   */
  public static Parsed parse(String raw, int verbose, boolean tfKeras) {
    List<String> lines = render(raw);
    List<String> comparable = new ArrayList<>();
    List<String> differing = new ArrayList<>();
    List<Integer> headers = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (HEADER.matcher(lines.get(i)).matches()) headers.add(i);
    }
    if (headers.isEmpty())
      return new Parsed(comparable, differing, "no 'Epoch i/n' header in " + quote(raw));
    for (int h = 0; h < headers.size(); h++) {
      int from = headers.get(h);
      int to = h + 1 < headers.size() ? headers.get(h + 1) : lines.size();
      String last = null;
      for (int i = from + 1; i < to; i++) {
        if (!lines.get(i).isBlank()) last = lines.get(i);
      }
      comparable.add(lines.get(from));
      if (last == null)
        return new Parsed(comparable, differing, "no line after " + lines.get(from));
      Matcher m;
      if (verbose == 1) {
        m = VERBOSE1.matcher(last);
        if (!m.matches())
          return new Parsed(comparable, differing, "unexpected verbose=1 line " + quote(last));
        comparable.add(m.group(1));
        comparable.add(" - " + m.group(2));
        comparable.add(m.group(4));
        differing.add(m.group(3) + "/step");
      } else {
        m = (tfKeras ? VERBOSE2_TF_KERAS : VERBOSE2_KERAS231).matcher(last);
        if (!m.matches())
          return new Parsed(comparable, differing, "unexpected verbose=2 line " + quote(last));
        comparable.add(" - " + m.group(1));
        comparable.add(m.group(2));
        differing.add(tfKeras ? " - " + m.group(3) + "/epoch - " + m.group(4) + "/step" : "");
      }
    }
    return new Parsed(comparable, differing, null);
  }

  /**
   * The screen lines of {@code raw} as a terminal renders {@code \r}, {@code \b} and {@code \n}.
   */
  public static List<String> render(String raw) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    int col = 0;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '\n') {
        lines.add(line.toString().stripTrailing());
        line.setLength(0);
        col = 0;
      } else if (c == '\r') {
        col = 0;
      } else if (c == '\b') {
        col = Math.max(0, col - 1);
      } else {
        if (col < line.length()) line.setCharAt(col, c);
        else line.append(c);
        col++;
      }
    }
    if (!line.isEmpty()) lines.add(line.toString().stripTrailing());
    return lines;
  }

  static String quote(String s) {
    String q = s.replace("\n", "\\n").replace("\r", "\\r").replace("\b", "\\b");
    return "'" + (q.length() > 300 ? q.substring(0, 300) + "..." : q) + "'";
  }
}
