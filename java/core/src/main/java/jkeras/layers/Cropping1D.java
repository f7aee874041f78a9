package jkeras.layers;

import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import jkeras.utils.ConvUtils;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Cropping1D(cropping)}: removes steps at the start and the end of {@code (batch,
 * steps, features)}; {@code cropping} is one count for both ends or (start, end). Default (1, 1).
 */
public final class Cropping1D extends Layer {
  private final int[] cropping;

  /** {@code Cropping1D()} with Keras' defaults (one step at each end). */
  public Cropping1D() {
    this(builder());
  }

  /** {@code Cropping1D(cropping)}: one count for both ends, or (start, end). */
  public Cropping1D(int... cropping) {
    this(builder().cropping(cropping));
  }

  private Cropping1D(Builder b) {
    super(b);
    this.cropping = b.cropping;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** (start, end). */
  public int[] cropping() {
    return cropping.clone();
  }

  @Override
  protected boolean weightsFreeLayer() {
    return true;
  }

  @Override
  protected void checkInputs(List<long[]> inputShapes) {
    LayerUtils.checkInputSpec(this, inputShapes, 3, 0, null);
  }

  @Override
  public long[] computeOutputShape(List<long[]> inputShapes) {
    long[] s = inputShapes.get(0).clone();
    if (s[1] >= 0) s[1] -= cropping[0] + cropping[1];
    return s;
  }

  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    return LayerUtils.crop(ctx.tf(), inputs.get(0), new int[][] {cropping});
  }

  /** Keras' config: {@code cropping} (start, end). */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("cropping", LayerUtils.tuple(cropping));
    return c;
  }

  /** Builds a {@link Cropping1D}; defaults are Keras'. */
  public static final class Builder extends Layer.Builder<Builder> {
    private int[] cropping = {1, 1};

    private Builder() {}

    /** {@code cropping} (Keras {@code cropping}): one count for both ends, or (start, end). */
    public Builder cropping(int... cropping) {
      this.cropping =
          LayerUtils.nonNegative(ConvUtils.normalizeTuple(cropping, 2, "cropping"), "cropping");
      return this;
    }

    public Cropping1D build() {
      return new Cropping1D(this);
    }
  }
}
