package jkeras.layers;

import java.util.ArrayList;
import java.util.List;
import jkeras.backend.CallContext;
import jkeras.internal.Shapes;
import org.tensorflow.Operand;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Keras 2.3.1's {@code _Merge} ({@code keras/layers/merge.py}): a layer without weights over a list
 * of inputs, the base of {@link Add} and {@link Concatenate}.
 */
abstract class Merge extends Layer {
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
   * The input shapes as Keras prints them in its merge errors, e.g. {@code [(None, 3), (None, 4)]}.
   */
  static List<String> pythonShapes(List<long[]> shapes) {
    List<String> out = new ArrayList<>();
    for (long[] s : shapes) out.add(Shapes.toPython(s));
    return out;
  }
}
