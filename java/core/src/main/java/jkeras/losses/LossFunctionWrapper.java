package jkeras.losses;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import jkeras.backend.Prediction;
import jkeras.internal.Config;
import jkeras.internal.Errors;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A {@link Loss} that calls a {@link LossFunction} with fixed keyword arguments, as Keras' {@code
 * LossFunctionWrapper}. Immutable. The built-in loss classes ({@link MeanSquaredError}, {@link
 * BinaryCrossentropy}, ...) extend it.
 *
 * <p>Only Keras' default reduction, {@code SUM_OVER_BATCH_SIZE}, is supported; the engine applies
 * it (with the sample weights) to the per-sample values of {@link #call}.
 */
public class LossFunctionWrapper extends Loss {
  /** Keras {@code Reduction.SUM_OVER_BATCH_SIZE}, the only reduction jkeras supports. */
  public static final String REDUCTION_DEFAULT = "sum_over_batch_size";

  private final String name;
  private final LossFunction fn;
  private final Map<String, Object> kwargs;

  /**
   * @param name the loss name (Keras {@code name}), what logs and {@code get_config()} show
   * @param fn the per-sample loss function
   */
  public LossFunctionWrapper(String name, LossFunction fn) {
    this(name, fn, Map.of());
  }

  /**
   * {@code kwargs} are the function's keyword arguments, reported by {@link #getConfig()} in order.
   */
  protected LossFunctionWrapper(String name, LossFunction fn, Map<String, Object> kwargs) {
    if (name == null || name.isEmpty()) {
      throw Errors.invalidArgument("name", "a non-empty string", name);
    }
    this.name = name;
    this.fn = Objects.requireNonNull(fn, "fn");
    this.kwargs = Collections.unmodifiableMap(new LinkedHashMap<>(kwargs));
  }

  @Override
  public String name() {
    return name;
  }

  /** The wrapped function (Keras {@code LossFunctionWrapper.fn}). */
  public LossFunction fn() {
    return fn;
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Prediction yPred) {
    return fn.apply(tf, yTrue, yPred);
  }

  /** {@code {reduction, name, <function kwargs>}}, the key order of Keras 2.3.1. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("reduction", REDUCTION_DEFAULT);
    config.put("name", name);
    config.putAll(kwargs);
    return config;
  }

  /** Ordered keyword map from alternating keys and values. */
  static Map<String, Object> kwargs(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  /**
   * Checks a config map of {@code owner} (keys {@code reduction}, {@code name} and {@code
   * extraKeys}) and returns its name, or {@code defaultName}.
   */
  static String checkConfig(
      String owner, Map<String, ?> config, Collection<String> extraKeys, String defaultName) {
    List<String> valid = new ArrayList<>(List.of("reduction", "name"));
    valid.addAll(extraKeys);
    Errors.checkKeys(owner, config, valid);
    String reduction = Config.getString(config, "reduction", REDUCTION_DEFAULT);
    // tf-keras writes "auto", which means SUM_OVER_BATCH_SIZE outside distribution strategies.
    if (!reduction.equals(REDUCTION_DEFAULT) && !reduction.equals("auto")) {
      throw Errors.invalidArgument("reduction", "\"" + REDUCTION_DEFAULT + "\"", reduction);
    }
    return Config.getString(config, "name", defaultName);
  }
}
