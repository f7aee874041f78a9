/**
 * Keras' {@code keras.utils}: {@link jkeras.utils.Sequence} and the enqueuers that read data ahead
 * on worker threads ({@link jkeras.utils.OrderedEnqueuer}, {@link jkeras.utils.GeneratorEnqueuer}),
 * the progress bar ({@link jkeras.utils.Progbar}), {@link jkeras.utils.NpUtils} ({@code
 * to_categorical}, {@code normalize}) and {@link jkeras.utils.RngUtils} ({@code set_random_seed}).
 */
package jkeras.utils;
