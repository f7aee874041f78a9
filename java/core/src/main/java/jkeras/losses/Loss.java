package jkeras.losses;

import java.util.Map;
import jkeras.backend.Prediction;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A Keras loss function. {@link #call} returns per-sample losses (Keras reduces over the last axis,
 * so a {@code [batch, n]} output gives {@code [batch]}); the engine applies sample weights and
 * Keras' {@code SUM_OVER_BATCH_SIZE} reduction.
 */
public abstract class Loss {
  /** The Keras function name, e.g. {@code "mean_squared_error"}. */
  public abstract String name();

  /**
   * Per-sample losses.
   *
   * @param yTrue the targets, float32, same rank as {@code yPred} (sparse losses: one fewer axis or
   *     a trailing axis of 1)
   * @param yPred the model output and, when it ended in softmax or sigmoid, its logits
   */
  public abstract Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Prediction yPred);

  public Map<String, Object> getConfig() {
    return Map.of("name", name());
  }

  @Override
  public String toString() {
    return name();
  }
}
