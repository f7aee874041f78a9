package jkeras.preprocessing.image;

import java.util.List;
import jkeras.utils.LegacyRandomState;

/**
 * {@code width_shift_range} / {@code height_shift_range} as Keras reads them: a float (uniform in
 * {@code [-v, v)}), an int (numpy's {@code choice(v)}, i.e. a value in {@code [0, v)}, times a
 * random sign) or a list (a choice from it, times a random sign); below 1 the value is a fraction
 * of the image size.
 */
final class ShiftRange {
  private static final double[] SIGNS = {-1, 1};
  static final ShiftRange ZERO = new ShiftRange(0.0, false, null);

  final double scalar;
  final boolean integer;
  final double[] values;

  private ShiftRange(double scalar, boolean integer, double[] values) {
    this.scalar = scalar;
    this.integer = integer;
    this.values = values;
  }

  static ShiftRange ofFloat(double v) {
    return new ShiftRange(v, false, null);
  }

  static ShiftRange ofInt(int v) {
    return new ShiftRange(v, true, null);
  }

  static ShiftRange ofList(List<? extends Number> v) {
    double[] d = new double[v.size()];
    for (int i = 0; i < d.length; i++) d[i] = v.get(i).doubleValue();
    return new ShiftRange(0, false, d);
  }

  /** Python's truth value of the setting: 0, 0.0 and [] draw nothing. */
  boolean truthy() {
    return values != null ? values.length > 0 : scalar != 0;
  }

  Object toConfigValue() {
    if (values != null) {
      List<Double> l = new java.util.ArrayList<>();
      for (double d : values) l.add(d);
      return l;
    }
    return integer ? (Object) (int) scalar : (Object) scalar;
  }

  /** get_random_transform's draw for one shift, scaled by {@code size} when below 1. */
  double draw(int size, LegacyRandomState rs) {
    if (!truthy()) return 0;
    double t;
    double max;
    if (values != null) {
      t = rs.choice(values);
      t *= rs.choice(SIGNS);
      max = Double.NEGATIVE_INFINITY;
      for (double d : values) max = Math.max(max, d);
    } else if (integer && scalar > 0) {
      t = rs.choice((long) scalar);
      t *= rs.choice(SIGNS);
      t += 0.0; // numpy multiplies ints here: 0 * -1 is 0, not -0.0
      max = scalar;
    } else {
      // numpy's choice refuses a float (and a negative int): Keras falls back to uniform.
      t = rs.uniform(-scalar, scalar);
      max = scalar;
    }
    if (max < 1) t *= size;
    return t;
  }
}
