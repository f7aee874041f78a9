package jkeras.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import jkeras.data.ArrayData;
import jkeras.data.NDArray;
import jkeras.models.Model;
import jkeras.optimizers.SGD;
import jkeras.utils.RngUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Training through the recurrent layers: gradients against finite differences, the fused LSTM
 * kernel's registered gradient against the unrolled graph's, dropout in training steps only, and
 * seeded runs repeating exactly.
 */
@Tag("native")
class RecurrentTrainingTest {
  static final int BATCH = 4;
  static final int STEPS = 6;
  static final int IN = 3;
  static final int UNITS = 4;

  @BeforeEach
  void resetNames() {
    Layer.resetNames();
    RngUtils.setRandomSeed(null);
  }

  @AfterEach
  void restoreDefaults() {
    System.clearProperty(FusedRnn.PROPERTY);
    RngUtils.setRandomSeed(null);
  }

  static NDArray normal(Random r, long... shape) {
    int n = 1;
    for (long d : shape) n *= (int) d;
    float[] v = new float[n];
    for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
    return NDArray.of(v, shape);
  }

  /** x of {@code [BATCH, STEPS, IN]} where sample b ends with b zero timesteps. */
  static NDArray padded(Random r) {
    float[] v = normal(r, BATCH, STEPS, IN).toFloatArray();
    for (int b = 0; b < BATCH; b++)
      for (int t = STEPS - b; t < STEPS; t++)
        for (int i = 0; i < IN; i++) v[(b * STEPS + t) * IN + i] = 0;
    return NDArray.of(v, BATCH, STEPS, IN);
  }

  /** A model x -> [Masking] -> layer (sequences) -> Dense(2) per step. */
  static Model model(Recurrent layer, boolean masked) {
    KerasTensor x = Input.create(new long[] {STEPS, IN}, "x");
    KerasTensor h = layer.apply(masked ? new Masking().apply(x) : x);
    KerasTensor y = TimeDistributed.builder(Dense.builder(2).name("out").build()).build().apply(h);
    return new Model(x, y);
  }

  static Stream<Arguments> layers() {
    return Stream.of(
        Arguments.of("simple_rnn", (Supplier<Recurrent>) () -> rnn("simple_rnn"), true),
        Arguments.of("lstm fused", (Supplier<Recurrent>) () -> rnn("lstm"), true),
        Arguments.of("lstm unrolled", (Supplier<Recurrent>) () -> rnn("lstm"), false),
        Arguments.of("lstm masked", (Supplier<Recurrent>) () -> rnn("lstm"), true),
        Arguments.of("gru", (Supplier<Recurrent>) () -> rnn("gru"), true),
        Arguments.of("gru reset_after", (Supplier<Recurrent>) () -> rnn("gru_ra"), true));
  }

  static Recurrent rnn(String kind) {
    return switch (kind) {
      case "simple_rnn" -> SimpleRNN.builder(UNITS).returnSequences(true).build();
      case "lstm" -> LSTM.builder(UNITS).returnSequences(true).build();
      case "gru" -> GRU.builder(UNITS).returnSequences(true).build();
      default -> GRU.builder(UNITS).returnSequences(true).resetAfter(true).build();
    };
  }

