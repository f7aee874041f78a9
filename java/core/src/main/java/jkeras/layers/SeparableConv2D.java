package jkeras.layers;

import jkeras.backend.Weight;
import jkeras.constraints.Constraints;
import jkeras.initializers.Initializers;
import jkeras.regularizers.Regularizers;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code SeparableConv2D(filters, kernel_size)}: a depthwise convolution (each input channel
 * convolved on its own, {@code depth_multiplier} outputs per channel) followed by a pointwise 1x1
 * convolution mixing the channels ({@code tf.nn.separable_conv2d}). Weights, in Keras' order:
 * {@code depthwise_kernel} {@code (kernel_rows, kernel_cols, input_channels, depth_multiplier)},
 * {@code pointwise_kernel} {@code (1, 1, input_channels * depth_multiplier, filters)}, {@code bias}
 * {@code (filters,)}.
 *
 * <pre>{@code
 * Layer s = SeparableConv2D.builder(32, 3).depthMultiplier(2).padding("same").build();
 * }</pre>
 */
public final class SeparableConv2D extends DepthwiseConv {
  /** Keras' default {@code depth_multiplier}. */
  public static final int DEPTH_MULTIPLIER_DEFAULT = 1;

  private Weight depthwiseKernel;
  private Weight pointwiseKernel;

  /** {@code SeparableConv2D(filters, kernel_size)} with Keras' defaults. */
  public SeparableConv2D(int filters, int... kernelSize) {
    this(builder(filters, kernelSize));
  }

  private SeparableConv2D(Builder b) {
    super(b, b.pointwise);
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
    depthwiseKernel = addDepthwiseKernel(inputDim);
    pointwiseKernel =
        pointwiseArgs.addTo(
            this,
            "pointwise_kernel",
            new long[] {1, 1, (long) inputDim * depthMultiplier, filters});
    addBias(filters);
  }

  @Override
  Operand<TFloat32> convolve(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> d =
        ConvOps.depthwise(
            tf, x, depthwiseKernel.variable().value(), kernelSize, strides, padding, dilationRate);
    return tf.nn.conv2d(
        d, pointwiseKernel.variable().value(), java.util.List.of(1L, 1L, 1L, 1L), "VALID");
  }

  /** Builds a {@link SeparableConv2D}; defaults are Keras'. */
  public static final class Builder extends Conv.DepthwiseBuilder<Builder> {
    final WeightArgs pointwise = new WeightArgs("pointwise", KERNEL_INITIALIZER_DEFAULT);

    private Builder(int filters, int[] kernelSize) {
      super(filters, kernelSize);
    }

    /**
     * {@code pointwiseInitializer} (Keras {@code pointwise_initializer}). Default glorot_uniform.
     */
    public Builder pointwiseInitializer(Object init) {
      pointwise.initializer = Initializers.get(init);
      return this;
    }

    /**
     * {@code pointwiseRegularizer} (Keras {@code pointwise_regularizer}): as a bias regularizer.
     */
    public Builder pointwiseRegularizer(Object r) {
      pointwise.regularizer = Regularizers.get(r);
      return this;
    }

    /** {@code pointwiseConstraint} (Keras {@code pointwise_constraint}): as a bias constraint. */
    public Builder pointwiseConstraint(Object c) {
      pointwise.constraint = Constraints.get(c);
      return this;
    }

    public SeparableConv2D build() {
      return new SeparableConv2D(this);
    }
  }
}
