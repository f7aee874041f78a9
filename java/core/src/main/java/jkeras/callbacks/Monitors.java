package jkeras.callbacks;

import java.util.List;
import java.util.Map;
import jkeras.internal.Errors;
import jkeras.internal.Warnings;

/**
 * What the monitoring callbacks share: Keras' {@code mode} strings and their fallback warning, the
 * "not available" warning's list of keys, and Python's {@code print} (the callbacks print to {@code
 * System.out}, as Keras prints to {@code sys.stdout}).
 */
final class Monitors {
  static final String AUTO = "auto";
  static final String MIN = "min";
  static final String MAX = "max";
  private static final List<String> MODES = List.of(AUTO, MIN, MAX);

  private Monitors() {}

  /**
   * {@code mode} itself, or {@code auto} after Keras' warning "{@code <who>} mode {@code <mode>} is
   * unknown, fallback to auto mode."
   */
  static String mode(String mode, String who) {
    if (MODES.contains(mode)) return mode;
    Warnings.warn(who + " mode " + mode + " is unknown, fallback to auto mode.");
    return AUTO;
  }

  /** Keras' {@code ','.join(list(logs.keys()))}. */
  static String availableKeys(Map<String, ?> logs) {
    return String.join(",", logs.keySet());
  }

  /** Python's {@code print(text)}. */
  static void print(String text) {
    System.out.println(text);
    System.out.flush();
  }

  /** A required argument. */
  static <T> T required(T value, String name) {
    if (value == null) throw Errors.invalidArgument(name, "a value", null);
    return value;
  }

  /** An integer argument that must be at least {@code min}. */
  static int atLeast(int value, int min, String name) {
    if (value < min) throw Errors.invalidArgument(name, "an integer >= " + min, value);
    return value;
  }

  /** A number argument that must not be NaN. */
  static double notNaN(double value, String name) {
    if (Double.isNaN(value)) throw Errors.invalidArgument(name, "a number", value);
    return value;
  }
}
