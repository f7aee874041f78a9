package jkeras.constraints;

import java.util.List;
import java.util.Map;
import jkeras.internal.Config;
import jkeras.internal.Errors;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code MinMaxNorm(min_value=0.0, max_value=1.0, rate=1.0, axis=0)} (alias {@code
 * min_max_norm}): moves the L2 norm along {@code axis} towards {@code [minValue, maxValue]}, {@code
 * w * (rate * clip(norms, min, max) + (1 - rate) * norms) / (epsilon + norms)}; {@code rate=1} is
 * the strict projection. Immutable.
 */
public final class MinMaxNorm extends Constraint {
  /** Keras' default {@code min_value}. */
  public static final double MIN_VALUE_DEFAULT = 0.0;

  /** Keras' default {@code max_value}. */
  public static final double MAX_VALUE_DEFAULT = 1.0;

  /** Keras' default {@code rate}. */
  public static final double RATE_DEFAULT = 1.0;

  /** Keras' default {@code axis}. */
  public static final int AXIS_DEFAULT = 0;

  private final double minValue;
  private final double maxValue;
  private final double rate;
  private final Axes axis;

  /** {@code MinMaxNorm()} with Keras' defaults. */
  public MinMaxNorm() {
    this(MIN_VALUE_DEFAULT, MAX_VALUE_DEFAULT, RATE_DEFAULT, AXIS_DEFAULT);
  }

  /**
   * @param minValue (Keras {@code min_value}) the smallest norm. Default {@code 0.0}.
   * @param maxValue (Keras {@code max_value}) the largest norm. Default {@code 1.0}.
   * @param rate (Keras {@code rate}) how far each update moves towards the interval, in {@code [0,
   *     1]}. Default {@code 1.0}.
   * @param axis (Keras {@code axis}) the axis the norms are taken along. Default {@code 0}.
   */
  public MinMaxNorm(double minValue, double maxValue, double rate, int axis) {
    this(minValue, maxValue, rate, Axes.of(axis));
  }

  /** {@code MinMaxNorm(..., axis=[...])}: norms along several axes. */
  public MinMaxNorm(double minValue, double maxValue, double rate, int... axes) {
    this(minValue, maxValue, rate, Axes.of(axes));
  }

  private MinMaxNorm(double minValue, double maxValue, double rate, Axes axis) {
    this.minValue = minValue;
    this.maxValue = maxValue;
    this.rate = rate;
    this.axis = axis;
  }

  public double minValue() {
    return minValue;
  }

  public double maxValue() {
    return maxValue;
  }

  public double rate() {
    return rate;
  }

  /** The axes the norms are taken along. */
  public int[] axis() {
    return axis.values();
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> w) {
    Operand<TFloat32> norms = axis.norms(tf, w);
    // Keras' K.clip with numbers: max_value is raised to min_value when below it.
    double hi = Math.max(maxValue, minValue);
    Operand<TFloat32> clipped =
        tf.clipByValue(norms, tf.constant((float) minValue), tf.constant((float) hi));
    Operand<TFloat32> desired =
        tf.math.add(
            tf.math.mul(tf.constant((float) rate), clipped),
            tf.math.mul(tf.constant((float) (1 - rate)), norms));
    return tf.math.mul(
        w, tf.math.div(desired, tf.math.add(tf.constant(Constraints.EPSILON), norms)));
  }

  /** Keras' {@code get_config()}: {@code min_value, max_value, rate, axis}. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("min_value", minValue);
    c.put("max_value", maxValue);
    c.put("rate", rate);
    c.put("axis", axis.toConfig());
    return c;
  }

  /** Keras' {@code MinMaxNorm.from_config}; keys {@code min_value, max_value, rate, axis}. */
  public static MinMaxNorm fromConfig(Map<String, ?> config) {
    Errors.checkKeys("MinMaxNorm", config, List.of("min_value", "max_value", "rate", "axis"));
    return new MinMaxNorm(
        Config.getDouble(config, "min_value", MIN_VALUE_DEFAULT),
        Config.getDouble(config, "max_value", MAX_VALUE_DEFAULT),
        Config.getDouble(config, "rate", RATE_DEFAULT),
        Axes.fromConfig(config.get("axis"), AXIS_DEFAULT));
  }
}
