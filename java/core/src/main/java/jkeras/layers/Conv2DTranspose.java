package jkeras.layers;

import java.util.List;
import java.util.Map;
import jkeras.utils.ConvUtils;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras' {@code Conv2DTranspose(filters, kernel_size)} (a "deconvolution"): the gradient of a
 * {@link Conv2D} with respect to its input, run forward ({@code Conv2DBackpropInput}). The kernel
 * has Keras' shape {@code (kernel_rows, kernel_cols, filters, input_channels)}; the output size
 * along each spatial axis is Keras' {@code deconv_length}: {@code size * stride + max(kernel -
 * stride, 0)} for "valid", {@code size * stride} for "same", or, with {@code output_padding},
 * {@code (size - 1) * stride + kernel - 2 * pad + output_padding}.
 *
 * <p>A dilation rate above 1 follows Keras' {@code tf.nn.atrous_conv2d_transpose}: the same rate on
 * both axes, and strides 1.
 *
 * <pre>{@code
 * Layer up = Conv2DTranspose.builder(16, 3).strides(2).padding("same").build(); // 7x7 -> 14x14
 * }</pre>
 */
public final class Conv2DTranspose extends Conv {
  private final int[] outputPadding;

  /** {@code Conv2DTranspose(filters, kernel_size)} with Keras' defaults. */
  public Conv2DTranspose(int filters, int... kernelSize) {
    this(builder(filters, kernelSize));
  }

  private Conv2DTranspose(Builder b) {
    super(b);
    this.outputPadding = b.outputPadding;
    if (outputPadding != null) {
      for (int i = 0; i < 2; i++) {
        if (outputPadding[i] >= strides[i]) {
          throw new IllegalArgumentException(
              "Stride "
                  + ConvUtils.pythonTuple(strides)
                  + " must be greater than output padding "
                  + ConvUtils.pythonTuple(outputPadding));
        }
      }
    }
    if (dilationRate[0] != dilationRate[1]) {
      throw new IllegalArgumentException(
          "Conv2DTranspose needs the same dilation rate on both axes (Keras' K.conv2d_transpose"
              + " asserts dilation_rate[0] == dilation_rate[1]). Received: dilation_rate="
              + ConvUtils.pythonTuple(dilationRate));
    }
  }

  /**
   * {@code filters} (Keras {@code filters}): the output channels; {@code kernelSize} (Keras {@code
   * kernel_size}): one value for both axes, or (rows, cols).
   */
  public static Builder builder(int filters, int... kernelSize) {
    return new Builder(filters, kernelSize);
  }

  /** {@code output_padding}, or null (Keras' None: inferred). */
  public int[] outputPadding() {
    return outputPadding == null ? null : outputPadding.clone();
  }

  @Override
  void createWeights(int inputDim) {
    addKernel(kernelSize[0], kernelSize[1], filters, inputDim);
    addBias(filters);
  }

  @Override
  long spatialOutputLength(long length, int i) {
    return ConvUtils.deconvLength(
        length,
        strides[i],
        kernelSize[i],
        padding,
        outputPadding == null ? null : outputPadding[i],
        dilationRate[i]);
  }

  /** The output length along spatial axis {@code i} (1 or 2) of {@code x}, NHWC, as an int32. */
  private Operand<TInt32> outputLength(Ops tf, Operand<TFloat32> x, int i) {
    long known = x.shape().get(i + 1);
    if (known >= 0) return tf.constant((int) spatialOutputLength(known, i));
    // deconv_length is size * stride + deconv_length(0): linear in the size.
    Operand<TInt32> size =
        tf.reshape(
            tf.slice(tf.shape(x), tf.constant(new int[] {i + 1}), tf.constant(new int[] {1})),
            tf.constant(new int[0]));
    return tf.math.add(
        tf.math.mul(size, tf.constant(strides[i])), tf.constant((int) spatialOutputLength(0, i)));
  }

