package jkeras.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import jkeras.utils.ConvUtils;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Cropping2D(cropping, data_format)}: removes rows and cols around {@code (batch,
 * rows, cols, channels)} ({@code (batch, channels, rows, cols)} channels-first). {@code cropping}
 * is Keras' {@code ((top, bottom), (left, right))}; default none.
 */
public final class Cropping2D extends Layer {
  private final int[][] cropping;
  private final String dataFormat;

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
    super(b);
    this.cropping = b.cropping;
    this.dataFormat = b.dataFormat;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** ((top, bottom), (left, right)). */
  public int[][] cropping() {
    return new int[][] {cropping[0].clone(), cropping[1].clone()};
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
      if (s[first + i] >= 0) s[first + i] -= cropping[i][0] + cropping[i][1];
    return s;
  }

  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    int[][] amounts = cropping;
    return ConvOps.channelsLast(
        ctx.tf(), inputs.get(0), channelsFirst(), x -> LayerUtils.crop(ctx.tf(), x, amounts));
  }

  /** Keras' config: {@code cropping} ((top, bottom), (left, right)), {@code data_format}. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    List<Object> p = new ArrayList<>();
    for (int[] pair : cropping) p.add(LayerUtils.tuple(pair));
    c.put("cropping", p);
    c.put("data_format", dataFormat);
    return c;
  }

  /** Builds a {@link Cropping2D}; defaults are Keras'. */
  public static final class Builder extends Layer.Builder<Builder> {
    private int[][] cropping = {{0, 0}, {0, 0}};
    private String dataFormat = Conv.DATA_FORMAT_DEFAULT;

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
      if (cropping == null || cropping.length != 2)
        throw new IllegalArgumentException(
            "`cropping` should have two elements. Found: "
                + (cropping == null ? "None" : java.util.Arrays.deepToString(cropping)));
      int[] h = ConvUtils.normalizeTuple(cropping[0], 2, "1st entry of cropping");
      int[] w = ConvUtils.normalizeTuple(cropping[1], 2, "2nd entry of cropping");
      this.cropping =
          new int[][] {
            LayerUtils.nonNegative(h, "cropping"), LayerUtils.nonNegative(w, "cropping")
          };
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

    public Cropping2D build() {
      return new Cropping2D(this);
    }
  }
}
