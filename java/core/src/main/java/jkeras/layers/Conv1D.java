package jkeras.layers;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Conv1D(filters, kernel_size)}: a temporal convolution over {@code (batch, steps,
 * channels)} ({@code (batch, channels, steps)} channels-first); the kernel has shape {@code
 * (kernel_size, input_channels, filters)}. {@code padding="causal"} pads {@code dilation_rate *
 * (kernel_size - 1)} zeros before the steps, so no output step sees a later input step.
 *
 * <pre>{@code
 * Layer c = Conv1D.builder(16, 3).padding("causal").dilationRate(2).activation("relu").build();
 * }</pre>
 */
public final class Conv1D extends Conv {
  /** {@code Conv1D(filters, kernel_size)} with Keras' defaults. */
  public Conv1D(int filters, int kernelSize) {
    this(builder(filters, kernelSize));
  }

  private Conv1D(Builder b) {
    super(b);
    if (padding.equals("causal") && channelsFirst()) {
      throw new IllegalArgumentException(
          "When using causal padding in `Conv1D`, `data_format` must be \"channels_last\""
              + " (temporal data).");
    }
  }

  /**
   * {@code filters} (Keras {@code filters}): the output channels; {@code kernelSize} (Keras {@code
   * kernel_size}): the window length.
   */
  public static Builder builder(int filters, int kernelSize) {
    return new Builder(filters, kernelSize);
  }

  @Override
  void createWeights(int inputDim) {
    addKernel(kernelSize[0], inputDim, filters);
    addBias(filters);
  }

  @Override
  Operand<TFloat32> convolve(Ops tf, Operand<TFloat32> x) {
    String p = padding;
    if (p.equals("causal")) {
      // Keras' K.conv1d: causal is left padding then "valid".
      int left = dilationRate[0] * (kernelSize[0] - 1);
      x = tf.pad(x, tf.constant(new int[][] {{0, 0}, {left, 0}, {0, 0}}), tf.constant(0f));
      p = "valid";
    }
    return ConvOps.conv(tf, x, kernel.variable().value(), kernelSize, strides, p, dilationRate);
  }

  /** Builds a {@link Conv1D}; defaults are Keras'. */
  public static final class Builder extends Conv.KernelBuilder<Builder> {
    private Builder(int filters, int kernelSize) {
      super(1, filters, new int[] {kernelSize});
    }

    /** {@code padding} (Keras {@code padding}): "valid", "same" or "causal". Default "valid". */
    @Override
    public Builder padding(String padding) {
      return super.padding(padding);
    }

    public Conv1D build() {
      return new Conv1D(this);
    }
  }
}
