package jkeras.layers;

import java.util.Map;
import jkeras.backend.Weight;
import jkeras.constraints.Constraint;
import jkeras.constraints.Constraints;
import jkeras.initializers.Initializer;
import jkeras.initializers.Initializers;
import jkeras.regularizers.Regularizer;
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
public final class SeparableConv2D extends Conv {
  /** Keras' default {@code depth_multiplier}. */
  public static final int DEPTH_MULTIPLIER_DEFAULT = 1;

  private final int depthMultiplier;
  private final Initializer depthwiseInitializer;
  private final Initializer pointwiseInitializer;
  private final Regularizer depthwiseRegularizer;
  private final Regularizer pointwiseRegularizer;
  private final Constraint depthwiseConstraint;
  private final Constraint pointwiseConstraint;
  private Weight depthwiseKernel;
  private Weight pointwiseKernel;

  /** {@code SeparableConv2D(filters, kernel_size)} with Keras' defaults. */
  public SeparableConv2D(int filters, int... kernelSize) {
    this(builder(filters, kernelSize));
  }

  private SeparableConv2D(Builder b) {
    super(b);
    this.depthMultiplier = b.depthMultiplier;
    this.depthwiseInitializer = b.depthwiseInitializer;
    this.pointwiseInitializer = b.pointwiseInitializer;
    this.depthwiseRegularizer = b.depthwiseRegularizer;
    this.pointwiseRegularizer = b.pointwiseRegularizer;
    this.depthwiseConstraint = b.depthwiseConstraint;
    this.pointwiseConstraint = b.pointwiseConstraint;
  }

  /**
   * {@code filters} (Keras {@code filters}): the output channels; {@code kernelSize} (Keras {@code
   * kernel_size}): one value for both axes, or (rows, cols).
   */
  public static Builder builder(int filters, int... kernelSize) {
    return new Builder(filters, kernelSize);
  }

  public int depthMultiplier() {
    return depthMultiplier;
  }

  @Override
  void createWeights(int inputDim) {
    depthwiseKernel =
        addWeight(
            "depthwise_kernel",
            new long[] {kernelSize[0], kernelSize[1], inputDim, depthMultiplier},
            depthwiseInitializer,
            depthwiseRegularizer,
            true,
            depthwiseConstraint);
    pointwiseKernel =
        addWeight(
            "pointwise_kernel",
            new long[] {1, 1, (long) inputDim * depthMultiplier, filters},
            pointwiseInitializer,
            pointwiseRegularizer,
            true,
            pointwiseConstraint);
    addBias();
  }

  @Override
  Operand<TFloat32> convolve(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> d =
        ConvOps.depthwise(
            tf, x, depthwiseKernel.variable().value(), kernelSize, strides, padding, dilationRate);
    return tf.nn.conv2d(
        d, pointwiseKernel.variable().value(), java.util.List.of(1L, 1L, 1L, 1L), "VALID");
  }

  /**
   * Keras' config: {@link Conv}'s keys without the kernel's, then {@code depth_multiplier} and the
   * depthwise and pointwise initializers, regularizers and constraints.
   */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.remove("kernel_initializer");
    c.remove("kernel_regularizer");
    c.remove("kernel_constraint");
    c.put("depth_multiplier", depthMultiplier);
    c.put("depthwise_initializer", Initializers.serialize(depthwiseInitializer));
    c.put("pointwise_initializer", Initializers.serialize(pointwiseInitializer));
    c.put("depthwise_regularizer", LayerUtils.serialize(depthwiseRegularizer));
    c.put("pointwise_regularizer", LayerUtils.serialize(pointwiseRegularizer));
    c.put("depthwise_constraint", Constraints.serialize(depthwiseConstraint));
    c.put("pointwise_constraint", Constraints.serialize(pointwiseConstraint));
    return c;
  }

  /** Builds a {@link SeparableConv2D}; defaults are Keras'. */
  public static final class Builder extends Conv.DepthwiseBuilder<Builder> {
    private Initializer pointwiseInitializer = Initializers.get(KERNEL_INITIALIZER_DEFAULT);
    private Regularizer pointwiseRegularizer;
    private Constraint pointwiseConstraint;

    private Builder(int filters, int[] kernelSize) {
      super(filters, kernelSize);
    }

    /**
     * {@code pointwiseInitializer} (Keras {@code pointwise_initializer}). Default glorot_uniform.
     */
    public Builder pointwiseInitializer(Object init) {
      this.pointwiseInitializer = Initializers.get(init);
      return this;
    }

    /**
     * {@code pointwiseRegularizer} (Keras {@code pointwise_regularizer}): as a bias regularizer.
     */
    public Builder pointwiseRegularizer(Object r) {
      this.pointwiseRegularizer = Regularizers.get(r);
      return this;
    }

    /** {@code pointwiseConstraint} (Keras {@code pointwise_constraint}): as a bias constraint. */
    public Builder pointwiseConstraint(Object c) {
      this.pointwiseConstraint = Constraints.get(c);
      return this;
    }

    public SeparableConv2D build() {
      return new SeparableConv2D(this);
    }
  }
}
