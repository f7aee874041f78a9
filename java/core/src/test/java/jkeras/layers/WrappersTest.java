package jkeras.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import jkeras.backend.Weight;
import jkeras.data.ArrayData;
import jkeras.data.NDArray;
import jkeras.models.Model;
import jkeras.models.Sequential;
import jkeras.optimizers.SGD;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bidirectional and TimeDistributed in models, against hand computations. */
@Tag("native")
class WrappersTest {
  static final int BATCH = 3;
  static final int STEPS = 5;
  static final int IN = 4;
  static final int UNITS = 3;

  @BeforeEach
  void resetNames() {
    Layer.resetNames();
  }

  static Stream<Arguments> bidirectionalCases() {
    List<Arguments> out = new ArrayList<>();
    for (String merge : Arrays.asList("concat", "sum", "mul", "ave", null))
      for (boolean seq : new boolean[] {false, true})
        for (boolean masked : new boolean[] {false, true})
          out.add(Arguments.of(merge, seq, masked, false));
    out.add(Arguments.of("concat", true, true, true));
    out.add(Arguments.of(null, false, false, true));
    return out.stream();
  }

  @ParameterizedTest(name = "merge={0} sequences={1} masked={2} initial={3}")
  @MethodSource("bidirectionalCases")
  void bidirectionalMergesAForwardAndABackwardRun(
      String merge, boolean seq, boolean masked, boolean initial) {
    Random r = new Random(13);
    double[][][] x = RecurrentTest.data(r, masked);
    RnnReference.Spec spec =
        new RnnReference.Spec("lstm", RnnReference.TANH, RnnReference.SIGMOID, false);
    double[][][] w = new double[2][][];
    double[][][] u = new double[2][][];
    double[][] b = new double[2][];
    double[][][][] h0 = new double[2][2][][];
    for (int d = 0; d < 2; d++) {
      w[d] = RecurrentTest.matrix(r, IN, 4 * UNITS, 0.5);
      u[d] = RecurrentTest.matrix(r, UNITS, 4 * UNITS, 0.5);
      b[d] = RecurrentTest.vector(r, 4 * UNITS, 0.3);
      for (int s = 0; s < 2; s++) h0[d][s] = RecurrentTest.matrix(r, BATCH, UNITS, 0.5);
    }
    boolean[][] mask = masked ? RecurrentTest.mask(x) : null;
    RnnReference.Run fwd =
        RnnReference.run(spec, x, w[0], u[0], b[0], initial ? h0[0] : null, mask, false);
    RnnReference.Run bwd =
        RnnReference.run(spec, x, w[1], u[1], b[1], initial ? h0[1] : null, mask, true);

    Bidirectional bi =
        Bidirectional.builder(LSTM.builder(UNITS).returnSequences(seq).returnState(true).build())
            .mergeMode(merge)
            .build();
    KerasTensor in = Input.create(new long[] {STEPS, IN}, "x");
    List<KerasTensor> inputs = new ArrayList<>(List.of(in));
    List<KerasTensor> layerIn = new ArrayList<>(List.of(masked ? new Masking().apply(in) : in));
    List<NDArray> feed = new ArrayList<>(List.of(RecurrentTest.nd(x)));
    if (initial) {
      for (int d = 0; d < 2; d++)
        for (int s = 0; s < 2; s++) {
          KerasTensor st = Input.create(new long[] {UNITS}, "s" + d + s);
          inputs.add(st);
          layerIn.add(st);
          feed.add(NDArray.of(h0[d][s]));
        }
    }
    List<NDArray> got;
    try (Model m = new Model(inputs, bi.applyOutputs(layerIn))) {
      m.getWeights();
      List<NDArray> ws = new ArrayList<>();
      for (int d = 0; d < 2; d++) {
        ws.add(NDArray.of(w[d]));
        ws.add(NDArray.of(u[d]));
        ws.add(NDArray.of(b[d], 4 * UNITS));
      }
      bi.setWeights(ws);
      got = m.predictOnBatchOutputs(ArrayData.of(feed));
      assertThat(bi.weights().stream().map(wt -> wt.variable().name()).toList())
          .startsWith(
              "bidirectional_1/forward_lstm_1/kernel:0",
              "bidirectional_1/forward_lstm_1/recurrent_kernel:0")
          .endsWith("bidirectional_1/backward_lstm_1/bias:0");
    }
    // Each direction's output, the backward one back in input order.
    double[][][] a = seq ? fwd.outputs() : new double[][][] {fwd.last()};
    double[][][] c = seq ? reverseTime(bwd.outputs()) : new double[][][] {bwd.last()};
    int k = 0;
    if (merge == null) {
      RecurrentTest.assertClose(got.get(k++).toFloatArray(), RecurrentTest.flatten(a));
      RecurrentTest.assertClose(got.get(k++).toFloatArray(), RecurrentTest.flatten(c));
    } else {
      double[] fa = RecurrentTest.flatten(a);
      double[] fc = RecurrentTest.flatten(c);
      double[] expected;
      if (merge.equals("concat")) {
        expected = new double[fa.length * 2];
        int rows = fa.length / UNITS;
        for (int i = 0; i < rows; i++) {
          System.arraycopy(fa, i * UNITS, expected, 2 * i * UNITS, UNITS);
          System.arraycopy(fc, i * UNITS, expected, (2 * i + 1) * UNITS, UNITS);
        }
      } else {
        expected = new double[fa.length];
        for (int i = 0; i < fa.length; i++)
          expected[i] =
              switch (merge) {
                case "sum" -> fa[i] + fc[i];
                case "mul" -> fa[i] * fc[i];
                default -> (fa[i] + fc[i]) / 2;
              };
      }
      RecurrentTest.assertClose(got.get(k++).toFloatArray(), expected);
    }
    for (RnnReference.Run run : List.of(fwd, bwd))
      for (int s = 0; s < 2; s++)
        RecurrentTest.assertClose(
            got.get(k++).toFloatArray(), RecurrentTest.flatten(run.states()[s]));
    assertThat(got).hasSize(k);
  }

