package jkeras.initializers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jkeras.internal.Config;
import jkeras.internal.Errors;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras {@code Constant(value=0)} ({@code "constant"}): every value is {@code value}, rounded to
 * float32. Immutable.
 */
public final class Constant extends Initializer {
  /** Keras default of {@code value}. */
  public static final double VALUE_DEFAULT = 0.0;

  private final double value;

  /** {@code Constant(value=0)}. */
  public Constant() {
    this(VALUE_DEFAULT);
  }

  /**
   * @param value (Keras {@code value}) the fill value. Default {@code 0}.
   */
  public Constant(double value) {
    this.value = value;
  }

  public double value() {
    return value;
  }

  @Override
  public Operand<TFloat32> call(Ops tf, long[] shape, long seed) {
    return tf.fill(tf.constant(shape), tf.constant((float) value));
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("value", value);
    return c;
  }

  /** Keras {@code Constant.from_config}; keys {@code value} (and the unused {@code dtype}). */
  public static Constant fromConfig(Map<String, ?> config) {
    Errors.checkKeys("Constant", config, List.of("value", "dtype"));
    return new Constant(Config.getDouble(config, "value", VALUE_DEFAULT));
  }
}
