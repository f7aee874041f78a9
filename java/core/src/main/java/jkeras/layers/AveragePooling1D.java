package jkeras.layers;

/**
 * Keras' {@code AveragePooling1D(pool_size, strides, padding, data_format)}: average pooling for
 * temporal data (the mean of each window of steps) on {@code (batch, steps, features)}.
 *
 * <pre>{@code
 * Layer p = AveragePooling1D.builder().poolSize(3).strides(1).padding("same").build();
 * }</pre>
 */
public final class AveragePooling1D extends Pooling {
  /** {@code AveragePooling1D()} with Keras' defaults ({@code pool_size} 2). */
  public AveragePooling1D() {
    this(builder());
  }

  /** {@code AveragePooling1D(pool_size)}: one value for every axis or one per axis. */
  public AveragePooling1D(int... poolSize) {
    this(builder().poolSize(poolSize));
  }

  private AveragePooling1D(Builder b) {
    super(b, false);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link AveragePooling1D}; defaults are Keras'. */
  public static final class Builder extends Pooling.Builder<Builder> {
    private Builder() {
      super(1);
    }

    @Override
    public AveragePooling1D build() {
      return new AveragePooling1D(this);
    }
  }
}
