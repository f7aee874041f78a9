package jkeras.metrics;

/**
 * Keras {@code SparseCategoricalAccuracy} ({@code sparse_categorical_accuracy}): how often {@code
 * argmax(yPred)} equals the class id {@code yTrue} ({@code [batch]} or {@code [batch, 1]}).
 * Stateless; the engine keeps the running mean.
 */
public final class SparseCategoricalAccuracy extends MeanMetricWrapper {
  public static final String NAME_DEFAULT = "sparse_categorical_accuracy";

  /** Named {@code "sparse_categorical_accuracy"}. */
  public SparseCategoricalAccuracy() {
    this(NAME_DEFAULT);
  }

  /**
   * @param name the reported name (Keras {@code name}), e.g. {@code "acc"}
   */
  public SparseCategoricalAccuracy(String name) {
    super(name, (tf, yTrue, yPred) -> Metrics.sparseCategoricalAccuracy(tf, yTrue, yPred.value()));
  }
}
