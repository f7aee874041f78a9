package jkeras.initializers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jkeras.internal.Errors;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Keras {@code Zeros} ({@code "zeros"}, {@code "zero"}): every value is {@code 0}. Immutable. */
public final class Zeros extends Initializer {
  public Zeros() {}

  @Override
  public Operand<TFloat32> call(Ops tf, long[] shape, long seed) {
    return tf.fill(tf.constant(shape), tf.constant(0f));
  }

  @Override
  public Map<String, Object> getConfig() {
    return new LinkedHashMap<>();
  }

  /**
   * Keras {@code Zeros.from_config}: accepts only an empty config (or the unused {@code dtype}).
   */
  public static Zeros fromConfig(Map<String, ?> config) {
    Errors.checkKeys("Zeros", config, List.of("dtype"));
    return new Zeros();
  }
}
