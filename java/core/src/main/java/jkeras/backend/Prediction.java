package jkeras.backend;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A model output as losses and metrics see it: the value, plus the logits it came from when the
 * last op was a softmax or sigmoid activation. Keras' TensorFlow backend computes cross-entropies
 * from those logits ({@code output.op.inputs[0]}) for numerical stability; we do the same.
 *
 * @param value the output tensor
 * @param logits the pre-activation tensor, or {@code null}
 * @param logitsKind {@code "softmax"}, {@code "sigmoid"} or {@code null}
 */
public record Prediction(Operand<TFloat32> value, Operand<TFloat32> logits, String logitsKind) {
  public static Prediction of(Operand<TFloat32> value) {
    return new Prediction(value, null, null);
  }

  public boolean hasSoftmaxLogits() {
    return logits != null && "softmax".equals(logitsKind);
  }

  public boolean hasSigmoidLogits() {
    return logits != null && "sigmoid".equals(logitsKind);
  }
}