  /** {@code [batch][step][units]} with the steps reversed. */
  static double[][][] reverseTime(double[][][] a) {
    double[][][] out = new double[a.length][][];
    for (int b = 0; b < a.length; b++) {
      out[b] = new double[a[b].length][];
      for (int t = 0; t < a[b].length; t++) out[b][t] = a[b][a[b].length - 1 - t];
    }
    return out;
  }

  @Test
  void timeDistributedAppliesTheLayerToEachTimestep() {
    Random r = new Random(17);
    double[][][] x = RecurrentTest.data(r, false);
    double[][] k = RecurrentTest.matrix(r, IN, 2, 0.5);
    double[] bias = RecurrentTest.vector(r, 2, 0.5);
    TimeDistributed td = new TimeDistributed(Dense.builder(2).activation("tanh").build());
    KerasTensor in = Input.create(new long[] {STEPS, IN}, "x");
    try (Model m = new Model(in, td.apply(in))) {
      m.getWeights();
      td.setWeights(List.of(NDArray.of(k), NDArray.of(bias)));
      assertThat(td.weights().stream().map(w -> w.variable().name()).toList())
          .containsExactly("time_distributed_1/kernel:0", "time_distributed_1/bias:0");
      NDArray got = m.predictOnBatch(RecurrentTest.nd(x));
      assertThat(got.shape()).containsExactly(BATCH, STEPS, 2);
      double[] expected = new double[BATCH * STEPS * 2];
      int e = 0;
      for (double[][] sample : x)
        for (double[] step : sample)
          for (int j = 0; j < 2; j++) {
            double s = bias[j];
            for (int i = 0; i < IN; i++) s += step[i] * k[i][j];
            expected[e++] = Math.tanh(s);
          }
      RecurrentTest.assertClose(got.toFloatArray(), expected);
    }
  }

  @Test
  void timeDistributedRunsARecurrentLayerOverEachOuterStep() {
    // Rank 4: for each of the 2 outer steps, an LSTM over the 5 inner steps.
    Random r = new Random(19);
    double[][][] a = RecurrentTest.data(r, false);
    double[][][] b2 = RecurrentTest.data(r, false);
    double[][] w = RecurrentTest.matrix(r, IN, 4 * UNITS, 0.5);
    double[][] u = RecurrentTest.matrix(r, UNITS, 4 * UNITS, 0.5);
    double[] bias = RecurrentTest.vector(r, 4 * UNITS, 0.3);
    TimeDistributed td = new TimeDistributed(new LSTM(UNITS));
    KerasTensor in = Input.create(new long[] {2, STEPS, IN}, "x");
    float[] flat = new float[BATCH * 2 * STEPS * IN];
    int f = 0;
    for (int b = 0; b < BATCH; b++)
      for (double[][][] outer : List.of(a, b2))
        for (double[] step : outer[b]) for (double v : step) flat[f++] = (float) v;
    try (Model m = new Model(in, td.apply(in))) {
      m.getWeights();
      td.setWeights(List.of(NDArray.of(w), NDArray.of(u), NDArray.of(bias, 4 * UNITS)));
      NDArray got = m.predictOnBatch(NDArray.of(flat, BATCH, 2, STEPS, IN));
      assertThat(got.shape()).containsExactly(BATCH, 2, UNITS);
      RnnReference.Spec spec =
          new RnnReference.Spec("lstm", RnnReference.TANH, RnnReference.SIGMOID, false);
      double[][] ra = RnnReference.run(spec, a, w, u, bias, null, null, false).last();
      double[][] rb = RnnReference.run(spec, b2, w, u, bias, null, null, false).last();
      double[] expected = new double[BATCH * 2 * UNITS];
      int e = 0;
      for (int b = 0; b < BATCH; b++)
        for (double[][] outer : List.of(ra, rb)) for (double v : outer[b]) expected[e++] = v;
      RecurrentTest.assertClose(got.toFloatArray(), expected);
    }
  }

