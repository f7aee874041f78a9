package jkeras.metrics;

/**
 * Keras {@code TopKCategoricalAccuracy} ({@code top_k_categorical_accuracy}): how often the one-hot
 * target class is among the {@code k} largest predictions. Stateless; the engine keeps the running
 * mean.
 */
public final class TopKCategoricalAccuracy extends TopKAccuracy {
  public static final String NAME_DEFAULT = "top_k_categorical_accuracy";
  public static final int K_DEFAULT = 5;

  /** Named {@code "top_k_categorical_accuracy"}, {@code k = 5}. */
  public TopKCategoricalAccuracy() {
    this(NAME_DEFAULT, K_DEFAULT);
  }

  /**
   * @param name the reported name (Keras {@code name}); {@code k = 5}
   */
  public TopKCategoricalAccuracy(String name) {
    this(name, K_DEFAULT);
  }

  /**
   * @param name the reported name (Keras {@code name})
   * @param k (Keras {@code k}) how many of the largest predictions count. Default {@code 5}.
   * @throws IllegalArgumentException if {@code k < 1}
   */
  public TopKCategoricalAccuracy(String name, int k) {
    super(name, Metrics::topKCategoricalAccuracy, k);
  }
}
