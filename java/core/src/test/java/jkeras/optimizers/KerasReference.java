package jkeras.optimizers;

import java.util.ArrayList;
import java.util.List;

/**
 * Keras 2.3.1's optimizer formulas ({@code keras/optimizers.py} at tag 2.3.1) in double precision,
 * written independently of the graph code, to check it against. The base applies what all share
 * (clipping, decay, the step counter); each factory gives one optimizer's step.
 */
final class KerasReference {
  /** One step of an optimizer: given the decayed learning rate and {@code t}, the update. */
  interface Step {
    Update begin(double lr, double t);
  }

  /** Updates element {@code i} of one parameter {@code p} in place; {@code s} are its slots. */
  interface Update {
    void apply(double[] p, double[] g, double[][] s, int i);
  }

  private final double learningRate;
  private final int slotCount;
  private final Step step;
  private final List<double[][]> slots = new ArrayList<>();
  private double decay;
  private double clipnorm;
  private double clipvalue;
  int iterations;

  private KerasReference(double learningRate, int slotCount, Step step) {
    this.learningRate = learningRate;
    this.slotCount = slotCount;
    this.step = step;
  }

  KerasReference decay(double decay) {
    this.decay = decay;
    return this;
  }

  KerasReference clipnorm(double clipnorm) {
    this.clipnorm = clipnorm;
    return this;
  }

  KerasReference clipvalue(double clipvalue) {
    this.clipvalue = clipvalue;
    return this;
  }

  void step(List<double[]> params, List<double[]> grads) {
    List<double[]> gs = new ArrayList<>();
    for (double[] g : grads) gs.add(g.clone());
    if (clipnorm > 0) {
      double sum = 0;
      for (double[] g : gs) for (double x : g) sum += x * x;
      double norm = Math.sqrt(sum);
      if (norm >= clipnorm)
        for (double[] g : gs) for (int i = 0; i < g.length; i++) g[i] *= clipnorm / norm;
    }
    if (clipvalue > 0) {
      for (double[] g : gs) {
        for (int i = 0; i < g.length; i++) g[i] = Math.max(-clipvalue, Math.min(clipvalue, g[i]));
      }
    }
    if (slots.isEmpty()) {
      for (double[] p : params) slots.add(new double[slotCount][p.length]);
    }
    double lr = learningRate;
    if (decay > 0) lr = lr * (1.0 / (1.0 + decay * iterations));
    Update update = step.begin(lr, iterations + 1);
    for (int k = 0; k < params.size(); k++) {
      double[] p = params.get(k);
      for (int i = 0; i < p.length; i++) update.apply(p, gs.get(k), slots.get(k), i);
    }
    iterations++;
  }

  static KerasReference sgd(double lr0, double momentum, boolean nesterov) {
    return new KerasReference(
        lr0,
        1,
        (lr, t) ->
            (p, g, s, i) -> {
              double v = momentum * s[0][i] - lr * g[i];
              s[0][i] = v;
              p[i] = nesterov ? p[i] + momentum * v - lr * g[i] : p[i] + v;
            });
  }

  static KerasReference rmsprop(double lr0, double rho, double eps) {
    return new KerasReference(
        lr0,
        1,
        (lr, t) ->
            (p, g, s, i) -> {
              s[0][i] = rho * s[0][i] + (1 - rho) * g[i] * g[i];
              p[i] -= lr * g[i] / (Math.sqrt(s[0][i]) + eps);
            });
  }

  static KerasReference adagrad(double lr0, double eps) {
    return new KerasReference(
        lr0,
        1,
        (lr, t) ->
            (p, g, s, i) -> {
              s[0][i] += g[i] * g[i];
              p[i] -= lr * g[i] / (Math.sqrt(s[0][i]) + eps);
            });
  }

  static KerasReference adadelta(double lr0, double rho, double eps) {
    return new KerasReference(
        lr0,
        2,
        (lr, t) ->
            (p, g, s, i) -> {
              s[0][i] = rho * s[0][i] + (1 - rho) * g[i] * g[i];
              double u = g[i] * Math.sqrt(s[1][i] + eps) / Math.sqrt(s[0][i] + eps);
              p[i] -= lr * u;
              s[1][i] = rho * s[1][i] + (1 - rho) * u * u;
            });
  }

  static KerasReference adam(double lr0, double b1, double b2, double eps, boolean amsgrad) {
    return new KerasReference(
        lr0,
        3,
        (lr, t) -> {
          double lrT = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
          return (p, g, s, i) -> {
            s[0][i] = b1 * s[0][i] + (1 - b1) * g[i];
            s[1][i] = b2 * s[1][i] + (1 - b2) * g[i] * g[i];
            s[2][i] = Math.max(s[2][i], s[1][i]);
            double v = amsgrad ? s[2][i] : s[1][i];
            p[i] -= lrT * s[0][i] / (Math.sqrt(v) + eps);
          };
        });
  }

  static KerasReference adamax(double lr0, double b1, double b2, double eps) {
    return new KerasReference(
        lr0,
        2,
        (lr, t) -> {
          double lrT = lr / (1 - Math.pow(b1, t));
          return (p, g, s, i) -> {
            s[0][i] = b1 * s[0][i] + (1 - b1) * g[i];
            s[1][i] = Math.max(b2 * s[1][i], Math.abs(g[i]));
            p[i] -= lrT * s[0][i] / (s[1][i] + eps);
          };
        });
  }

  static KerasReference nadam(double lr0, double b1, double b2, double eps, double scheduleDecay) {
    double[] mSchedule = {1};
    return new KerasReference(
        lr0,
        2,
        (lr, t) -> {
          double muT = b1 * (1 - 0.5 * Math.pow(0.96, t * scheduleDecay));
          double muT1 = b1 * (1 - 0.5 * Math.pow(0.96, (t + 1) * scheduleDecay));
          double scheduleNew = mSchedule[0] * muT;
          double scheduleNext = scheduleNew * muT1;
          mSchedule[0] = scheduleNew;
          // Nadam has no decay in Keras 2.3.1: always the base learning rate.
          return (p, g, s, i) -> {
            double gPrime = g[i] / (1 - scheduleNew);
            s[0][i] = b1 * s[0][i] + (1 - b1) * g[i];
            double mPrime = s[0][i] / (1 - scheduleNext);
            s[1][i] = b2 * s[1][i] + (1 - b2) * g[i] * g[i];
            double vPrime = s[1][i] / (1 - Math.pow(b2, t));
            double mBar = (1 - muT) * gPrime + muT1 * mPrime;
            p[i] -= lr0 * mBar / (Math.sqrt(vPrime) + eps);
          };
        });
  }
}