  @Test
  void timeDistributedRunsAPortedLayerWrittenWithTheBackend() {
    // A Lambda's function builds its ops with K, which finds the wrapped call's context.
    TimeDistributed td = new TimeDistributed(new Lambda(x -> jkeras.backend.K.square(x)));
    KerasTensor in = Input.create(new long[] {STEPS, IN}, "x");
    double[][][] x = RecurrentTest.data(new Random(29), false);
    try (Model m = new Model(in, td.apply(in))) {
      float[] got = m.predictOnBatch(RecurrentTest.nd(x)).toFloatArray();
      double[] flat = RecurrentTest.flatten(x);
      for (int i = 0; i < flat.length; i++) flat[i] = (float) flat[i] * (float) flat[i];
      RecurrentTest.assertClose(got, flat);
    }
  }

  /**
   * A sequence model's mask reaches the loss: masked timesteps count for nothing (Keras 2.3.1
   * multiplies the sample weights by the output mask), through TimeDistributed and Bidirectional.
   */
  @Test
  void theMaskOfPaddedStepsReachesTheLossThroughTheWrappers() {
    Random r = new Random(23);
    NDArray x = RecurrentTest.nd(RecurrentTest.data(r, true));
    float[] y = new float[BATCH * STEPS * 2];
    try (Sequential m =
        new Sequential(
            List.of(
                Masking.builder().inputShape(STEPS, IN).build(),
                Bidirectional.builder(GRU.builder(UNITS).returnSequences(true).build()).build(),
                new TimeDistributed(Dense.builder(2).name("out").build())))) {
      m.compile(new SGD(0.0), "mae");
      NDArray pred = m.predictOnBatch(x);
      float[] p = pred.toFloatArray();
      boolean[][] mask = RecurrentTest.mask(RecurrentTest.data(new Random(23), true));
      double sum = 0;
      for (int b = 0; b < BATCH; b++)
        for (int t = 0; t < STEPS; t++)
          if (mask[b][t])
            for (int j = 0; j < 2; j++) sum += Math.abs(p[(b * STEPS + t) * 2 + j]) / 2;
      double expected = sum / (BATCH * STEPS);
      assertThat(m.testOnBatch(x, NDArray.of(y, BATCH, STEPS, 2)).scalar())
          .isCloseTo(expected, within(1e-6));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      m.summary(new PrintStream(out, true, StandardCharsets.UTF_8));
      assertThat(out.toString(StandardCharsets.UTF_8))
          .contains("bidirectional_1 (Bidirection (None, 5, 6)              144")
          .contains("time_distributed_1 (TimeDist (None, 5, 2)              14");
    }
  }

  @Test
  void weightsOfWrappedLayersAreModelWeightsInOrder() {
    try (Sequential m =
        new Sequential(
            List.of(
                Bidirectional.builder(LSTM.builder(2).returnSequences(true).build())
                    .inputShape(STEPS, IN)
                    .build(),
                new TimeDistributed(new Dense(1))))) {
      List<NDArray> ws = m.getWeights();
      assertThat(ws).hasSize(8);
      assertThat(ws.get(0).shape()).containsExactly(IN, 8);
      assertThat(ws.get(3).shape()).containsExactly(IN, 8);
      assertThat(ws.get(6).shape()).containsExactly(4, 1);
      List<String> names = new ArrayList<>();
      for (Layer l : m.layers()) for (Weight w : l.weights()) names.add(w.variable().name());
      assertThat(names)
          .containsExactly(
              "bidirectional_1/forward_lstm_1/kernel:0",
              "bidirectional_1/forward_lstm_1/recurrent_kernel:0",
              "bidirectional_1/forward_lstm_1/bias:0",
              "bidirectional_1/backward_lstm_1/kernel:0",
              "bidirectional_1/backward_lstm_1/recurrent_kernel:0",
              "bidirectional_1/backward_lstm_1/bias:0",
              "time_distributed_1/kernel:0",
              "time_distributed_1/bias:0");
    }
  }
}
