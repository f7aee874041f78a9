package jkeras.layers;

import java.util.ArrayList;
import java.util.List;
import jkeras.internal.Shapes;

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

  /**
   * The input shapes as Keras prints them in its merge errors, e.g. {@code [(None, 3), (None, 4)]}.
   */
  static List<String> pythonShapes(List<long[]> shapes) {
    List<String> out = new ArrayList<>();
    for (long[] s : shapes) out.add(Shapes.toPython(s));
    return out;
  }
}
