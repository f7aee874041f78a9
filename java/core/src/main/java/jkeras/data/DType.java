package jkeras.data;

import java.util.Locale;

/** Element types of {@link NDArray} and of model inputs, with numpy's names. */
public enum DType {
  FLOAT32,
  FLOAT64,
  INT32,
  INT64,
  BOOL;

  /** The numpy / Keras name, e.g. {@code "float32"}. */
  public String kerasName() {
    return this == BOOL ? "bool" : name().toLowerCase(Locale.ROOT);
  }

  /** Parses a numpy / Keras dtype name ({@code "float32"}, {@code "int64"}, {@code "bool"}). */
  public static DType of(String name) {
    for (DType t : values()) {
      if (t.kerasName().equals(name)) return t;
    }
    throw new IllegalArgumentException(
        "Unknown dtype: `" + name + "`. Expected one of [float32, float64, int32, int64, bool].");
  }
}
