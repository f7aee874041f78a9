package jkeras.trainers;

import java.util.AbstractList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What Keras' {@code train_on_batch}, {@code test_on_batch} and {@code evaluate} return: a scalar
 * loss when the model has one output and no metrics, else a list in {@code metricsNames()} order.
 * Here it is always a list; {@link #isScalar()} tells which of the two Keras would return.
 */
public final class Scores extends AbstractList<Double> {
  private final List<String> names;
  private final double[] values;

  public Scores(List<String> names, double[] values) {
    if (names.size() != values.length)
      throw new IllegalArgumentException("names and values differ in length");
    this.names = List.copyOf(names);
    this.values = values.clone();
  }

  @Override
  public Double get(int index) {
    return values[index];
  }

  @Override
  public int size() {
    return values.length;
  }

  /** True where Keras returns a plain number (one output, no metrics). */
  public boolean isScalar() {
    return values.length == 1;
  }

  /** The loss, or the single value Keras would return as a scalar. */
  public double scalar() {
    return values[0];
  }

  /** The names, {@code model.metricsNames()}. */
  public List<String> names() {
    return names;
  }

  /** Name to value, in order (TF-Keras' {@code return_dict=True}). */
  public Map<String, Double> asMap() {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) m.put(names.get(i), values[i]);
    return m;
  }

  public double[] toDoubleArray() {
    return values.clone();
  }
}
