package jkeras.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jkeras.internal.Errors;
import jkeras.internal.Shapes;

/**
 * Keras' {@code InputSpec} checks and the small argument readers the core layers share, with Keras'
 * messages.
 */
final class InputChecks {
  private InputChecks() {}

  /** Keras: "Input 0 is incompatible with layer x: expected ndim=3, found ndim=2". */
  static void ndim(String layer, long[] shape, int ndim) {
    if (shape.length != ndim) {
      throw new IllegalArgumentException(
          "Input 0 is incompatible with layer "
              + layer
              + ": expected ndim="
              + ndim
              + ", found ndim="
              + shape.length);
    }
  }

  /** Keras: "Input 0 is incompatible with layer x: expected min_ndim=3, found ndim=2". */
  static void minNdim(String layer, long[] shape, int minNdim) {
    if (shape.length < minNdim) {
      throw new IllegalArgumentException(
          "Input 0 is incompatible with layer "
              + layer
              + ": expected min_ndim="
              + minNdim
              + ", found ndim="
              + shape.length);
    }
  }

  /**
   * Keras' {@code K.normalize_data_format}: null is {@code channels_last}; otherwise {@code
   * channels_first} or {@code channels_last} in any case.
   */
  static String dataFormat(Object value) {
    if (value == null) return "channels_last";
    String s = value instanceof String str ? str.toLowerCase(Locale.ROOT) : null;
    if (!"channels_first".equals(s) && !"channels_last".equals(s)) {
      throw new IllegalArgumentException(
          "The `data_format` argument must be one of \"channels_first\", \"channels_last\"."
              + " Received: "
              + Errors.truncate(value));
    }
    return s;
  }

  /** A list of dimensions from a config ({@code null} entries are Keras' None, here -1). */
  static long[] dims(String key, Object value) {
    if (!(value instanceof List<?> l))
      throw Errors.invalidArgument(key, "a list of integers", value);
    long[] out = new long[l.size()];
    for (int i = 0; i < out.length; i++) {
      Object d = l.get(i);
      if (d == null) out[i] = -1;
      else if (d instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()))
        out[i] = n.longValue();
      else throw Errors.invalidArgument(key, "a list of integers or None", value);
    }
    return out;
  }

  /** Dimensions as Keras writes them in a config: a list, None for -1. */
  static List<Object> toConfig(long[] dims) {
    List<Object> out = new ArrayList<>();
    for (long d : dims) out.add(d < 0 ? null : (Object) Math.toIntExact(d));
    return out;
  }

  /** The shape as Keras prints it, e.g. {@code (None, 3)}. */
  static String py(long[] shape) {
    return Shapes.toPython(shape);
  }
}
