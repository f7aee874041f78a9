package jkeras.utils;

import java.util.NoSuchElementException;

/**
 * The data ran out before the steps asked for were drawn: Keras 2's {@code StopIteration} escaping
 * {@code fit_generator}. Training stops at once; {@code on_train_end} is not called.
 */
public class GeneratorExhaustedException extends NoSuchElementException {
  private static final long serialVersionUID = 1L;

  /** With the message every exhausted source gives: {@code The generator has no more batches.} */
  public GeneratorExhaustedException() {
    this("The generator has no more batches.");
  }

  public GeneratorExhaustedException(String message) {
    super(message);
  }
}
