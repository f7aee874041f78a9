package jkeras.initializers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jkeras.internal.Errors;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * An initializer drawing random values (Keras 3's {@code RandomInitializer}): it holds the {@code
 * seed}, which every Keras 2.3.1 random initializer writes last in its config.
 *
 * <p>Immutable; a seeded instance gives the same values on every call (tf-keras 2.x behaviour;
 * Keras 2.3.1 incremented the seed after each call).
 */
public abstract class RandomInitializer extends Initializer {
  private final Long seed;

  RandomInitializer(Long seed) {
    this.seed = seed;
  }

  /** Keras {@code seed}: the seed given at construction, or {@code null}. */
  public final Long seed() {
    return seed;
  }

  /** Draws the values with this initializer's seed, or the engine's when it has none. */
  @Override
  public final Operand<TFloat32> call(Ops tf, long[] shape, long seed) {
    return sample(tf, shape, this.seed != null ? this.seed : seed);
  }

  abstract Operand<TFloat32> sample(Ops tf, long[] shape, long seed);

  /**
   * Keras {@code get_config()}: the distribution's arguments in Keras' order, then {@code seed}.
   */
  @Override
  public final Map<String, Object> getConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    putArguments(config);
    config.put("seed", seed);
    return config;
  }

  /** Puts the distribution's arguments (all config keys but {@code seed}), in Keras' order. */
  abstract void putArguments(Map<String, Object> config);

  /**
   * Checks a {@code from_config} map holds only {@code arguments}, {@code seed} and the unused
   * {@code dtype} (Keras' {@code Initializer.from_config} drops it).
   */
  static void checkKeys(String owner, Map<String, ?> config, String... arguments) {
    List<String> valid = new ArrayList<>(List.of(arguments));
    valid.addAll(List.of("seed", "dtype"));
    Errors.checkKeys(owner, config, valid);
  }
}
