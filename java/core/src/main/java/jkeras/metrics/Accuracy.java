package jkeras.metrics;

/**
 * Keras {@code Accuracy} ({@code accuracy}): how often {@code yTrue == yPred} exactly. This is
 * Keras' {@code keras.metrics.accuracy} function, not what {@code compile(metrics=["accuracy"])}
 * picks (see {@link Metrics#resolveAccuracy}). Stateless; the engine keeps the running mean.
 */
public final class Accuracy extends MeanMetricWrapper {
  public static final String NAME_DEFAULT = "accuracy";

  /** Named {@code "accuracy"}. */
  public Accuracy() {
    this(NAME_DEFAULT);
  }

  /**
   * @param name the reported name (Keras {@code name}), e.g. {@code "acc"}
   */
  public Accuracy(String name) {
    super(name, (tf, yTrue, yPred) -> Metrics.accuracy(tf, yTrue, yPred.value()));
  }
}
