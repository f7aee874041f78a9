package jkeras.losses;

import java.util.Map;

/**
 * Keras {@code BinaryCrossentropy} loss ({@code binary_crossentropy}), averaged over the last axis.
 * See {@link Losses#binaryCrossentropy} for the formula and the use of sigmoid logits. Immutable.
 *
 * <p>{@code new BinaryCrossentropy()} is what {@code Losses.get("binary_crossentropy")} returns.
 */
public final class BinaryCrossentropy extends SmoothedCrossentropy {
  public static final String NAME_DEFAULT = "binary_crossentropy";
  public static final boolean FROM_LOGITS_DEFAULT = false;
  public static final float LABEL_SMOOTHING_DEFAULT = 0f;

  /** Keras defaults: {@code from_logits=False, label_smoothing=0}. */
  public BinaryCrossentropy() {
    this(FROM_LOGITS_DEFAULT, LABEL_SMOOTHING_DEFAULT);
  }

  /**
   * @param fromLogits (Keras {@code from_logits}) whether the model output is logits rather than
   *     probabilities. Default {@code false}.
   * @param labelSmoothing (Keras {@code label_smoothing}) in {@code [0, 1]}; labels become {@code y
   *     * (1 - s) + 0.5 * s}. Default {@code 0}.
   * @throws IllegalArgumentException if {@code labelSmoothing} is outside {@code [0, 1]}
   */
  public BinaryCrossentropy(boolean fromLogits, float labelSmoothing) {
    this(fromLogits, labelSmoothing, NAME_DEFAULT);
  }

  private BinaryCrossentropy(boolean fromLogits, float labelSmoothing, String name) {
    super(name, Losses::binaryCrossentropy, fromLogits, labelSmoothing);
  }

  /**
   * From a Keras config ({@code reduction}, {@code name}, {@code from_logits}, {@code
   * label_smoothing}).
   */
  public static BinaryCrossentropy fromConfig(Map<String, ?> config) {
    Arguments a = read("BinaryCrossentropy", config, NAME_DEFAULT);
    return new BinaryCrossentropy(a.fromLogits(), a.labelSmoothing(), a.name());
  }
}
