package jkeras.utils;

/**
 * A generator that knows its batch size: the Java form of the {@code batch_size} attribute that
 * Keras' own iterators (e.g. those of {@code ImageDataGenerator.flow}) carry. Keras 2.3.1's legacy
 * {@code samples_per_epoch} conversion divides by it (see {@link jkeras.legacy.GeneratorMethods}).
 */
public interface BatchSized {
  /**
   * The number of samples in each batch the generator yields (Keras {@code generator.batch_size}).
   */
  int batchSize();
}
