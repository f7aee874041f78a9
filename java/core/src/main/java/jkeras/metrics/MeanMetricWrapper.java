package jkeras.metrics;

import java.util.Objects;
import jkeras.backend.Prediction;
import jkeras.internal.Errors;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A {@link Metric} whose value is the running mean of a {@link MetricFunction}'s per-sample values,
 * as Keras' {@code MeanMetricWrapper}. The object itself holds no state: the engine keeps the sums
 * and counts.
 */
public class MeanMetricWrapper extends Metric {
  private final String name;
  private final MetricFunction fn;

  /**
   * @param name the name Keras reports: the string given to {@code compile}, or the function's name
   * @param fn per-sample metric values
   */
  public MeanMetricWrapper(String name, MetricFunction fn) {
    if (name == null || name.isEmpty()) {
      throw Errors.invalidArgument("name", "a non-empty string", name);
    }
    this.name = name;
    this.fn = Objects.requireNonNull(fn, "fn");
  }

  @Override
  public String name() {
    return name;
  }

  /** The wrapped function (Keras {@code MeanMetricWrapper._fn}). */
  public MetricFunction fn() {
    return fn;
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Prediction yPred) {
    return fn.apply(tf, yTrue, yPred);
  }
}
