package jkeras.losses;

import java.util.List;
import java.util.Map;
import jkeras.backend.Prediction;
import jkeras.internal.Config;
import jkeras.internal.Errors;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * What {@link BinaryCrossentropy} and {@link CategoricalCrossentropy} share: Keras' {@code
 * from_logits} and {@code label_smoothing} arguments, their config and their check. Immutable.
 */
abstract class SmoothedCrossentropy extends LossFunctionWrapper {
  /** A crossentropy formula of {@link Losses}, e.g. {@link Losses#binaryCrossentropy}. */
  interface Formula {
    Operand<TFloat32> apply(
        Ops tf,
        Operand<TFloat32> yTrue,
        Prediction yPred,
        boolean fromLogits,
        float labelSmoothing);
  }

  /** The arguments read from a Keras config. */
  record Arguments(boolean fromLogits, float labelSmoothing, String name) {}

  private final boolean fromLogits;
  private final float labelSmoothing;

  SmoothedCrossentropy(String name, Formula formula, boolean fromLogits, float labelSmoothing) {
    super(
        name,
        (tf, yTrue, yPred) -> formula.apply(tf, yTrue, yPred, fromLogits, labelSmoothing),
        kwargs("from_logits", fromLogits, "label_smoothing", labelSmoothing));
    if (!(labelSmoothing >= 0f && labelSmoothing <= 1f)) {
      throw Errors.invalidArgument("labelSmoothing", "a float in [0, 1]", labelSmoothing);
    }
    this.fromLogits = fromLogits;
    this.labelSmoothing = labelSmoothing;
  }

  /** Keras {@code from_logits}: whether the model output is logits rather than probabilities. */
  public final boolean fromLogits() {
    return fromLogits;
  }

  /** Keras {@code label_smoothing}, in {@code [0, 1]}. */
  public final float labelSmoothing() {
    return labelSmoothing;
  }

  /**
   * Reads a Keras config of {@code owner}: {@code reduction}, {@code name}, {@code from_logits},
   * {@code label_smoothing}.
   */
  static Arguments read(String owner, Map<String, ?> config, String defaultName) {
    String name =
        checkConfig(owner, config, List.of("from_logits", "label_smoothing"), defaultName);
    // Both classes have Keras' defaults from_logits=False, label_smoothing=0.
    return new Arguments(
        Config.getBoolean(config, "from_logits", BinaryCrossentropy.FROM_LOGITS_DEFAULT),
        Config.getFloat(config, "label_smoothing", BinaryCrossentropy.LABEL_SMOOTHING_DEFAULT),
        name);
  }
}
