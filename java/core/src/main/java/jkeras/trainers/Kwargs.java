package jkeras.trainers;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jkeras.callbacks.Callback;
import jkeras.data.NDArray;
import jkeras.internal.Errors;
import jkeras.internal.PyRepr;

/**
 * Keras keyword values as they arrive from Python or from a config map, read the way Python code
 * passes them: integers may be any {@link Number} with an integral value, {@code None} is {@code
 * null} (accepted only where Keras' default is {@code None}), a Python bool works where Keras tests
 * a value for truth. A value of the wrong type is an {@link IllegalArgumentException} naming the
 * argument, what was expected and what was received (Python's repr and the Java type).
 */
public final class Kwargs {
  private Kwargs() {}

  /** An int argument ({@code epochs=10}, {@code workers=2.0}). */
  public static int toInt(String name, Object v) {
    Integer i = v instanceof Number && !(v instanceof Boolean) ? integral(v) : null;
    if (i == null) throw typeError(name, "an integer", v);
    return i;
  }

  /** An int argument whose Keras default is {@code None}. */
  public static Integer optInt(String name, Object v) {
    return v == null ? null : toInt(name, v);
  }

  /** An NDArray argument whose Keras default is {@code None} ({@code sample_weight}). */
  static NDArray optNDArray(String name, Object v) {
    if (v == null || v instanceof NDArray) return (NDArray) v;
    throw typeError(name, "an NDArray", v);
  }

  public static boolean toBool(String name, Object v) {
    if (v instanceof Boolean flag) return flag;
    throw typeError(name, "a boolean", v);
  }

  public static double toDouble(String name, Object v) {
    if (v instanceof Number n && !(v instanceof Boolean)) return n.doubleValue();
    throw typeError(name, "a number", v);
  }

  /**
   * Keras tests {@code verbose} for truth and compares it with 1 and 2, so a Python bool works too.
   */
  public static int verbose(Object v) {
    if (v instanceof Boolean flag) return flag ? 1 : 0;
    return toInt("verbose", v);
  }

  /** A list (or array) of {@link Callback}s. */
  public static List<Callback> callbacks(Object v) {
    List<?> items = asList(v);
    if (items == null) throw typeError("callbacks", "a list of jkeras.callbacks.Callback", v);
    List<Callback> out = new ArrayList<>();
    for (Object item : items) {
      if (!(item instanceof Callback c))
        throw typeError("callbacks", "a list of jkeras.callbacks.Callback", v);
      out.add(c);
    }
    return out;
  }

  /** {@code class_weight}: a map from class index (a number or a numeric string) to a number. */
  public static Map<Integer, Double> classWeight(Object v) {
    String expected = "a dict from class index (an integer) to weight (a number)";
    if (!(v instanceof Map<?, ?> m)) throw typeError("class_weight", expected, v);
    Map<Integer, Double> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      Integer cls = null;
      if (e.getKey() instanceof Number && !(e.getKey() instanceof Boolean)) {
        cls = integral(e.getKey());
      } else if (e.getKey() instanceof String s) {
        try {
          cls = Integer.valueOf(s.trim());
        } catch (NumberFormatException ignored) {
          // reported below
        }
      }
      if (cls == null || !(e.getValue() instanceof Number) || e.getValue() instanceof Boolean) {
        throw typeError("class_weight", expected, v);
      }
      if (out.put(cls, ((Number) e.getValue()).doubleValue()) != null) {
        throw typeError("class_weight", expected + ", each class once", v);
      }
    }
    return out;
  }

  /**
   * {@code validation_freq}: an int (Keras' "can not be less than 1" check applies) or a collection
   * of 1-based epochs; returns an Integer or a {@code List<Integer>}.
   */
  public static Object validationFreq(Object v) {
    if (v instanceof Number && !(v instanceof Boolean)) {
      Integer freq = integral(v);
      if (freq != null) return freq;
    }
    List<?> items = v instanceof int[] ints ? Arrays.stream(ints).boxed().toList() : asList(v);
    if (items == null) {
      throw new IllegalArgumentException(
          "`validation_freq` must be an Integer or `collections.Container` (e.g. list, tuple, etc.)");
    }
    List<Integer> epochs = new ArrayList<>();
    for (Object item : items) {
      Integer epoch = item instanceof Number && !(item instanceof Boolean) ? integral(item) : null;
      if (epoch == null)
        throw typeError("validation_freq", "an integer or a collection of integer epochs", v);
      epochs.add(epoch);
    }
    return epochs;
  }

  /**
   * A Python list or tuple as Java gives it: a {@link Collection} or an {@code Object[]}; else
   * null.
   */
  public static List<?> asList(Object v) {
    if (v instanceof List<?> l) return l;
    if (v instanceof Collection<?> c) return new ArrayList<>(c);
    if (v instanceof Object[] arr) return Arrays.asList(arr);
    return null;
  }

  /** Whether {@code v} is a Java integer type (Python's {@code int}, not {@code float}). */
  public static boolean isIntegerType(Object v) {
    return v instanceof Integer
        || v instanceof Long
        || v instanceof Short
        || v instanceof Byte
        || v instanceof BigInteger;
  }

  /** The value as an int when it is a whole number in int range, else null. */
  static Integer integral(Object v) {
    if (v instanceof BigInteger big) return big.bitLength() < 32 ? big.intValue() : null;
    if (isIntegerType(v)) {
      long l = ((Number) v).longValue();
      return l == (int) l ? (int) l : null;
    }
    double d = ((Number) v).doubleValue();
    return d == Math.rint(d) && d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE ? (int) d : null;
  }

  /** "Expected `name` to be what. Received: name=repr (java type)". */
  public static IllegalArgumentException typeError(String name, String expected, Object received) {
    String type = received == null ? "NoneType" : received.getClass().getName();
    return Errors.invalidArgument(
        name, expected, Errors.truncate(PyRepr.repr(received)) + " (" + type + ")");
  }
}
