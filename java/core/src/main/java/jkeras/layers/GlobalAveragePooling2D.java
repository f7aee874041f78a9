package jkeras.layers;

/**
 * Keras' {@code GlobalAveragePooling2D(data_format)}: the mean over the rows and cols of {@code
 * (batch, rows, cols, channels)}, giving {@code (batch, channels)}.
 */
public final class GlobalAveragePooling2D extends GlobalPooling {
  /** {@code GlobalAveragePooling2D()} with Keras' defaults. */
  public GlobalAveragePooling2D() {
    this(builder());
  }

  private GlobalAveragePooling2D(Builder b) {
    super(b, false);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link GlobalAveragePooling2D}; defaults are Keras'. */
  public static final class Builder extends GlobalPooling.Builder<Builder> {
    private Builder() {
      super(2);
    }

    @Override
    public GlobalAveragePooling2D build() {
      return new GlobalAveragePooling2D(this);
    }
  }
}
