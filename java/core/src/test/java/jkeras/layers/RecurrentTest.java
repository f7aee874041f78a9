package jkeras.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import jkeras.data.ArrayData;
import jkeras.data.NDArray;
import jkeras.models.Model;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The recurrent layers' numbers against Keras 2.3.1's formulas computed by hand ({@link
 * RnnReference}): every layer, with and without masks, initial states, going backwards, returning
 * sequences and states, on the unrolled and the fused paths.
 */
@Tag("native")
class RecurrentTest {
  static final int BATCH = 3;
  static final int STEPS = 5;
  static final int IN = 4;
  static final int UNITS = 3;
  static final double TOL = 1e-5;

  @BeforeEach
  void resetNames() {
    Layer.resetNames();
  }

  /** A layer of kind {@code kind} and the formulas it should compute. */
  record Kind(String name, RnnReference.Spec spec) {
    Recurrent layer(boolean returnSequences, boolean goBackwards) {
      Recurrent.Builder<?> b =
          switch (name) {
            case "simple_rnn" -> SimpleRNN.builder(UNITS);
            case "lstm" -> LSTM.builder(UNITS);
            case "lstm_hard_sigmoid" -> LSTM.builder(UNITS).recurrentActivation("hard_sigmoid");
            case "gru" -> GRU.builder(UNITS);
            case "gru_reset_after" -> GRU.builder(UNITS).resetAfter(true);
            default -> throw new IllegalArgumentException(name);
          };
      return b.returnSequences(returnSequences).returnState(true).goBackwards(goBackwards).build();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static final List<Kind> KINDS =
      List.of(
          new Kind(
              "simple_rnn", new RnnReference.Spec("simple_rnn", RnnReference.TANH, null, false)),
          new Kind(
              "lstm",
              new RnnReference.Spec("lstm", RnnReference.TANH, RnnReference.SIGMOID, false)),
          new Kind(
              "lstm_hard_sigmoid",
              new RnnReference.Spec("lstm", RnnReference.TANH, RnnReference.HARD_SIGMOID, false)),
          new Kind(
              "gru", new RnnReference.Spec("gru", RnnReference.TANH, RnnReference.SIGMOID, false)),
          new Kind(
              "gru_reset_after",
              new RnnReference.Spec("gru", RnnReference.TANH, RnnReference.SIGMOID, true)));

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (Kind k : KINDS)
      for (boolean seq : new boolean[] {false, true})
        for (boolean back : new boolean[] {false, true})
          for (boolean masked : new boolean[] {false, true})
            for (boolean initial : new boolean[] {false, true})
              for (boolean fused : new boolean[] {true, false}) {
                if (!fused && !k.name().equals("lstm")) continue; // one path only
                out.add(Arguments.of(k, seq, back, masked, initial, fused));
              }
    return out.stream();
  }

  /** Normal data; with {@code padded}, sample b ends with b timesteps of zeros (masked). */
  static double[][][] data(Random r, boolean padded) {
    double[][][] x = new double[BATCH][STEPS][IN];
    for (int b = 0; b < BATCH; b++)
      for (int t = 0; t < STEPS; t++)
        for (int i = 0; i < IN; i++)
          x[b][t][i] = padded && t >= STEPS - b ? 0 : (float) (r.nextGaussian());
    // A masked step in the middle too: its states must carry over.
    if (padded) for (int i = 0; i < IN; i++) x[0][2][i] = 0;
    return x;
  }

  static boolean[][] mask(double[][][] x) {
    boolean[][] m = new boolean[x.length][x[0].length];
    for (int b = 0; b < x.length; b++)
      for (int t = 0; t < x[b].length; t++) for (double v : x[b][t]) m[b][t] |= v != 0;
    return m;
  }

  static double[][] matrix(Random r, int rows, int cols, double scale) {
    double[][] m = new double[rows][cols];
    for (double[] row : m)
      for (int j = 0; j < cols; j++) row[j] = (float) (r.nextGaussian() * scale);
    return m;
  }

  static double[] vector(Random r, int n, double scale) {
    double[] v = new double[n];
    for (int j = 0; j < n; j++) v[j] = (float) (r.nextGaussian() * scale);
    return v;
  }

