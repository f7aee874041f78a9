package jkeras.layers;

/**
 * Keras' {@code ZeroPadding1D(padding)}: adds zero steps at the start and the end of {@code (batch,
 * steps, features)}; {@code padding} is one count for both ends or (start, end). Default 1.
 */
public final class ZeroPadding1D extends SpatialMargins {
  /** {@code ZeroPadding1D()} with Keras' defaults (one step at each end). */
  public ZeroPadding1D() {
    this(builder());
  }

  /** {@code ZeroPadding1D(padding)}: one count for both ends, or (start, end). */
  public ZeroPadding1D(int... padding) {
    this(builder().padding(padding));
  }

  private ZeroPadding1D(Builder b) {
    super(b, Conv.DATA_FORMAT_DEFAULT, false, new int[][] {b.padding});
  }

  public static Builder builder() {
    return new Builder();
  }

  /** (start, end). */
  public int[] padding() {
    return margins[0].clone();
  }

  /** Builds a {@link ZeroPadding1D}; defaults are Keras'. */
  public static final class Builder extends Layer.Builder<Builder> {
    private int[] padding = {1, 1};

    private Builder() {}

    /** {@code padding} (Keras {@code padding}): one count for both ends, or (start, end). 1. */
    public Builder padding(int... padding) {
      this.padding = LayerUtils.pair1D(padding, "padding");
      return this;
    }

    public ZeroPadding1D build() {
      return new ZeroPadding1D(this);
    }
  }
}
