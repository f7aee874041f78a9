package jkeras.layers;

import java.util.Map;
import jkeras.backend.Weight;

/**
 * What {@link SeparableConv2D} and {@link DepthwiseConv2D} share: {@code depth_multiplier} and a
 * depthwise kernel {@code (kernel_rows, kernel_cols, input_channels, depth_multiplier)} with its
 * own arguments (the {@code depthwise_*} keys, the pointwise kernel's after them in a separable
 * convolution's config).
 */
abstract class DepthwiseConv extends Conv {
  final int depthMultiplier;
  private final WeightArgs depthwiseArgs;

  /** SeparableConv2D's {@code pointwise_*}; null for DepthwiseConv2D. */
  final WeightArgs pointwiseArgs;

  DepthwiseConv(DepthwiseBuilder<?> b, WeightArgs pointwiseArgs) {
    super(b);
    this.depthMultiplier = b.depthMultiplier;
    this.depthwiseArgs = b.depthwise.copy();
    this.pointwiseArgs = pointwiseArgs == null ? null : pointwiseArgs.copy();
  }

  public int depthMultiplier() {
    return depthMultiplier;
  }

  /** Declares {@code depthwise_kernel} for {@code inputDim} input channels. */
  Weight addDepthwiseKernel(int inputDim) {
    return depthwiseArgs.addTo(
        this,
        "depthwise_kernel",
        new long[] {kernelSize[0], kernelSize[1], inputDim, depthMultiplier});
  }

  /**
   * Keras' config: {@link Conv}'s keys (without the kernel's), then {@code depth_multiplier} and
   * the depthwise (and pointwise) initializers, regularizers and constraints.
   */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("depth_multiplier", depthMultiplier);
    if (pointwiseArgs == null) WeightArgs.putAll(c, depthwiseArgs);
    else WeightArgs.putAll(c, depthwiseArgs, pointwiseArgs);
    return c;
  }
}
