package jkeras.constraints;

import java.util.List;
import java.util.Map;
import jkeras.internal.Errors;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code NonNeg()} (alias {@code non_neg}): sets negative weights to zero, {@code w * cast(w
 * >= 0)}. Immutable.
 */
public final class NonNeg extends Constraint {
  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> w) {
    return tf.math.mul(w, tf.dtypes.cast(tf.math.greaterEqual(w, tf.constant(0f)), TFloat32.class));
  }

  /** Keras' {@code NonNeg.from_config}: no keys. */
  public static NonNeg fromConfig(Map<String, ?> config) {
    Errors.checkKeys("NonNeg", config, List.of());
    return new NonNeg();
  }
}
