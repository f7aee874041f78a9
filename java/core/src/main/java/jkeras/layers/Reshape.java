package jkeras.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import jkeras.internal.Shapes;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** Keras' {@code Reshape(target_shape)}: reshapes each sample; one dimension may be -1. */
public final class Reshape extends Layer {
  private final long[] targetShape;

  public Reshape(long... targetShape) {
    this(builder(targetShape));
  }

  private Reshape(Builder b) {
    super(b);
    this.targetShape = b.targetShape;
  }

  public static Builder builder(long... targetShape) {
    return new Builder(targetShape);
  }

  @Override
  public long[] computeOutputShape(List<long[]> inputShapes) {
    long[] in = Shapes.withoutBatch(inputShapes.get(0));
    long[] out = targetShape.clone();
    int unknown = -1;
    long known = 1;
    for (int i = 0; i < out.length; i++) {
      if (out[i] == -1) {
        if (unknown >= 0)
          throw new IllegalArgumentException("Can only specify one unknown dimension.");
        unknown = i;
      } else known *= out[i];
    }
    boolean inKnown = true;
    for (long d : in) inKnown &= d >= 0;
    if (inKnown) {
      long total = Shapes.product(in);
      if (unknown >= 0) {
        if (known == 0 || total % known != 0) throw sizeError(in);
        out[unknown] = total / known;
      } else if (total != known) {
        throw sizeError(in);
      }
    }
    return Shapes.withBatch(out);
  }

  private IllegalArgumentException sizeError(long[] in) {
    return new IllegalArgumentException(
        "total size of new array must be unchanged, input_shape = "
            + Shapes.toPythonList(in)
            + ", output_shape = "
            + Shapes.toPythonList(targetShape));
  }

  @Override
  protected boolean weightsFreeLayer() {
    return true;
  }

  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    long[] full = new long[targetShape.length + 1];
    full[0] = -1;
    long[] resolved =
        Shapes.withoutBatch(computeOutputShape(List.of(inputs.get(0).shape().asArray())));
    System.arraycopy(resolved, 0, full, 1, resolved.length);
    return ctx.tf().reshape(inputs.get(0), ctx.tf().constant(full));
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    List<Long> t = new ArrayList<>();
    for (long d : targetShape) t.add(d);
    c.put("target_shape", t);
    return c;
  }

  public static final class Builder extends Layer.Builder<Builder> {
    private final long[] targetShape;

    private Builder(long[] targetShape) {
      for (long d : targetShape) {
        if (d == 0 || d < -1)
          throw jkeras.internal.Errors.invalidArgument(
              "targetShape",
              "positive dimensions and at most one -1",
              java.util.Arrays.toString(targetShape));
      }
      this.targetShape = targetShape.clone();
    }

    public Reshape build() {
      return new Reshape(this);
    }
  }
}
