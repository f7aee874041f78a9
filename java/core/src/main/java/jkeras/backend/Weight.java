package jkeras.backend;

import java.util.ArrayList;
import java.util.List;
import jkeras.constraints.Constraint;
import jkeras.initializers.Initializer;
import jkeras.internal.Shapes;
import jkeras.regularizers.Regularizer;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A weight a layer declared in {@code build} (Keras' {@code add_weight}): its name, shape,
 * initializer, regularizer, constraint and trainability. The engine creates a TensorFlow variable
 * for it in each model graph that uses its layer, and attaches it here.
 *
 * <p>In a layer's {@code call}, {@link #value()} is the weight as a tensor (Keras' {@code
 * self.kernel}): {@code K.dot(x, kernel.value())}.
 *
 * <p>A layer shared by several models (a layer called in two models, or a model used as a layer
 * inside another) has one variable per model graph but one value: the graph that last ran a step
 * (or was written to) holds it ({@link #store()}), and another graph copies it in before its next
 * step. Not thread-safe, as layers and models are not.
 */
public final class Weight {
  private final String layerName;
  private final String name;
  private final long[] shape;
  private final Initializer initializer;
  private final Regularizer regularizer;
  private final Constraint constraint;
  private final boolean trainable;
  private final List<WeightStore> holders = new ArrayList<>();
  private KerasVariable variable;
  private WeightStore store;

  /** A weight without constraint, outside any layer's name scope. */
  public Weight(
      String name,
      long[] shape,
      Initializer initializer,
      Regularizer regularizer,
      boolean trainable) {
    this(null, name, shape, initializer, regularizer, null, trainable);
  }

  /**
   * A weight of layer {@code layerName} (its Keras variable is {@code <layerName>/<name>:0}).
   *
   * @param constraint applied by the optimizer after each update, or {@code null}
   */
  public Weight(
      String layerName,
      String name,
      long[] shape,
      Initializer initializer,
      Regularizer regularizer,
      Constraint constraint,
      boolean trainable) {
    this.layerName = layerName;
    this.name = name;
    this.shape = shape.clone();
    this.initializer = initializer;
    this.regularizer = regularizer;
    this.constraint = constraint;
    this.trainable = trainable;
  }

  /** Short name within the layer, e.g. {@code kernel}. */
  public String name() {
    return name;
  }

  /** The name of the layer that declared it, or {@code null}. */
  public String layerName() {
    return layerName;
  }

  /** Keras' variable name without {@code :0}: {@code dense_1/kernel}, or the bare name. */
  public String path() {
    return layerName == null ? name : layerName + "/" + name;
  }

  public long[] shape() {
    return shape.clone();
  }

  public long size() {
    return Shapes.product(shape);
  }

  public Initializer initializer() {
    return initializer;
  }

  public Regularizer regularizer() {
    return regularizer;
  }

  /**
   * The constraint the optimizer applies after each update (Keras' {@code constraint}), or null.
   */
  public Constraint constraint() {
    return constraint;
  }

  public boolean trainable() {
    return trainable;
  }

  /**
   * The weight as a tensor of the graph being built (Keras' {@code self.kernel} in {@code call}):
   * its variable's value, read before the step's updates.
   *
   * @throws IllegalStateException outside a model's graph construction (before the layer is part of
   *     a model)
   */
  public Operand<TFloat32> value() {
    if (variable == null) {
      throw new IllegalStateException(
          "Weight `"
              + path()
              + "` has no variable yet: its value exists while a model's graph is built (in a"
              + " layer's call).");
    }
    return variable.value();
  }

  /**
   * The variable of the model graph most recently built with this weight (the one whose ops are
   * being built, while a layer's {@code call} runs); else null.
   */
  public KerasVariable variable() {
    return variable;
  }

  /** The model graph holding the weight's current value, for reading and writing it; else null. */
  public WeightStore store() {
    return store;
  }

  /**
   * Binds the weight to its variable in a model graph being built; that graph holds the value when
   * no other open graph does. Called by the engine (a layer author never calls it).
   */
  public void attach(KerasVariable v, WeightStore s) {
    this.variable = v;
    if (!holders.contains(s)) holders.add(s);
    if (store == null || !holders.contains(store)) store = s;
  }

  /** The engine: {@code s} now holds the current value (it copied it in or wrote it). */
  public void claim(WeightStore s) {
    this.store = s;
  }

  /**
   * The engine: graph {@code s} is closing. When it held the value, the caller has handed it to
   * another holder first ({@link #claim}); otherwise the closed graph stays the store, so reads
   * fail with "model closed".
   */
  public void detach(WeightStore s) {
    holders.remove(s);
  }

  /** The open model graphs with a variable for this weight, oldest first (for the engine). */
  public List<WeightStore> holders() {
    return List.copyOf(holders);
  }

  @Override
  public String toString() {
    return "Weight(" + path() + ", shape=" + Shapes.toPython(shape) + ")";
  }
}
