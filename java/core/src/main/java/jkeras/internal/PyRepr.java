package jkeras.internal;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Python's {@code repr()} and {@code str()} of the Java forms of Python values, for messages that
 * quote a value as Keras would: {@code null} is {@code None}, booleans {@code True}/{@code False},
 * floats as Python prints them, strings quoted, lists {@code [..]}, {@code Object[]} tuples {@code
 * (..)}, sets and maps {@code {..}}, and any other object its {@code toString()} (arrays and
 * batches print their own Python-like form).
 */
public final class PyRepr {
  /** How much of a quoted data value a message shows. */
  private static final int DATA_LIMIT = 500;

  private PyRepr() {}

  /** Python's {@code str(value)}: as {@link #repr} except that strings are bare. */
  public static String str(Object value) {
    return value instanceof CharSequence cs ? cs.toString() : repr(value);
  }

  /** {@link #repr}, cut after a few hundred characters (a batch of arrays stays recognisable). */
  public static String truncated(Object value) {
    String s = repr(value);
    return s.length() > DATA_LIMIT ? s.substring(0, DATA_LIMIT) + "..." : s;
  }

  /** Python's {@code repr(value)}. */
  public static String repr(Object value) {
    if (value == null) return "None";
    if (value instanceof Boolean b) return b ? "True" : "False";
    if (value instanceof CharSequence cs) return quote(cs.toString());
    if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
      return pyFloat(((Number) value).doubleValue());
    }
    if (value instanceof Number n) return n.toString();
    if (value instanceof List<?> l) return join(l, "[", "]");
    if (value instanceof Object[] arr) {
      return arr.length == 1 ? "(" + repr(arr[0]) + ",)" : join(Arrays.asList(arr), "(", ")");
    }
    if (value instanceof Set<?> s) return s.isEmpty() ? "set()" : join(s, "{", "}");
    if (value instanceof Map<?, ?> m) {
      StringBuilder sb = new StringBuilder("{");
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) sb.append(", ");
        first = false;
        sb.append(repr(e.getKey())).append(": ").append(repr(e.getValue()));
      }
      return sb.append('}').toString();
    }
    return value.toString();
  }

  private static String join(Collection<?> items, String open, String close) {
    StringBuilder sb = new StringBuilder(open);
    boolean first = true;
    for (Object item : items) {
      if (!first) sb.append(", ");
      first = false;
      sb.append(repr(item));
    }
    return sb.append(close).toString();
  }

  /** Python's string repr: single quotes unless the text holds a single quote and no double one. */
  private static String quote(String s) {
    char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
    StringBuilder sb = new StringBuilder().append(q);
    for (char c : s.toCharArray()) {
      if (c == '\\') sb.append("\\\\");
      else if (c == '\n') sb.append("\\n");
      else if (c == '\r') sb.append("\\r");
      else if (c == '\t') sb.append("\\t");
      else if (c == q) sb.append('\\').append(c);
      else sb.append(c);
    }
    return sb.append(q).toString();
  }

  /** Python's float repr: shortest digits, positional for exponents -4..15, else {@code 1e-05}. */
  public static String pyFloat(double d) {
    if (Double.isNaN(d)) return "nan";
    if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
    if (d == 0) return (1 / d < 0) ? "-0.0" : "0.0";
    return layout(d < 0, shortest(d, 17, s -> Double.parseDouble(s) == d));
  }

  /**
   * numpy's {@code str()} of a {@code float32}: the shortest digits that read back as the same
   * float32, laid out as {@link #pyFloat} (Keras 2.3.1 logs hold {@code float32} values such as
   * {@code lr}).
   */
  public static String pyFloat32(float f) {
    if (Float.isNaN(f)) return "nan";
    if (Float.isInfinite(f)) return f > 0 ? "inf" : "-inf";
    if (f == 0) return (1 / f < 0) ? "-0.0" : "0.0";
    return layout(f < 0, shortest(f, 9, s -> Float.parseFloat(s) == f));
  }

  /**
   * The fewest significant digits that read back as the value: the exact binary value rounded
   * half-even to 1, 2, ... digits (the closest decimal of that length, as Python's repr picks).
   * Independent of the JDK's {@code Double.toString}, which before JDK 19 sometimes gave more.
   */
  private static BigDecimal shortest(
      double value, int maxDigits, java.util.function.Predicate<String> readsBack) {
    BigDecimal exact = new BigDecimal(value).abs();
    for (int p = 1; p < maxDigits; p++) {
      BigDecimal r = exact.round(new java.math.MathContext(p, java.math.RoundingMode.HALF_EVEN));
      if (readsBack.test((value < 0 ? "-" : "") + r.toString())) return r.stripTrailingZeros();
    }
    return exact
        .round(new java.math.MathContext(maxDigits, java.math.RoundingMode.HALF_EVEN))
        .stripTrailingZeros();
  }

  private static String layout(boolean negative, BigDecimal x) {
    int exponent = x.precision() - x.scale() - 1;
    String sign = negative ? "-" : "";
    if (exponent >= -4 && exponent < 16) {
      String plain = x.toPlainString();
      return sign + (plain.contains(".") ? plain : plain + ".0");
    }
    String digits = x.unscaledValue().abs().toString();
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    String exp = String.format("%02d", Math.abs(exponent));
    return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + exp;
  }

  /** A JSON string as {@code json.dumps} writes it (non-ASCII escaped). */
  public static String jsonString(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20 || c > 0x7e) sb.append(String.format("\\u%04x", (int) c));
          else sb.append(c);
        }
      }
    }
    return sb.append('"').toString();
  }
}
