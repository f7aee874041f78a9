package jkeras.initializers;

import java.util.List;
import java.util.Map;
import jkeras.internal.Errors;

/** Keras {@code Zeros} ({@code "zeros"}, {@code "zero"}): every value is {@code 0}. Immutable. */
public final class Zeros extends Fill {
  public Zeros() {
    super(0);
  }

  /**
   * Keras {@code Zeros.from_config}: accepts only an empty config (or the unused {@code dtype}).
   */
  public static Zeros fromConfig(Map<String, ?> config) {
    Errors.checkKeys("Zeros", config, List.of("dtype"));
    return new Zeros();
  }
}
