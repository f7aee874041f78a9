package jkeras.layers;

import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import jkeras.utils.ConvUtils;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code ZeroPadding1D(padding)}: adds zero steps at the start and the end of {@code (batch,
 * steps, features)}; {@code padding} is one count for both ends or (start, end). Default 1.
 */
public final class ZeroPadding1D extends Layer {
  private final int[] padding;

  /** {@code ZeroPadding1D()} with Keras' defaults (one step at each end). */
  public ZeroPadding1D() {
    this(builder());
  }

  /** {@code ZeroPadding1D(padding)}: one count for both ends, or (start, end). */
  public ZeroPadding1D(int... padding) {
    this(builder().padding(padding));
  }

  private ZeroPadding1D(Builder b) {
    super(b);
    this.padding = b.padding;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** (start, end). */
  public int[] padding() {
    return padding.clone();
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
    if (s[1] >= 0) s[1] += padding[0] + padding[1];
    return s;
  }

  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    return ctx.tf()
        .pad(
            inputs.get(0),
            ctx.tf().constant(new int[][] {{0, 0}, {padding[0], padding[1]}, {0, 0}}),
            ctx.tf().constant(0f));
  }

  /** Keras' config: {@code padding} (start, end). */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("padding", LayerUtils.tuple(padding));
    return c;
  }

  /** Builds a {@link ZeroPadding1D}; defaults are Keras'. */
  public static final class Builder extends Layer.Builder<Builder> {
    private int[] padding = {1, 1};

    private Builder() {}

    /** {@code padding} (Keras {@code padding}): one count for both ends, or (start, end). 1. */
    public Builder padding(int... padding) {
      this.padding =
          LayerUtils.nonNegative(ConvUtils.normalizeTuple(padding, 2, "padding"), "padding");
      return this;
    }

    public ZeroPadding1D build() {
      return new ZeroPadding1D(this);
    }
  }
}
