package jkeras.trainers;

/**
 * What one train or test step reports: the total loss, each output's loss (only when the model has
 * several outputs), and each metric's sum and count over the batch (the trainer keeps the running
 * means, as Keras' stateful mean metrics do), and in multi-worker training the global batch's
 * samples ({@code NaN} otherwise).
 */
public record StepResult(
    double loss,
    double[] outputLosses,
    double[] metricSums,
    double[] metricCounts,
    double samples) {
  /** A step of one process: its samples are its batch's. */
  public StepResult(
      double loss, double[] outputLosses, double[] metricSums, double[] metricCounts) {
    this(loss, outputLosses, metricSums, metricCounts, Double.NaN);
  }
}
