package jkeras.layers;

import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import jkeras.utils.ConvUtils;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * The base of the pooling layers, Keras 2.3.1's {@code _Pooling1D} and {@code _Pooling2D}
 * (tf-keras' {@code Pooling1D}, {@code Pooling2D}): the maximum or the mean of each window. {@code
 * strides} default to {@code pool_size}; {@code padding} is "valid" or "same" ("same" pads so that
 * the output has {@code ceil(size / stride)} steps, and averages count only the cells inside the
 * input, as TensorFlow's kernels do). Channels-first inputs are transposed around the op, as Keras'
 * TensorFlow backend does on a CPU. Masks are not supported (Keras 2.3.1 neither).
 */
public abstract class Pooling extends SpatialLayer {
  /** Keras' default {@code padding}. */
  public static final String PADDING_DEFAULT = "valid";

  final int[] poolSize;
  final int[] strides;
  final String padding;
  private final boolean max;

  /** {@code max}: the maximum of each window, else the mean. */
  Pooling(Builder<?> b, boolean max) {
    super(b, b.rank);
    this.poolSize = b.poolSize;
    this.strides = b.strides != null ? b.strides : b.poolSize;
    this.padding = b.padding;
    this.max = max;
    if (padding.equals("causal")) throw new IllegalArgumentException("Invalid padding: causal");
    for (int i = 0; i < rank; i++) {
      if (poolSize[i] <= 0 || strides[i] <= 0)
        throw jkeras.internal.Errors.invalidArgument(
            "pool_size and strides",
            "positive integers",
            ConvUtils.pythonTuple(poolSize) + ", " + ConvUtils.pythonTuple(strides));
    }
  }

  /** {@code pool_size}, one value per spatial axis. */
  public int[] poolSize() {
    return poolSize.clone();
  }

  /** {@code strides}, one value per spatial axis ({@code pool_size} unless given). */
  public int[] strides() {
    return strides.clone();
  }

  public String padding() {
    return padding;
  }

  public String dataFormat() {
    return dataFormat;
  }

  @Override
  long outputLength(long length, int axis) {
    return ConvUtils.convOutputLength(length, poolSize[axis], padding, strides[axis], 1);
  }

  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    return channelsLast(
        ctx, inputs.get(0), x -> ConvOps.pool(ctx.tf(), x, max, poolSize, strides, padding));
  }

  /**
   * Keras' config: 1D {@code strides, pool_size, padding, data_format}; 2D {@code pool_size,
   * padding, strides, data_format}.
   */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    if (rank == 1) {
      c.put("strides", LayerUtils.tuple(strides));
      c.put("pool_size", LayerUtils.tuple(poolSize));
      c.put("padding", padding);
    } else {
      c.put("pool_size", LayerUtils.tuple(poolSize));
      c.put("padding", padding);
      c.put("strides", LayerUtils.tuple(strides));
    }
    c.put("data_format", dataFormat);
    return c;
  }

  /**
   * The arguments every pooling layer takes; defaults are Keras'.
   *
   * @param <B> the concrete builder, for chaining
   */
  @SuppressWarnings("unchecked")
  public abstract static class Builder<B extends Builder<B>> extends SpatialLayer.Builder<B> {
    final int rank;
    int[] poolSize;
    int[] strides;
    String padding = PADDING_DEFAULT;

    Builder(int rank) {
      this.rank = rank;
      this.poolSize = ConvUtils.normalizeTuple(new int[] {2}, rank, "pool_size");
    }

    /** {@code poolSize} (Keras {@code pool_size}): one value for every axis or one per axis. 2. */
    public B poolSize(int... poolSize) {
      this.poolSize = ConvUtils.normalizeTuple(poolSize, rank, "pool_size");
      return (B) this;
    }

    /**
     * {@code strides} (Keras {@code strides}): one value for every axis or one per axis; null is
     * {@code poolSize}. Default null.
     */
    public B strides(int... strides) {
      this.strides = strides == null ? null : ConvUtils.normalizeTuple(strides, rank, "strides");
      return (B) this;
    }

    /** {@code padding} (Keras {@code padding}): "valid" or "same". Default "valid". */
    public B padding(String padding) {
      this.padding = ConvUtils.normalizePadding(padding);
      return (B) this;
    }

    /** Builds the layer. */
    public abstract Pooling build();
  }
}
