package jkeras.losses;

import java.util.List;
import java.util.Map;
import jkeras.internal.Config;

/**
 * Keras {@code SparseCategoricalCrossentropy} loss ({@code sparse_categorical_crossentropy}) for
 * integer class ids given as floats, shaped {@code [batch]} or {@code [batch, 1]}. See {@link
 * Losses#sparseCategoricalCrossentropy}. Immutable.
 *
 * <p>{@code new SparseCategoricalCrossentropy()} is what {@code
 * Losses.get("sparse_categorical_crossentropy")} returns.
 */
public final class SparseCategoricalCrossentropy extends LossFunctionWrapper {
  public static final String NAME_DEFAULT = "sparse_categorical_crossentropy";
  public static final boolean FROM_LOGITS_DEFAULT = false;

  private final boolean fromLogits;

  /** Keras default: {@code from_logits=False}. */
  public SparseCategoricalCrossentropy() {
    this(FROM_LOGITS_DEFAULT);
  }

  /**
   * @param fromLogits (Keras {@code from_logits}) whether the model output is logits rather than
   *     probabilities. Default {@code false}.
   */
  public SparseCategoricalCrossentropy(boolean fromLogits) {
    this(fromLogits, NAME_DEFAULT);
  }

  private SparseCategoricalCrossentropy(boolean fromLogits, String name) {
    super(
        name,
        (tf, yTrue, yPred) -> Losses.sparseCategoricalCrossentropy(tf, yTrue, yPred, fromLogits),
        kwargs("from_logits", fromLogits));
    this.fromLogits = fromLogits;
  }

  public boolean fromLogits() {
    return fromLogits;
  }

  /** From a Keras config ({@code reduction}, {@code name}, {@code from_logits}). */
  public static SparseCategoricalCrossentropy fromConfig(Map<String, ?> config) {
    String name =
        checkConfig("SparseCategoricalCrossentropy", config, List.of("from_logits"), NAME_DEFAULT);
    return new SparseCategoricalCrossentropy(
        Config.getBoolean(config, "from_logits", FROM_LOGITS_DEFAULT), name);
  }
}
