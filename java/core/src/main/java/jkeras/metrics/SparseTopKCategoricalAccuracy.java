package jkeras.metrics;

/**
 * Keras {@code SparseTopKCategoricalAccuracy} ({@code sparse_top_k_categorical_accuracy}): how
 * often the class id {@code yTrue} ({@code [batch]} or {@code [batch, 1]}) is among the {@code k}
 * largest predictions. Stateless; the engine keeps the running mean.
 */
public final class SparseTopKCategoricalAccuracy extends TopKAccuracy {
  public static final String NAME_DEFAULT = "sparse_top_k_categorical_accuracy";
  public static final int K_DEFAULT = 5;

  /** Named {@code "sparse_top_k_categorical_accuracy"}, {@code k = 5}. */
  public SparseTopKCategoricalAccuracy() {
    this(NAME_DEFAULT, K_DEFAULT);
  }

  /**
   * @param name the reported name (Keras {@code name}); {@code k = 5}
   */
  public SparseTopKCategoricalAccuracy(String name) {
    this(name, K_DEFAULT);
  }

  /**
   * @param name the reported name (Keras {@code name})
   * @param k (Keras {@code k}) how many of the largest predictions count. Default {@code 5}.
   * @throws IllegalArgumentException if {@code k < 1}
   */
  public SparseTopKCategoricalAccuracy(String name, int k) {
    super(name, Metrics::sparseTopKCategoricalAccuracy, k);
  }
}
