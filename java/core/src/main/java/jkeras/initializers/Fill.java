package jkeras.initializers;

import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * An initializer whose every value is one constant, rounded to float32: {@link Zeros}, {@link Ones}
 * and {@link Constant}. Immutable.
 */
abstract class Fill extends Initializer {
  private final double value;

  Fill(double value) {
    this.value = value;
  }

  /** The fill value. */
  final double fillValue() {
    return value;
  }

  @Override
  public final Operand<TFloat32> call(Ops tf, long[] shape, long seed) {
    return tf.fill(tf.constant(shape), tf.constant((float) value));
  }

  /** Keras {@code get_config()}: empty, as {@code Zeros} and {@code Ones} write it. */
  @Override
  public Map<String, Object> getConfig() {
    return new LinkedHashMap<>();
  }
}
