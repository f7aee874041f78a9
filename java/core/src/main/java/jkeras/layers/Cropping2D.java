package jkeras.layers;

/**
 * Keras' {@code Cropping2D(cropping, data_format)}: removes rows and cols around {@code (batch,
 * rows, cols, channels)} ({@code (batch, channels, rows, cols)} channels-first). {@code cropping}
 * is Keras' {@code ((top, bottom), (left, right))}; default none.
 */
public final class Cropping2D extends SpatialMargins {
  /** {@code Cropping2D()} with Keras' defaults. */
  public Cropping2D() {
    this(builder());
  }

  /**
   * {@code Cropping2D(cropping)}: one count for every side, (rows, cols) for both ends of each
   * axis, or (top, bottom, left, right).
   */
  public Cropping2D(int... cropping) {
    this(builder().cropping(cropping));
  }

  private Cropping2D(Builder b) {
    super(b, b.dataFormat, true, b.cropping);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** ((top, bottom), (left, right)). */
  public int[][] cropping() {
    return LayerUtils.copy(margins);
  }

  public String dataFormat() {
    return dataFormat;
  }

  /** Builds a {@link Cropping2D}; defaults are Keras'. */
  public static final class Builder extends SpatialLayer.Builder<Builder> {
    private int[][] cropping = {{0, 0}, {0, 0}};

    private Builder() {}

    /**
     * {@code cropping} (Keras {@code cropping}): one count for every side, (rows, cols) for both
     * ends of each axis, or (top, bottom, left, right). Default none.
     */
    public Builder cropping(int... cropping) {
      this.cropping = LayerUtils.pairs2D(cropping, "cropping");
      return this;
    }

    /** {@code cropping} as Keras' ((top, bottom), (left, right)). */
    public Builder cropping(int[][] cropping) {
      this.cropping = LayerUtils.pairs2D(cropping, "cropping");
      return this;
    }

    public Cropping2D build() {
      return new Cropping2D(this);
    }
  }
}
