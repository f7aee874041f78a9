package jkeras.constraints;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jkeras.internal.Errors;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Sum;
import org.tensorflow.types.TFloat32;

/**
 * The {@code axis} argument of the norm constraints: one axis (Keras' int) or several (Keras' list,
 * e.g. {@code [0, 1, 2]} for a convolution kernel), and the norms along them.
 */
final class Axes {
  private final int[] axes;
  private final boolean list;

  private Axes(int[] axes, boolean list) {
    this.axes = axes;
    this.list = list;
  }

  static Axes of(int axis) {
    return new Axes(new int[] {axis}, false);
  }

  static Axes of(int... axes) {
    if (axes.length == 0) throw Errors.invalidArgument("axis", "at least one axis", "[]");
    return new Axes(axes.clone(), true);
  }

  /** Keras' config value: an int, or a list of ints when a list was given. */
  static Axes fromConfig(Object value, int dflt) {
    if (value == null) return of(dflt);
    if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()))
      return of(n.intValue());
    if (value instanceof List<?> l) {
      int[] a = new int[l.size()];
      for (int i = 0; i < a.length; i++) {
        if (!(l.get(i) instanceof Number n))
          throw Errors.invalidArgument("axis", "an integer or a list of integers", value);
        a[i] = n.intValue();
      }
      return of(a);
    }
    throw Errors.invalidArgument("axis", "an integer or a list of integers", value);
  }

  Object toConfig() {
    if (!list) return axes[0];
    List<Integer> l = new ArrayList<>();
    for (int a : axes) l.add(a);
    return l;
  }

  int[] values() {
    return axes.clone();
  }

  /**
   * {@code K.sqrt(K.sum(K.square(w), axis, keepdims=True))}; Keras 2.3.1's {@code K.sqrt} clips its
   * argument to {@code [0, inf)} first.
   */
  Operand<TFloat32> norms(Ops tf, Operand<TFloat32> w) {
    Operand<TFloat32> sumSq = tf.sum(tf.math.square(w), tf.constant(axes), Sum.keepDims(true));
    Operand<TFloat32> clipped =
        tf.clipByValue(sumSq, tf.constant(0f), tf.constant(Float.POSITIVE_INFINITY));
    return tf.math.sqrt(clipped);
  }

  @Override
  public String toString() {
    return list ? Arrays.toString(axes) : Integer.toString(axes[0]);
  }
}
