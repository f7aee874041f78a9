package jkeras.layers;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Conv2D(filters, kernel_size)}: a spatial convolution over {@code (batch, rows,
 * cols, channels)} ({@code (batch, channels, rows, cols)} channels-first); the kernel has Keras'
 * (and TensorFlow's HWIO) shape {@code (kernel_rows, kernel_cols, input_channels, filters)}.
 *
 * <pre>{@code
 * Layer c = Conv2D.builder(32, 3).activation("relu").inputShape(28, 28, 1).build();
 * Layer d = Conv2D.builder(64, 3, 3).strides(2).padding("same").build();
 * }</pre>
 */
public final class Conv2D extends Conv {
  /** {@code Conv2D(filters, kernel_size)} with Keras' defaults. */
  public Conv2D(int filters, int... kernelSize) {
    this(builder(filters, kernelSize));
  }

  private Conv2D(Builder b) {
    super(b);
  }

  /**
   * {@code filters} (Keras {@code filters}): the output channels; {@code kernelSize} (Keras {@code
   * kernel_size}): one value for both axes, or (rows, cols).
   */
  public static Builder builder(int filters, int... kernelSize) {
    return new Builder(filters, kernelSize);
  }

  @Override
  void createWeights(int inputDim) {
    addKernel(kernelSize[0], kernelSize[1], inputDim, filters);
    addBias(filters);
  }

  @Override
  Operand<TFloat32> convolve(Ops tf, Operand<TFloat32> x) {
    return ConvOps.conv(
        tf, x, kernel.variable().value(), kernelSize, strides, padding, dilationRate);
  }

  /** Builds a {@link Conv2D}; defaults are Keras'. */
  public static final class Builder extends Conv.KernelBuilder<Builder> {
    private Builder(int filters, int[] kernelSize) {
      super(2, filters, kernelSize);
    }

    public Conv2D build() {
      return new Conv2D(this);
    }
  }
}
