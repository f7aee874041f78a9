package jkeras.losses;

import java.util.Map;

/**
 * Keras {@code CategoricalCrossentropy} loss ({@code categorical_crossentropy}) for one-hot labels.
 * See {@link Losses#categoricalCrossentropy} for the formula and the use of softmax logits.
 * Immutable.
 *
 * <p>{@code new CategoricalCrossentropy()} is what {@code Losses.get("categorical_crossentropy")}
 * returns.
 */
public final class CategoricalCrossentropy extends SmoothedCrossentropy {
  public static final String NAME_DEFAULT = "categorical_crossentropy";
  public static final boolean FROM_LOGITS_DEFAULT = false;
  public static final float LABEL_SMOOTHING_DEFAULT = 0f;

  /** Keras defaults: {@code from_logits=False, label_smoothing=0}. */
  public CategoricalCrossentropy() {
    this(FROM_LOGITS_DEFAULT, LABEL_SMOOTHING_DEFAULT);
  }

  /**
   * @param fromLogits (Keras {@code from_logits}) whether the model output is logits rather than
   *     probabilities. Default {@code false}.
   * @param labelSmoothing (Keras {@code label_smoothing}) in {@code [0, 1]}; labels become {@code y
   *     * (1 - s) + s / numClasses}. Default {@code 0}.
   * @throws IllegalArgumentException if {@code labelSmoothing} is outside {@code [0, 1]}
   */
  public CategoricalCrossentropy(boolean fromLogits, float labelSmoothing) {
    this(fromLogits, labelSmoothing, NAME_DEFAULT);
  }

  private CategoricalCrossentropy(boolean fromLogits, float labelSmoothing, String name) {
    super(name, Losses::categoricalCrossentropy, fromLogits, labelSmoothing);
  }

  /**
   * From a Keras config ({@code reduction}, {@code name}, {@code from_logits}, {@code
   * label_smoothing}).
   */
  public static CategoricalCrossentropy fromConfig(Map<String, ?> config) {
    Arguments a = read("CategoricalCrossentropy", config, NAME_DEFAULT);
    return new CategoricalCrossentropy(a.fromLogits(), a.labelSmoothing(), a.name());
  }
}