  /**
   * One SGD step with learning rate 1 moves each weight by minus its gradient; the gradient must
   * match central differences of the loss.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("layers")
  void gradientsMatchFiniteDifferences(String name, Supplier<Recurrent> make, boolean fused) {
    System.setProperty(FusedRnn.PROPERTY, Boolean.toString(fused));
    boolean masked = name.contains("masked");
    Random r = new Random(3);
    NDArray x = masked ? padded(r) : normal(r, BATCH, STEPS, IN);
    NDArray y = normal(r, BATCH, STEPS, 2);
    Recurrent layer = make.get();
    try (Model m = model(layer, masked)) {
      m.compile(new SGD(1.0), "mse");
      List<NDArray> w0 = m.getWeights();
      m.trainOnBatch(x, y);
      List<NDArray> w1 = m.getWeights();
      double eps = 1e-2;
      Random pick = new Random(11);
      for (int wi = 0; wi < 3; wi++) { // the recurrent layer's kernel, recurrent kernel, bias
        float[] before = w0.get(wi).toFloatArray();
        float[] after = w1.get(wi).toFloatArray();
        for (int k = 0; k < 6; k++) {
          int e = pick.nextInt(before.length);
          double grad = before[e] - after[e];
          double lossPlus = lossWith(m, w0, wi, e, eps, x, y);
          double lossMinus = lossWith(m, w0, wi, e, -eps, x, y);
          double numeric = (lossPlus - lossMinus) / (2 * eps);
          assertThat(grad)
              .as("%s weight %d element %d", name, wi, e)
              .isCloseTo(numeric, within(2e-3 + 2e-2 * Math.abs(numeric)));
        }
      }
    }
  }

  private static double lossWith(
      Model m, List<NDArray> base, int wi, int e, double delta, NDArray x, NDArray y) {
    List<NDArray> ws = new ArrayList<>(base);
    float[] v = base.get(wi).toFloatArray();
    v[e] += (float) delta;
    ws.set(wi, NDArray.of(v, base.get(wi).shape()));
    m.setWeights(ws);
    return m.testOnBatch(x, y).scalar();
  }

  /**
   * The registered gradient of the fused kernel against the gradient TensorFlow derives for the
   * unrolled graph, through every input of the kernel: the weights, the input sequence (a layer
   * before it) and the initial states (layers computing them).
   */
  @ParameterizedTest(name = "goBackwards={0}")
  @MethodSource("booleans")
  void fusedLstmTrainsLikeTheUnrolledGraph(boolean goBackwards) {
    Random r = new Random(5);
    NDArray x = normal(r, BATCH, STEPS, IN);
    NDArray s = normal(r, BATCH, 2);
    NDArray y = normal(r, BATCH, UNITS);
    List<Double> losses = new ArrayList<>();
    List<List<NDArray>> weights = new ArrayList<>();
    List<NDArray> start = null;
    for (boolean fused : new boolean[] {true, false}) {
      System.setProperty(FusedRnn.PROPERTY, Boolean.toString(fused));
      Layer.resetNames();
      int before = FusedRnn.BUILT.get();
      KerasTensor xi = Input.create(new long[] {STEPS, IN}, "x");
      KerasTensor si = Input.create(new long[] {2}, "s");
      KerasTensor proj =
          TimeDistributed.builder(Dense.builder(IN).activation("tanh").build()).build().apply(xi);
      KerasTensor h0 = Dense.builder(UNITS).activation("tanh").build().apply(si);
      KerasTensor c0 = Dense.builder(UNITS).build().apply(si);
      List<KerasTensor> outs =
          LSTM.builder(UNITS)
              .goBackwards(goBackwards)
              .returnState(true)
              .build()
              .applyOutputs(List.of(proj, h0, c0));
      // The loss reaches the output and both final states (the kernel's h and cs outputs).
      KerasTensor sum = new Add().apply(outs);
      try (Model m = new Model(List.of(xi, si), List.of(sum))) {
        m.compile(new SGD(0.5), "mse");
        if (start == null) start = m.getWeights();
        else m.setWeights(start);
        for (int step = 0; step < 3; step++)
          losses.add(m.trainOnBatch(ArrayData.of(x, s), y).scalar());
        weights.add(m.getWeights());
        assertThat(FusedRnn.BUILT.get() == before).isEqualTo(!fused);
      }
    }
    for (int i = 0; i < 3; i++)
      assertThat(losses.get(i)).isCloseTo(losses.get(3 + i), within(1e-5 * losses.get(3 + i)));
    for (int i = 0; i < weights.get(0).size(); i++) {
      float[] a = weights.get(0).get(i).toFloatArray();
      float[] b = weights.get(1).get(i).toFloatArray();
      for (int k = 0; k < a.length; k++)
        assertThat((double) a[k]).as("weight %d[%d]", i, k).isCloseTo(b[k], within(1e-5));
    }
  }

