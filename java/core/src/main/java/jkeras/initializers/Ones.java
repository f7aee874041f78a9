package jkeras.initializers;

import java.util.List;
import java.util.Map;
import jkeras.internal.Errors;

/** Keras {@code Ones} ({@code "ones"}, {@code "one"}): every value is {@code 1}. Immutable. */
public final class Ones extends Fill {
  public Ones() {
    super(1);
  }

  /** Keras {@code Ones.from_config}: accepts only an empty config (or the unused {@code dtype}). */
  public static Ones fromConfig(Map<String, ?> config) {
    Errors.checkKeys("Ones", config, List.of("dtype"));
    return new Ones();
  }
}
