package jkeras.metrics;

import jkeras.backend.Prediction;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A Keras mean metric ({@code MeanMetricWrapper}): per-sample values whose running mean over the
 * samples seen is what Keras reports. The engine fetches the sum and count of {@link #call}'s
 * values each batch and keeps the running means on the host.
 */
public abstract class Metric {
  /** The name Keras 2.3.1 prints: the string the user passed, or the function's name. */
  public abstract String name();

  /** Per-sample metric values, any shape with batch first; all elements are averaged. */
  public abstract Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Prediction yPred);

  @Override
  public String toString() {
    return name();
  }
}
