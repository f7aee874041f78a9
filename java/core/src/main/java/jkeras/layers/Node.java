package jkeras.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One call of a layer on symbolic tensors (Keras' {@code Node}): the layer, the tensors it was
 * called on, and the tensors the call produced (several for layers such as an LSTM returning its
 * states). A layer called twice (shared weights) has two nodes; {@link #index()} numbers them, as
 * Keras' summary shows in "Connected to" ({@code dense_1[1][0]}).
 */
public final class Node {
  private final Layer layer;
  private final List<KerasTensor> inbound;
  private final int index;
  private final List<KerasTensor> outputs = new ArrayList<>();

  Node(Layer layer, List<KerasTensor> inbound, int index) {
    this.layer = layer;
    this.inbound = List.copyOf(inbound);
    this.index = index;
  }

  /** The layer called. */
  public Layer layer() {
    return layer;
  }

  /** The tensors the layer was called on (empty for a model input). */
  public List<KerasTensor> inbound() {
    return inbound;
  }

  /** Which call of {@link #layer()} this is: 0 for the first. */
  public int index() {
    return index;
  }

  /** The tensors this call produced, in the layer's output order. */
  public List<KerasTensor> outputs() {
    return Collections.unmodifiableList(outputs);
  }

  void addOutput(KerasTensor t) {
    outputs.add(t);
  }
}
