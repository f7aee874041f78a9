package jkeras.backend;

import jkeras.initializers.Initializer;
import jkeras.internal.Shapes;
import jkeras.regularizers.Regularizer;

/**
 * A weight a layer declared in {@code build} (Keras' {@code add_weight}): its name, shape,
 * initializer, regularizer and trainability. The engine creates the TensorFlow variable for it when
 * the model's graph is built and attaches it here.
 */
public final class Weight {
  private final String name;
  private final long[] shape;
  private final Initializer initializer;
  private final Regularizer regularizer;
  private final boolean trainable;
  private KerasVariable variable;
  private WeightStore store;

  public Weight(
      String name,
      long[] shape,
      Initializer initializer,
      Regularizer regularizer,
      boolean trainable) {
    this.name = name;
    this.shape = shape.clone();
    this.initializer = initializer;
    this.regularizer = regularizer;
    this.trainable = trainable;
  }

  /** Short name within the layer, e.g. {@code kernel}. */
  public String name() {
    return name;
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

  public boolean trainable() {
    return trainable;
  }

  /** The variable, once the model's graph exists; else null. */
  public KerasVariable variable() {
    return variable;
  }

  /** The model graph holding the variable, for reading and writing values; else null. */
  public WeightStore store() {
    return store;
  }

  /**
   * Binds the weight to its variable in a model's graph; called by the engine when it builds the
   * graph (a layer author never calls it).
   */
  public void attach(KerasVariable v, WeightStore s) {
    this.variable = v;
    this.store = s;
  }
}
