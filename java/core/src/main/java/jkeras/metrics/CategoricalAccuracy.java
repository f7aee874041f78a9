package jkeras.metrics;

/**
 * Keras {@code CategoricalAccuracy} ({@code categorical_accuracy}): how often {@code argmax(yPred)}
 * equals {@code argmax(yTrue)} for one-hot labels. Stateless; the engine keeps the running mean.
 */
public final class CategoricalAccuracy extends MeanMetricWrapper {
  public static final String NAME_DEFAULT = "categorical_accuracy";

  /** Named {@code "categorical_accuracy"}. */
  public CategoricalAccuracy() {
    this(NAME_DEFAULT);
  }

  /**
   * @param name the reported name (Keras {@code name}), e.g. {@code "acc"}
   */
  public CategoricalAccuracy(String name) {
    super(name, (tf, yTrue, yPred) -> Metrics.categoricalAccuracy(tf, yTrue, yPred.value()));
  }
}
