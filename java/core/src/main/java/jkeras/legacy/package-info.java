/**
 * Keras' keyword-call forms, for code ported from Python and for the Python bridge.
 *
 * <p>{@link jkeras.legacy.GeneratorMethods} resolves a Keras 2.3.1 {@code fit_generator}, {@code
 * evaluate_generator} or {@code predict_generator} call given as positional arguments plus a
 * keyword map, including the Keras 1 argument names that Keras 2.3.1 still converts (its {@code
 * keras/legacy/interfaces.py} decorator {@code legacy_generator_methods_support}), into the
 * generator and an immutable options object ({@link jkeras.trainers.FitOptions}, {@link
 * jkeras.trainers.EvaluateOptions}, {@link jkeras.trainers.PredictOptions}). Java callers who write
 * new code use those builders directly.
 */
package jkeras.legacy;
