/**
 * Keras 2.3.1 weight regularizers ({@code keras.regularizers}). {@link
 * jkeras.regularizers.Regularizer} is the central type, {@link jkeras.regularizers.L1L2} the only
 * built-in, and {@link jkeras.regularizers.Regularizers} holds the {@code l1}, {@code l2} and
 * {@code l1_l2} factories and resolves Keras identifiers.
 */
package jkeras.regularizers;
