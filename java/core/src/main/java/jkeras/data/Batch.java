package jkeras.data;

import java.util.List;
import java.util.Objects;
import jkeras.internal.PyRepr;

/**
 * One item of a generator or Sequence: Keras' {@code (x, y)} or {@code (x, y, sample_weight)}
 * tuple. {@code x} and {@code y} are one array, a list in model order or a map by name; {@code
 * sampleWeight} is one array (for every output), a list or a map by output name, or null. For
 * {@code predict}, {@code y} may be null ({@code (x,)}).
 *
 * <p>A batch may carry a release action: its arrays then view recyclable memory (e.g. the direct
 * buffers a Python bridge fills), and whoever consumes the batch calls {@link #release()} once it
 * no longer reads them. The training loop does so right after the step the batch fed, also when
 * that step fails; code that pulls batches itself should do the same (a batch never released stays
 * valid, its memory is just not reused). Equality and {@link #toString()} ignore the action.
 */
public final class Batch {
  private final ArrayData x;
  private final ArrayData y;
  private final ArrayData sampleWeight;
  private final Runnable onRelease;

  /** {@code (x, y, sample_weight)}; {@code y} and {@code sampleWeight} may be null. */
  public Batch(ArrayData x, ArrayData y, ArrayData sampleWeight) {
    this(x, y, sampleWeight, null);
  }

  /**
   * A batch whose arrays view recyclable memory; {@code onRelease} (may be null) hands it back and
   * is run by each {@link #release()} call.
   */
  public Batch(ArrayData x, ArrayData y, ArrayData sampleWeight, Runnable onRelease) {
    this.x = Objects.requireNonNull(x, "x");
    this.y = y;
    this.sampleWeight = sampleWeight;
    this.onRelease = onRelease;
  }

  public ArrayData x() {
    return x;
  }

  public ArrayData y() {
    return y;
  }

  public ArrayData sampleWeight() {
    return sampleWeight;
  }

  /** The same arrays with {@code onRelease} as the release action. */
  public Batch withRelease(Runnable onRelease) {
    return new Batch(x, y, sampleWeight, onRelease);
  }

  /** Whether the batch has a release action. */
  public boolean hasRelease() {
    return onRelease != null;
  }

  /**
   * Says the batch's arrays are no longer read, so their memory may be reused: runs the release
   * action, if any. Call it once, after the last read of any of the batch's arrays (or of views
   * made from them, such as {@code reshape}); arrays copied out stay valid.
   */
  public void release() {
    if (onRelease != null) onRelease.run();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Batch b
        && x.equals(b.x)
        && Objects.equals(y, b.y)
        && Objects.equals(sampleWeight, b.sampleWeight);
  }

  @Override
  public int hashCode() {
    return Objects.hash(x, y, sampleWeight);
  }

  /** As Python prints the tuple: {@code (x, y)}, {@code (x, y, sample_weight)} or {@code (x,)}. */
  @Override
  public String toString() {
    Object[] parts =
        sampleWeight != null
            ? new Object[] {x, y, sampleWeight}
            : y != null ? new Object[] {x, y} : new Object[] {x};
    return PyRepr.repr(parts);
  }

  /** {@code (x, y)}. */
  public static Batch of(ArrayData x, ArrayData y) {
    return new Batch(x, y, null);
  }

  /** {@code (x, y, sample_weight)}. */
  public static Batch of(ArrayData x, ArrayData y, ArrayData sampleWeight) {
    return new Batch(x, y, sampleWeight);
  }

  /** {@code (x,)}: inputs only, for predict. */
  public static Batch ofInputs(ArrayData x) {
    return new Batch(x, null, null);
  }

  /**
   * Reads a generator's item the way Keras 2.3.1 unpacks it: a Batch, or a list or array of 2
   * ({@code x, y}) or 3 ({@code x, y, sample_weight}) elements, or of 1 ({@code (x,)}, which {@code
   * predict} takes and training rejects as Keras does), each an NDArray, a list of them or a map of
   * them. Anything else is Keras' "Output of generator should be a tuple" error.
   */
  public static Batch from(Object item) {
    if (item instanceof Batch b) return b;
    // Not a tuple: x alone, as Keras 2.3.1's predict_generator takes it (fit then asks for y).
    if (item instanceof ArrayData x) return ofInputs(x);
    List<?> parts = item instanceof List<?> l ? l : item instanceof Object[] a ? List.of(a) : null;
    if (parts == null || parts.isEmpty() || parts.size() > 3) {
      throw new IllegalArgumentException(
          "Output of generator should be a tuple `(x, y, sample_weight)` or `(x, y)`. Found: "
              + PyRepr.truncated(item));
    }
    if (parts.get(0) == null) {
      // the Python bridge's text for the same item
      throw new IllegalArgumentException(
          "A batch structure needs x (its first entry is null). Received: "
              + PyRepr.truncated(item));
    }
    return new Batch(
        data(parts.get(0), item),
        parts.size() > 1 ? data(parts.get(1), item) : null,
        parts.size() == 3 ? data(parts.get(2), item) : null);
  }

  @SuppressWarnings("unchecked")
  private static ArrayData data(Object o, Object item) {
    if (o == null) return null;
    if (o instanceof ArrayData d) return d;
    if (o instanceof List<?> l && l.stream().allMatch(e -> e instanceof NDArray))
      return ArrayData.of((List<NDArray>) l);
    if (o instanceof java.util.Map<?, ?> m
        && m.keySet().stream().allMatch(k -> k instanceof String)
        && m.values().stream().allMatch(v -> v instanceof NDArray)) {
      return ArrayData.of((java.util.Map<String, NDArray>) m);
    }
    throw new IllegalArgumentException(
        "Output of generator should be a tuple `(x, y, sample_weight)` or `(x, y)` of arrays, lists of arrays or dicts of arrays. Found: "
            + PyRepr.truncated(item));
  }

  /** The number of samples: the first dimension of x's first array (Keras' batch size for logs). */
  public long size() {
    if (x instanceof NDArray a) return a.rank() == 0 ? 1 : a.length();
    if (x instanceof ArrayData.ListData l)
      return l.arrays().isEmpty() ? 1 : l.arrays().get(0).length();
    var m = ((ArrayData.MapData) x).arrays();
    return m.isEmpty() ? 1 : m.values().iterator().next().length();
  }
}
