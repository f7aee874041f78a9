package jkeras.layers;

import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import jkeras.backend.Weight;
import jkeras.constraints.Constraints;
import jkeras.initializers.Initializers;
import jkeras.internal.Errors;
import jkeras.regularizers.Regularizers;
import jkeras.utils.ConvUtils;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The base of the convolution layers, Keras 2.3.1's {@code _Conv} (tf-keras' {@code Conv}): a
 * kernel slid over 1 or 2 spatial axes, {@code activation(conv(inputs, kernel) + bias)}.
 *
 * <p>Arguments and their defaults are Keras': {@code strides} 1, {@code padding} "valid", {@code
 * data_format} "channels_last", {@code dilation_rate} 1, no activation, a bias, Glorot-uniform
 * kernels and zero biases. Tuple arguments take one value for every axis or one per axis. Inputs of
 * a channels-first layer are transposed to channels-last around the op, as Keras' TensorFlow
 * backend does on a CPU. Masks are not supported (Keras 2.3.1 neither): a masked input is an error.
 * Stateful and not thread-safe, as every layer.
 */
public abstract class Conv extends Layer {
  /** Keras' default {@code kernel_initializer} (and depthwise/pointwise initializers). */
  public static final String KERNEL_INITIALIZER_DEFAULT = "glorot_uniform";

  /** Keras' default {@code bias_initializer}. */
  public static final String BIAS_INITIALIZER_DEFAULT = "zeros";

  /** Keras' default {@code padding}. */
  public static final String PADDING_DEFAULT = "valid";

  /** Keras' default {@code data_format} (its {@code image_data_format()}). */
  public static final String DATA_FORMAT_DEFAULT = "channels_last";

  final int rank;
  final int filters;
  final int[] kernelSize;
  final int[] strides;
  final String padding;
  final String dataFormat;
  final int[] dilationRate;
  final jkeras.activations.Activation activation;
  final boolean useBias;

  /** {@code kernel_*}; null for the depthwise convolutions, whose kernels have their own. */
  private final WeightArgs kernelArgs;

  private final WeightArgs biasArgs;
  Weight kernel;
  Weight bias;
  private int inputDim = -1;

  Conv(Builder<?> b) {
    super(b);
    this.rank = b.rank;
    this.filters = b.filters;
    this.kernelSize = ConvUtils.normalizeTuple(b.kernelSize, rank, "kernel_size");
    this.strides = ConvUtils.normalizeTuple(b.strides, rank, "strides");
    this.padding = b.padding;
    this.dataFormat = b.dataFormat;
    this.dilationRate = ConvUtils.normalizeTuple(b.dilationRate, rank, "dilation_rate");
    this.activation = b.activation;
    this.useBias = b.useBias;
    this.kernelArgs = b.kernel == null ? null : b.kernel.copy();
    this.biasArgs = b.bias.copy();
    setActivityRegularizer(b.activityRegularizer);
    if (padding.equals("causal") && !(this instanceof Conv1D)) {
      // Keras accepts it in normalize_padding and fails in the backend (_preprocess_padding).
      throw new IllegalArgumentException("Invalid padding: causal");
    }
    boolean strided = false;
    boolean dilated = false;
    for (int i = 0; i < rank; i++) {
      strided |= strides[i] > 1;
      dilated |= dilationRate[i] > 1;
      if (kernelSize[i] <= 0 || strides[i] <= 0 || dilationRate[i] <= 0) {
        throw Errors.invalidArgument(
            "kernel_size, strides and dilation_rate",
            "positive integers",
            ConvUtils.pythonTuple(kernelSize)
                + ", "
                + ConvUtils.pythonTuple(strides)
                + ", "
                + ConvUtils.pythonTuple(dilationRate));
      }
    }
    if (strided && dilated) {
      // TensorFlow's tf.nn.convolution (Keras 2.3.1 documents the two as incompatible).
      throw new IllegalArgumentException(
          "`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: strides="
              + ConvUtils.pythonTuple(strides)
              + " and dilation_rate="
              + ConvUtils.pythonTuple(dilationRate));
    }
  }

  /** Number of output filters ({@code filters}); -1 for {@link DepthwiseConv2D} (Keras' None). */
  public int filters() {
    return filters;
  }

  /** {@code kernel_size}, one value per spatial axis. */
  public int[] kernelSize() {
    return kernelSize.clone();
  }

  /** {@code strides}, one value per spatial axis. */
  public int[] strides() {
    return strides.clone();
  }

  /** {@code padding}: "valid", "same" (or "causal" for Conv1D). */
  public String padding() {
    return padding;
  }

  /** {@code data_format}: "channels_last" or "channels_first". */
  public String dataFormat() {
    return dataFormat;
  }

  /** {@code dilation_rate}, one value per spatial axis. */
  public int[] dilationRate() {
    return dilationRate.clone();
  }

