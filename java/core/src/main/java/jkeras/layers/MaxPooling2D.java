package jkeras.layers;

/**
 * Keras' {@code MaxPooling2D(pool_size, strides, padding, data_format)}: max pooling for spatial
 * data (the maximum of each window) on {@code (batch, rows, cols, channels)}.
 *
 * <pre>{@code
 * Layer p = MaxPooling2D.builder().poolSize(2, 2).padding("same").build();
 * }</pre>
 */
public final class MaxPooling2D extends Pooling {
  /** {@code MaxPooling2D()} with Keras' defaults ({@code pool_size} 2). */
  public MaxPooling2D() {
    this(builder());
  }

  /** {@code MaxPooling2D(pool_size)}: one value for every axis or one per axis. */
  public MaxPooling2D(int... poolSize) {
    this(builder().poolSize(poolSize));
  }

  private MaxPooling2D(Builder b) {
    super(b, true);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link MaxPooling2D}; defaults are Keras'. */
  public static final class Builder extends Pooling.Builder<Builder> {
    private Builder() {
      super(2);
    }

    @Override
    public MaxPooling2D build() {
      return new MaxPooling2D(this);
    }
  }
}
