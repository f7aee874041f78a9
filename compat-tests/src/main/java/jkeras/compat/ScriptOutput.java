package jkeras.compat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

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
 * Everything else, the numbers a progress line shows included, is kept and compared as text.
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

  /** {@link #mask} joined with newlines, each line ended by one. */
  public static String masked(String raw) {
    StringBuilder sb = new StringBuilder();
    for (String l : mask(raw)) sb.append(l).append('\n');
    return sb.toString();
  }
}
