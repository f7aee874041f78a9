package jkeras.metrics;

import jkeras.backend.Prediction;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A metric written as a function, like the {@code fn(y_true, y_pred)} callables Keras accepts in
 * {@code compile(metrics=[...])}. Wrap one with {@link Metrics#custom(String, MetricFunction)}.
 */
@FunctionalInterface
public interface MetricFunction {
  /** Per-sample values, batch first; every element counts once in the running mean. */
  Operand<TFloat32> apply(Ops tf, Operand<TFloat32> yTrue, Prediction yPred);
}
