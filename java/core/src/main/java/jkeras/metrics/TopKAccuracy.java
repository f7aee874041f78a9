package jkeras.metrics;

import jkeras.internal.Errors;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * What {@link TopKCategoricalAccuracy} and {@link SparseTopKCategoricalAccuracy} share: Keras'
 * {@code k} and its check. Stateless; the engine keeps the running mean.
 */
abstract class TopKAccuracy extends MeanMetricWrapper {
  /** A top-k formula of {@link Metrics}, e.g. {@link Metrics#topKCategoricalAccuracy}. */
  interface Formula {
    Operand<TFloat32> apply(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred, int k);
  }

  private final int k;

  /**
   * A top-k accuracy named {@code name}.
   *
   * @throws IllegalArgumentException if {@code k < 1}
   */
  TopKAccuracy(String name, Formula formula, int k) {
    super(name, (tf, yTrue, yPred) -> formula.apply(tf, yTrue, yPred.value(), k));
    if (k < 1) {
      throw Errors.invalidArgument("k", "an integer >= 1", k);
    }
    this.k = k;
  }

  /** Keras {@code k}: how many of the largest predictions count. */
  public final int k() {
    return k;
  }
}
