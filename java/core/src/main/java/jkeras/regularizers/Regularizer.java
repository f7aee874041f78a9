package jkeras.regularizers;

import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** A weight penalty added to the total loss, as in {@code keras.regularizers}. */
public abstract class Regularizer {
  /** Builds the scalar penalty for weight {@code w}. */
  public abstract Operand<TFloat32> call(Ops tf, Operand<TFloat32> w);

  public abstract Map<String, Object> getConfig();
}
