package jkeras.internal;

import java.util.Map;
import java.util.function.Function;

/** Typed reads from Keras config maps (the {@code get_config()} dictionaries). */
public final class Config {
  private Config() {}

  public static float getFloat(Map<String, ?> c, String key, float dflt) {
    return get(c, key, dflt, "a number", v -> v instanceof Number n ? n.floatValue() : null);
  }

  public static double getDouble(Map<String, ?> c, String key, double dflt) {
    return get(c, key, dflt, "a number", v -> v instanceof Number n ? n.doubleValue() : null);
  }

  public static int getInt(Map<String, ?> c, String key, int dflt) {
    return get(
        c,
        key,
        dflt,
        "an integer",
        v ->
            v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                ? n.intValue()
                : null);
  }

  public static boolean getBoolean(Map<String, ?> c, String key, boolean dflt) {
    return get(c, key, dflt, "a boolean", v -> v instanceof Boolean b ? b : null);
  }

  public static Long getSeed(Map<String, ?> c, String key) {
    return get(
        c, key, null, "an integer or null", v -> v instanceof Number n ? n.longValue() : null);
  }

  public static String getString(Map<String, ?> c, String key, String dflt) {
    return get(c, key, dflt, "a string", v -> v instanceof String s ? s : null);
  }

  /**
   * {@code c[key]} read by {@code convert}, which answers null for a value of the wrong type;
   * {@code dflt} when the key is absent or null.
   *
   * @throws IllegalArgumentException naming the key, what was {@code expected} and the value
   */
  private static <T> T get(
      Map<String, ?> c, String key, T dflt, String expected, Function<Object, T> convert) {
    Object v = c.get(key);
    if (v == null) return dflt;
    T t = convert.apply(v);
    if (t == null) throw Errors.invalidArgument(key, expected, v);
    return t;
  }
}
