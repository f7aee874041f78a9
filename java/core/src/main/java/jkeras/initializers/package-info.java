/**
 * Keras weight initializers ({@code keras.initializers}). {@link jkeras.initializers.Initializer}
 * is the central type; {@link jkeras.initializers.Initializers} resolves Keras identifiers and
 * configs. Random initializers use TensorFlow's stateless random ops with the seed {@code [seed,
 * 0]}, as tf-keras 2.x seeded initializers do, so a seed always gives the same values.
 */
package jkeras.initializers;
