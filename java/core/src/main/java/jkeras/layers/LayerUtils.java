package jkeras.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import jkeras.internal.Shapes;
import jkeras.regularizers.Regularizer;
import jkeras.regularizers.Regularizers;
import org.tensorflow.Operand;
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

  /**
   * Keras' {@code _Cropping.call} on a channels-last input: removes {@code crops[i]} (start, end)
   * from spatial axis {@code 1 + i} ({@code x[:, a:-b, ...]}, an end of 0 keeping the axis' end).
   */
  static Operand<TFloat32> crop(org.tensorflow.op.Ops tf, Operand<TFloat32> x, int[][] crops) {
    int rank = x.shape().numDimensions();
    int[] begin = new int[rank];
    int[] end = new int[rank];
    int[] strides = new int[rank];
    java.util.Arrays.fill(strides, 1);
    long beginMask = 0;
    long endMask = 0;
    for (int d = 0; d < rank; d++) {
      if (d >= 1 && d <= crops.length) {
        begin[d] = crops[d - 1][0];
        if (crops[d - 1][1] == 0) endMask |= 1L << d;
        else end[d] = -crops[d - 1][1];
      } else {
        beginMask |= 1L << d;
        endMask |= 1L << d;
      }
    }
    return tf.stridedSlice(
        x,
        tf.constant(begin),
        tf.constant(end),
        tf.constant(strides),
        org.tensorflow.op.core.StridedSlice.beginMask(beginMask),
        org.tensorflow.op.core.StridedSlice.endMask(endMask));
  }
}
