package jkeras.layers;

/**
 * Keras' {@code GlobalMaxPooling1D(data_format)}: the maximum over the steps of {@code (batch,
 * steps, features)}, giving {@code (batch, channels)}.
 */
public final class GlobalMaxPooling1D extends GlobalPooling {
  /** {@code GlobalMaxPooling1D()} with Keras' defaults. */
  public GlobalMaxPooling1D() {
    this(builder());
  }

  private GlobalMaxPooling1D(Builder b) {
    super(b, true);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link GlobalMaxPooling1D}; defaults are Keras'. */
  public static final class Builder extends GlobalPooling.Builder<Builder> {
    private Builder() {
      super(1);
    }

    @Override
    public GlobalMaxPooling1D build() {
      return new GlobalMaxPooling1D(this);
    }
  }
}
