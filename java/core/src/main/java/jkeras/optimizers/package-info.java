/**
 * Keras 2.3.1 optimizers ({@code keras.optimizers}): {@link jkeras.optimizers.Optimizer} is the
 * central type; {@link jkeras.optimizers.Optimizers} resolves string identifiers.
 *
 * <p>Each optimizer is an immutable configuration with a builder whose defaults are Keras 2.3.1's,
 * and builds its update ops once with {@code getUpdates}. The update formulas, the legacy {@code
 * lr} and {@code decay} arguments and the base {@code clipnorm}/{@code clipvalue} follow {@code
 * keras/optimizers.py} at tag 2.3.1, not the tf-keras 2.x optimizers (whose defaults and epsilon
 * placement differ for several classes).
 */
package jkeras.optimizers;
