package jkeras.layers;

/**
 * Keras' {@code ZeroPadding2D(padding, data_format)}: adds zero rows and cols around {@code (batch,
 * rows, cols, channels)} ({@code (batch, channels, rows, cols)} channels-first). {@code padding} is
 * Keras' {@code ((top, bottom), (left, right))}; default 1 on every side.
 */
public final class ZeroPadding2D extends SpatialMargins {
  /** {@code ZeroPadding2D()} with Keras' defaults. */
  public ZeroPadding2D() {
    this(builder());
  }

  /**
   * {@code ZeroPadding2D(padding)}: one count for every side, (rows, cols) for both ends of each
   * axis, or (top, bottom, left, right).
   */
  public ZeroPadding2D(int... padding) {
    this(builder().padding(padding));
  }

  private ZeroPadding2D(Builder b) {
    super(b, b.dataFormat, false, b.padding);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** ((top, bottom), (left, right)). */
  public int[][] padding() {
    return LayerUtils.copy(margins);
  }

  public String dataFormat() {
    return dataFormat;
  }

  /** Builds a {@link ZeroPadding2D}; defaults are Keras'. */
  public static final class Builder extends SpatialLayer.Builder<Builder> {
    private int[][] padding = {{1, 1}, {1, 1}};

    private Builder() {}

    /**
     * {@code padding} (Keras {@code padding}): one count for every side, (rows, cols) for both ends
     * of each axis, or (top, bottom, left, right). Default 1 on every side.
     */
    public Builder padding(int... padding) {
      this.padding = LayerUtils.pairs2D(padding, "padding");
      return this;
    }

    /** {@code padding} as Keras' ((top, bottom), (left, right)). */
    public Builder padding(int[][] padding) {
      this.padding = LayerUtils.pairs2D(padding, "padding");
      return this;
    }

    public ZeroPadding2D build() {
      return new ZeroPadding2D(this);
    }
  }
}
