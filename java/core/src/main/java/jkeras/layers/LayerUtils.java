package jkeras.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import jkeras.internal.Shapes;
import jkeras.regularizers.Regularizer;
import jkeras.regularizers.Regularizers;
import org.tensorflow.Operand;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/** Helpers shared by the layers. */
final class LayerUtils {
  private LayerUtils() {}

  /**
   * Applies {@code activation} and, for softmax and sigmoid, records the logits so the
   * cross-entropy losses can use them as Keras' TensorFlow backend does.
   */
  static Operand<TFloat32> activate(
      CallContext ctx, jkeras.activations.Activation activation, Operand<TFloat32> x) {
    Operand<TFloat32> out = activation.call(ctx.tf(), x);
    String n = activation.name();
    if ("softmax".equals(n) || "sigmoid".equals(n)) ctx.recordLogits(out, x, n);
    return out;
  }

  /**
   * Keras 2.3.1's {@code assert_input_compatibility} for a single-input layer whose {@code
   * InputSpec} is {@code ndim} and, once built, {@code axes={axis: value}} ({@code value} null: no
   * axis check). Only these are checked: such a layer takes other sizes on its other axes.
   */
  static void checkInputSpec(Layer layer, List<long[]> shapes, int ndim, int axis, Long value) {
    if (shapes.size() != 1) {
      throw new IllegalArgumentException(
          "Layer "
              + layer.name()
              + " expects 1 inputs, but it received "
              + shapes.size()
              + " input tensors.");
    }
    long[] s = shapes.get(0);
    if (s.length != ndim) {
      throw new IllegalArgumentException(
          "Input 0 is incompatible with layer "
              + layer.name()
              + ": expected ndim="
              + ndim
              + ", found ndim="
              + s.length);
    }
    if (value != null) {
      long got = s[axis < 0 ? s.length + axis : axis];
      if (got >= 0 && got != value) {
        throw new IllegalArgumentException(
            "Input 0 is incompatible with layer "
                + layer.name()
                + ": expected axis "
                + axis
                + " of input shape to have value "
                + value
                + " but got shape "
                + Shapes.toPython(s));
      }
    }
  }

  /** Keras' {@code 0 < rate < 1}: whether a dropout rate drops anything. */
  static boolean drops(double rate) {
    return rate > 0 && rate < 1;
  }

  /** A Keras tuple in a config: a list of integers. */
  static List<Integer> tuple(int[] v) {
    List<Integer> l = new ArrayList<>(v.length);
    for (int x : v) l.add(x);
    return l;
  }

  /** A regularizer in a config: its Keras form, or null. */
  static Map<String, Object> serialize(Regularizer r) {
    return r == null ? null : Regularizers.serialize(r);
  }

  /** Checks counts (padding, cropping) are not negative. */
  static int[] nonNegative(int[] v, String name) {
    for (int x : v) {
      if (x < 0)
        throw jkeras.internal.Errors.invalidArgument(
            name, "non-negative integers", jkeras.utils.ConvUtils.pythonTuple(v));
    }
    return v;
  }

  /**
   * A 2D padding or cropping from Java varargs: one count for every side, (rows, cols) for both
   * ends of each axis, or (top, bottom, left, right); Keras' ((top, bottom), (left, right)).
   */
  static int[][] pairs2D(int[] v, String name) {
    if (v != null && v.length == 1) v = new int[] {v[0], v[0], v[0], v[0]};
    else if (v != null && v.length == 2) v = new int[] {v[0], v[0], v[1], v[1]};
    if (v == null || v.length != 4) {
      throw new IllegalArgumentException(
          "`"
              + name
              + "` should be either an int, a tuple of 2 ints (symmetric_height, symmetric_width),"
              + " or a tuple of 2 tuples of 2 ints ((top, bottom), (left, right)). Found: "
              + (v == null ? "None" : java.util.Arrays.toString(v)));
    }
    nonNegative(v, name);
    return new int[][] {{v[0], v[1]}, {v[2], v[3]}};
  }

  /** A 2D padding or cropping as Keras' ((top, bottom), (left, right)), each pair normalized. */
  static int[][] pairs2D(int[][] v, String name) {
    if (v == null || v.length != 2)
      throw new IllegalArgumentException(
          "`"
              + name
              + "` should have two elements. Found: "
              + (v == null ? "None" : java.util.Arrays.deepToString(v)));
    int[] h = jkeras.utils.ConvUtils.normalizeTuple(v[0], 2, "1st entry of " + name);
    int[] w = jkeras.utils.ConvUtils.normalizeTuple(v[1], 2, "2nd entry of " + name);
    return new int[][] {nonNegative(h, name), nonNegative(w, name)};
  }

  /** A 1D padding or cropping: one count for both ends, or (start, end). */
  static int[] pair1D(int[] v, String name) {
    return nonNegative(jkeras.utils.ConvUtils.normalizeTuple(v, 2, name), name);
  }

  /** Pairs in a config: Keras' ((a, b), (c, d)) as lists. */
  static List<Object> tuples(int[][] pairs) {
    List<Object> l = new ArrayList<>(pairs.length);
    for (int[] pair : pairs) l.add(tuple(pair));
    return l;
  }

  /** A copy of {@code pairs} and of each pair. */
  static int[][] copy(int[][] pairs) {
    int[][] c = new int[pairs.length][];
    for (int i = 0; i < pairs.length; i++) c[i] = pairs[i].clone();
    return c;
  }

  /**
   * The masks of a call with {@code outputs} outputs: {@code first} on the first output (null for
   * none), none on the others.
   */
  static List<Operand<TBool>> firstMask(Operand<TBool> first, int outputs) {
    List<Operand<TBool>> out = new ArrayList<>(outputs);
    for (int i = 0; i < outputs; i++) out.add(i == 0 ? first : null);
    return out;
  }
}
