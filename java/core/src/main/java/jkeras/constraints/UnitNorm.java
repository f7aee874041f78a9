package jkeras.constraints;

import java.util.List;
import java.util.Map;
import jkeras.internal.Errors;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code UnitNorm(axis=0)} (alias {@code unit_norm}): divides the weights by their L2 norm
 * along {@code axis}, {@code w / (epsilon + norms)}. Immutable.
 */
public final class UnitNorm extends Constraint {
  /** Keras' default {@code axis}. */
  public static final int AXIS_DEFAULT = 0;

  private final Axes axis;

  /** {@code UnitNorm()}: {@code axis=0}. */
  public UnitNorm() {
    this(AXIS_DEFAULT);
  }

  /**
   * @param axis (Keras {@code axis}) the axis the norms are taken along. Default {@code 0}.
   */
  public UnitNorm(int axis) {
    this(Axes.of(axis));
  }

  /** {@code UnitNorm(axis=[...])}: norms along several axes. */
  public UnitNorm(int... axes) {
    this(Axes.of(axes));
  }

  private UnitNorm(Axes axis) {
    this.axis = axis;
  }

  /** The axes the norms are taken along. */
  public int[] axis() {
    return axis.values();
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> w) {
    return tf.math.div(w, tf.math.add(tf.constant(Constraints.EPSILON), axis.norms(tf, w)));
  }

  /** Keras' {@code get_config()}: {@code axis}. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("axis", axis.toConfig());
    return c;
  }

  /** Keras' {@code UnitNorm.from_config}; key {@code axis}. */
  public static UnitNorm fromConfig(Map<String, ?> config) {
    Errors.checkKeys("UnitNorm", config, List.of("axis"));
    return new UnitNorm(Axes.fromConfig(config.get("axis"), AXIS_DEFAULT));
  }
}
