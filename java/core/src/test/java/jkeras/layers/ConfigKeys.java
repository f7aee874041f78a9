package jkeras.layers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Runs of Keras config keys that several layers write in the same order (as Keras' {@code
 * get_config()} prints them), for the tests' expected key lists.
 */
final class ConfigKeys {
  private ConfigKeys() {}

  /** A layer's base keys when it has no input shape. */
  static final List<String> BASE = List.of("name", "trainable", "dtype");

  /** The spatial arguments of the convolutions, after {@code filters}. */
  static final List<String> CONV_SPATIAL =
      List.of("kernel_size", "strides", "padding", "data_format", "dilation_rate");

  /** The kernel's and the bias' arguments and the activity penalty (Dense, the convolutions). */
  static final List<String> KERNEL_AND_BIAS =
      List.of(
          "kernel_initializer",
          "bias_initializer",
          "kernel_regularizer",
          "bias_regularizer",
          "activity_regularizer",
          "kernel_constraint",
          "bias_constraint");

  /** The bias' arguments and the activity penalty of the depthwise convolutions. */
  static final List<String> BIAS_ONLY =
      List.of("bias_initializer", "bias_regularizer", "activity_regularizer", "bias_constraint");

  /**
   * BatchNormalization's and LayerNormalization's arguments after {@code axis}/{@code momentum}.
   */
  static final List<String> NORMALIZATION = List.of("epsilon", "center", "scale");

  /** Their penalties and constraints, the end of both configs. */
  static final List<String> BETA_AND_GAMMA_PENALTIES =
      List.of("beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint");

  /**
   * Asserts {@code layer}'s default name and its config's keys, exactly and in order; returns the
   * config.
   */
  static Map<String, Object> assertNameAndKeys(Layer layer, String name, List<String> keys) {
    assertThat(layer.name()).isEqualTo(name);
    Map<String, Object> c = layer.getConfig();
    assertThat(c.keySet()).containsExactlyElementsOf(keys);
    return c;
  }

  /** Keys and runs of keys ({@code String}s and lists of them), in order, as one list. */
  static List<String> keys(Object... parts) {
    List<String> out = new ArrayList<>();
    for (Object p : parts) {
      if (p instanceof Collection<?> c) c.forEach(k -> out.add((String) k));
      else out.add((String) p);
    }
    return out;
  }
}
