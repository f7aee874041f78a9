package jkeras.layers;

import java.util.List;
import jkeras.backend.CallContext;
import jkeras.internal.Shapes;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** Keras' {@code Add}: the element-wise sum of a list of inputs of the same shape. */
public final class Add extends Merge {
  public Add() {
    this(new Builder());
  }

  private Add(Builder b) {
    super(b);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  protected void checkInputs(List<long[]> shapes) {
    if (shapes.size() < 2) {
      throw new IllegalArgumentException(
          "A merge layer should be called on a list of at least 2 inputs. Got "
              + shapes.size()
              + " inputs.");
    }
    long[] first = Shapes.withoutBatch(shapes.get(0));
    for (long[] s : shapes) {
      long[] t = Shapes.withoutBatch(s);
      boolean ok = t.length == first.length;
      for (int i = 0; ok && i < t.length; i++) ok = t[i] < 0 || first[i] < 0 || t[i] == first[i];
      if (!ok) {
        throw new IllegalArgumentException(
            "Operands could not be broadcast together with shapes "
                + Shapes.toPython(first)
                + " "
                + Shapes.toPython(t)
                + ". Inputs: "
                + pythonShapes(shapes));
      }
    }
  }

  @Override
  public long[] computeOutputShape(List<long[]> shapes) {
    return shapes.get(0);
  }

  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    Operand<TFloat32> sum = inputs.get(0);
    for (int i = 1; i < inputs.size(); i++) sum = ctx.tf().math.add(sum, inputs.get(i));
    return sum;
  }

  public static final class Builder extends Layer.Builder<Builder> {
    public Add build() {
      return new Add(this);
    }
  }
}
