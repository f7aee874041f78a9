package jkeras.constraints;

import java.util.List;
import java.util.Map;
import jkeras.internal.Config;
import jkeras.internal.Errors;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code MaxNorm(max_value=2, axis=0)} (alias {@code max_norm}): rescales the weights so
 * that the L2 norm along {@code axis} is at most {@code maxValue}: {@code w * clip(norms, 0,
 * max_value) / (epsilon + norms)}.
 *
 * <p>For a Dense kernel of shape {@code (input_dim, units)}, {@code axis=0} constrains each unit's
 * incoming weight vector. Immutable.
 */
public final class MaxNorm extends Constraint {
  /** Keras' default {@code max_value}. */
  public static final double MAX_VALUE_DEFAULT = 2;

  /** Keras' default {@code axis}. */
  public static final int AXIS_DEFAULT = 0;

  private final double maxValue;
  private final Axes axis;

  /** {@code MaxNorm()}: {@code max_value=2, axis=0}. */
  public MaxNorm() {
    this(MAX_VALUE_DEFAULT, AXIS_DEFAULT);
  }

  /**
   * @param maxValue (Keras {@code max_value}) the largest norm allowed. Default {@code 2}.
   * @param axis (Keras {@code axis}) the axis the norms are taken along. Default {@code 0}.
   */
  public MaxNorm(double maxValue, int axis) {
    this(maxValue, Axes.of(axis));
  }

  /** {@code MaxNorm(max_value, axis=[...])}: norms along several axes (convolution kernels). */
  public MaxNorm(double maxValue, int... axes) {
    this(maxValue, Axes.of(axes));
  }

  private MaxNorm(double maxValue, Axes axis) {
    this.maxValue = maxValue;
    this.axis = axis;
  }

  public double maxValue() {
    return maxValue;
  }

  /** The axes the norms are taken along. */
  public int[] axis() {
    return axis.values();
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> w) {
    Operand<TFloat32> norms = axis.norms(tf, w);
    // Keras' K.clip with numbers: a max_value below 0 is raised to 0.
    Operand<TFloat32> desired =
        tf.clipByValue(norms, tf.constant(0f), tf.constant((float) Math.max(maxValue, 0)));
    return tf.math.mul(
        w, tf.math.div(desired, tf.math.add(tf.constant(Constraints.EPSILON), norms)));
  }

  /** Keras' {@code get_config()}: {@code max_value, axis}. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("max_value", maxValue);
    c.put("axis", axis.toConfig());
    return c;
  }

  /** Keras' {@code MaxNorm.from_config}; keys {@code max_value, axis}. */
  public static MaxNorm fromConfig(Map<String, ?> config) {
    Errors.checkKeys("MaxNorm", config, List.of("max_value", "axis"));
    return new MaxNorm(
        Config.getDouble(config, "max_value", MAX_VALUE_DEFAULT),
        Axes.fromConfig(config.get("axis"), AXIS_DEFAULT));
  }
}
