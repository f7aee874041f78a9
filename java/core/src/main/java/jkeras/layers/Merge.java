package jkeras.layers;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jkeras.backend.CallContext;
import jkeras.internal.Shapes;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Keras 2.3.1's {@code _Merge} ({@code keras/layers/merge.py}): a layer without weights over a list
 * of at least two inputs, the base of {@link Add}, {@link Subtract}, {@link Multiply}, {@link
 * Average}, {@link Maximum}, {@link Minimum}, {@link Concatenate} and {@link Dot}.
 *
 * <p>The element-wise merges broadcast as Keras does: sizes of 1 (and unknown sizes) stretch, and
 * an input of lower rank gains axes of size 1 after the batch axis. Masks: a step is kept where
 * every masked input keeps it; no mask when no input has one.
 */
public abstract class Merge extends Layer {
  Merge(Layer.Builder<?> b) {
    super(b);
  }

  @Override
  protected final boolean acceptsMultipleInputs() {
    return true;
  }

  @Override
  protected final boolean weightsFreeLayer() {
    return true;
  }

  @Override
  public boolean supportsMasking() {
    return true;
  }

  /**
   * Keras' {@code _Merge.build} checks: at least 2 inputs, one batch size, shapes that broadcast.
   */
  @Override
  protected void checkInputs(List<long[]> shapes) {
    if (shapes.size() < 2) {
      throw new IllegalArgumentException(
          "A merge layer should be called on a list of at least 2 inputs. Got "
              + shapes.size()
              + " inputs.");
    }
    Set<Long> batchSizes = new HashSet<>();
    for (long[] s : shapes) if (s.length > 0 && s[0] >= 0) batchSizes.add(s[0]);
    if (batchSizes.size() > 1) {
      throw new IllegalArgumentException(
          "Can not merge tensors with different batch sizes. Got tensors with shapes : "
              + pythonShapes(shapes));
    }
    elementwiseShape(shapes);
  }

  /** Keras' {@code _Merge.compute_output_shape}: the broadcast shape, the common batch size. */
  @Override
  public long[] computeOutputShape(List<long[]> shapes) {
    long[] rest = elementwiseShape(shapes);
    long batch = -1;
    for (long[] s : shapes) if (s.length > 0 && s[0] >= 0) batch = s[0];
    return withBatch(batch, rest);
  }

  private static long[] withBatch(long batch, long[] rest) {
    long[] out = new long[rest.length + 1];
    out[0] = batch;
    System.arraycopy(rest, 0, out, 1, rest.length);
    return out;
  }

  /** The broadcast of the inputs' shapes without their batch axis. */
  private static long[] elementwiseShape(List<long[]> shapes) {
    long[] out = Shapes.withoutBatch(shapes.get(0));
    for (int i = 1; i < shapes.size(); i++) {
      out = broadcast(out, Shapes.withoutBatch(shapes.get(i)), shapes);
    }
    return out;
  }

  /** Keras' {@code _compute_elemwise_op_output_shape}. */
  private static long[] broadcast(long[] shape1, long[] shape2, List<long[]> all) {
    if (shape1.length < shape2.length) return broadcast(shape2, shape1, all);
    if (shape2.length == 0) return shape1;
    long[] out = shape1.clone();
    int off = shape1.length - shape2.length;
    for (int k = 0; k < shape2.length; k++) {
      long i = shape1[off + k];
      long j = shape2[k];
      if (i < 0 || j < 0) out[off + k] = -1;
      else if (i == 1) out[off + k] = j;
      else if (j == 1) out[off + k] = i;
      else if (i != j) {
        throw new IllegalArgumentException(
            "Operands could not be broadcast together with shapes "
                + Shapes.toPython(shape1)
                + " "
                + Shapes.toPython(shape2)
                + ". Inputs: "
                + pythonShapes(all));
      } else out[off + k] = i;
    }
    return out;
  }

  /**
   * Keras' {@code _Merge.call}: inputs of lower rank gain axes of size 1 after the batch axis, then
   * {@link #mergeFunction} combines them.
   */
  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    Ops tf = ctx.tf();
    int maxRank = 0;
    for (Operand<TFloat32> x : inputs) maxRank = Math.max(maxRank, x.shape().numDimensions());
    List<Operand<TFloat32>> reshaped = new ArrayList<>();
    for (Operand<TFloat32> x : inputs) {
      Operand<TFloat32> y = x;
      for (int r = x.shape().numDimensions(); r < maxRank; r++)
        y = tf.expandDims(y, tf.constant(1));
      reshaped.add(y);
    }
    return mergeFunction(tf, reshaped);
  }

  /** Keras' {@code _merge_function}: combines inputs of one rank. */
  abstract Operand<TFloat32> mergeFunction(Ops tf, List<Operand<TFloat32>> inputs);

  /**
   * Keras' {@code _Merge.compute_mask}: no mask when no input has one, else a step is kept where
   * every masked input keeps it.
   */
  @Override
  public List<Operand<TBool>> computeMasks(
      CallContext ctx, List<Operand<TFloat32>> inputs, int outputs) {
    Operand<TBool> all = null;
    for (Operand<TBool> m : ctx.inputMasks()) {
      if (m != null) all = all == null ? m : ctx.tf().math.logicalAnd(all, m);
    }
    List<Operand<TBool>> out = new ArrayList<>(outputs);
    for (int i = 0; i < outputs; i++) out.add(all);
    return out;
  }

  /**
   * Reads the Keras config of an element-wise merge layer named {@code className} (the base keys
   * only) into {@code b}.
   */
  static <B extends Layer.Builder<B>> B fromConfig(
      String className, java.util.Map<String, Object> config, B b) {
    Layers.check(className, config);
    return b.baseConfig(config);
  }

  /**
   * The input shapes as Keras prints them in its merge errors, e.g. {@code [(None, 3), (None, 4)]}.
   */
  static List<String> pythonShapes(List<long[]> shapes) {
    List<String> out = new ArrayList<>();
    for (long[] s : shapes) out.add(Shapes.toPython(s));
    return out;
  }

  /** Left fold of {@code op} over the inputs, as Keras' {@code output = op(output, inputs[i])}. */
  static Operand<TFloat32> fold(
      List<Operand<TFloat32>> inputs, java.util.function.BinaryOperator<Operand<TFloat32>> op) {
    Operand<TFloat32> out = inputs.get(0);
    for (int i = 1; i < inputs.size(); i++) out = op.apply(out, inputs.get(i));
    return out;
  }
}
