package jkeras.layers;

import java.util.List;
import jkeras.backend.CallContext;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Keras' {@code Flatten}: reshapes {@code (batch, d1, d2, ...)} to {@code (batch, d1*d2*...)}. */
public final class Flatten extends Layer {
  public Flatten() {
    this(new Builder());
  }

  private Flatten(Builder b) {
    super(b);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public long[] computeOutputShape(List<long[]> inputShapes) {
    long[] s = inputShapes.get(0);
    long n = 1;
    for (int i = 1; i < s.length; i++) {
      if (s[i] < 0) {
        throw new IllegalArgumentException(
            "The shape of the input to \"Flatten\" is not fully defined (got "
                + jkeras.internal.Shapes.toPython(s)
                + "). Make sure to pass a complete \"input_shape\" or \"batch_input_shape\" argument to the first layer in your model.");
      }
      n *= s[i];
    }
    return new long[] {s[0], n};
  }

  @Override
  protected boolean weightsFreeLayer() {
    return true;
  }

  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    Operand<TFloat32> x = inputs.get(0);
    long[] s = x.shape().asArray();
    long n = 1;
    for (int i = 1; i < s.length; i++) n = n < 0 || s[i] < 0 ? -1 : n * s[i];
    Ops tf = ctx.tf();
    if (n >= 0) return tf.reshape(x, tf.constant(new long[] {-1, n}));
    // Keras' batch_flatten: the size of the non-batch axes, computed in the graph.
    Operand<TInt32> shape = tf.shape(x);
    Operand<TInt32> rest =
        tf.reduceProd(
            tf.slice(shape, tf.constant(new int[] {1}), tf.constant(new int[] {-1})),
            tf.constant(0));
    return tf.reshape(x, tf.stack(List.of(tf.constant(-1), rest)));
  }

  public static final class Builder extends Layer.Builder<Builder> {
    public Flatten build() {
      return new Flatten(this);
    }
  }
}
