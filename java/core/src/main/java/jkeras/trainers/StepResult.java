package jkeras.trainers;

/**
 * What one train or test step reports: the total loss, each output's loss (only when the model has
 * several outputs), and each metric's sum and count over the batch (the trainer keeps the running
 * means, as Keras' stateful mean metrics do).
 */
public record StepResult(
    double loss, double[] outputLosses, double[] metricSums, double[] metricCounts) {}
