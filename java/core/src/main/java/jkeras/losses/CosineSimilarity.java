package jkeras.losses;

import java.util.List;
import java.util.Map;

/**
 * The negative cosine similarity over the last axis, {@code -sum(l2_normalize(yTrue) *
 * l2_normalize(yPred))}: Keras 2.3.1's loss function {@code cosine_proximity} (which has no class
 * in 2.3.1) under tf-keras' class name {@code CosineSimilarity} and default name {@code
 * "cosine_similarity"}. Only {@code axis=-1} is supported. Immutable.
 *
 * <p>{@code Losses.get("cosine_similarity")} returns the same function named {@code
 * "cosine_proximity"}, as Keras 2.3.1 does.
 */
public final class CosineSimilarity extends LossFunctionWrapper {
  public static final String NAME_DEFAULT = "cosine_similarity";

  public CosineSimilarity() {
    this(NAME_DEFAULT);
  }

  private CosineSimilarity(String name) {
    super(name, (tf, yTrue, yPred) -> Losses.cosineProximity(tf, yTrue, yPred.value()));
  }

  /** From a Keras config ({@code reduction}, {@code name}). */
  public static CosineSimilarity fromConfig(Map<String, ?> config) {
    return new CosineSimilarity(checkConfig("CosineSimilarity", config, List.of(), NAME_DEFAULT));
  }
}
