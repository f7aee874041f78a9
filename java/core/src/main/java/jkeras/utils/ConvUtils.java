package jkeras.utils;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Keras 2.3.1's {@code keras.utils.conv_utils}: the argument normalisation and the output-shape
 * arithmetic of the convolution, pooling and resampling layers. A length of {@code -1} is {@code
 * None} (unknown) and stays unknown.
 *
 * <pre>{@code
 * ConvUtils.convOutputLength(28, 3, "valid", 1, 1);   // 26
 * ConvUtils.deconvLength(13, 2, 3, "valid", null, 1); // 27
 * }</pre>
 */
public final class ConvUtils {
  private ConvUtils() {}

  /** Keras' paddings: {@code normalize_padding} accepts these (lower-cased). */
  public static final List<String> PADDINGS = List.of("valid", "same", "causal");

  /** Keras' data formats. */
  public static final List<String> DATA_FORMATS = List.of("channels_first", "channels_last");

  /**
   * Keras {@code normalize_tuple(value, n, name)} for Java's varargs: one value stands for all
   * {@code n} axes, otherwise exactly {@code n} values.
   *
   * @throws IllegalArgumentException Keras' "The `name` argument must be a tuple of n integers."
   */
  public static int[] normalizeTuple(int[] value, int n, String name) {
    if (value == null || (value.length != 1 && value.length != n)) {
      throw new IllegalArgumentException(
          "The `"
              + name
              + "` argument must be a tuple of "
              + n
              + " integers. Received: "
              + (value == null ? "None" : pythonTuple(value)));
    }
    if (value.length == n) return value.clone();
    int[] out = new int[n];
    Arrays.fill(out, value[0]);
    return out;
  }

  /**
   * Keras {@code normalize_tuple} on a config value: an integer, or a list of {@code n} integers.
   */
  public static int[] normalizeTuple(Object value, int n, String name) {
    if (value instanceof Number v && v.doubleValue() == Math.rint(v.doubleValue())) {
      return normalizeTuple(new int[] {v.intValue()}, n, name);
    }
    if (value instanceof List<?> l && l.size() == n) {
      int[] out = new int[n];
      for (int i = 0; i < n; i++) {
        if (!(l.get(i) instanceof Number v) || v.doubleValue() != Math.rint(v.doubleValue())) {
          throw new IllegalArgumentException(
              "The `"
                  + name
                  + "` argument must be a tuple of "
                  + n
                  + " integers. Received: "
                  + value
                  + " including element "
                  + l.get(i)
                  + " of type "
                  + (l.get(i) == null ? "NoneType" : l.get(i).getClass().getSimpleName()));
        }
        out[i] = v.intValue();
      }
      return out;
    }
    throw new IllegalArgumentException(
        "The `"
            + name
            + "` argument must be a tuple of "
            + n
            + " integers. Received: "
            + (value == null ? "None" : value));
  }

  /**
   * Keras {@code normalize_padding}: lower-cases and checks {@code "valid"}, {@code "same"} or
   * {@code "causal"}.
   */
  public static String normalizePadding(String value) {
    String p = value == null ? "None" : value.toLowerCase(Locale.ROOT);
    if (!PADDINGS.contains(p)) {
      throw new IllegalArgumentException(
          "The `padding` argument must be one of \"valid\", \"same\" (or \"causal\" for Conv1D)."
              + " Received: "
              + p);
    }
    return p;
  }

  /**
   * Keras {@code K.normalize_data_format}: {@code null} is the default image data format, {@code
   * "channels_last"}.
   */
  public static String normalizeDataFormat(String value) {
    if (value == null) return "channels_last";
    String f = value.toLowerCase(Locale.ROOT);
    if (!DATA_FORMATS.contains(f)) {
      throw new IllegalArgumentException(
          "The `data_format` argument must be one of \"channels_first\", \"channels_last\"."
              + " Received: "
              + value);
    }
    return f;
  }

  /**
   * Keras {@code conv_output_length(input_length, filter_size, padding, stride, dilation)}: the
   * length of a convolution's (or pooling's) output along one axis.
   */
  public static long convOutputLength(
      long inputLength, int filterSize, String padding, int stride, int dilation) {
    if (inputLength < 0) return -1;
    long dilated = (long) (filterSize - 1) * dilation + 1;
    long out =
        switch (padding) {
          case "same", "causal" -> inputLength;
          case "valid" -> inputLength - dilated + 1;
          case "full" -> inputLength + dilated - 1;
          default -> throw new IllegalArgumentException("Invalid padding: " + padding);
        };
    return Math.floorDiv(out + stride - 1, stride);
  }

  /**
   * Keras {@code conv_input_length(output_length, filter_size, padding, stride)}: the input length
   * a convolution maps to {@code outputLength}.
   */
  public static long convInputLength(
      long outputLength, int filterSize, String padding, int stride) {
    if (outputLength < 0) return -1;
    long pad =
        switch (padding) {
          case "same" -> filterSize / 2;
          case "valid" -> 0;
          case "full" -> filterSize - 1;
          default -> throw new IllegalArgumentException("Invalid padding: " + padding);
        };
    return (outputLength - 1) * stride - 2 * pad + filterSize;
  }

  /**
   * Keras {@code deconv_length(dim_size, stride_size, kernel_size, padding, output_padding,
   * dilation)}: the output length of a transposed convolution; {@code outputPadding} null is Keras'
   * {@code None} (inferred).
   */
  public static long deconvLength(
      long dimSize,
      int strideSize,
      int kernelSize,
      String padding,
      Integer outputPadding,
      int dilation) {
    if (dimSize < 0) return -1;
    long k = (long) (kernelSize - 1) * dilation + 1;
    if (outputPadding == null) {
      return switch (padding) {
        case "valid" -> dimSize * strideSize + Math.max(k - strideSize, 0);
        case "full" -> dimSize * strideSize - (strideSize + k - 2);
        case "same" -> dimSize * strideSize;
        default -> throw new IllegalArgumentException("Invalid padding: " + padding);
      };
    }
    long pad =
        switch (padding) {
          case "same" -> k / 2;
          case "valid" -> 0;
          case "full" -> k - 1;
          default -> throw new IllegalArgumentException("Invalid padding: " + padding);
        };
    return (dimSize - 1) * strideSize + k - 2 * pad + outputPadding;
  }

  /** {@code (3, 3)} as Python prints a tuple ({@code (3,)} for one value). */
  public static String pythonTuple(int[] v) {
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < v.length; i++) {
      if (i > 0) b.append(", ");
      b.append(v[i]);
    }
    return b.append(v.length == 1 ? ",)" : ")").toString();
  }
}
