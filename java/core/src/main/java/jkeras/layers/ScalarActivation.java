package jkeras.layers;

import java.util.Map;
import jkeras.internal.Config;

/**
 * The advanced activation layers with one float argument ({@link ELU}'s and {@link LeakyReLU}'s
 * {@code alpha}, {@link ThresholdedReLU}'s {@code theta}), kept as float32 as Keras' {@code
 * K.cast_to_floatx} keeps it: the config holds its float32 value (e.g. {@code 0.30000001192092896}
 * for 0.3).
 */
abstract class ScalarActivation extends PassThroughLayer {
  private final String key;

  /** The argument, as float32. */
  final float value;

  ScalarActivation(Builder<?> b) {
    super(b);
    this.key = b.key;
    this.value = (float) b.value;
  }

  /** Keras' {@code get_config()}: the argument (its float32 value). */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put(key, (double) value);
    return c;
  }

  /**
   * Reads a Keras config of the layer named {@code className} into {@code b}: the base keys and the
   * argument (the builder's default when absent).
   */
  static <B extends Builder<B>> B fromConfig(String className, Map<String, Object> config, B b) {
    Layers.check(className, config, b.key);
    return b.baseConfig(config).value(Config.getDouble(config, b.key, b.value));
  }

  /**
   * The argument's Keras name and value; defaults are Keras'.
   *
   * @param <B> the concrete builder, for chaining
   */
  @SuppressWarnings("unchecked")
  abstract static class Builder<B extends Builder<B>> extends Layer.Builder<B> {
    final String key;
    double value;

    Builder(String key, double value) {
      this.key = key;
      this.value = value;
    }

    B value(double value) {
      this.value = value;
      return (B) this;
    }
  }
}
