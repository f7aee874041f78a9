package jkeras.layers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the JSON Python's {@code json.dumps} writes into the Java forms of Keras configs (insertion
 * ordered maps, lists, Integer or Long for integers, Double for floats, Boolean, String, null), so
 * configs captured from Keras can be fed to {@code Layers.deserialize} in tests.
 */
final class MiniJson {
  private final String s;
  private int i;

  private MiniJson(String s) {
    this.s = s;
  }

  static Object parse(String json) {
    MiniJson p = new MiniJson(json);
    Object v = p.value();
    p.space();
    if (p.i != json.length()) throw new IllegalArgumentException("trailing text at " + p.i);
    return v;
  }

  private void space() {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
  }

  private Object value() {
    space();
    char c = s.charAt(i);
    if (c == '{') {
      Map<String, Object> m = new LinkedHashMap<>();
      i++;
      space();
      if (s.charAt(i) == '}') {
        i++;
        return m;
      }
      while (true) {
        space();
        String k = (String) value();
        space();
        expect(':');
        m.put(k, value());
        space();
        if (s.charAt(i) == ',') i++;
        else {
          expect('}');
          return m;
        }
      }
    }
    if (c == '[') {
      List<Object> l = new ArrayList<>();
      i++;
      space();
      if (s.charAt(i) == ']') {
        i++;
        return l;
      }
      while (true) {
        l.add(value());
        space();
        if (s.charAt(i) == ',') i++;
        else {
          expect(']');
          return l;
        }
      }
    }
    if (c == '"') {
      StringBuilder b = new StringBuilder();
      i++;
      while (s.charAt(i) != '"') {
        char ch = s.charAt(i++);
        if (ch == '\\') {
          char e = s.charAt(i++);
          switch (e) {
            case 'n' -> b.append('\n');
            case 't' -> b.append('\t');
            case 'u' -> {
              b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
              i += 4;
            }
            default -> b.append(e);
          }
        } else {
          b.append(ch);
        }
      }
      i++;
      return b.toString();
    }
    if (s.startsWith("true", i)) {
      i += 4;
      return true;
    }
    if (s.startsWith("false", i)) {
      i += 5;
      return false;
    }
    if (s.startsWith("null", i)) {
      i += 4;
      return null;
    }
    int start = i;
    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
    String num = s.substring(start, i);
    if (num.contains(".") || num.contains("e") || num.contains("E")) return Double.valueOf(num);
    long l = Long.parseLong(num);
    return l == (int) l ? (Object) (int) l : (Object) l;
  }

  private void expect(char c) {
    if (s.charAt(i) != c)
      throw new IllegalArgumentException("expected '" + c + "' at " + i + " in " + s);
    i++;
  }
}
