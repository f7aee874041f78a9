package jkeras.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import jkeras.internal.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.All;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Concatenate(axis=-1)}: joins a list of inputs along {@code axis}. Functional form:
 * {@link Merging#concatenate}.
 *
 * <p>Masks, as Keras 2.3.1 computes them: when any input has a mask, each input's mask (all true
 * for an input without one, a step mask widened to the input's rank) is concatenated along {@code
 * axis}, and a step of the output is kept where all of its entries are ({@code all} over the last
 * axis).
 */
public final class Concatenate extends Merge {
  /** Keras' default {@code axis}. */
  public static final int AXIS_DEFAULT = -1;

  private final int axis;

  public Concatenate() {
    this(builder());
  }

  public Concatenate(int axis) {
    this(builder().axis(axis));
  }

  /** Keras' {@code axis}. */
  public int axis() {
    return axis;
  }

  private Concatenate(Builder b) {
    super(b);
    this.axis = b.axis;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  protected void checkInputs(List<long[]> shapes) {
    if (shapes.size() < 2) {
      throw new IllegalArgumentException(
          "A `Concatenate` layer should be called on a list of at least 2 inputs");
    }
    int rank = shapes.get(0).length;
    int ax = axis < 0 ? rank + axis : axis;
    for (long[] s : shapes) {
      boolean ok = s.length == rank;
      for (int i = 0; ok && i < rank; i++) {
        if (i != ax && s[i] >= 0 && shapes.get(0)[i] >= 0 && s[i] != shapes.get(0)[i]) ok = false;
      }
      if (!ok) {
        throw new IllegalArgumentException(
            "A `Concatenate` layer requires inputs with matching shapes except for the concat axis. Got inputs shapes: "
                + pythonShapes(shapes));
      }
    }
  }

  @Override
  public long[] computeOutputShape(List<long[]> shapes) {
    long[] out = shapes.get(0).clone();
    int ax = axis < 0 ? out.length + axis : axis;
    long sum = 0;
    for (long[] s : shapes) {
      if (s[ax] < 0) {
        sum = -1;
        break;
      }
      sum += s[ax];
    }
    out[ax] = sum;
    return out;
  }

  /** The inputs have one rank ({@link #checkInputs}), so {@link Merge#call} adds no axis. */
  @Override
  Operand<TFloat32> mergeFunction(Ops tf, List<Operand<TFloat32>> inputs) {
    int rank = inputs.get(0).shape().numDimensions();
    return tf.concat(inputs, tf.constant(axis < 0 ? rank + axis : axis));
  }

  /** Keras 2.3.1's {@code Concatenate.compute_mask} (see the class comment). */
  @Override
  public List<Operand<TBool>> computeMasks(
      CallContext ctx, List<Operand<TFloat32>> inputs, int outputs) {
    List<Operand<TBool>> masks = ctx.inputMasks();
    boolean any = false;
    for (Operand<TBool> m : masks) any |= m != null;
    if (!any) return LayerUtils.firstMask(null, outputs);
    Ops tf = ctx.tf();
    List<Operand<TBool>> parts = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      Operand<TFloat32> x = inputs.get(i);
      Operand<TBool> m = i < masks.size() ? masks.get(i) : null;
      if (m == null) {
        parts.add(tf.fill(tf.shape(x), tf.constant(true)));
      } else if (m.shape().numDimensions() < x.shape().numDimensions()) {
        parts.add(tf.expandDims(m, tf.constant(-1)));
      } else {
        parts.add(m);
      }
    }
    int rank = parts.get(0).shape().numDimensions();
    int ax = axis < 0 ? Math.floorMod(axis, rank) : axis;
    Operand<TBool> concatenated = tf.concat(parts, tf.constant(ax));
    Operand<TBool> all = tf.all(concatenated, tf.constant(-1), All.keepDims(false));
    List<Operand<TBool>> out = new ArrayList<>(outputs);
    for (int i = 0; i < outputs; i++) out.add(all);
    return out;
  }

  /** {@code Layers.deserialize} of a Keras {@code Concatenate} config. */
  public static Concatenate fromConfig(Map<String, Object> config) {
    Layers.check("Concatenate", config, "axis");
    return builder().axis(Config.getInt(config, "axis", AXIS_DEFAULT)).baseConfig(config).build();
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("axis", axis);
    return c;
  }

  public static final class Builder extends Layer.Builder<Builder> {
    private int axis = AXIS_DEFAULT;

    /** {@code axis} (Keras {@code axis}). Default -1. */
    public Builder axis(int axis) {
      this.axis = axis;
      return this;
    }

    public Concatenate build() {
      return new Concatenate(this);
    }
  }
}
