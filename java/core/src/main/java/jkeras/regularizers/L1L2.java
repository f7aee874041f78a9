package jkeras.regularizers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jkeras.internal.Config;
import jkeras.internal.Errors;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras {@code L1L2(l1=0., l2=0.)}: the penalty {@code l1 * sum(|w|) + l2 * sum(w^2)}. Immutable.
 *
 * <p>As in Keras, the factors are stored as float32 ({@code K.cast_to_floatx}), so {@link
 * #getConfig()} reports e.g. {@code 0.009999999776482582} for {@code 0.01}, and a zero factor adds
 * no term at all.
 */
public final class L1L2 extends Regularizer {
  /** Keras default of both {@code l1} and {@code l2} for the {@code L1L2} class. */
  public static final double L1_DEFAULT = 0.0;

  public static final double L2_DEFAULT = 0.0;

  private final float l1;
  private final float l2;

  /**
   * @param l1 (Keras {@code l1}) L1 factor. Default {@code 0}.
   * @param l2 (Keras {@code l2}) L2 factor. Default {@code 0}.
   */
  public L1L2(double l1, double l2) {
    this.l1 = (float) l1;
    this.l2 = (float) l2;
  }

  /** The L1 factor, as float32 widened to double. */
  public double l1() {
    return l1;
  }

  /** The L2 factor, as float32 widened to double. */
  public double l2() {
    return l2;
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> w) {
    // Same terms, order and op kinds as keras/regularizers.py L1L2.__call__ at 2.3.1.
    Operand<TFloat32> total = null;
    if (l1 != 0f) {
      total = tf.math.mul(tf.constant(l1), tf.sum(tf.math.abs(w), allAxes(tf, w)));
    }
    if (l2 != 0f) {
      Operand<TFloat32> t = tf.math.mul(tf.constant(l2), tf.sum(tf.math.square(w), allAxes(tf, w)));
      total = total == null ? t : tf.math.add(total, t);
    }
    return total == null ? tf.constant(0f) : total;
  }

  private static Operand<org.tensorflow.types.TInt32> allAxes(Ops tf, Operand<TFloat32> w) {
    int rank = w.shape().numDimensions();
    if (rank >= 0) {
      int[] axes = new int[rank];
      for (int i = 0; i < rank; i++) {
        axes[i] = i;
      }
      return tf.constant(axes);
    }
    return tf.range(tf.constant(0), tf.rank(w), tf.constant(1));
  }

  /** Keras {@code get_config()}: {@code {l1, l2}} as doubles of the float32 factors. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("l1", (double) l1);
    c.put("l2", (double) l2);
    return c;
  }

  /** Keras {@code L1L2.from_config}; keys {@code l1, l2}. */
  public static L1L2 fromConfig(Map<String, ?> config) {
    Errors.checkKeys("L1L2", config, List.of("l1", "l2"));
    return new L1L2(
        Config.getDouble(config, "l1", L1_DEFAULT), Config.getDouble(config, "l2", L2_DEFAULT));
  }

  @Override
  public String toString() {
    return "L1L2(l1=" + l1 + ", l2=" + l2 + ")";
  }
}
