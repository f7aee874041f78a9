package jkeras.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What Keras accepts as {@code x} or {@code y}: one array, a list of arrays in the model's input
 * (or output) order, or a map keyed by input (or output) name. {@link NDArray} is itself the
 * one-array case, so {@code model.fit(x, y)} takes arrays directly.
 */
public sealed interface ArrayData permits NDArray, ArrayData.ListData, ArrayData.MapData {

  /** A list of arrays, in the model's input or output order. */
  static ArrayData of(NDArray... arrays) {
    return new ListData(List.of(arrays));
  }

  /** A list of arrays, in the model's input or output order. */
  static ArrayData of(List<NDArray> arrays) {
    return new ListData(List.copyOf(arrays));
  }

  /** Arrays keyed by input or output name. */
  static ArrayData of(Map<String, NDArray> arrays) {
    return new MapData(java.util.Collections.unmodifiableMap(new LinkedHashMap<>(arrays)));
  }

  /** The list form. */
  record ListData(List<NDArray> arrays) implements ArrayData {}

  /** The map form, insertion ordered. */
  record MapData(Map<String, NDArray> arrays) implements ArrayData {}
}
