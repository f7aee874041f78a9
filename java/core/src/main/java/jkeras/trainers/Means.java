package jkeras.trainers;

/**
 * Running means of a step's reports since the last reset (one epoch, one evaluation): the loss
 * weighted by batch size, each output's loss as a plain mean over batches (Keras 2.3.1 feeds one
 * scalar per batch to a Mean metric, {@code training.py _output_loss_metrics}), the metrics over
 * all samples.
 */
final class Means {
  private final double[] outputLossSum;
  private final double[] metricSum;
  private final double[] metricCount;
  private double samples;
  private double lossSum;
  private int batches;

  Means(int outputLosses, int metrics) {
    outputLossSum = new double[outputLosses];
    metricSum = new double[metrics];
    metricCount = new double[metrics];
  }

  /** For the names of {@code model.metrics_names}: loss, output losses (when several), metrics. */
  static Means forNames(CompiledSteps steps, int outputs) {
    int outputLosses = outputs > 1 ? outputs : 0;
    return new Means(outputLosses, steps.metricsNames().size() - 1 - outputLosses);
  }

  void add(StepResult r, double weight) {
    samples += weight;
    lossSum += r.loss() * weight;
    batches++;
    for (int i = 0; i < outputLossSum.length; i++) outputLossSum[i] += r.outputLosses()[i];
    for (int i = 0; i < metricSum.length; i++) {
      metricSum[i] += r.metricSums()[i];
      metricCount[i] += r.metricCounts()[i];
    }
  }

  /** [loss, output losses..., metrics...] with the given loss value. */
  double[] values(double loss) {
    double[] v = new double[1 + outputLossSum.length + metricSum.length];
    v[0] = loss;
    for (int i = 0; i < outputLossSum.length; i++)
      v[1 + i] = batches == 0 ? 0 : outputLossSum[i] / batches;
    for (int i = 0; i < metricSum.length; i++) {
      v[1 + outputLossSum.length + i] = metricCount[i] == 0 ? 0 : metricSum[i] / metricCount[i];
    }
    return v;
  }

  /** The loss averaged over samples (weights). */
  double meanLoss() {
    return samples == 0 ? 0 : lossSum / samples;
  }
}
