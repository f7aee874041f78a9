package jkeras.preprocessing.image;

import jkeras.data.NDArray;

/**
 * The keyword arguments of {@code ImageDataGenerator.flow(x, y, ...)}, Keras' defaults: {@code
 * batch_size=32}, {@code shuffle=True}, {@code sample_weight=None}, {@code seed=None}, {@code
 * subset=None}. ({@code save_to_dir} and its companions are not implemented.)
 *
 * <pre>{@code
 * datagen.flow(x, y, FlowOptions.builder().batchSize(64).seed(42L).build());
 * }</pre>
 */
public final class FlowOptions {
  public static final int BATCH_SIZE_DEFAULT = 32;
  public static final boolean SHUFFLE_DEFAULT = true;
  public static final Long SEED_DEFAULT = null;
  public static final String SUBSET_DEFAULT = null;

  private final int batchSize;
  private final boolean shuffle;
  private final NDArray sampleWeight;
  private final Long seed;
  private final String subset;

  private FlowOptions(Builder b) {
    this.batchSize = b.batchSize;
    this.shuffle = b.shuffle;
    this.sampleWeight = b.sampleWeight;
    this.seed = b.seed;
    this.subset = b.subset;
  }

  public static Builder builder() {
    return new Builder();
  }

  public int batchSize() {
    return batchSize;
  }

  public boolean shuffle() {
    return shuffle;
  }

  public NDArray sampleWeight() {
    return sampleWeight;
  }

  public Long seed() {
    return seed;
  }

  public String subset() {
    return subset;
  }

  /** The builder: Keras' keywords camelCased. */
  public static final class Builder {
    private int batchSize = BATCH_SIZE_DEFAULT;
    private boolean shuffle = SHUFFLE_DEFAULT;
    private NDArray sampleWeight;
    private Long seed = SEED_DEFAULT;
    private String subset = SUBSET_DEFAULT;

    private Builder() {}

    /** Keras {@code batch_size}. Default 32. */
    public Builder batchSize(int v) {
      batchSize = v;
      return this;
    }

    /** Keras {@code shuffle}: a new permutation every epoch. Default true. */
    public Builder shuffle(boolean v) {
      shuffle = v;
      return this;
    }

    /** Keras {@code sample_weight}: one weight per sample, batched with it. Default none. */
    public Builder sampleWeight(NDArray v) {
      sampleWeight = v;
      return this;
    }

    /**
     * Keras {@code seed}: fixes the index orders and the transforms (see {@link ImageIterator}).
     * Default none (a seed from {@code RngUtils}).
     */
    public Builder seed(Long v) {
      seed = v;
      return this;
    }

    /** Keras {@code subset}: "training" or "validation" with the generator's validation split. */
    public Builder subset(String v) {
      subset = v;
      return this;
    }

    public FlowOptions build() {
      if (batchSize < 1) {
        throw new IllegalArgumentException(
            "Expected `batchSize` to be a positive integer. Received: batchSize=" + batchSize);
      }
      if (seed != null && (seed < 0 || seed > 0xFFFFFFFFL)) {
        throw new IllegalArgumentException(
            "Seed must be between 0 and 2**32 - 1. Received: seed=" + seed);
      }
      return new FlowOptions(this);
    }
  }
}