  static NDArray nd(double[][][] x) {
    double[] flat = new double[x.length * x[0].length * x[0][0].length];
    int k = 0;
    for (double[][] a : x) for (double[] b : a) for (double v : b) flat[k++] = v;
    return NDArray.of(flat, x.length, x[0].length, x[0][0].length);
  }

  @ParameterizedTest(name = "{0} sequences={1} backwards={2} masked={3} initial={4} fused={5}")
  @MethodSource("cases")
  void computesKerasFormulas(
      Kind kind, boolean seq, boolean back, boolean masked, boolean initial, boolean fused) {
    Random r = new Random(7);
    double[][][] x = data(r, masked);
    int cols = kind.spec().gates() * UNITS;
    double[][] w = matrix(r, IN, cols, 0.5);
    double[][] u = matrix(r, UNITS, cols, 0.5);
    boolean resetAfter = kind.spec().resetAfter();
    double[] bias = vector(r, resetAfter ? 2 * cols : cols, 0.3);
    double[][][] h0 = new double[kind.spec().states()][][];
    for (int s = 0; s < h0.length; s++) h0[s] = matrix(r, BATCH, UNITS, 0.5);

    RnnReference.Run expected =
        RnnReference.run(
            kind.spec(), x, w, u, bias, initial ? h0 : null, masked ? mask(x) : null, back);

    Recurrent layer = kind.layer(seq, back);
    KerasTensor in = Input.create(new long[] {STEPS, IN}, "x");
    List<KerasTensor> inputs = new ArrayList<>(List.of(in));
    List<KerasTensor> layerInputs = new ArrayList<>(List.of(masked ? new Masking().apply(in) : in));
    List<NDArray> feed = new ArrayList<>(List.of(nd(x)));
    if (initial) {
      for (int s = 0; s < h0.length; s++) {
        KerasTensor st = Input.create(new long[] {UNITS}, "state_" + s);
        inputs.add(st);
        layerInputs.add(st);
        feed.add(NDArray.of(h0[s]));
      }
    }
    List<NDArray> got;
    int kernels = FusedRnn.BUILT.get();
    String before = System.getProperty(FusedRnn.PROPERTY);
    System.setProperty(FusedRnn.PROPERTY, Boolean.toString(fused));
    try (Model m = new Model(inputs, layer.applyOutputs(layerInputs))) {
      m.getWeights();
      NDArray b = resetAfter ? NDArray.of(bias, 2, cols) : NDArray.of(bias, cols);
      layer.setWeights(List.of(NDArray.of(w), NDArray.of(u), b));
      got = m.predictOnBatchOutputs(ArrayData.of(feed));
    } finally {
      if (before == null) System.clearProperty(FusedRnn.PROPERTY);
      else System.setProperty(FusedRnn.PROPERTY, before);
    }

    // The fused kernel serves Keras' default LSTM without a mask.
    boolean fusedPath = fused && kind.name().equals("lstm") && !masked;
    assertThat(FusedRnn.BUILT.get() - kernels).isEqualTo(fusedPath ? 1 : 0);
    assertThat(got).hasSize(1 + kind.spec().states());
    if (seq) {
      assertThat(got.get(0).shape()).containsExactly(BATCH, STEPS, UNITS);
      assertClose(got.get(0).toFloatArray(), flatten(expected.outputs()));
    } else {
      assertThat(got.get(0).shape()).containsExactly(BATCH, UNITS);
      assertClose(got.get(0).toFloatArray(), flatten(expected.last()));
    }
    for (int s = 0; s < kind.spec().states(); s++)
      assertClose(got.get(1 + s).toFloatArray(), flatten(expected.states()[s]));
  }

  static double[] flatten(double[][][] a) {
    List<Double> out = new ArrayList<>();
    for (double[][] b : a) for (double[] c : b) for (double v : c) out.add(v);
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  static double[] flatten(double[][] a) {
    List<Double> out = new ArrayList<>();
    for (double[] c : a) for (double v : c) out.add(v);
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  static void assertClose(float[] got, double[] expected) {
    assertThat(got).hasSize(expected.length);
    for (int i = 0; i < got.length; i++)
      assertThat((double) got[i]).as("element %d", i).isCloseTo(expected[i], within(TOL));
  }
}
