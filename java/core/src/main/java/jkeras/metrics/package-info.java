/**
 * Keras 2.3.1 metrics ({@code keras.metrics}) as mean metrics: each gives per-sample values whose
 * running mean the engine reports. {@link jkeras.metrics.Metric} is the central type; {@link
 * jkeras.metrics.Metrics} resolves the identifiers given to {@code compile}, including {@code
 * "accuracy"}/{@code "acc"}, which depend on the loss and the output shape.
 */
package jkeras.metrics;
