package jkeras.metrics;

import jkeras.internal.Errors;

/**
 * Keras {@code BinaryAccuracy} ({@code binary_accuracy}): how often {@code round(yPred)} equals
 * {@code yTrue}, averaged over the last axis. See {@link Metrics#binaryAccuracy}. Stateless; the
 * engine keeps the running mean.
 */
public final class BinaryAccuracy extends MeanMetricWrapper {
  public static final String NAME_DEFAULT = "binary_accuracy";
  public static final float THRESHOLD_DEFAULT = 0.5f;

  private final float threshold;

  /** Named {@code "binary_accuracy"}, threshold 0.5. */
  public BinaryAccuracy() {
    this(NAME_DEFAULT, THRESHOLD_DEFAULT);
  }

  /**
   * @param name the reported name (Keras {@code name}), e.g. {@code "acc"}; threshold 0.5
   */
  public BinaryAccuracy(String name) {
    this(name, THRESHOLD_DEFAULT);
  }

  /**
   * @param name the reported name (Keras {@code name})
   * @param threshold (Keras {@code threshold}) predictions above it count as 1. Default {@code
   *     0.5}.
   */
  public BinaryAccuracy(String name, float threshold) {
    super(name, (tf, yTrue, yPred) -> Metrics.binaryAccuracy(tf, yTrue, yPred.value(), threshold));
    if (Float.isNaN(threshold)) {
      throw Errors.invalidArgument("threshold", "a number", threshold);
    }
    this.threshold = threshold;
  }

  public float threshold() {
    return threshold;
  }
}
