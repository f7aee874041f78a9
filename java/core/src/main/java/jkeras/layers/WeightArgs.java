package jkeras.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jkeras.backend.Weight;
import jkeras.constraints.Constraint;
import jkeras.constraints.Constraints;
import jkeras.initializers.Initializer;
import jkeras.initializers.Initializers;
import jkeras.regularizers.Regularizer;
import jkeras.regularizers.Regularizers;

/**
 * One weight's Keras arguments {@code <prefix>_initializer}, {@code <prefix>_regularizer} and
 * {@code <prefix>_constraint} ({@code kernel}, {@code bias}, {@code gamma}, ...): set through a
 * builder, copied into the layer when it is built (a builder can build several layers).
 */
final class WeightArgs {
  /** Keras' argument prefix, e.g. {@code kernel} for {@code kernel_initializer}. */
  final String prefix;

  Initializer initializer;
  Regularizer regularizer;
  Constraint constraint;

  /** {@code initializer}: Keras' default identifier; no regularizer, no constraint. */
  WeightArgs(String prefix, String initializer) {
    this.prefix = prefix;
    this.initializer = Initializers.get(initializer);
  }

  private WeightArgs(WeightArgs a) {
    this.prefix = a.prefix;
    this.initializer = a.initializer;
    this.regularizer = a.regularizer;
    this.constraint = a.constraint;
  }

  /** Sets these arguments to {@code a}'s. */
  void copyFrom(WeightArgs a) {
    this.initializer = a.initializer;
    this.regularizer = a.regularizer;
    this.constraint = a.constraint;
  }

  /** The arguments as they are now, for a layer. */
  WeightArgs copy() {
    return new WeightArgs(this);
  }

  /**
   * Reads {@code <prefix>_initializer} (when set), {@code <prefix>_regularizer} and {@code
   * <prefix>_constraint} from a Keras config, as the builders' setters take them.
   */
  void readConfig(Map<String, Object> config) {
    Object init = config.get(prefix + "_initializer");
    if (init != null) initializer = Initializers.get(init);
    regularizer = Regularizers.get(config.get(prefix + "_regularizer"));
    constraint = Constraints.get(config.get(prefix + "_constraint"));
  }

  /** Declares the trainable weight {@code name} of {@code shape} on {@code layer} with them. */
  Weight addTo(Layer layer, String name, long[] shape) {
    return layer.addWeight(name, shape, initializer, regularizer, true, constraint);
  }

  /** {@code <prefix>_initializer} in a config. */
  void putInitializer(Map<String, Object> config) {
    config.put(prefix + "_initializer", Initializers.serialize(initializer));
  }

  /** {@code <prefix>_regularizer} in a config (null for none). */
  void putRegularizer(Map<String, Object> config) {
    config.put(prefix + "_regularizer", LayerUtils.serialize(regularizer));
  }

  /** {@code <prefix>_constraint} in a config (null for none). */
  void putConstraint(Map<String, Object> config) {
    config.put(prefix + "_constraint", Constraints.serialize(constraint));
  }

  /**
   * Keras' config entries of several weights in Keras' order: their initializers, then their
   * regularizers, then their constraints.
   */
  static void putAll(Map<String, Object> config, WeightArgs... args) {
    putInitializers(config, args);
    for (WeightArgs a : args) a.putRegularizer(config);
    for (WeightArgs a : args) a.putConstraint(config);
  }

  /** The weights' initializers in a config, in order. */
  static void putInitializers(Map<String, Object> config, WeightArgs... args) {
    for (WeightArgs a : args) a.putInitializer(config);
  }

  /**
   * The weights' regularizers, then {@code activity_regularizer} (null for none), then the weights'
   * constraints: the end of the configs of Dense, the convolutions, the recurrent layers and
   * Embedding.
   */
  static void putPenalties(
      Map<String, Object> config, Regularizer activityRegularizer, WeightArgs... args) {
    for (WeightArgs a : args) a.putRegularizer(config);
    config.put("activity_regularizer", LayerUtils.serialize(activityRegularizer));
    for (WeightArgs a : args) a.putConstraint(config);
  }

  /**
   * The config keys {@link #putInitializers} then {@link #putPenalties} write for weights of these
   * {@code prefixes}, in that order: the initializers, the regularizers, {@code
   * activity_regularizer}, the constraints.
   */
  static List<String> penaltyKeys(String... prefixes) {
    List<String> keys = new ArrayList<>();
    for (String p : prefixes) keys.add(p + "_initializer");
    for (String p : prefixes) keys.add(p + "_regularizer");
    keys.add("activity_regularizer");
    for (String p : prefixes) keys.add(p + "_constraint");
    return keys;
  }
}
