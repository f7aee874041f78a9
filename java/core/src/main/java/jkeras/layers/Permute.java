package jkeras.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import jkeras.internal.Errors;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Permute(dims)}: reorders the non-batch axes; {@code dims} numbers them from 1, e.g.
 * {@code Permute(2, 1)} swaps the two axes of a {@code (batch, steps, features)} input.
 */
public final class Permute extends Layer {
  private final int[] dims;

  /** {@code Permute(dims)}: a permutation of {@code 1..n}. */
  public Permute(int... dims) {
    this(builder(dims));
  }

  private Permute(Builder b) {
    super(b);
    this.dims = b.dims;
  }

  /**
   * {@code dims} (Keras {@code dims}): the permutation of the axes {@code 1..n} (the batch axis 0
   * stays first).
   */
  public static Builder builder(int... dims) {
    return new Builder(dims);
  }

  /** Keras' {@code dims}. */
  public int[] dims() {
    return dims.clone();
  }

  @Override
  protected boolean weightsFreeLayer() {
    return true;
  }

  @Override
  protected void checkInputs(List<long[]> inputShapes) {
    super.checkInputs(inputShapes);
    InputChecks.ndim(name(), inputShapes.get(0), dims.length + 1);
  }

  @Override
  public long[] computeOutputShape(List<long[]> inputShapes) {
    long[] in = inputShapes.get(0);
    long[] out = in.clone();
    for (int i = 0; i < dims.length; i++) out[i + 1] = in[dims[i]];
    return out;
  }

  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    Ops tf = ctx.tf();
    int[] perm = new int[dims.length + 1];
    System.arraycopy(dims, 0, perm, 1, dims.length);
    return tf.linalg.transpose(inputs.get(0), tf.constant(perm));
  }

  /** Keras' {@code get_config()}: {@code dims}. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    List<Integer> d = new ArrayList<>();
    for (int v : dims) d.add(v);
    c.put("dims", d);
    return c;
  }

  /** {@code Layers.deserialize} of a Keras {@code Permute} config. */
  public static Permute fromConfig(Map<String, Object> config) {
    Layers.check("Permute", config, "dims");
    long[] d = InputChecks.dims("dims", config.get("dims"));
    int[] dims = new int[d.length];
    for (int i = 0; i < d.length; i++) dims[i] = (int) d[i];
    return builder(dims).baseConfig(config).build();
  }

  /** Builds a {@link Permute}. */
  public static final class Builder extends Layer.Builder<Builder> {
    private final int[] dims;

    private Builder(int[] dims) {
      int[] sorted = dims.clone();
      Arrays.sort(sorted);
      for (int i = 0; i < sorted.length; i++) {
        if (sorted[i] != i + 1) {
          // tf-keras' message; Keras 2.3.1 accepts any dims and fails when the graph is built.
          throw new IllegalArgumentException(
              "Invalid permutation argument `dims` for Permute Layer. The set of indices in `dims`"
                  + " must be consecutive and start from 1. Received dims="
                  + Errors.truncate(Arrays.toString(dims)));
        }
      }
      this.dims = dims.clone();
    }

    public Permute build() {
      return new Permute(this);
    }
  }
}
