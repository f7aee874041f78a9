package jkeras.preprocessing.image;

import jkeras.data.NDArray;

/**
 * The keyword arguments of {@code ImageDataGenerator.flow(x, y, ...)}, Keras' defaults: {@code
 * batch_size=32}, {@code shuffle=True}, {@code sample_weight=None}, {@code seed=None}, {@code
 * subset=None} (all but {@code sample_weight} from {@link IteratorOptions}). ({@code save_to_dir}
 * and its companions are not implemented.)
 *
 * <pre>{@code
 * datagen.flow(x, y, FlowOptions.builder().batchSize(64).seed(42L).build());
 * }</pre>
 */
public final class FlowOptions extends IteratorOptions {
  private final NDArray sampleWeight;

  private FlowOptions(Builder b) {
    super(b);
    this.sampleWeight = b.sampleWeight;
  }

  public static Builder builder() {
    return new Builder();
  }

  public NDArray sampleWeight() {
    return sampleWeight;
  }

  /** The builder: Keras' keywords camelCased. */
  public static final class Builder extends IteratorOptions.Builder<Builder> {
    private NDArray sampleWeight;

    private Builder() {}

    /** Keras {@code sample_weight}: one weight per sample, batched with it. Default none. */
    public Builder sampleWeight(NDArray v) {
      sampleWeight = v;
      return this;
    }

    /**
     * @throws IllegalArgumentException for a batch size below 1 or a seed outside [0, 2**32)
     */
    public FlowOptions build() {
      checkIteratorArguments();
      return new FlowOptions(this);
    }
  }
}
