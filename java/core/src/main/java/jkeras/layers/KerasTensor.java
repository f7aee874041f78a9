package jkeras.layers;

import java.util.List;
import jkeras.data.DType;
import jkeras.internal.Shapes;

/**
 * A symbolic tensor of the functional API (Keras' {@code keras.Input(...)} result, or what calling
 * a layer returns): its shape and dtype, and where it came from (Keras' {@code _keras_history}: the
 * {@link Node} that produced it and its index among that call's outputs). The TensorFlow graph is
 * built from these records when a model needs it.
 */
public final class KerasTensor {
  private final long[] shape;
  private final DType dtype;
  private final Node node;
  private final int outputIndex;
  private final String name;

  /**
   * A tensor produced alone by a new call of {@code layer} on {@code inbound}.
   *
   * @param shape the shape with the batch dimension first as {@code -1} (Keras' {@code None})
   * @param layer the layer that produced it (an {@code InputLayer} for inputs)
   * @param inbound the tensors the layer was called on (empty for inputs)
   */
  public KerasTensor(
      long[] shape, DType dtype, Layer layer, List<KerasTensor> inbound, String name) {
    this(shape, dtype, layer.newNode(inbound), 0, name);
  }

  KerasTensor(long[] shape, DType dtype, Node node, int outputIndex, String name) {
    this.shape = shape.clone();
    this.dtype = dtype;
    this.node = node;
    this.outputIndex = outputIndex;
    this.name = name;
    node.addOutput(this);
  }

  /** The shape, batch dimension first as {@code -1}. */
  public long[] shape() {
    return shape.clone();
  }

  public DType dtype() {
    return dtype;
  }

  /** The layer that produced this tensor. */
  public Layer layer() {
    return node.layer();
  }

  /** The tensors {@link #layer()} was called on to produce this one. */
  public List<KerasTensor> inbound() {
    return node.inbound();
  }

  /** The layer call that produced this tensor. */
  public Node node() {
    return node;
  }

  /** This tensor's index among the outputs of {@link #node()}. */
  public int outputIndex() {
    return outputIndex;
  }

  /** Keras' tensor name, e.g. {@code dense_1/Relu:0}; for inputs the input's name. */
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return "KerasTensor(name="
        + name
        + ", shape="
        + Shapes.toPython(shape)
        + ", dtype="
        + dtype.kerasName()
        + ")";
  }
}
