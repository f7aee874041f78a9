package jkeras.layers;

/**
 * Keras' {@code GlobalMaxPooling2D(data_format)}: the maximum over the rows and cols of {@code
 * (batch, rows, cols, channels)}, giving {@code (batch, channels)}.
 */
public final class GlobalMaxPooling2D extends GlobalPooling {
  /** {@code GlobalMaxPooling2D()} with Keras' defaults. */
  public GlobalMaxPooling2D() {
    this(builder());
  }

  private GlobalMaxPooling2D(Builder b) {
    super(b, true);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link GlobalMaxPooling2D}; defaults are Keras'. */
  public static final class Builder extends GlobalPooling.Builder<Builder> {
    private Builder() {
      super(2);
    }

    @Override
    public GlobalMaxPooling2D build() {
      return new GlobalMaxPooling2D(this);
    }
  }
}
