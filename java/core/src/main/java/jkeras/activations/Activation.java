package jkeras.activations;

import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * An element-wise (or last-axis, for softmax) activation function, as in {@code keras.activations}.
 * Built-ins are looked up by Keras name with {@link Activations#get(String)}.
 */
public abstract class Activation {
  /** The Keras identifier, e.g. {@code "relu"}; what {@code get_config()} reports. */
  public abstract String name();

  /** Builds the activation on {@code x} in the model's graph. */
  public abstract Operand<TFloat32> call(Ops tf, Operand<TFloat32> x);

  /** Keras config ({@code {}} for activations without arguments). */
  public Map<String, Object> getConfig() {
    return Map.of();
  }

  @Override
  public String toString() {
    return name();
  }
}
