package jkeras.layers;

/**
 * Keras' {@code AveragePooling2D(pool_size, strides, padding, data_format)}: average pooling for
 * spatial data (the mean of each window) on {@code (batch, rows, cols, channels)}.
 *
 * <pre>{@code
 * Layer p = AveragePooling2D.builder().poolSize(2, 2).padding("same").build();
 * }</pre>
 */
public final class AveragePooling2D extends Pooling {
  /** {@code AveragePooling2D()} with Keras' defaults ({@code pool_size} 2). */
  public AveragePooling2D() {
    this(builder());
  }

  /** {@code AveragePooling2D(pool_size)}: one value for every axis or one per axis. */
  public AveragePooling2D(int... poolSize) {
    this(builder().poolSize(poolSize));
  }

  private AveragePooling2D(Builder b) {
    super(b, false);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link AveragePooling2D}; defaults are Keras'. */
  public static final class Builder extends Pooling.Builder<Builder> {
    private Builder() {
      super(2);
    }

    @Override
    public AveragePooling2D build() {
      return new AveragePooling2D(this);
    }
  }
}
