package jkeras.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Map;

/**
 * Python's {@code str.format} with keyword fields only, as Keras formats a checkpoint path ({@code
 * filepath.format(epoch=epoch + 1, **logs)}): {@code {name}}, {@code {name!r}}, {@code {name:spec}}
 * with Python's format-spec mini-language ({@code [[fill]align][sign][z][#][0][width]
 * [,|_][.precision][type]}, types {@code d b o x X c n e E f F g G %} and {@code s}), {@code {{}}
 * and {@code }}} for braces.
 *
 * <p>Values are the Java forms of Python values: {@link Integer}/{@link Long}/{@link BigInteger}
 * are {@code int}, {@link Double} is {@code float}, {@link Float} is numpy's {@code float32}
 * (printed with float32's shortest digits, formatted through its double value as numpy does),
 * {@link Boolean} is {@code bool}, {@link CharSequence} is {@code str}. Numbers are rounded as
 * Python rounds them: correctly, half to even, from the exact binary value.
 */
public final class PyFormat {
  private PyFormat() {}

  /**
   * {@code template.format(**kwargs)}.
   *
   * @throws IllegalArgumentException for a field missing from {@code kwargs} (Python's {@code
   *     KeyError}), a positional field, a malformed template or a format code the value's type does
   *     not take (Python's messages)
   */
  public static String format(String template, Map<String, ?> kwargs) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    int n = template.length();
    while (i < n) {
      char c = template.charAt(i);
      if (c == '}') {
        if (i + 1 < n && template.charAt(i + 1) == '}') {
          out.append('}');
          i += 2;
          continue;
        }
        throw new IllegalArgumentException("Single '}' encountered in format string");
      }
      if (c != '{') {
        out.append(c);
        i++;
        continue;
      }
      if (i + 1 < n && template.charAt(i + 1) == '{') {
        out.append('{');
        i += 2;
        continue;
      }
      int end = fieldEnd(template, i + 1);
      out.append(field(template.substring(i + 1, end), kwargs));
      i = end + 1;
    }
    return out.toString();
  }

  /** The index of the '}' closing a field opened before {@code from} (nested braces counted). */
  private static int fieldEnd(String t, int from) {
    int depth = 1;
    for (int i = from; i < t.length(); i++) {
      if (t.charAt(i) == '{') depth++;
      else if (t.charAt(i) == '}' && --depth == 0) return i;
    }
    throw new IllegalArgumentException("expected '}' before end of string");
  }

  private static String field(String f, Map<String, ?> kwargs) {
    int colon = f.indexOf(':');
    String head = colon < 0 ? f : f.substring(0, colon);
    String spec = colon < 0 ? "" : format(f.substring(colon + 1), kwargs);
    char conversion = 0;
    int bang = head.indexOf('!');
    if (bang >= 0) {
      if (head.length() != bang + 2 || "rsa".indexOf(head.charAt(bang + 1)) < 0) {
        throw new IllegalArgumentException(
            "Unknown conversion specifier " + head.substring(bang + 1));
      }
      conversion = head.charAt(bang + 1);
      head = head.substring(0, bang);
    }
    if (head.isEmpty() || Character.isDigit(head.charAt(0))) {
      throw new IllegalArgumentException(
          "Replacement index "
              + (head.isEmpty() ? "0" : head)
              + " out of range for positional args tuple");
    }
    if (head.indexOf('.') >= 0 || head.indexOf('[') >= 0) {
      throw new IllegalArgumentException(
          "Attribute and index access are not supported in format fields: {" + f + "}");
    }
    if (!kwargs.containsKey(head)) throw new IllegalArgumentException("KeyError: '" + head + "'");
    Object value = kwargs.get(head);
    if (conversion == 'r' || conversion == 'a') value = PyRepr.repr(value);
    else if (conversion == 's') value = str(value);
    return formatValue(value, spec);
  }

  /** Python's {@code str(value)} for the value types above. */
  public static String str(Object value) {
    if (value instanceof Float f) return PyRepr.pyFloat32(f);
    return PyRepr.str(value);
  }

  /**
   * Python's {@code format(value, spec)}.
   *
   * @throws IllegalArgumentException for a malformed spec or a format code the type does not take
   */
  public static String formatValue(Object value, String spec) {
    Spec s = Spec.parse(spec);
    if (value == null || value instanceof CharSequence) {
      String text = value == null ? "None" : value.toString();
      if (s.type != 0 && s.type != 's') throw unknownCode(s.type, "str");
      if (s.sign != 0)
        throw new IllegalArgumentException("Sign not allowed in string format specifier");
      if (s.precision >= 0 && text.length() > s.precision) text = text.substring(0, s.precision);
      return s.pad("", text, '<');
    }
    if (value instanceof Boolean b) {
      if (s.type == 0 && s.isEmpty()) return b ? "True" : "False";
      return formatValue(b ? 1 : 0, spec);
    }
    if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
      BigInteger v =
          value instanceof BigInteger bi ? bi : BigInteger.valueOf(((Number) value).longValue());
      if (s.type != 0 && "eEfFgG%".indexOf(s.type) >= 0) return formatFloat(v.doubleValue(), s);
      if (s.precision >= 0) {
        throw new IllegalArgumentException("Precision not allowed in integer format specifier");
      }
      return formatInt(v, s);
    }
    if (value instanceof Number num) {
      if (s.type != 0 && "eEfFgGn%".indexOf(s.type) < 0) {
        throw unknownCode(s.type, value instanceof Float ? "numpy.float32" : "float");
      }
      if (s.isEmpty()) return str(value);
      return formatFloat(num.doubleValue(), s);
    }
    return formatValue(value.toString(), spec);
  }

  private static IllegalArgumentException unknownCode(char code, String type) {
    return new IllegalArgumentException(
        "Unknown format code '" + code + "' for object of type '" + type + "'");
  }

  private static String formatInt(BigInteger v, Spec s) {
    String digits;
    String prefix = "";
    BigInteger abs = v.abs();
    switch (s.type) {
      case 0, 'd', 'n' -> digits = group(abs.toString(), s.grouping, 3);
      case 'b' -> {
        digits = group(abs.toString(2), s.grouping, 4);
        prefix = s.alternate ? "0b" : "";
      }
      case 'o' -> {
        digits = group(abs.toString(8), s.grouping, 4);
        prefix = s.alternate ? "0o" : "";
      }
      case 'x', 'X' -> {
        digits = group(abs.toString(16), s.grouping, 4);
        prefix = s.alternate ? "0x" : "";
        if (s.type == 'X') {
          digits = digits.toUpperCase(java.util.Locale.ROOT);
          prefix = prefix.toUpperCase(java.util.Locale.ROOT);
        }
      }
      case 'c' -> digits = new String(Character.toChars(v.intValueExact()));
      default -> throw unknownCode(s.type, "int");
    }
    return s.pad(sign(v.signum() < 0, s) + prefix, digits, '>');
  }

  private static String sign(boolean negative, Spec s) {
    if (negative) return "-";
    return s.sign == '+' ? "+" : s.sign == ' ' ? " " : "";
  }

  private static String formatFloat(double d, Spec s) {
    char type = s.type;
    boolean upper = type == 'E' || type == 'F' || type == 'G';
    boolean negative = d < 0 || (d == 0 && 1 / d < 0);
    if (s.zeroCoerce && negative && isNegativeZeroAfterRounding(d, s)) negative = false;
    String body;
    if (Double.isNaN(d)) {
      negative = false;
      body = upper ? "NAN" : "nan";
    } else if (Double.isInfinite(d)) {
      body = upper ? "INF" : "inf";
    } else {
      double a = Math.abs(d);
      int p = s.precision;
      body =
          switch (type) {
            case 'f', 'F' -> fixed(a, p < 0 ? 6 : p, s.alternate);
            case '%' -> fixed(a * 100, p < 0 ? 6 : p, s.alternate) + "%";
            case 'e', 'E' -> scientific(a, p < 0 ? 6 : p, s.alternate, upper);
            case 'g', 'G', 'n' -> general(a, p < 0 ? 6 : Math.max(p, 1), s.alternate, upper, false);
            default ->
                p < 0 ? PyRepr.pyFloat(a) : general(a, Math.max(p, 1), s.alternate, false, true);
          };
      if (s.grouping != 0) body = groupNumber(body, s.grouping);
    }
    return s.pad(sign(negative, s), body, '>');
  }

  private static boolean isNegativeZeroAfterRounding(double d, Spec s) {
    String again = formatFloat(-d, new Spec(s, false));
    return again.matches("[^1-9]*");
  }

  /** {@code %.pf} of a non-negative finite value. */
  private static String fixed(double a, int p, boolean alternate) {
    String t = new BigDecimal(a).setScale(p, RoundingMode.HALF_EVEN).toPlainString();
    return alternate && p == 0 ? t + "." : t;
  }

  /** {@code %.pe}: one digit, p decimals, an exponent of at least two digits. */
  private static String scientific(double a, int p, boolean alternate, boolean upper) {
    String mantissa;
    int exp;
    if (a == 0) {
      mantissa = p == 0 ? "0" : "0." + "0".repeat(p);
      exp = 0;
    } else {
      BigDecimal r = new BigDecimal(a).round(new MathContext(p + 1, RoundingMode.HALF_EVEN));
      exp = r.precision() - r.scale() - 1;
      String digits = r.unscaledValue().toString();
      digits = (digits + "0".repeat(p + 1)).substring(0, p + 1);
      mantissa = p == 0 ? digits : digits.charAt(0) + "." + digits.substring(1);
    }
    if (alternate && p == 0) mantissa += ".";
    String e = String.format("%02d", Math.abs(exp));
    return mantissa + (upper ? "E" : "e") + (exp < 0 ? "-" : "+") + e;
  }

  /**
   * {@code %.pg}, and the format of a float without type but with a precision ({@code noType}: at
   * least one decimal in fixed notation, as {@code repr}).
   */
  private static String general(double a, int p, boolean alternate, boolean upper, boolean noType) {
    int exp;
    if (a == 0) {
      exp = 0;
    } else {
      BigDecimal r = new BigDecimal(a).round(new MathContext(p, RoundingMode.HALF_EVEN));
      exp = r.precision() - r.scale() - 1;
    }
    String t;
    if (exp >= -4 && exp < p) {
      t = fixed(a, p - 1 - exp, alternate);
      if (!alternate) t = stripZeros(t);
      if (noType && !t.contains(".")) t += ".0";
    } else {
      t = scientific(a, p - 1, alternate, upper);
      if (!alternate) {
        int e = t.indexOf(upper ? 'E' : 'e');
        t = stripZeros(t.substring(0, e)) + t.substring(e);
      }
    }
    return t;
  }

  private static String stripZeros(String t) {
    if (!t.contains(".")) return t;
    t = t.replaceAll("0+$", "");
    return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
  }

  private static String groupNumber(String body, char sep) {
    int end = 0;
    while (end < body.length() && Character.isDigit(body.charAt(end))) end++;
    return group(body.substring(0, end), sep, 3) + body.substring(end);
  }

  private static String group(String digits, char sep, int every) {
    if (sep == 0) return digits;
    StringBuilder sb = new StringBuilder();
    int first = digits.length() % every;
    for (int i = 0; i < digits.length(); i++) {
      if (i > 0 && (i - first) % every == 0) sb.append(sep);
      sb.append(digits.charAt(i));
    }
    return sb.toString();
  }

  /** A parsed format spec. */
  private static final class Spec {
    char fill = ' ';
    char align;
    char sign;
    boolean zeroCoerce;
    boolean alternate;
    int width = -1;
    char grouping;
    int precision = -1;
    char type;
    private final String text;

    private Spec(String text) {
      this.text = text;
    }

    /** A copy without the {@code z} option. */
    Spec(Spec s, boolean zeroCoerce) {
      this.text = s.text;
      this.fill = s.fill;
      this.align = s.align;
      this.sign = s.sign;
      this.zeroCoerce = zeroCoerce;
      this.alternate = s.alternate;
      this.width = s.width;
      this.grouping = s.grouping;
      this.precision = s.precision;
      this.type = s.type;
    }

    boolean isEmpty() {
      return text.isEmpty();
    }

    static Spec parse(String t) {
      Spec s = new Spec(t);
      int i = 0;
      int n = t.length();
      if (n >= 2 && "<>=^".indexOf(t.charAt(1)) >= 0) {
        s.fill = t.charAt(0);
        s.align = t.charAt(1);
        i = 2;
      } else if (n >= 1 && "<>=^".indexOf(t.charAt(0)) >= 0) {
        s.align = t.charAt(0);
        i = 1;
      }
      if (i < n && "+- ".indexOf(t.charAt(i)) >= 0) s.sign = t.charAt(i++);
      if (i < n && t.charAt(i) == 'z') {
        s.zeroCoerce = true;
        i++;
      }
      if (i < n && t.charAt(i) == '#') {
        s.alternate = true;
        i++;
      }
      if (i < n && t.charAt(i) == '0') {
        if (s.align == 0) {
          s.fill = '0';
          s.align = '=';
        }
        i++;
      }
      int start = i;
      while (i < n && Character.isDigit(t.charAt(i))) i++;
      if (i > start) s.width = Integer.parseInt(t.substring(start, i));
      if (i < n && (t.charAt(i) == ',' || t.charAt(i) == '_')) s.grouping = t.charAt(i++);
      if (i < n && t.charAt(i) == '.') {
        start = ++i;
        while (i < n && Character.isDigit(t.charAt(i))) i++;
        if (i == start) throw new IllegalArgumentException("Format specifier missing precision");
        s.precision = Integer.parseInt(t.substring(start, i));
      }
      if (i < n) s.type = t.charAt(i++);
      if (i < n) throw new IllegalArgumentException("Invalid format specifier '" + t + "'");
      return s;
    }

    /** Pads {@code sign + body} to the width; {@code dflt} is the type's default alignment. */
    String pad(String signPart, String body, char dflt) {
      int len = signPart.length() + body.length();
      if (width <= len) return signPart + body;
      String padding = String.valueOf(fill).repeat(width - len);
      return switch (align == 0 ? dflt : align) {
        case '<' -> signPart + body + padding;
        case '^' -> {
          int left = (width - len) / 2;
          yield padding.substring(0, left) + signPart + body + padding.substring(left);
        }
        case '=' -> signPart + padding + body;
        default -> padding + signPart + body;
      };
    }
  }
}
