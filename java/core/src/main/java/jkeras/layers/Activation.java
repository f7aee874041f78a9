package jkeras.layers;

import java.util.List;
import java.util.Map;
import jkeras.activations.Activations;
import jkeras.backend.CallContext;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** Keras' {@code Activation} layer: applies an activation function to its input. */
public final class Activation extends PassThroughLayer {
  private final jkeras.activations.Activation activation;

  /** {@code Activation(activation)}: a Keras name such as "relu", or an activation object. */
  public Activation(Object activation) {
    this(builder(activation));
  }

  private Activation(Builder b) {
    super(b);
    this.activation = b.activation;
  }

  public static Builder builder(Object activation) {
    return new Builder(activation);
  }

  public jkeras.activations.Activation activation() {
    return activation;
  }

  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    return LayerUtils.activate(ctx, activation, inputs.get(0));
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("activation", activation.name());
    return c;
  }

  public static final class Builder extends Layer.Builder<Builder> {
    private final jkeras.activations.Activation activation;

    private Builder(Object activation) {
      this.activation = Activations.get(activation);
    }

    public Activation build() {
      return new Activation(this);
    }
  }
}
