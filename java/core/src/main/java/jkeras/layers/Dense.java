package jkeras.layers;

import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import jkeras.backend.K;
import jkeras.backend.Weight;
import jkeras.internal.Errors;
import jkeras.internal.Shapes;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Dense}: {@code activation(dot(input, kernel) + bias)}. Inputs of rank above 2 are
 * contracted on their last axis, as Keras does.
 *
 * <p>{@code activityRegularizer} adds its penalty on the output to the loss at each call (Keras
 * 2.3.1: undivided; tf-keras divides it by the batch size). {@code kernelConstraint} and {@code
 * biasConstraint} are applied by the optimizer after each update.
 *
 * <pre>{@code
 * Layer d = Dense.builder(64).activation("relu").kernelRegularizer(Regularizers.l2(0.01))
 *     .kernelConstraint(new MaxNorm(3, 0)).build();
 * }</pre>
 */
public final class Dense extends Layer {
  /** Keras 2.3.1: {@code supports_masking = True}; the input's mask passes through. */
  @Override
  public boolean supportsMasking() {
    return true;
  }

  /** Keras' default {@code activation}: none (linear). */
  public static final String ACTIVATION_DEFAULT = "linear";

  /** Keras' default {@code kernel_initializer}. */
  public static final String KERNEL_INITIALIZER_DEFAULT = "glorot_uniform";

  /** Keras' default {@code bias_initializer}. */
  public static final String BIAS_INITIALIZER_DEFAULT = "zeros";

  private final int units;
  private final jkeras.activations.Activation activation;
  private final boolean useBias;
  private final WeightArgs kernelArgs;
  private final WeightArgs biasArgs;
  private Weight kernel;
  private Weight bias;

  /** {@code Dense(units)} with Keras' defaults. */
  public Dense(int units) {
    this(builder(units));
  }

  private Dense(Builder b) {
    super(b);
    this.units = b.units;
    this.activation = b.activation;
    this.useBias = b.useBias;
    this.kernelArgs = b.kernel.copy();
    this.biasArgs = b.bias.copy();
    setActivityRegularizer(b.activityRegularizer);
  }

  /** {@code units} (Keras {@code units}): the output size; must be positive. */
  public static Builder builder(int units) {
    return new Builder(units);
  }

  public int units() {
    return units;
  }

  public jkeras.activations.Activation activation() {
    return activation;
  }

  @Override
  public void build(List<long[]> inputShapes) {
    long[] s = inputShapes.get(0);
    if (s.length < 2) {
      throw new IllegalArgumentException(
          "Input 0 is incompatible with layer "
              + name()
              + ": expected min_ndim=2, found ndim="
              + s.length);
    }
    long inDim = s[s.length - 1];
    if (inDim < 0) {
      throw new IllegalArgumentException(
          "The last dimension of the inputs to `Dense` should be defined. Found `None`.");
    }
    kernel = kernelArgs.addTo(this, "kernel", new long[] {inDim, units});
    if (useBias) bias = biasArgs.addTo(this, "bias", new long[] {units});
  }

  @Override
  protected void checkInputs(List<long[]> inputShapes) {
    super.checkInputs(inputShapes);
    if (built() && kernel != null) {
      long[] s = inputShapes.get(0);
      long in = s[s.length - 1];
      if (in != kernel.shape()[0]) {
        throw new IllegalArgumentException(
            "Input 0 is incompatible with layer "
                + name()
                + ": expected axis -1 of input shape to have value "
                + kernel.shape()[0]
                + " but received input with shape "
                + Shapes.toPython(s));
      }
    }
  }

  @Override
  public long[] computeOutputShape(List<long[]> inputShapes) {
    long[] s = inputShapes.get(0).clone();
    s[s.length - 1] = units;
    return s;
  }

  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    Ops tf = ctx.tf();
    Operand<TFloat32> y;
    // Keras' K.dot: a matmul for 2D inputs; for more dimensions, the inputs flattened to 2D and
    // the product reshaped to (leading axes..., units), static sizes where known.
    try (CallContext.Scope s = ctx.enter()) {
      y = K.dot(inputs.get(0), kernel.value());
    }
    if (useBias) y = tf.nn.biasAdd(y, bias.value());
    return LayerUtils.activate(ctx, activation, y);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("units", units);
    c.put("activation", activation.name());
    c.put("use_bias", useBias);
    WeightArgs.putInitializers(c, kernelArgs, biasArgs);
    WeightArgs.putPenalties(c, activityRegularizer(), kernelArgs, biasArgs);
    return c;
  }

  /** Builds a {@link Dense}; defaults are Keras'. */
  public static final class Builder extends KernelArgsBuilder<Builder> {
    private final int units;

    private Builder(int units) {
      super(ACTIVATION_DEFAULT);
      if (units <= 0) throw Errors.invalidArgument("units", "a positive integer", units);
      this.units = units;
    }

    public Dense build() {
      return new Dense(this);
    }
  }
}
