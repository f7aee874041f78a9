package jkeras.layers;

import java.util.Arrays;
import java.util.List;
import jkeras.data.DType;
import jkeras.internal.Shapes;

/**
 * A symbolic tensor of the functional API: the output of {@code Input} or of a layer called on
 * other symbolic tensors. It records where it came from (Keras' {@code _keras_history}); the
 * TensorFlow graph is built from these records when a model needs it.
 */
public final class KerasTensor {
  private final long[] shape;
  private final DType dtype;
  private final Layer layer;
  private final List<KerasTensor> inbound;
  private final String name;

  /**
   * @param shape the shape with the batch dimension first as {@code -1} (Keras' {@code None})
   * @param layer the layer that produced it (an {@code InputLayer} for inputs)
   * @param inbound the tensors the layer was called on (empty for inputs)
   */
  public KerasTensor(
      long[] shape, DType dtype, Layer layer, List<KerasTensor> inbound, String name) {
    this.shape = shape.clone();
    this.dtype = dtype;
    this.layer = layer;
    this.inbound = List.copyOf(inbound);
    this.name = name;
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
    return layer;
  }

  /** The tensors {@link #layer()} was called on to produce this one. */
  public List<KerasTensor> inbound() {
    return inbound;
  }

  /** Keras' tensor name, e.g. {@code dense/Relu:0}; for inputs the input's name. */
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

  long[] shapeView() {
    return shape;
  }

  @SuppressWarnings("unused")
  private static String str(long[] s) {
    return Arrays.toString(s);
  }
}
