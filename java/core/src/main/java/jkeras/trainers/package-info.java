/**
 * The training engine as Keras 3 splits it ({@code keras/src/trainers}): the {@link
 * jkeras.trainers.Trainer} (one loop each for fit, evaluate and predict), the epoch iterator, the
 * options of those calls with Keras' defaults ({@link jkeras.trainers.FitOptions}, {@link
 * jkeras.trainers.EvaluateOptions}, {@link jkeras.trainers.PredictOptions}, {@link
 * jkeras.trainers.CompileOptions}) and the rules that tie them together. The trainer reaches the
 * model only through {@link jkeras.trainers.Trainable} and {@link jkeras.trainers.CompiledSteps}
 * and knows nothing of TensorFlow.
 */
package jkeras.trainers;
