/**
 * Process-wide settings, as {@code tf.config} and Keras 3's {@code keras.config} hold them: {@link
 * jkeras.config.Threading} ({@code tf.config.threading}).
 */
package jkeras.config;
