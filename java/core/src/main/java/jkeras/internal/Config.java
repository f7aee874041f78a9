package jkeras.internal;

import java.util.Map;

/** Typed reads from Keras config maps (the {@code get_config()} dictionaries). */
public final class Config {
  private Config() {}

  public static float getFloat(Map<String, ?> c, String key, float dflt) {
    Object v = c.get(key);
    if (v == null) return dflt;
    if (v instanceof Number n) return n.floatValue();
    throw Errors.invalidArgument(key, "a number", v);
  }

  public static double getDouble(Map<String, ?> c, String key, double dflt) {
    Object v = c.get(key);
    if (v == null) return dflt;
    if (v instanceof Number n) return n.doubleValue();
    throw Errors.invalidArgument(key, "a number", v);
  }

  public static int getInt(Map<String, ?> c, String key, int dflt) {
    Object v = c.get(key);
    if (v == null) return dflt;
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) return n.intValue();
    throw Errors.invalidArgument(key, "an integer", v);
  }

  public static boolean getBoolean(Map<String, ?> c, String key, boolean dflt) {
    Object v = c.get(key);
    if (v == null) return dflt;
    if (v instanceof Boolean b) return b;
    throw Errors.invalidArgument(key, "a boolean", v);
  }

  public static Long getSeed(Map<String, ?> c, String key) {
    Object v = c.get(key);
    if (v == null) return null;
    if (v instanceof Number n) return n.longValue();
    throw Errors.invalidArgument(key, "an integer or null", v);
  }

  public static String getString(Map<String, ?> c, String key, String dflt) {
    Object v = c.get(key);
    if (v == null) return dflt;
    if (v instanceof String s) return s;
    throw Errors.invalidArgument(key, "a string", v);
  }
}
