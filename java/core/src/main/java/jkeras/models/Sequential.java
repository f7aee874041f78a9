package jkeras.models;

import java.util.ArrayList;
import java.util.List;
import jkeras.data.ArrayData;
import jkeras.data.NDArray;
import jkeras.layers.Input;
import jkeras.layers.KerasTensor;
import jkeras.layers.Layer;
import jkeras.trainers.CompileOptions;

/**
 * Keras' {@code Sequential}: a linear stack of layers. Give the first layer an {@code inputShape}
 * or the model is built from the first data it sees, as in Keras.
 *
 * <pre>{@code
 * Sequential model = new Sequential(List.of(
 *     Dense.builder(128).activation("relu").inputShape(784).build(),
 *     Dense.builder(10).activation("softmax").build()));
 * }</pre>
 */
public class Sequential extends Model {
  private final List<Layer> stack = new ArrayList<>();

  /** An empty model named {@code sequential}, {@code sequential_1}, ... */
  public Sequential() {
    this((String) null);
  }

  /** An empty model with a name. */
  public Sequential(String name) {
    super(name != null ? name : Layer.uniqueName("sequential"));
  }

  /** A model over {@code layers}, in order. */
  public Sequential(List<? extends Layer> layers) {
    this((String) null);
    for (Layer l : layers) add(l);
  }

  /** Appends a layer ({@code model.add(layer)}). */
  public void add(Layer layer) {
    for (Layer l : stack) {
      if (l.name().equals(layer.name())) {
        throw new IllegalArgumentException(
            "All layers added to a Sequential model should have unique names. Name \""
                + layer.name()
                + "\" is already the name of a layer in this model. Update the `name` argument to pass a unique name.");
      }
    }
    if (stack.isEmpty() && layer.inputShape() == null) {
      stack.add(layer);
      return; // built from data later
    }
    stack.add(layer);
    if (stack.get(0).inputShape() != null) rebuild(stack.get(0).inputShape());
  }

  /** Removes the last layer ({@code model.pop()}). */
  public void pop() {
    if (stack.isEmpty()) throw new IllegalStateException("There are no layers in the model.");
    stack.remove(stack.size() - 1);
    if (!stack.isEmpty() && stack.get(0).inputShape() != null) rebuild(stack.get(0).inputShape());
  }

  private void rebuild(long[] inputShape) {
    KerasTensor in =
        Input.builder()
            .shape(inputShape)
            .name(stack.get(0).name() + "_input")
            .dtype(stack.get(0).inputDtype().kerasName())
            .build();
    KerasTensor x = in;
    for (Layer l : stack) x = l.apply(x);
    // Keras builds the weights as soon as the input shape is known; later adds keep them.
    rebuildGraphKeepingWeights(List.of(in), List.of(x));
  }

  /** Keras' deferred build: the input shape comes from the first data seen. */
  @Override
  protected void buildFromData(ArrayData x) {
    if (!inputs().isEmpty() || stack.isEmpty()) return;
    NDArray a =
        x instanceof NDArray n
            ? n
            : x instanceof ArrayData.ListData l && l.arrays().size() == 1
                ? l.arrays().get(0)
                : null;
    if (a == null || a.rank() < 1) return;
    long[] s = a.shape();
    long[] inputShape = java.util.Arrays.copyOfRange(s, 1, s.length);
    if (inputShape.length == 0) inputShape = new long[] {1};
    rebuild(inputShape);
  }

  /**
   * Builds the model for inputs of {@code inputShape} (without batch), Keras' {@code build}.
   * (Unlike a layer's {@code build(long[])}, the shape has no batch axis here.)
   */
  @Override
  public void build(long... inputShape) {
    if (inputs().isEmpty()) rebuild(inputShape);
  }

  @Override
  protected void buildFromShape(long[] inputShape) {
    build(inputShape);
  }

  /** The layers, without the implicit input layer (Keras' {@code model.layers}). */
  @Override
  public List<Layer> layers() {
    return List.copyOf(stack);
  }

  @Override
  public void compile(CompileOptions options) {
    if (inputs().isEmpty() && stack.isEmpty()) {
      throw new IllegalStateException(
          "You must add layers to the Sequential model before compiling it.");
    }
    super.compile(options);
  }

  /** Keras 2.3.1's {@code Sequential.get_config()}: {@code name} and {@code layers}. */
  @Override
  public java.util.Map<String, Object> getConfig() {
    return ModelSerialization.sequentialConfig(this);
  }

  @Override
  public List<String> outputNames() {
    if (inputs().isEmpty())
      return stack.isEmpty() ? List.of() : List.of(stack.get(stack.size() - 1).name());
    return super.outputNames();
  }
}
