package jkeras.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import jkeras.utils.ConvUtils;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code ZeroPadding2D(padding, data_format)}: adds zero rows and cols around {@code (batch,
 * rows, cols, channels)} ({@code (batch, channels, rows, cols)} channels-first). {@code padding} is
 * Keras' {@code ((top, bottom), (left, right))}; default 1 on every side.
 */
public final class ZeroPadding2D extends Layer {
  private final int[][] padding;
  private final String dataFormat;

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
    super(b);
    this.padding = b.padding;
    this.dataFormat = b.dataFormat;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** ((top, bottom), (left, right)). */
  public int[][] padding() {
    return new int[][] {padding[0].clone(), padding[1].clone()};
  }

  public String dataFormat() {
    return dataFormat;
  }

  private boolean channelsFirst() {
    return dataFormat.equals("channels_first");
  }

  @Override
  protected boolean weightsFreeLayer() {
    return true;
  }

  @Override
  protected void checkInputs(List<long[]> inputShapes) {
    LayerUtils.checkInputSpec(this, inputShapes, 4, 0, null);
  }

  @Override
  public long[] computeOutputShape(List<long[]> inputShapes) {
    long[] s = inputShapes.get(0).clone();
    int first = channelsFirst() ? 2 : 1;
    for (int i = 0; i < 2; i++)
      if (s[first + i] >= 0) s[first + i] += padding[i][0] + padding[i][1];
    return s;
  }

  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    int[][] amounts = padding;
    return ConvOps.channelsLast(
        ctx.tf(),
        inputs.get(0),
        channelsFirst(),
        x ->
            ctx.tf()
                .pad(
                    x,
                    ctx.tf().constant(new int[][] {{0, 0}, amounts[0], amounts[1], {0, 0}}),
                    ctx.tf().constant(0f)));
  }

  /** Keras' config: {@code padding} ((top, bottom), (left, right)), {@code data_format}. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    List<Object> p = new ArrayList<>();
    for (int[] pair : padding) p.add(LayerUtils.tuple(pair));
    c.put("padding", p);
    c.put("data_format", dataFormat);
    return c;
  }

  /** Builds a {@link ZeroPadding2D}; defaults are Keras'. */
  public static final class Builder extends Layer.Builder<Builder> {
    private int[][] padding = {{1, 1}, {1, 1}};
    private String dataFormat = Conv.DATA_FORMAT_DEFAULT;

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
      if (padding == null || padding.length != 2)
        throw new IllegalArgumentException(
            "`padding` should have two elements. Found: "
                + (padding == null ? "None" : java.util.Arrays.deepToString(padding)));
      int[] h = ConvUtils.normalizeTuple(padding[0], 2, "1st entry of padding");
      int[] w = ConvUtils.normalizeTuple(padding[1], 2, "2nd entry of padding");
      this.padding =
          new int[][] {LayerUtils.nonNegative(h, "padding"), LayerUtils.nonNegative(w, "padding")};
      return this;
    }

    /**
     * {@code dataFormat} (Keras {@code data_format}): "channels_last" or "channels_first"; null is
     * the default. Default "channels_last".
     */
    public Builder dataFormat(String dataFormat) {
      this.dataFormat = ConvUtils.normalizeDataFormat(dataFormat);
      return this;
    }

    public ZeroPadding2D build() {
      return new ZeroPadding2D(this);
    }
  }
}
