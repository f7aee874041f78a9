package jkeras.trainers.adapters;

import java.util.ArrayList;
import java.util.List;
import jkeras.data.Batch;
import jkeras.data.NDArray;

/**
 * One step's data in the model's order, checked against it: the inputs, the targets and the
 * per-output sample weights (a {@code null} weight means unweighted). Keras 3's data adapters hand
 * the trainer the same {@code (x, y, sample_weight)} triple.
 *
 * @param x one array per model input
 * @param y one array per model output, or {@code null} for {@code predict}
 * @param w one weight array (or {@code null}) per output, or {@code null} for {@code predict}
 * @param n the number of samples
 * @param origin the generator's batch these arrays view, released after the step; null for arrays
 */
public record StepData(List<NDArray> x, List<NDArray> y, List<NDArray> w, long n, Batch origin) {
  /** Data that views no recyclable batch. */
  public StepData(List<NDArray> x, List<NDArray> y, List<NDArray> w, long n) {
    this(x, y, w, n, null);
  }

  /** Hands the generator's batch back: nothing reads these arrays any more. */
  public void release() {
    if (origin != null) origin.release();
  }

  /** The given rows of every array. */
  public StepData rows(int[] ids) {
    return new StepData(take(x, ids), take(y, ids), take(w, ids), ids.length);
  }

  /** Rows {@code [from, to)} of every array. */
  public StepData slice(long from, long to) {
    return new StepData(slice(x, from, to), slice(y, from, to), slice(w, from, to), to - from);
  }

  private static List<NDArray> take(List<NDArray> arrays, int[] rows) {
    if (arrays == null) return null;
    List<NDArray> out = new ArrayList<>(arrays.size());
    for (NDArray a : arrays) out.add(a == null ? null : a.take(rows));
    return out;
  }

  private static List<NDArray> slice(List<NDArray> arrays, long from, long to) {
    if (arrays == null) return null;
    List<NDArray> out = new ArrayList<>(arrays.size());
    for (NDArray a : arrays) out.add(a == null ? null : a.slice(from, to));
    return out;
  }
}