  /** What {@code auto} picks: the fused kernel for eligible LSTMs beyond 200 timesteps only. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("automaticChoices")
  void theFusedKernelServesLongSequencesByDefault(
      String name, Supplier<Recurrent> make, int steps, boolean masked, boolean fused) {
    System.clearProperty(FusedRnn.PROPERTY);
    int before = FusedRnn.BUILT.get();
    KerasTensor x = Input.create(new long[] {steps, 2}, "x");
    KerasTensor in = masked ? new Masking().apply(x) : x;
    try (Model m = new Model(x, make.get().apply(in))) {
      m.getWeights();
    }
    assertThat(FusedRnn.BUILT.get() - before).isEqualTo(fused ? 1 : 0);
  }

  static Stream<Arguments> automaticChoices() {
    Supplier<Recurrent> lstm = () -> LSTM.builder(2).build();
    return Stream.of(
        Arguments.of("LSTM over 200 steps: unrolled", lstm, 200, false, false),
        Arguments.of("LSTM over 201 steps: fused", lstm, 201, false, true),
        Arguments.of("masked LSTM over 201 steps: unrolled", lstm, 201, true, false),
        Arguments.of(
            "LSTM(unroll=True) over 201 steps: unrolled",
            (Supplier<Recurrent>) () -> LSTM.builder(2).unroll(true).build(),
            201,
            false,
            false),
        Arguments.of(
            "LSTM(hard_sigmoid) over 201 steps: unrolled",
            (Supplier<Recurrent>) () -> LSTM.builder(2).recurrentActivation("hard_sigmoid").build(),
            201,
            false,
            false),
        Arguments.of(
            "GRU over 201 steps: unrolled",
            (Supplier<Recurrent>) () -> new GRU(2),
            201,
            false,
            false));
  }

  @Test
  void anUnknownChoiceOfPathIsAnError() {
    System.setProperty(FusedRnn.PROPERTY, "sometimes");
    KerasTensor x = Input.create(new long[] {3, 2}, "x");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new Model(x, new LSTM(2).apply(x)).getWeights())
        .hasMessage(
            "Expected `jkeras.rnn.fused` to be auto, true or false. Received:"
                + " jkeras.rnn.fused=sometimes");
  }

  static Stream<Boolean> booleans() {
    return Stream.of(false, true);
  }

  static Stream<Arguments> dropoutLayers() {
    List<Arguments> out = new ArrayList<>();
    for (int impl : new int[] {1, 2}) {
      // Input dropout alone, then with recurrent dropout.
      for (double recurrentDropout : new double[] {0.0, 0.3}) {
        out.add(
            Arguments.of(
                "lstm impl " + impl + (recurrentDropout == 0 ? " dropout" : " both"),
                (Supplier<Recurrent>)
                    () ->
                        LSTM.builder(UNITS)
                            .returnSequences(true)
                            .implementation(impl)
                            .dropout(0.4)
                            .recurrentDropout(recurrentDropout)
                            .build()));
      }
      for (boolean ra : new boolean[] {false, true}) {
        out.add(
            Arguments.of(
                "gru impl " + impl + " reset_after " + ra,
                (Supplier<Recurrent>)
                    () ->
                        GRU.builder(UNITS)
                            .returnSequences(true)
                            .implementation(impl)
                            .resetAfter(ra)
                            .dropout(0.4)
                            .recurrentDropout(0.3)
                            .build()));
      }
    }
    out.add(
        Arguments.of(
            "simple_rnn",
            (Supplier<Recurrent>)
                () ->
                    SimpleRNN.builder(UNITS)
                        .returnSequences(true)
                        .dropout(0.4)
                        .recurrentDropout(0.3)
                        .build()));
    return out.stream();
  }

  /**
   * Keras: the masks apply in training steps only; predict and evaluate compute what the layer
   * without dropout computes, and seeded training repeats exactly.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("dropoutLayers")
  void dropoutActsInTrainingStepsOnlyAndRepeatsWithASeed(String name, Supplier<Recurrent> make) {
    Random r = new Random(9);
    NDArray x = normal(r, BATCH, STEPS, IN);
    NDArray y = normal(r, BATCH, STEPS, 2);
    List<List<Double>> runs = new ArrayList<>();
    List<NDArray> start = null;
    NDArray predicted = null;
    for (int run = 0; run < 2; run++) {
      Layer.resetNames();
      RngUtils.setRandomSeed(42L);
      try (Model m = model(make.get(), false)) {
        m.compile(new SGD(0.1), "mse");
        if (start == null) start = m.getWeights();
        assertThat(m.getWeights().get(0).toFloatArray())
            .as("seeded initial weights")
            .containsExactly(start.get(0).toFloatArray());
        predicted = m.predictOnBatch(x);
        double test = m.testOnBatch(x, y).scalar();
        List<Double> losses = new ArrayList<>();
        for (int step = 0; step < 4; step++) losses.add(m.trainOnBatch(x, y).scalar());
        runs.add(losses);
        // A training step on the initial weights differs from the test step: dropout is active.
        assertThat(losses.get(0)).isNotCloseTo(test, within(1e-6));
      }
    }
    assertThat(runs.get(1)).containsExactlyElementsOf(runs.get(0));

    // Inference equals the same layer without dropout, from the same weights.
    Layer.resetNames();
    Recurrent plain = make.get().copyFor("plain", false, true);
    Recurrent noDropout = withoutDropout(plain);
    try (Model m = model(noDropout, false)) {
      m.getWeights();
      m.setWeights(start);
      float[] expected = m.predictOnBatch(x).toFloatArray();
      float[] got = predicted.toFloatArray();
      for (int i = 0; i < got.length; i++)
        assertThat((double) got[i]).isCloseTo(expected[i], within(1e-5));
    }
  }

  private static Recurrent withoutDropout(Recurrent l) {
    java.util.Map<String, Object> c = l.getConfig();
    c.put("dropout", 0.0);
    c.put("recurrent_dropout", 0.0);
    return (Recurrent) Layers.deserialize(l.getClass().getSimpleName(), c);
  }

  @Test
  void theFusedKernelTakesInputDropoutWithImplementation2() {
    System.setProperty(FusedRnn.PROPERTY, "true");
    int before = FusedRnn.BUILT.get();
    try (Model m = model(LSTM.builder(UNITS).returnSequences(true).dropout(0.3).build(), false)) {
      m.getWeights();
    }
    assertThat(FusedRnn.BUILT.get()).isEqualTo(before + 1);
    try (Model m =
        model(
            LSTM.builder(UNITS).returnSequences(true).dropout(0.3).implementation(1).build(),
            false)) {
      m.getWeights();
    }
    assertThat(FusedRnn.BUILT.get()).isEqualTo(before + 1);
  }
}
