package jkeras.layers;

import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** Keras' {@code Concatenate(axis=-1)}: joins a list of inputs along {@code axis}. */
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

  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    int rank = inputs.get(0).shape().numDimensions();
    int ax = axis < 0 ? rank + axis : axis;
    return ctx.tf().concat(inputs, ctx.tf().constant(ax));
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
