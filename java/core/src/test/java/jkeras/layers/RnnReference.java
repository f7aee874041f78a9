package jkeras.layers;

import java.util.function.DoubleUnaryOperator;

/**
 * Keras 2.3.1's recurrent cells written out in double precision with plain loops, from the formulas
 * of {@code keras/layers/recurrent.py} and {@code K.rnn}: the hand computations the recurrent layer
 * tests compare against. Nothing here calls jkeras' engine.
 */
final class RnnReference {
  private RnnReference() {}

  static final DoubleUnaryOperator TANH = Math::tanh;
  static final DoubleUnaryOperator SIGMOID = v -> 1 / (1 + Math.exp(-v));
  static final DoubleUnaryOperator HARD_SIGMOID = v -> Math.max(0, Math.min(1, 0.2 * v + 0.5));
  static final DoubleUnaryOperator RELU = v -> Math.max(0, v);

  /** Which cell, with its activations and (for a GRU) the reset-gate placement. */
  record Spec(
      String kind, DoubleUnaryOperator act, DoubleUnaryOperator recAct, boolean resetAfter) {
    int gates() {
      return switch (kind) {
        case "lstm" -> 4;
        case "gru" -> 3;
        default -> 1;
      };
    }

    int states() {
      return kind.equals("lstm") ? 2 : 1;
    }
  }

  /**
   * What the layer computes.
   *
   * @param outputs {@code [batch][step][units]} in the order computed
   * @param states the final states, each {@code [batch][units]}
   */
  record Run(double[][][] outputs, double[][][] states) {
    double[][] last() {
      double[][] l = new double[outputs.length][];
      for (int b = 0; b < outputs.length; b++) l[b] = outputs[b][outputs[b].length - 1];
      return l;
    }
  }

  /**
   * Runs the cell over {@code x} ({@code [batch][T][in]}).
   *
   * @param w kernel {@code [in][gates*units]}
   * @param u recurrent kernel {@code [units][gates*units]}
   * @param bias {@code [gates*units]}, or for a reset-after GRU {@code [2*gates*units]} (input bias
   *     then recurrent bias); null for none
   * @param initial the initial states ({@code [state][batch][units]}) or null for zeros
   * @param mask {@code [batch][T]} or null
   */
  static Run run(
      Spec spec,
      double[][][] x,
      double[][] w,
      double[][] u,
      double[] bias,
      double[][][] initial,
      boolean[][] mask,
      boolean goBackwards) {
    int batch = x.length;
    int steps = x[0].length;
    int units = u.length;
    double[][][] states = new double[spec.states()][batch][units];
    if (initial != null)
      for (int s = 0; s < states.length; s++)
        for (int b = 0; b < batch; b++) states[s][b] = initial[s][b].clone();
    double[][][] outputs = new double[batch][steps][];
    for (int b = 0; b < batch; b++) {
      double[] prev = new double[units];
      for (int k = 0; k < steps; k++) {
        int t = goBackwards ? steps - 1 - k : k;
        double[][] st = new double[spec.states()][];
        for (int s = 0; s < st.length; s++) st[s] = states[s][b];
        double[][] next = step(spec, x[b][t], st, w, u, bias);
        boolean keep = mask == null || mask[b][t];
        double[] out = keep ? next[0] : prev;
        if (keep) for (int s = 0; s < st.length; s++) states[s][b] = next[s];
        outputs[b][k] = out.clone();
        prev = out;
      }
    }
    return new Run(outputs, states);
  }

  /** One cell step: the new states (the output is the first). */
  static double[][] step(
      Spec spec, double[] x, double[][] st, double[][] w, double[][] u, double[] bias) {
    int units = u.length;
    int cols = spec.gates() * units;
    double[] xw = new double[cols];
    double[] hu = new double[cols];
    double[] h = st[0];
    for (int j = 0; j < cols; j++) {
      for (int i = 0; i < x.length; i++) xw[j] += x[i] * w[i][j];
      if (bias != null) xw[j] += bias[j];
      for (int i = 0; i < units; i++) hu[j] += h[i] * u[i][j];
    }
    DoubleUnaryOperator a = spec.act();
    DoubleUnaryOperator ra = spec.recAct();
    switch (spec.kind()) {
      case "simple_rnn" -> {
        double[] out = new double[units];
        for (int j = 0; j < units; j++) out[j] = a.applyAsDouble(xw[j] + hu[j]);
        return new double[][] {out};
      }
      case "lstm" -> {
        double[] c = new double[units];
        double[] hn = new double[units];
        for (int j = 0; j < units; j++) {
          double i = ra.applyAsDouble(xw[j] + hu[j]);
          double f = ra.applyAsDouble(xw[units + j] + hu[units + j]);
          double g = a.applyAsDouble(xw[2 * units + j] + hu[2 * units + j]);
          double o = ra.applyAsDouble(xw[3 * units + j] + hu[3 * units + j]);
          c[j] = f * st[1][j] + i * g;
          hn[j] = o * a.applyAsDouble(c[j]);
        }
        return new double[][] {hn, c};
      }
      default -> {
        double[] hn = new double[units];
        double[] z = new double[units];
        double[] r = new double[units];
        for (int j = 0; j < units; j++) {
          double rz = hu[j];
          double rr = hu[units + j];
          if (spec.resetAfter() && bias != null) {
            rz += bias[cols + j];
            rr += bias[cols + units + j];
          }
          z[j] = ra.applyAsDouble(xw[j] + rz);
          r[j] = ra.applyAsDouble(xw[units + j] + rr);
        }
        for (int j = 0; j < units; j++) {
          double rh;
          if (spec.resetAfter()) {
            double inner = hu[2 * units + j] + (bias != null ? bias[cols + 2 * units + j] : 0);
            rh = r[j] * inner;
          } else {
            rh = 0;
            for (int i = 0; i < units; i++) rh += r[i] * h[i] * u[i][2 * units + j];
          }
          double hh = a.applyAsDouble(xw[2 * units + j] + rh);
          hn[j] = z[j] * h[j] + (1 - z[j]) * hh;
        }
        return new double[][] {hn};
      }
    }
  }
}
