package jkeras.losses;

import java.util.List;
import java.util.Map;
import jkeras.internal.Config;
import jkeras.internal.Errors;

/**
 * Keras {@code Huber} loss ({@code huber_loss}): quadratic for errors up to {@code delta}, linear
 * beyond. See {@link Losses#huber}. Immutable.
 *
 * <p>{@code new Huber()} is what {@code Losses.get("huber_loss")} returns.
 */
public final class Huber extends LossFunctionWrapper {
  public static final String NAME_DEFAULT = "huber_loss";
  public static final float DELTA_DEFAULT = 1.0f;

  private final float delta;

  /** Keras default: {@code delta=1.0}. */
  public Huber() {
    this(DELTA_DEFAULT);
  }

  /**
   * @param delta (Keras {@code delta}) where the loss changes from quadratic to linear. Default
   *     {@code 1.0}.
   * @throws IllegalArgumentException if {@code delta} is negative or not finite
   */
  public Huber(float delta) {
    this(delta, NAME_DEFAULT);
  }

  private Huber(float delta, String name) {
    super(
        name,
        (tf, yTrue, yPred) -> Losses.huber(tf, yTrue, yPred.value(), delta),
        kwargs("delta", delta));
    if (!(delta >= 0f) || Float.isInfinite(delta)) {
      throw Errors.invalidArgument("delta", "a finite float >= 0", delta);
    }
    this.delta = delta;
  }

  public float delta() {
    return delta;
  }

  /** From a Keras config ({@code reduction}, {@code name}, {@code delta}). */
  public static Huber fromConfig(Map<String, ?> config) {
    String name = checkConfig("Huber", config, List.of("delta"), NAME_DEFAULT);
    return new Huber(Config.getFloat(config, "delta", DELTA_DEFAULT), name);
  }
}
