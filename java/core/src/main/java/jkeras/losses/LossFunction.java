package jkeras.losses;

import jkeras.backend.Prediction;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A loss written as a function, like the {@code fn(y_true, y_pred)} callables Keras accepts in
 * {@code compile(loss=...)}. Wrap one with {@link Losses#custom(String, LossFunction)}.
 *
 * <p>{@code yPred.value()} is the model output; {@code yPred.logits()} is its pre-activation when
 * the output layer ended in softmax or sigmoid (see {@link Prediction}).
 */
@FunctionalInterface
public interface LossFunction {
  /**
   * Per-sample losses: Keras reduces the last axis, so a {@code [batch, n]} output gives {@code
   * [batch]}.
   */
  Operand<TFloat32> apply(Ops tf, Operand<TFloat32> yTrue, Prediction yPred);
}
