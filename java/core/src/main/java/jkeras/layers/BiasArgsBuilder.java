package jkeras.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jkeras.activations.Activation;
import jkeras.activations.Activations;
import jkeras.constraints.Constraints;
import jkeras.initializers.Initializers;
import jkeras.internal.Config;
import jkeras.regularizers.Regularizer;
import jkeras.regularizers.Regularizers;

/**
 * The arguments of the layers computing {@code activation(... + bias)} ({@link Dense}, the
 * convolutions, the recurrent layers): {@code activation}, {@code use_bias}, the bias' initializer,
 * regularizer and constraint, and {@code activity_regularizer}. Defaults are Keras'.
 *
 * @param <B> the concrete builder, for chaining
 */
@SuppressWarnings("unchecked")
abstract class BiasArgsBuilder<B extends BiasArgsBuilder<B>> extends Layer.Builder<B> {
  Activation activation;
  boolean useBias = true;
  final WeightArgs bias = new WeightArgs("bias", Conv.BIAS_INITIALIZER_DEFAULT);
  Regularizer activityRegularizer;

  /** {@code activation}: Keras' default for the layer ("linear", "tanh" for recurrent layers). */
  BiasArgsBuilder(String activation) {
    this.activation = Activations.get(activation);
  }

  /**
   * {@code activation} (Keras {@code activation}): a name such as "relu" or an Activation; {@code
   * null} is linear. Default linear (tanh for the recurrent layers).
   */
  public B activation(Object activation) {
    this.activation = Activations.get(activation);
    return (B) this;
  }

  /** {@code useBias} (Keras {@code use_bias}). Default true. */
  public B useBias(boolean useBias) {
    this.useBias = useBias;
    return (B) this;
  }

  /** {@code biasInitializer} (Keras {@code bias_initializer}). Default zeros. */
  public B biasInitializer(Object init) {
    bias.initializer = Initializers.get(init);
    return (B) this;
  }

  /**
   * {@code biasRegularizer} (Keras {@code bias_regularizer}): a Regularizer, an identifier or a
   * config map. Default none.
   */
  public B biasRegularizer(Object r) {
    bias.regularizer = Regularizers.get(r);
    return (B) this;
  }

  /**
   * {@code activityRegularizer} (Keras {@code activity_regularizer}): a penalty on each output (a
   * recurrent layer's states too, with {@code returnState}), added to the loss at each call (Keras
   * 2.3.1: undivided; tf-keras divides it by the batch size). A Regularizer, an identifier or a
   * config map; default none.
   */
  public B activityRegularizer(Object r) {
    this.activityRegularizer = Regularizers.get(r);
    return (B) this;
  }

  /**
   * {@code biasConstraint} (Keras {@code bias_constraint}): applied to the bias after each update.
   * A Constraint, an identifier ({@code "non_neg"}) or a config map; default none.
   */
  public B biasConstraint(Object c) {
    bias.constraint = Constraints.get(c);
    return (B) this;
  }

  /**
   * Reads {@code activation} (when present; null is linear), {@code use_bias}, the bias' arguments
   * and {@code activity_regularizer} from a Keras config, as the setters take them.
   */
  B readBiasArgs(Map<String, Object> config) {
    if (config.containsKey("activation")) activation(config.get("activation"));
    useBias(Config.getBoolean(config, "use_bias", true));
    bias.readConfig(config);
    activityRegularizer(config.get("activity_regularizer"));
    return (B) this;
  }

  /**
   * Keras' config keys of such a layer, in Keras' order: its own keys {@code first}, {@code
   * activation}, {@code use_bias}, then the arguments of its weights {@code weights} ({@link
   * WeightArgs#penaltyKeys}).
   */
  static List<String> configKeys(List<String> first, String... weights) {
    List<String> keys = new ArrayList<>(first);
    keys.addAll(List.of("activation", "use_bias"));
    keys.addAll(WeightArgs.penaltyKeys(weights));
    return keys;
  }
}