  public jkeras.activations.Activation activation() {
    return activation;
  }

  public boolean useBias() {
    return useBias;
  }

  boolean channelsFirst() {
    return dataFormat.equals("channels_first");
  }

  /** The channel axis as Keras' {@code InputSpec} names it (-1 channels-last, 1 channels-first). */
  int channelAxisKey() {
    return channelsFirst() ? 1 : -1;
  }

  @Override
  protected void checkInputs(List<long[]> inputShapes) {
    // Keras' InputSpec(ndim=rank + 2, axes={channel_axis: input_dim}): spatial sizes may change.
    Long channels = inputDim >= 0 ? (long) inputDim : null;
    LayerUtils.checkInputSpec(this, inputShapes, rank + 2, channelAxisKey(), channels);
  }

  @Override
  public void build(List<long[]> inputShapes) {
    long[] s = inputShapes.get(0);
    long inputDim = s[channelsFirst() ? 1 : s.length - 1];
    if (inputDim < 0) {
      throw new IllegalArgumentException(
          "The channel dimension of the inputs should be defined. Found `None`.");
    }
    this.inputDim = (int) inputDim;
    createWeights(this.inputDim);
  }

  /** Declares the layer's weights for {@code inputDim} input channels. */
  abstract void createWeights(int inputDim);

  /**
   * Declares {@code kernel} of {@code shape} with the layer's kernel initializer, penalty,
   * constraint.
   */
  final void addKernel(long... shape) {
    kernel = kernelArgs.addTo(this, "kernel", shape);
  }

  /** Declares the bias, {@code size} long, when the layer has one ({@code use_bias}). */
  final void addBias(long size) {
    if (useBias) bias = biasArgs.addTo(this, "bias", new long[] {size});
  }

  /** The number of output channels for {@code inputDim} input channels. */
  int outputChannels(long inputDim) {
    return filters;
  }

  @Override
  public long[] computeOutputShape(List<long[]> inputShapes) {
    long[] in = inputShapes.get(0);
    long[] out = new long[in.length];
    out[0] = in[0];
    int first = channelsFirst() ? 2 : 1;
    for (int i = 0; i < rank; i++) {
      out[first + i] = spatialOutputLength(in[first + i], i);
    }
    int c = channelsFirst() ? 1 : in.length - 1;
    out[c] = outputChannels(in[c]);
    return out;
  }

