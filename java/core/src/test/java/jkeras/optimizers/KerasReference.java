package jkeras.optimizers;

import java.util.ArrayList;
import java.util.List;

/**
 * Keras 2.3.1's optimizer formulas ({@code keras/optimizers.py} at tag 2.3.1) in double precision,
 * written independently of the graph code, to check it against.
 */
abstract class KerasReference {
  double learningRate;
  double decay;
  double clipnorm;
  double clipvalue;
  int iterations;
  final List<double[][]> slots = new ArrayList<>();

  KerasReference(double learningRate) {
    this.learningRate = learningRate;
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

  /** Number of slot arrays per parameter. */
  abstract int slotCount();

  /** Called once per step before the parameters are updated. */
  void beginStep(double t) {}

  /** Updates {@code p} in place; {@code s} are its slots. */
  abstract void update(double[] p, double[] g, double[][] s, double lr, double t);

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
      for (double[] p : params) slots.add(new double[slotCount()][p.length]);
    }
    double lr = learningRate;
    if (decay > 0) lr = lr * (1.0 / (1.0 + decay * iterations));
    double t = iterations + 1;
    beginStep(t);
    for (int k = 0; k < params.size(); k++) update(params.get(k), gs.get(k), slots.get(k), lr, t);
    iterations++;
  }

  static final class Sgd extends KerasReference {
    final double momentum;
    final boolean nesterov;

    Sgd(double lr, double momentum, boolean nesterov) {
      super(lr);
      this.momentum = momentum;
      this.nesterov = nesterov;
    }

    @Override
    int slotCount() {
      return 1;
    }

    @Override
    void update(double[] p, double[] g, double[][] s, double lr, double t) {
      for (int i = 0; i < p.length; i++) {
        double v = momentum * s[0][i] - lr * g[i];
        s[0][i] = v;
        p[i] = nesterov ? p[i] + momentum * v - lr * g[i] : p[i] + v;
      }
    }
  }

  static final class Rmsprop extends KerasReference {
    final double rho;
    final double eps;

    Rmsprop(double lr, double rho, double eps) {
      super(lr);
      this.rho = rho;
      this.eps = eps;
    }

    @Override
    int slotCount() {
      return 1;
    }

    @Override
    void update(double[] p, double[] g, double[][] s, double lr, double t) {
      for (int i = 0; i < p.length; i++) {
        s[0][i] = rho * s[0][i] + (1 - rho) * g[i] * g[i];
        p[i] -= lr * g[i] / (Math.sqrt(s[0][i]) + eps);
      }
    }
  }

  static final class AdagradRef extends KerasReference {
    final double eps;

    AdagradRef(double lr, double eps) {
      super(lr);
      this.eps = eps;
    }

    @Override
    int slotCount() {
      return 1;
    }

    @Override
    void update(double[] p, double[] g, double[][] s, double lr, double t) {
      for (int i = 0; i < p.length; i++) {
        s[0][i] += g[i] * g[i];
        p[i] -= lr * g[i] / (Math.sqrt(s[0][i]) + eps);
      }
    }
  }

  static final class AdadeltaRef extends KerasReference {
    final double rho;
    final double eps;

    AdadeltaRef(double lr, double rho, double eps) {
      super(lr);
      this.rho = rho;
      this.eps = eps;
    }

    @Override
    int slotCount() {
      return 2;
    }

    @Override
    void update(double[] p, double[] g, double[][] s, double lr, double t) {
      for (int i = 0; i < p.length; i++) {
        s[0][i] = rho * s[0][i] + (1 - rho) * g[i] * g[i];
        double u = g[i] * Math.sqrt(s[1][i] + eps) / Math.sqrt(s[0][i] + eps);
        p[i] -= lr * u;
        s[1][i] = rho * s[1][i] + (1 - rho) * u * u;
      }
    }
  }

  static final class AdamRef extends KerasReference {
    final double b1;
    final double b2;
    final double eps;
    final boolean amsgrad;

    AdamRef(double lr, double b1, double b2, double eps, boolean amsgrad) {
      super(lr);
      this.b1 = b1;
      this.b2 = b2;
      this.eps = eps;
      this.amsgrad = amsgrad;
    }

    @Override
    int slotCount() {
      return 3;
    }

    @Override
    void update(double[] p, double[] g, double[][] s, double lr, double t) {
      double lrT = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
      for (int i = 0; i < p.length; i++) {
        s[0][i] = b1 * s[0][i] + (1 - b1) * g[i];
        s[1][i] = b2 * s[1][i] + (1 - b2) * g[i] * g[i];
        s[2][i] = Math.max(s[2][i], s[1][i]);
        double v = amsgrad ? s[2][i] : s[1][i];
        p[i] -= lrT * s[0][i] / (Math.sqrt(v) + eps);
      }
    }
  }

  static final class AdamaxRef extends KerasReference {
    final double b1;
    final double b2;
    final double eps;

    AdamaxRef(double lr, double b1, double b2, double eps) {
      super(lr);
      this.b1 = b1;
      this.b2 = b2;
      this.eps = eps;
    }

    @Override
    int slotCount() {
      return 2;
    }

    @Override
    void update(double[] p, double[] g, double[][] s, double lr, double t) {
      double lrT = lr / (1 - Math.pow(b1, t));
      for (int i = 0; i < p.length; i++) {
        s[0][i] = b1 * s[0][i] + (1 - b1) * g[i];
        s[1][i] = Math.max(b2 * s[1][i], Math.abs(g[i]));
        p[i] -= lrT * s[0][i] / (s[1][i] + eps);
      }
    }
  }

  static final class NadamRef extends KerasReference {
    final double b1;
    final double b2;
    final double eps;
    final double scheduleDecay;
    double mSchedule = 1;
    double muT;
    double muT1;
    double scheduleNew;
    double scheduleNext;

    NadamRef(double lr, double b1, double b2, double eps, double scheduleDecay) {
      super(lr);
      this.b1 = b1;
      this.b2 = b2;
      this.eps = eps;
      this.scheduleDecay = scheduleDecay;
    }

    @Override
    int slotCount() {
      return 2;
    }

    @Override
    void beginStep(double t) {
      muT = b1 * (1 - 0.5 * Math.pow(0.96, t * scheduleDecay));
      muT1 = b1 * (1 - 0.5 * Math.pow(0.96, (t + 1) * scheduleDecay));
      scheduleNew = mSchedule * muT;
      scheduleNext = scheduleNew * muT1;
      mSchedule = scheduleNew;
    }

    @Override
    void update(double[] p, double[] g, double[][] s, double lr, double t) {
      // Nadam has no decay in Keras 2.3.1: always the base learning rate.
      for (int i = 0; i < p.length; i++) {
        double gPrime = g[i] / (1 - scheduleNew);
        s[0][i] = b1 * s[0][i] + (1 - b1) * g[i];
        double mPrime = s[0][i] / (1 - scheduleNext);
        s[1][i] = b2 * s[1][i] + (1 - b2) * g[i] * g[i];
        double vPrime = s[1][i] / (1 - Math.pow(b2, t));
        double mBar = (1 - muT) * gPrime + muT1 * mPrime;
        p[i] -= learningRate * mBar / (Math.sqrt(vPrime) + eps);
      }
    }
  }
}
