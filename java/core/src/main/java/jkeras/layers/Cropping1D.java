package jkeras.layers;

/**
 * Keras' {@code Cropping1D(cropping)}: removes steps at the start and the end of {@code (batch,
 * steps, features)}; {@code cropping} is one count for both ends or (start, end). Default (1, 1).
 */
public final class Cropping1D extends SpatialMargins {
  /** {@code Cropping1D()} with Keras' defaults (one step at each end). */
  public Cropping1D() {
    this(builder());
  }

  /** {@code Cropping1D(cropping)}: one count for both ends, or (start, end). */
  public Cropping1D(int... cropping) {
    this(builder().cropping(cropping));
  }

  private Cropping1D(Builder b) {
    super(b, Conv.DATA_FORMAT_DEFAULT, true, new int[][] {b.cropping});
  }

  public static Builder builder() {
    return new Builder();
  }

  /** (start, end). */
  public int[] cropping() {
    return margins[0].clone();
  }

  /** Builds a {@link Cropping1D}; defaults are Keras'. */
  public static final class Builder extends Layer.Builder<Builder> {
    private int[] cropping = {1, 1};

    private Builder() {}

    /** {@code cropping} (Keras {@code cropping}): one count for both ends, or (start, end). */
    public Builder cropping(int... cropping) {
      this.cropping = LayerUtils.pair1D(cropping, "cropping");
      return this;
    }

    public Cropping1D build() {
      return new Cropping1D(this);
    }
  }
}
