package jkeras.preprocessing.image;

/**
 * The keyword arguments every image iterator takes ({@link FlowOptions} for {@code flow}, {@link
 * DirectoryOptions} for {@code flow_from_directory}), Keras' defaults: {@code batch_size=32},
 * {@code shuffle=True}, {@code seed=None}, {@code subset=None}.
 */
public abstract class IteratorOptions {
  public static final int BATCH_SIZE_DEFAULT = 32;
  public static final boolean SHUFFLE_DEFAULT = true;
  public static final Long SEED_DEFAULT = null;
  public static final String SUBSET_DEFAULT = null;

  private final int batchSize;
  private final boolean shuffle;
  private final Long seed;
  private final String subset;

  IteratorOptions(Builder<?> b) {
    this.batchSize = b.batchSize;
    this.shuffle = b.shuffle;
    this.seed = b.seed;
    this.subset = b.subset;
  }

  public int batchSize() {
    return batchSize;
  }

  public boolean shuffle() {
    return shuffle;
  }

  public Long seed() {
    return seed;
  }

  public String subset() {
    return subset;
  }

  /**
   * The builder of these arguments: Keras' keywords camelCased.
   *
   * @param <B> the concrete builder, for chaining
   */
  @SuppressWarnings("unchecked")
  public abstract static class Builder<B extends Builder<B>> {
    int batchSize = BATCH_SIZE_DEFAULT;
    boolean shuffle = SHUFFLE_DEFAULT;
    Long seed = SEED_DEFAULT;
    String subset = SUBSET_DEFAULT;

    Builder() {}

    /** Keras {@code batch_size}. Default 32. */
    public B batchSize(int v) {
      batchSize = v;
      return (B) this;
    }

    /** Keras {@code shuffle}: a new permutation every epoch. Default true. */
    public B shuffle(boolean v) {
      shuffle = v;
      return (B) this;
    }

    /**
     * Keras {@code seed}: fixes the index orders and the transforms (see {@link ImageIterator}).
     * Default none (a seed from {@code RngUtils}).
     */
    public B seed(Long v) {
      seed = v;
      return (B) this;
    }

    /** Keras {@code subset}: "training" or "validation" with the generator's validation split. */
    public B subset(String v) {
      subset = v;
      return (B) this;
    }

    /** Checks {@code batchSize} and {@code seed}, with jkeras' and Keras' messages. */
    void checkIteratorArguments() {
      if (batchSize < 1) {
        throw new IllegalArgumentException(
            "Expected `batchSize` to be a positive integer. Received: batchSize=" + batchSize);
      }
      if (seed != null && (seed < 0 || seed > 0xFFFFFFFFL)) {
        throw new IllegalArgumentException(
            "Seed must be between 0 and 2**32 - 1. Received: seed=" + seed);
      }
    }
  }
}