  @Override
  Operand<TFloat32> convolve(Ops tf, Operand<TFloat32> x) {
    Operand<TInt32> batch =
        tf.reshape(
            tf.slice(tf.shape(x), tf.constant(new int[] {0}), tf.constant(new int[] {1})),
            tf.constant(new int[0]));
    Operand<TFloat32> k = kernel.variable().value();
    int rate = dilationRate[0];
    if (rate == 1) {
      Operand<TInt32> sizes =
          tf.stack(
              List.of(batch, outputLength(tf, x, 0), outputLength(tf, x, 1), tf.constant(filters)));
      List<Long> s = List.of(1L, (long) strides[0], (long) strides[1], 1L);
      return tf.nn.conv2dBackpropInput(sizes, k, x, s, ConvOps.tfPadding(padding));
    }
    return atrous(tf, x, k, batch, rate);
  }

  /** {@code tf.nn.atrous_conv2d_transpose(x, kernel, output_shape, rate, padding)}. */
  private Operand<TFloat32> atrous(
      Ops tf, Operand<TFloat32> x, Operand<TFloat32> k, Operand<TInt32> batch, int rate) {
    long h = x.shape().get(1);
    long w = x.shape().get(2);
    if (h < 0 || w < 0) {
      throw new IllegalArgumentException(
          "A dilated Conv2DTranspose needs known input rows and cols in jkeras. Received input"
              + " shape "
              + jkeras.internal.Shapes.toPython(x.shape().asArray()));
    }
    long[] out = {spatialOutputLength(h, 0), spatialOutputLength(w, 1)};
    int[] before = new int[2];
    int[] after = new int[2];
    if (padding.equals("same")) {
      for (int i = 0; i < 2; i++) {
        int up = kernelSize[i] + (kernelSize[i] - 1) * (rate - 1);
        before[i] = (up - 1) / 2;
        after[i] = up - 1 - before[i];
      }
    }
    int[] extra = new int[2];
    int[] inner = new int[2];
    for (int i = 0; i < 2; i++) {
      long in = out[i] + before[i] + after[i];
      extra[i] = (int) ((rate - in % rate) % rate);
      inner[i] = (int) ((in + extra[i]) / rate);
    }
    Operand<TInt32> block = tf.constant(new int[] {rate, rate});
    Operand<TFloat32> v =
        tf.spaceToBatchNd(x, block, tf.constant(new int[][] {{0, extra[0]}, {0, extra[1]}}));
    Operand<TInt32> sizes =
        tf.stack(
            List.of(
                tf.math.mul(batch, tf.constant(rate * rate)),
                tf.constant(inner[0]),
                tf.constant(inner[1]),
                tf.constant(filters)));
    v = tf.nn.conv2dBackpropInput(sizes, k, v, List.of(1L, 1L, 1L, 1L), "VALID");
    return tf.batchToSpaceNd(
        v,
        block,
        tf.constant(
            new int[][] {{before[0], after[0] + extra[0]}, {before[1], after[1] + extra[1]}}));
  }

  /** Keras' config: {@link Conv}'s keys, then {@code output_padding}. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("output_padding", outputPadding == null ? null : LayerUtils.tuple(outputPadding));
    return c;
  }

  /** Builds a {@link Conv2DTranspose}; defaults are Keras'. */
  public static final class Builder extends Conv.KernelBuilder<Builder> {
    private int[] outputPadding;

    private Builder(int filters, int[] kernelSize) {
      super(2, filters, kernelSize);
    }

    /**
     * {@code outputPadding} (Keras {@code output_padding}): the padding added to the end of each
     * output axis, less than the stride; null infers it. Default null.
     */
    public Builder outputPadding(int... outputPadding) {
      this.outputPadding =
          outputPadding == null
              ? null
              : ConvUtils.normalizeTuple(outputPadding, 2, "output_padding");
      return this;
    }

    public Conv2DTranspose build() {
      return new Conv2DTranspose(this);
    }
  }
}
