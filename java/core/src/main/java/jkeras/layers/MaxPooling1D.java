package jkeras.layers;

/**
 * Keras' {@code MaxPooling1D(pool_size, strides, padding, data_format)}: max pooling for temporal
 * data (the maximum of each window of steps) on {@code (batch, steps, features)}.
 *
 * <pre>{@code
 * Layer p = MaxPooling1D.builder().poolSize(3).strides(1).padding("same").build();
 * }</pre>
 */
public final class MaxPooling1D extends Pooling {
  /** {@code MaxPooling1D()} with Keras' defaults ({@code pool_size} 2). */
  public MaxPooling1D() {
    this(builder());
  }

  /** {@code MaxPooling1D(pool_size)}: one value for every axis or one per axis. */
  public MaxPooling1D(int... poolSize) {
    this(builder().poolSize(poolSize));
  }

  private MaxPooling1D(Builder b) {
    super(b, true);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link MaxPooling1D}; defaults are Keras'. */
  public static final class Builder extends Pooling.Builder<Builder> {
    private Builder() {
      super(1);
    }

    @Override
    public MaxPooling1D build() {
      return new MaxPooling1D(this);
    }
  }
}
