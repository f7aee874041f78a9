package jkeras.layers;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code DepthwiseConv2D(kernel_size)}: each input channel convolved on its own into {@code
 * depth_multiplier} output channels ({@code tf.nn.depthwise_conv2d}); {@code input_channels *
 * depth_multiplier} outputs. Weights, in Keras' order: {@code depthwise_kernel} {@code
 * (kernel_rows, kernel_cols, input_channels, depth_multiplier)}, {@code bias} {@code
 * (input_channels * depth_multiplier,)}.
 *
 * <pre>{@code
 * Layer d = DepthwiseConv2D.builder(3).depthMultiplier(2).padding("same").build();
 * }</pre>
 */
public final class DepthwiseConv2D extends DepthwiseConv {
  /** Keras' default {@code depth_multiplier}. */
  public static final int DEPTH_MULTIPLIER_DEFAULT = 1;

  /** {@code DepthwiseConv2D(kernel_size)} with Keras' defaults. */
  public DepthwiseConv2D(int... kernelSize) {
    this(builder(kernelSize));
  }

  private DepthwiseConv2D(Builder b) {
    super(b, null);
  }

  /** {@code kernelSize} (Keras {@code kernel_size}): one value for both axes, or (rows, cols). */
  public static Builder builder(int... kernelSize) {
    return new Builder(kernelSize);
  }

  /** Keras' DepthwiseConv2D names the channel axis 3 (not -1) in its InputSpec. */
  @Override
  int channelAxisKey() {
    return channelsFirst() ? 1 : 3;
  }

  @Override
  int outputChannels(long inputDim) {
    return inputDim < 0 ? -1 : (int) inputDim * depthMultiplier;
  }

  @Override
  void createWeights(int inputDim) {
    kernel = addDepthwiseKernel(inputDim);
    addBias((long) inputDim * depthMultiplier);
  }

  @Override
  Operand<TFloat32> convolve(Ops tf, Operand<TFloat32> x) {
    return ConvOps.depthwise(
        tf, x, kernel.variable().value(), kernelSize, strides, padding, dilationRate);
  }

  /** Builds a {@link DepthwiseConv2D}; defaults are Keras'. */
  public static final class Builder extends Conv.DepthwiseBuilder<Builder> {
    private Builder(int[] kernelSize) {
      super(DEPTHWISE, kernelSize);
    }

    public DepthwiseConv2D build() {
      return new DepthwiseConv2D(this);
    }
  }
}
