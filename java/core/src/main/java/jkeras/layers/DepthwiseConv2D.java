package jkeras.layers;

import java.util.Map;
import jkeras.constraints.Constraint;
import jkeras.constraints.Constraints;
import jkeras.initializers.Initializer;
import jkeras.initializers.Initializers;
import jkeras.regularizers.Regularizer;
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
public final class DepthwiseConv2D extends Conv {
  /** Keras' default {@code depth_multiplier}. */
  public static final int DEPTH_MULTIPLIER_DEFAULT = 1;

  private final int depthMultiplier;
  private final Initializer depthwiseInitializer;
  private final Regularizer depthwiseRegularizer;
  private final Constraint depthwiseConstraint;

  /** {@code DepthwiseConv2D(kernel_size)} with Keras' defaults. */
  public DepthwiseConv2D(int... kernelSize) {
    this(builder(kernelSize));
  }

  private DepthwiseConv2D(Builder b) {
    super(b);
    this.depthMultiplier = b.depthMultiplier;
    this.depthwiseInitializer = b.depthwiseInitializer;
    this.depthwiseRegularizer = b.depthwiseRegularizer;
    this.depthwiseConstraint = b.depthwiseConstraint;
  }

  /** {@code kernelSize} (Keras {@code kernel_size}): one value for both axes, or (rows, cols). */
  public static Builder builder(int... kernelSize) {
    return new Builder(kernelSize);
  }

  public int depthMultiplier() {
    return depthMultiplier;
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
    kernel =
        addWeight(
            "depthwise_kernel",
            new long[] {kernelSize[0], kernelSize[1], inputDim, depthMultiplier},
            depthwiseInitializer,
            depthwiseRegularizer,
            true,
            depthwiseConstraint);
    if (useBias)
      bias =
          addWeight(
              "bias",
              new long[] {(long) inputDim * depthMultiplier},
              biasInitializer,
              biasRegularizer,
              true,
              biasConstraint);
  }

  @Override
  Operand<TFloat32> convolve(Ops tf, Operand<TFloat32> x) {
    return ConvOps.depthwise(
        tf, x, kernel.variable().value(), kernelSize, strides, padding, dilationRate);
  }

  /**
   * Keras' config: {@link Conv}'s keys without {@code filters} and the kernel's, then {@code
   * depth_multiplier} and the depthwise initializer, regularizer and constraint.
   */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.remove("filters");
    c.remove("kernel_initializer");
    c.remove("kernel_regularizer");
    c.remove("kernel_constraint");
    c.put("depth_multiplier", depthMultiplier);
    c.put("depthwise_initializer", Initializers.serialize(depthwiseInitializer));
    c.put("depthwise_regularizer", LayerUtils.serialize(depthwiseRegularizer));
    c.put("depthwise_constraint", Constraints.serialize(depthwiseConstraint));
    return c;
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
