package jkeras.initializers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jkeras.internal.Errors;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Keras {@code Ones} ({@code "ones"}, {@code "one"}): every value is {@code 1}. Immutable. */
public final class Ones extends Initializer {
  public Ones() {}

  @Override
  public Operand<TFloat32> call(Ops tf, long[] shape, long seed) {
    return tf.fill(tf.constant(shape), tf.constant(1f));
  }

  @Override
  public Map<String, Object> getConfig() {
    return new LinkedHashMap<>();
  }

  /** Keras {@code Ones.from_config}: accepts only an empty config (or the unused {@code dtype}). */
  public static Ones fromConfig(Map<String, ?> config) {
    Errors.checkKeys("Ones", config, List.of("dtype"));
    return new Ones();
  }
}
