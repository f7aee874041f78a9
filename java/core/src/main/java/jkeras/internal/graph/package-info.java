/**
 * Not API: the TensorFlow Java engine. {@link jkeras.internal.graph.ModelGraph} holds one model's
 * graph, session, variables and forward pass; {@link jkeras.internal.graph.TrainingGraph} adds what
 * {@code compile} needs (losses, metrics, gradients, optimizer updates) and implements the
 * trainer's {@link jkeras.trainers.CompiledSteps} with one session run per step (or per group of
 * chained steps), made by {@link jkeras.internal.graph.StepRunner} through TensorFlow's C API with
 * its arguments allocated once. A session with one inter-op thread runs its ops on the caller's
 * thread, with TensorFlow's flush-to-zero set around each run ({@link
 * jkeras.internal.graph.FlushDenormals}). Only {@code jkeras.models} uses it; the module does not
 * export it.
 */
package jkeras.internal.graph;
