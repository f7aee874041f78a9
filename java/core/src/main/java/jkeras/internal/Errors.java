package jkeras.internal;

import java.util.Collection;
import java.util.Map;

/**
 * The error messages of jkeras, kept in one place so tests can match them. Wording follows Keras
 * where Keras has one; otherwise "what is wrong, what was expected, what was received".
 */
public final class Errors {
  private Errors() {}

  /** Truncates long values the way Keras does ({@code str(x)[:100]}). */
  public static String truncate(Object value) {
    String s = String.valueOf(value);
    return s.length() > 100 ? s.substring(0, 100) + "..." : s;
  }

  /** "Expected `name` to be what. Received: name=value". */
  public static IllegalArgumentException invalidArgument(
      String name, String expected, Object received) {
    return new IllegalArgumentException(
        "Expected `"
            + name
            + "` to be "
            + expected
            + ". Received: "
            + name
            + "="
            + truncate(received));
  }

  /** An unknown string identifier, listing the valid ones. */
  public static IllegalArgumentException unknownIdentifier(
      String kind, String identifier, Collection<String> valid) {
    return new IllegalArgumentException(
        "Unknown " + kind + ": `" + identifier + "`. Expected one of " + valid + ".");
  }

  /** An unknown key in a config or keyword map. */
  public static IllegalArgumentException unknownArgument(
      String owner, String key, Object value, Collection<String> valid) {
    return new IllegalArgumentException(
        "Unknown argument `"
            + key
            + "` for "
            + owner
            + ". Expected one of "
            + valid
            + ". Received: "
            + key
            + "="
            + truncate(value));
  }

  /** Checks every key of {@code config} is one of {@code valid}. */
  public static void checkKeys(String owner, Map<String, ?> config, Collection<String> valid) {
    for (Map.Entry<String, ?> e : config.entrySet()) {
      if (!valid.contains(e.getKey())) {
        throw unknownArgument(owner, e.getKey(), e.getValue(), valid);
      }
    }
  }

  /**
   * Keras 2.3.1's error for an empty batch ({@code train_on_batch}, evaluate, and a stream's
   * batches outside fit).
   */
  public static IllegalArgumentException emptyBatch() {
    return new IllegalArgumentException(
        "Received an empty batch. Batches should contain at least one item.");
  }

  /**
   * Keras 2's error when a generator is given no step count: {@code argument} is {@code
   * steps_per_epoch}, {@code validation_steps} or {@code steps}.
   */
  public static IllegalArgumentException stepsNoneNeedsSequence(String argument) {
    return new IllegalArgumentException(
        "`"
            + argument
            + "=None` is only valid for a generator based on the `keras.utils.Sequence` class. Please specify `"
            + argument
            + "` or use the `keras.utils.Sequence` class.");
  }

  /** Arrays given as {@code x} without targets. */
  public static IllegalArgumentException missingTargets() {
    return new IllegalArgumentException(
        "Expected `y` (the targets) with array inputs; only a Sequence or a generator carries its own targets. Received: y=null");
  }

  /** Keras: {@code RuntimeError('You must compile your model before using it.')}. */
  public static IllegalStateException notCompiled() {
    return new IllegalStateException("You must compile your model before using it.");
  }
}
