/**
 * Keras 2.3.1 weight constraints ({@code keras.constraints}): functions a weight is projected
 * through after every optimizer update. {@link jkeras.constraints.Constraint} is the central type;
 * {@link jkeras.constraints.MaxNorm}, {@link jkeras.constraints.NonNeg}, {@link
 * jkeras.constraints.UnitNorm} and {@link jkeras.constraints.MinMaxNorm} are the built-ins, and
 * {@link jkeras.constraints.Constraints} resolves Keras identifiers ({@code "max_norm"}, {@code
 * "non_neg"}, ...) and configs.
 *
 * <p>A layer passes its constraint to {@code addWeight}; the weight's variable carries it and the
 * optimizer applies it to the new value before assigning it, as Keras 2.3.1's optimizers do ({@code
 * new_p = p.constraint(new_p)}).
 */
package jkeras.constraints;