  /** Keras' {@code conv_output_length} along spatial axis {@code i}. */
  long spatialOutputLength(long length, int i) {
    return ConvUtils.convOutputLength(length, kernelSize[i], padding, strides[i], dilationRate[i]);
  }

  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    Ops tf = ctx.tf();
    Operand<TFloat32> y =
        ConvOps.channelsLast(
            tf,
            inputs.get(0),
            channelsFirst(),
            x -> {
              Operand<TFloat32> o = convolve(tf, x);
              return useBias ? tf.nn.biasAdd(o, bias.variable().value()) : o;
            });
    return LayerUtils.activate(ctx, activation, y);
  }

  /** The convolution on a channels-last input (bias and activation come after). */
  abstract Operand<TFloat32> convolve(Ops tf, Operand<TFloat32> x);

  /**
   * Keras' {@code _Conv.get_config()}: the base keys, then {@code filters} (not for
   * DepthwiseConv2D), {@code kernel_size}, {@code strides}, {@code padding}, {@code data_format},
   * {@code dilation_rate}, {@code activation}, {@code use_bias}, the kernel's (not for the
   * depthwise convolutions) and the bias' initializers, their regularizers, {@code
   * activity_regularizer}, their constraints.
   */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    if (filters != DEPTHWISE) c.put("filters", filters);
    c.put("kernel_size", LayerUtils.tuple(kernelSize));
    c.put("strides", LayerUtils.tuple(strides));
    c.put("padding", padding);
    c.put("data_format", dataFormat);
    c.put("dilation_rate", LayerUtils.tuple(dilationRate));
    c.put("activation", activation.name());
    c.put("use_bias", useBias);
    WeightArgs[] weights =
        kernelArgs != null ? new WeightArgs[] {kernelArgs, biasArgs} : new WeightArgs[] {biasArgs};
    WeightArgs.putInitializers(c, weights);
    WeightArgs.putPenalties(c, activityRegularizer(), weights);
    return c;
  }

  /**
   * The arguments every convolution takes; defaults are Keras'.
   *
   * @param <B> the concrete builder, for chaining
   */
  @SuppressWarnings("unchecked")
  public abstract static class Builder<B extends Builder<B>> extends BiasArgsBuilder<B> {
    final int rank;
    final int filters;
    final int[] kernelSize;
    int[] strides = {1};
    String padding = PADDING_DEFAULT;
    String dataFormat = DATA_FORMAT_DEFAULT;
    int[] dilationRate = {1};

    /** {@code kernel_*}: set by {@link KernelBuilder}; the depthwise convolutions have none. */
    WeightArgs kernel;

    Builder(int rank, int filters, int[] kernelSize) {
      super("linear");
      if (filters <= 0 && filters != DEPTHWISE)
        throw Errors.invalidArgument("filters", "a positive integer", filters);
      this.rank = rank;
      this.filters = filters;
      this.kernelSize = ConvUtils.normalizeTuple(kernelSize, rank, "kernel_size");
    }

    /** {@code strides} (Keras {@code strides}): one value for every axis or one per axis. 1. */
    public B strides(int... strides) {
      this.strides = ConvUtils.normalizeTuple(strides, rank, "strides");
      return (B) this;
    }

    /** {@code padding} (Keras {@code padding}): "valid" or "same". Default "valid". */
    public B padding(String padding) {
      this.padding = ConvUtils.normalizePadding(padding);
      return (B) this;
    }

    /**
     * {@code dataFormat} (Keras {@code data_format}): "channels_last" (batch, ..., channels) or
     * "channels_first" (batch, channels, ...); null is the default. Default "channels_last".
     */
    public B dataFormat(String dataFormat) {
      this.dataFormat = ConvUtils.normalizeDataFormat(dataFormat);
      return (B) this;
    }

    /**
     * {@code dilationRate} (Keras {@code dilation_rate}): one value for every axis or one per axis;
     * above 1 only with strides 1. Default 1.
     */
    public B dilationRate(int... dilationRate) {
      this.dilationRate = ConvUtils.normalizeTuple(dilationRate, rank, "dilation_rate");
      return (B) this;
    }
  }

  /**
   * The builder of the convolutions with one {@code kernel} (Conv1D, Conv2D, Conv2DTranspose).
   *
   * @param <B> the concrete builder, for chaining
   */
  @SuppressWarnings("unchecked")
  public abstract static class KernelBuilder<B extends KernelBuilder<B>> extends Builder<B> {
    KernelBuilder(int rank, int filters, int[] kernelSize) {
      super(rank, filters, kernelSize);
      this.kernel = new WeightArgs("kernel", KERNEL_INITIALIZER_DEFAULT);
    }

    /** {@code kernelInitializer} (Keras {@code kernel_initializer}). Default glorot_uniform. */
    public B kernelInitializer(Object init) {
      kernel.initializer = Initializers.get(init);
      return (B) this;
    }

    /** {@code kernelRegularizer} (Keras {@code kernel_regularizer}): as a bias regularizer. */
    public B kernelRegularizer(Object r) {
      kernel.regularizer = Regularizers.get(r);
      return (B) this;
    }

    /** {@code kernelConstraint} (Keras {@code kernel_constraint}): as a bias constraint. */
    public B kernelConstraint(Object c) {
      kernel.constraint = Constraints.get(c);
      return (B) this;
    }
  }

  /**
   * The builder of the convolutions with a depthwise kernel (SeparableConv2D, DepthwiseConv2D).
   *
   * @param <B> the concrete builder, for chaining
   */
  @SuppressWarnings("unchecked")
  public abstract static class DepthwiseBuilder<B extends DepthwiseBuilder<B>> extends Builder<B> {
    int depthMultiplier = 1;
    final WeightArgs depthwise = new WeightArgs("depthwise", KERNEL_INITIALIZER_DEFAULT);

    DepthwiseBuilder(int filters, int[] kernelSize) {
      super(2, filters, kernelSize);
    }

    /**
     * {@code depthMultiplier} (Keras {@code depth_multiplier}): depthwise outputs per input
     * channel. Default 1.
     */
    public B depthMultiplier(int depthMultiplier) {
      if (depthMultiplier <= 0)
        throw Errors.invalidArgument("depth_multiplier", "a positive integer", depthMultiplier);
      this.depthMultiplier = depthMultiplier;
      return (B) this;
    }

    /**
     * {@code depthwiseInitializer} (Keras {@code depthwise_initializer}). Default glorot_uniform.
     */
    public B depthwiseInitializer(Object init) {
      depthwise.initializer = Initializers.get(init);
      return (B) this;
    }

    /**
     * {@code depthwiseRegularizer} (Keras {@code depthwise_regularizer}): as a bias regularizer.
     */
    public B depthwiseRegularizer(Object r) {
      depthwise.regularizer = Regularizers.get(r);
      return (B) this;
    }

    /** {@code depthwiseConstraint} (Keras {@code depthwise_constraint}): as a bias constraint. */
    public B depthwiseConstraint(Object c) {
      depthwise.constraint = Constraints.get(c);
      return (B) this;
    }
  }

  /** The {@code filters} of a layer whose output channels follow from its input's. */
  static final int DEPTHWISE = -1;
}
