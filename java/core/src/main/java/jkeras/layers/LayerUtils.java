package jkeras.layers;

import jkeras.backend.CallContext;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** Helpers shared by the layers. */
final class LayerUtils {
  private LayerUtils() {}

  /**
   * Applies {@code activation} and, for softmax and sigmoid, records the logits so the
   * cross-entropy losses can use them as Keras' TensorFlow backend does.
   */
  static Operand<TFloat32> activate(
      CallContext ctx, jkeras.activations.Activation activation, Operand<TFloat32> x) {
    Operand<TFloat32> out = activation.call(ctx.tf(), x);
    String n = activation.name();
    if ("softmax".equals(n) || "sigmoid".equals(n)) ctx.recordLogits(out, x, n);
    return out;
  }
}
