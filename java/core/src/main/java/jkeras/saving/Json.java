package jkeras.saving;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jkeras.internal.PyRepr;

/**
 * JSON as Keras writes and reads it ({@code json.dumps} / {@code json.loads}): objects become
 * insertion-ordered {@code Map<String, Object>}, arrays {@code List<Object>}, integers {@code
 * Integer} or {@code Long}, other numbers {@code Double}; Python's {@code NaN}, {@code Infinity}
 * and {@code -Infinity} are read and written. Output uses Python's separators ({@code ", "}, {@code
 * ": "}).
 */
public final class Json {
  private Json() {}

  /**
   * Parses JSON text.
   *
   * @throws IllegalArgumentException naming the position of a syntax error
   */
  public static Object parse(String text) {
    Parser p = new Parser(text);
    p.ws();
    Object v = p.value();
    p.ws();
    if (p.i != text.length()) throw p.error("unexpected text after the value");
    return v;
  }

  /** Parses a JSON object. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseObject(String text) {
    Object v = parse(text);
    if (!(v instanceof Map))
      throw new IllegalArgumentException("Expected a JSON object, found " + Errors.kind(v));
    return (Map<String, Object>) v;
  }

  /** Writes {@code value} (maps, lists, strings, numbers, booleans, null) as JSON text. */
  public static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value);
    return sb.toString();
  }

  private static void write(StringBuilder sb, Object v) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String s) {
      sb.append(PyRepr.jsonString(s));
    } else if (v instanceof Boolean b) {
      sb.append(b);
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d)) sb.append("NaN");
      else if (Double.isInfinite(d)) sb.append(d > 0 ? "Infinity" : "-Infinity");
      else sb.append(v instanceof Float f ? Float.toString(f) : Double.toString(d));
    } else if (v instanceof Number n) {
      sb.append(n.longValue());
    } else if (v instanceof Map<?, ?> m) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) sb.append(", ");
        first = false;
        sb.append(PyRepr.jsonString(String.valueOf(e.getKey())));
        sb.append(": ");
        write(sb, e.getValue());
      }
      sb.append('}');
    } else if (v instanceof List<?> l) {
      sb.append('[');
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) sb.append(", ");
        write(sb, l.get(i));
      }
      sb.append(']');
    } else if (v instanceof long[] a) {
      List<Object> l = new ArrayList<>();
      for (long x : a) l.add(x);
      write(sb, l);
    } else {
      throw new IllegalArgumentException(
          "Cannot write a "
              + v.getClass().getName()
              + " as JSON: "
              + jkeras.internal.Errors.truncate(v));
    }
  }

  private static final class Errors {
    static String kind(Object v) {
      return v == null ? "null" : v instanceof List ? "an array" : v.getClass().getSimpleName();
    }
  }

  private static final class Parser {
    final String s;
    int i;

    Parser(String s) {
      this.s = s;
    }

    IllegalArgumentException error(String what) {
      return new IllegalArgumentException(
          "Invalid JSON at character "
              + i
              + ": "
              + what
              + " (near `"
              + s.substring(Math.max(0, i - 20), Math.min(s.length(), i + 20))
              + "`)");
    }

    void ws() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    }

    Object value() {
      if (i >= s.length()) throw error("unexpected end");
      char c = s.charAt(i);
      switch (c) {
        case '{':
          return object();
        case '[':
          return array();
        case '"':
          return string();
        case 't':
          return literal("true", Boolean.TRUE);
        case 'f':
          return literal("false", Boolean.FALSE);
        case 'n':
          return literal("null", null);
        case 'N':
          return literal("NaN", Double.NaN);
        case 'I':
          return literal("Infinity", Double.POSITIVE_INFINITY);
        default:
          if (c == '-' && s.startsWith("-Infinity", i))
            return literal("-Infinity", Double.NEGATIVE_INFINITY);
          if (c == '-' || (c >= '0' && c <= '9')) return number();
          throw error("unexpected character '" + c + "'");
      }
    }

    Object literal(String word, Object v) {
      if (!s.startsWith(word, i)) throw error("expected " + word);
      i += word.length();
      return v;
    }

    Map<String, Object> object() {
      Map<String, Object> m = new LinkedHashMap<>();
      i++;
      ws();
      if (i < s.length() && s.charAt(i) == '}') {
        i++;
        return m;
      }
      while (true) {
        ws();
        if (i >= s.length() || s.charAt(i) != '"') throw error("expected a key");
        String k = string();
        ws();
        if (i >= s.length() || s.charAt(i) != ':') throw error("expected ':'");
        i++;
        ws();
        m.put(k, value());
        ws();
        if (i >= s.length()) throw error("unexpected end in an object");
        char c = s.charAt(i++);
        if (c == '}') return m;
        if (c != ',') throw error("expected ',' or '}'");
      }
    }

    List<Object> array() {
      List<Object> l = new ArrayList<>();
      i++;
      ws();
      if (i < s.length() && s.charAt(i) == ']') {
        i++;
        return l;
      }
      while (true) {
        ws();
        l.add(value());
        ws();
        if (i >= s.length()) throw error("unexpected end in an array");
        char c = s.charAt(i++);
        if (c == ']') return l;
        if (c != ',') throw error("expected ',' or ']'");
      }
    }

    String string() {
      StringBuilder sb = new StringBuilder();
      i++;
      while (true) {
        if (i >= s.length()) throw error("unterminated string");
        char c = s.charAt(i++);
        if (c == '"') return sb.toString();
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        if (i >= s.length()) throw error("unterminated escape");
        char e = s.charAt(i++);
        switch (e) {
          case 'n' -> sb.append('\n');
          case 't' -> sb.append('\t');
          case 'r' -> sb.append('\r');
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'u' -> {
            if (i + 4 > s.length()) throw error("bad \\u escape");
            sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
          }
          default -> sb.append(e);
        }
      }
    }

    Object number() {
      int start = i;
      if (s.charAt(i) == '-') i++;
      boolean real = false;
      while (i < s.length()) {
        char c = s.charAt(i);
        if (c >= '0' && c <= '9') i++;
        else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
          real = true;
          i++;
        } else break;
      }
      String t = s.substring(start, i);
      try {
        if (!real) {
          long v = Long.parseLong(t);
          return v == (int) v ? (Object) (int) v : (Object) v;
        }
        return Double.parseDouble(t);
      } catch (NumberFormatException ex) {
        throw error("bad number " + t);
      }
    }
  }
}
