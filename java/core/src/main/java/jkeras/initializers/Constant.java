package jkeras.initializers;

import java.util.List;
import java.util.Map;
import jkeras.internal.Config;
import jkeras.internal.Errors;

/**
 * Keras {@code Constant(value=0)} ({@code "constant"}): every value is {@code value}, rounded to
 * float32. Immutable.
 */
public final class Constant extends Fill {
  /** Keras default of {@code value}. */
  public static final double VALUE_DEFAULT = 0.0;

  /** {@code Constant(value=0)}. */
  public Constant() {
    this(VALUE_DEFAULT);
  }

  /**
   * @param value (Keras {@code value}) the fill value. Default {@code 0}.
   */
  public Constant(double value) {
    super(value);
  }

  public double value() {
    return fillValue();
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("value", value());
    return c;
  }

  /** Keras {@code Constant.from_config}; keys {@code value} (and the unused {@code dtype}). */
  public static Constant fromConfig(Map<String, ?> config) {
    Errors.checkKeys("Constant", config, List.of("value", "dtype"));
    return new Constant(Config.getDouble(config, "value", VALUE_DEFAULT));
  }
}
