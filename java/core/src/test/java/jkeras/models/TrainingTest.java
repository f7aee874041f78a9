package jkeras.models;

import static jkeras.models.ModelTestSupport.P;
import static jkeras.models.ModelTestSupport.TOL;
import static jkeras.models.ModelTestSupport.X8;
import static jkeras.models.ModelTestSupport.Y8;
import static jkeras.models.ModelTestSupport.assertParams;
import static jkeras.models.ModelTestSupport.dense;
import static jkeras.models.ModelTestSupport.flat;
import static jkeras.models.ModelTestSupport.mae;
import static jkeras.models.ModelTestSupport.mse;
import static jkeras.models.ModelTestSupport.mseGrad;
import static jkeras.models.ModelTestSupport.ones;
import static jkeras.models.ModelTestSupport.rows;
import static jkeras.models.ModelTestSupport.sgdMseStep;
import static jkeras.models.ModelTestSupport.sgdStep;
import static jkeras.testing.Stdout.capture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jkeras.callbacks.Callback;
import jkeras.callbacks.History;
import jkeras.callbacks.Logs;
import jkeras.data.ArrayData;
import jkeras.data.NDArray;
import jkeras.layers.Dense;
import jkeras.layers.Dropout;
import jkeras.layers.Input;
import jkeras.layers.KerasTensor;
import jkeras.layers.Layer;
import jkeras.models.ModelTestSupport.Params;
import jkeras.optimizers.SGD;
import jkeras.regularizers.Regularizers;
import jkeras.testing.HookRecorder;
import jkeras.trainers.CompileOptions;
import jkeras.trainers.EvaluateOptions;
import jkeras.trainers.FitOptions;
import jkeras.trainers.PredictOptions;
import jkeras.trainers.Scores;
import jkeras.utils.RngUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Training, evaluation and prediction through the Model API, checked against the Keras 2.3.1
 * formulas computed by hand in double precision ({@link ModelTestSupport}).
 */
@Tag("native")
class TrainingTest {
  static final double[][] X = {{1, 2, 3}, {-1, 0.5, 2}, {0.5, -1, 0}, {3, -2, 1}};
  static final double[][] Y = {{1, 0}, {0, 1}, {-1, 2}, {0.5, 0.5}};

  @BeforeEach
  void resetNames() {
    Layer.resetNames();
  }

  @AfterEach
  void clearSeed() {
    RngUtils.setRandomSeed(null);
  }

  /** A one-layer linear model {@code x(3) -> Dense(2)} with {@link #P} as weights. */
  static Sequential linear(Params p) {
    Sequential m =
        new Sequential(List.of(Dense.builder(p.b().length).inputShape(p.w().length).build()));
    m.setWeights(p.asWeights());
    return m;
  }

  /** What {@code fit} on {@code X8, Y8} prints with {@code options}. */
  static String fitOutput(Sequential m, FitOptions options) {
    return capture(() -> m.fit(NDArray.of(X8), NDArray.of(Y8), options));
  }

  /** The weights of output {@code b} of {@link #twoOutputs}. */
  static final Params PB = new Params(new double[][] {{0.3}, {0.2}, {-0.4}}, new double[] {0.5});

  /**
   * Input {@code x} (3 features) to outputs {@code a} (weights {@code P}) and {@code b} ({@code
   * PB}).
   */
  static Model twoOutputs(Dense a, Dense b) {
    KerasTensor in = Input.create(new long[] {3}, "x");
    Model m = new Model(List.of(in), List.of(a.apply(in), b.apply(in)));
    a.setWeights(P.asWeights());
    b.setWeights(PB.asWeights());
    return m;
  }

  /** {@link #linear(Params)} compiled with {@code SGD(lr)}, the mse loss and {@code metrics}. */
  static Sequential linear(Params p, double lr, String... metrics) {
    Sequential m = linear(p);
    if (metrics.length == 0) {
      m.compile(new SGD(lr), "mse");
    } else {
      m.compile(new SGD(lr), "mse", List.of((Object[]) metrics));
    }
    return m;
  }

  static FitOptions.Builder quiet() {
    return FitOptions.builder().verbose(0);
  }

  @Nested
  class TrainOnBatch {
    @Test
    void returnsThePreUpdateLossAndTakesOneSgdStep() {
      try (Sequential m = linear(P, 0.1)) {
        Scores s = m.trainOnBatch(NDArray.of(X), NDArray.of(Y));
        assertThat(s.isScalar()).isTrue();
        assertThat(s.names()).containsExactly("loss");
        assertThat(s.scalar()).isCloseTo(mse(dense(X, P), Y), within(TOL));
        assertParams(m.getLayer(0), sgdMseStep(P, X, Y, ones(4), 0.1));
      }
    }

    @Test
    void testOnBatchDoesNotUpdate() {
      try (Sequential m = linear(P, 0.1)) {
        Scores s = m.testOnBatch(NDArray.of(X), NDArray.of(Y));
        assertThat(s.scalar()).isCloseTo(mse(dense(X, P), Y), within(TOL));
        assertParams(m.getLayer(0), P);
      }
    }

    @Test
    void sampleWeightsScaleEachSampleLoss() {
      double[] sw = {1, 0.5, 2, 0};
      try (Sequential m = linear(P, 0.1)) {
        Scores s = m.trainOnBatch(NDArray.of(X), NDArray.of(Y), NDArray.of(sw), null);
        // Keras: sum(l_i * w_i) / n, with n = 4 (not the sum of the weights).
        double expected = mse(dense(X, P), Y, sw);
        assertThat(s.scalar()).isCloseTo(expected, within(TOL));
        assertThat(expected).isNotCloseTo(mse(dense(X, P), Y), within(1e-3));
        assertParams(m.getLayer(0), sgdMseStep(P, X, Y, sw, 0.1));
      }
    }

    @Test
    void classWeightsWeightSamplesByTheirClass() {
      Params p = new Params(new double[][] {{0.2}, {-0.1}, {0.3}}, new double[] {0.1});
      double[][] y = {{0}, {1}, {1}, {0}};
      double[] cw = {1.0, 3.0, 3.0, 1.0};
      try (Sequential m = linear(p, 0.1)) {
        Scores s = m.trainOnBatch(NDArray.of(X), NDArray.of(y), null, Map.of(0, 1.0, 1, 3.0));
        assertThat(s.scalar()).isCloseTo(mse(dense(X, p), y, cw), within(TOL));
        assertParams(m.getLayer(0), sgdMseStep(p, X, y, cw, 0.1));
      }
    }

    @Test
    void oneHotTargetsTakeTheArgmaxAsClass() {
      Params p =
          new Params(new double[][] {{0.2, 0.1}, {-0.1, 0.4}, {0.3, -0.3}}, new double[] {0.1, 0});
      double[][] y = {{1, 0}, {0, 1}, {0, 1}, {1, 0}};
      try (Sequential m = linear(p, 0.1)) {
        Scores s = m.testOnBatch(NDArray.of(X), NDArray.of(y));
        Scores w = m.trainOnBatch(NDArray.of(X), NDArray.of(y), null, Map.of(0, 0.5, 1, 2.0));
        assertThat(w.scalar())
            .isCloseTo(mse(dense(X, p), y, new double[] {0.5, 2, 2, 0.5}), within(TOL));
        assertThat(w.scalar()).isNotCloseTo(s.scalar(), within(1e-3));
      }
    }

    @Test
    void l2RegularizerAddsToTheLossAndTheGradient() {
      try (Sequential m =
          new Sequential(
              List.of(
                  Dense.builder(2)
                      .inputShape(3)
                      .kernelRegularizer(Regularizers.l2(0.01))
                      .build()))) {
        m.setWeights(P.asWeights());
        m.compile(new SGD(0.1), "mse");
        double penalty = 0;
        for (double v : flat(P.w())) penalty += 0.01 * v * v;
        Scores s = m.trainOnBatch(NDArray.of(X), NDArray.of(Y));
        assertThat(s.scalar()).isCloseTo(mse(dense(X, P), Y) + penalty, within(TOL));
        Params expected = sgdStep(P, X, mseGrad(dense(X, P), Y, ones(4), 1.0), 0.1, 0.01);
        assertParams(m.getLayer(0), expected);
      }
    }

    @Test
    void frozenLayerKeepsItsWeights() {
      Params p1 =
          new Params(new double[][] {{0.5, -0.5}, {1, 0.25}, {-1, 0.75}}, new double[] {0.1, 0.2});
      try (Sequential m =
          new Sequential(
              List.of(Dense.builder(2).inputShape(3).trainable(false).build(), new Dense(2)))) {
        m.setWeights(
            List.of(NDArray.zeros(3, 2), NDArray.zeros(2), NDArray.zeros(2, 2), NDArray.zeros(2)));
        m.getLayer(0).setWeights(p1.asWeights());
        m.getLayer(1).setWeights(P2.asWeights());
        m.compile(new SGD(0.1), "mse");
        double[][] h = dense(X, p1);
        Scores s = m.trainOnBatch(NDArray.of(X), NDArray.of(Y));
        assertThat(s.scalar()).isCloseTo(mse(dense(h, P2), Y), within(TOL));
        assertParams(m.getLayer(0), p1);
        assertParams(m.getLayer(1), sgdMseStep(P2, h, Y, ones(4), 0.1));
      }
    }

    @Test
    void metricsAreReportedByTheirCompileName() {
      try (Sequential m = linear(P, 0.0, "mae", "accuracy", "acc")) {
        assertThat(m.metricsNames()).containsExactly("loss", "mae", "accuracy", "acc");
        Scores s = m.testOnBatch(NDArray.of(X), NDArray.of(Y));
        assertThat(s.isScalar()).isFalse();
        assertThat(s.names()).containsExactly("loss", "mae", "accuracy", "acc");
        double[][] pred = dense(X, P);
        assertThat(s.get(1)).isCloseTo(mae(pred, Y), within(TOL));
        // Two output units and MSE: Keras picks categorical_accuracy (argmax match).
        double hits = 0;
        for (int i = 0; i < 4; i++) hits += argmax(pred[i]) == argmax(Y[i]) ? 1 : 0;
        assertThat(s.get(2)).isCloseTo(hits / 4, within(TOL));
        assertThat(s.get(3)).isCloseTo(hits / 4, within(TOL));
        assertThat(s.asMap()).containsOnlyKeys("loss", "mae", "accuracy", "acc");
      }
    }

    @Test
    void binaryAccuracyForOneUnitOutputs() {
      Params p = new Params(new double[][] {{0.2}, {-0.1}, {0.3}}, new double[] {0.1});
      double[][] y = {{1}, {0}, {0}, {1}};
      try (Sequential m = linear(p, 0.0, "accuracy")) {
        double[][] pred = dense(X, p);
        double hits = 0;
        for (int i = 0; i < 4; i++) hits += ((pred[i][0] > 0.5) ? 1 : 0) == y[i][0] ? 1 : 0;
        assertThat(m.testOnBatch(NDArray.of(X), NDArray.of(y)).get(1))
            .isCloseTo(hits / 4, within(TOL));
      }
    }

    @Test
    void lossWeightsCombineTwoOutputs() {
      double[][] yb = {{1}, {-1}, {0.5}, {2}};
      Dense a = Dense.builder(2).name("a").build();
      Dense b = Dense.builder(1).name("b").build();
      try (Model m = twoOutputs(a, b)) {
        m.compile(
            CompileOptions.builder()
                .optimizer(new SGD(0.1))
                .loss("mse")
                .metrics(List.of("mae"))
                .lossWeights(List.of(0.5, 2.0))
                .build());
        assertThat(m.metricsNames()).containsExactly("loss", "a_loss", "b_loss", "a_mae", "b_mae");
        Scores s = m.trainOnBatch(NDArray.of(X), ArrayData.of(NDArray.of(Y), NDArray.of(yb)));
        double la = mse(dense(X, P), Y);
        double lb = mse(dense(X, PB), yb);
        assertThat(s.isScalar()).isFalse();
        assertThat(s.toDoubleArray())
            .containsExactly(
                new double[] {
                  0.5 * la + 2 * lb, la, lb, mae(dense(X, P), Y), mae(dense(X, PB), yb)
                },
                within(TOL));
        assertParams(a, sgdStep(P, X, mseGrad(dense(X, P), Y, ones(4), 0.5), 0.1, 0));
        assertParams(b, sgdStep(PB, X, mseGrad(dense(X, PB), yb, ones(4), 2.0), 0.1, 0));
      }
    }

    @Test
    void perOutputLossesAndMetricsByName() {
      KerasTensor in = Input.create(new long[] {3}, "x");
      try (Model m =
          new Model(
              List.of(in),
              List.of(
                  Dense.builder(2).name("a").build().apply(in),
                  Dense.builder(1).name("b").build().apply(in)))) {
        m.compile(
            CompileOptions.builder()
                .optimizer("sgd")
                .loss(Map.of("a", "mse", "b", "mae"))
                .metrics(Map.of("b", List.of("accuracy")))
                .lossWeights(Map.of("b", 3.0))
                .build());
        assertThat(m.metricsNames()).containsExactly("loss", "a_loss", "b_loss", "b_accuracy");
        Scores s =
            m.testOnBatch(
                NDArray.of(X), ArrayData.of(Map.of("a", NDArray.of(Y), "b", NDArray.zeros(4, 1))));
        assertThat(s.get(0)).isCloseTo(s.get(1) + 3.0 * s.get(2), within(TOL));
      }
    }
  }

  static final Params P2 =
      new Params(new double[][] {{1, -1}, {0.5, 0.25}}, new double[] {0.1, -0.1});

  private static int argmax(double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
    return best;
  }

  /** Records every hook as a string, in call order (the train-batch hooks as batch hooks). */
  static final class Recorder extends HookRecorder {
    final List<String> events = new ArrayList<>();
    final List<Logs> batchEndLogs = new ArrayList<>();
    final List<Logs> epochEndLogs = new ArrayList<>();
    final List<Logs> testBatchLogs = new ArrayList<>();
    final List<Logs> predictBatchLogs = new ArrayList<>();

    @Override
    protected void hook(String name, Integer index, Logs logs) {
      if (name.startsWith("on_train_batch_")) return;
      events.add(label(name, index));
      switch (name) {
        case "on_epoch_end" -> epochEndLogs.add(new Logs(logs));
        case "on_batch_end" -> batchEndLogs.add(new Logs(logs));
        case "on_test_batch_end" -> testBatchLogs.add(new Logs(logs));
        case "on_predict_batch_end" -> predictBatchLogs.add(new Logs(logs));
        default -> {}
      }
    }
  }

  @Nested
  class Fit {
    @Test
    void validationSplitHoldsOutTheLastFraction() {
      try (Sequential m = linear(P, 0.0, "mae")) {
        History h =
            m.fit(
                NDArray.of(X8),
                NDArray.of(Y8),
                quiet().epochs(2).batchSize(4).validationSplit(0.25).build());
        // Keras 2.3.1 fit_loop writes val_ keys first; BaseLogger adds the training means after.
        assertThat(h.history().keySet()).containsExactly("val_loss", "val_mae", "loss", "mae");
        assertThat(h.epoch()).containsExactly(0, 1);
        double[][] trainX = rows(X8, 0, 6);
        double[][] trainY = rows(Y8, 0, 6);
        double[][] valX = rows(X8, 6, 8);
        double[][] valY = rows(Y8, 6, 8);
        double loss = mse(dense(trainX, P), trainY);
        double valLoss = mse(dense(valX, P), valY);
        assertThat(h.history().get("loss"))
            .hasSize(2)
            .allSatisfy(v -> assertThat(v).isCloseTo(loss, within(TOL)));
        assertThat(h.history().get("val_loss"))
            .allSatisfy(v -> assertThat(v).isCloseTo(valLoss, within(TOL)));
        assertThat(h.history().get("mae").get(0))
            .isCloseTo(mae(dense(trainX, P), trainY), within(TOL));
        assertThat(h.history().get("val_mae").get(1))
            .isCloseTo(mae(dense(valX, P), valY), within(TOL));
        assertThat(m.history()).isSameAs(h);
      }
    }

    @Test
    void validationDataIsEvaluatedAfterEachEpoch() {
      double[][] vx = {{0, 0, 1}, {1, 1, 1}, {2, 0, -1}};
      double[][] vy = {{1, 1}, {0, 0}, {3, -1}};
      try (Sequential m = linear(P, 0.0)) {
        History h =
            m.fit(
                NDArray.of(X8),
                NDArray.of(Y8),
                quiet().batchSize(3).validationData(NDArray.of(vx), NDArray.of(vy)).build());
        assertThat(h.history().keySet()).containsExactly("val_loss", "loss");
        assertThat(h.history().get("val_loss").get(0))
            .isCloseTo(mse(dense(vx, P), vy), within(TOL));
        assertThat(h.history().get("loss").get(0)).isCloseTo(mse(dense(X8, P), Y8), within(TOL));
      }
    }

    @Test
    void withoutShuffleBatchesRunInOrder() {
      double lr = 0.1;
      try (Sequential m = linear(P, lr)) {
        History h =
            m.fit(NDArray.of(X), NDArray.of(Y), quiet().batchSize(2).shuffle(false).build());
        double[][] x1 = rows(X, 0, 2), y1 = rows(Y, 0, 2), x2 = rows(X, 2, 4), y2 = rows(Y, 2, 4);
        double l1 = mse(dense(x1, P), y1);
        Params p1 = sgdMseStep(P, x1, y1, ones(2), lr);
        double l2 = mse(dense(x2, p1), y2);
        Params p2 = sgdMseStep(p1, x2, y2, ones(2), lr);
        // The epoch loss is the batch-size weighted mean of the pre-update batch losses.
        assertThat(h.history().get("loss").get(0)).isCloseTo((2 * l1 + 2 * l2) / 4, within(TOL));
        assertParams(m.getLayer(0), p2);
      }
    }

    @Test
    void unevenLastBatchWeighsLessInTheEpochLoss() {
      double lr = 0.05;
      try (Sequential m = linear(P, lr)) {
        History h =
            m.fit(NDArray.of(X8), NDArray.of(Y8), quiet().batchSize(3).shuffle(false).build());
        Params p = P;
        double total = 0;
        int[][] batches = {{0, 3}, {3, 6}, {6, 8}};
        for (int[] b : batches) {
          double[][] bx = rows(X8, b[0], b[1]), by = rows(Y8, b[0], b[1]);
          total += mse(dense(bx, p), by) * (b[1] - b[0]);
          p = sgdMseStep(p, bx, by, ones(b[1] - b[0]), lr);
        }
        assertThat(h.history().get("loss").get(0)).isCloseTo(total / 8, within(TOL));
        assertParams(m.getLayer(0), p);
      }
    }

    @Test
    void sampleWeightsInFit() {
      double[] sw = {2, 1, 0, 1};
      try (Sequential m = linear(P, 0.1)) {
        m.fit(
            NDArray.of(X),
            NDArray.of(Y),
            quiet().batchSize(4).sampleWeight(NDArray.of(sw)).build());
        assertParams(m.getLayer(0), sgdMseStep(P, X, Y, sw, 0.1));
      }
    }

    @Test
    void stepsPerEpochUsesAllDataEachStep() {
      double lr = 0.1;
      Recorder r = new Recorder();
      try (Sequential m = linear(P, lr)) {
        History h =
            m.fit(NDArray.of(X), NDArray.of(Y), quiet().stepsPerEpoch(3).callbacks(r).build());
        Params p = P;
        double sum = 0;
        for (int i = 0; i < 3; i++) {
          sum += mse(dense(X, p), Y);
          p = sgdMseStep(p, X, Y, ones(4), lr);
        }
        assertParams(m.getLayer(0), p);
        assertThat(h.history().get("loss").get(0)).isCloseTo(sum / 3, within(TOL));
        assertThat(r.batchEndLogs).extracting(l -> l.get("size")).containsExactly(1, 1, 1);
        assertThat(r.params()).containsEntry("steps", 3).containsEntry("samples", null);
      }
    }

    @Test
    void initialEpochContinuesTheCount() {
      Recorder r = new Recorder();
      try (Sequential m = linear(P, 0.01)) {
        History h =
            m.fit(
                NDArray.of(X),
                NDArray.of(Y),
                quiet().epochs(3).initialEpoch(1).callbacks(r).build());
        assertThat(h.epoch()).containsExactly(1, 2);
        assertThat(h.history().get("loss")).hasSize(2);
        assertThat(r.events)
            .filteredOn(e -> e.startsWith("epoch_begin"))
            .containsExactly("epoch_begin 1", "epoch_begin 2");
      }
    }

    @Test
    void validationFreqSkipsEpochs() {
      try (Sequential m = linear(P, 0.01)) {
        History every2 =
            m.fit(
                NDArray.of(X8),
                NDArray.of(Y8),
                quiet().epochs(4).validationSplit(0.25).validationFreq(2).build());
        assertThat(every2.history().get("loss")).hasSize(4);
        assertThat(every2.history().get("val_loss")).hasSize(2);
        History listed =
            m.fit(
                NDArray.of(X8),
                NDArray.of(Y8),
                quiet().epochs(4).validationSplit(0.25).validationFreq(List.of(1, 4)).build());
        assertThat(listed.history().get("val_loss")).hasSize(2);
      }
    }

    @Test
    void verboseZeroPrintsNothing() {
      try (Sequential m = linear(P, 0.01)) {
        String out = fitOutput(m, quiet().epochs(2).validationSplit(0.25).build());
        assertThat(out).isEmpty();
      }
    }

    @Test
    void verboseTwoPrintsOneLinePerEpoch() {
      try (Sequential m = linear(P, 0.01)) {
        String out =
            fitOutput(m, FitOptions.builder().verbose(2).epochs(2).validationSplit(0.25).build());
        List<String> lines = out.lines().filter(l -> !l.isEmpty()).toList();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).isEqualTo("Train on 6 samples, validate on 2 samples");
        assertThat(lines.get(1)).isEqualTo("Epoch 1/2");
        assertThat(lines.get(2))
            .matches(" - \\d+s - loss: \\d+\\.\\d{4} - val_loss: \\d+\\.\\d{4}");
        assertThat(lines.get(3)).isEqualTo("Epoch 2/2");
        assertThat(lines.get(4))
            .matches(" - \\d+s - loss: \\d+\\.\\d{4} - val_loss: \\d+\\.\\d{4}");
      }
    }

    @Test
    void callbacksGetHooksInKerasOrder() {
      Recorder r = new Recorder();
      double[][] vx = {{0, 0, 1}, {1, 1, 1}};
      double[][] vy = {{1, 1}, {0, 0}};
      try (Sequential m = linear(P, 0.01)) {
        m.fit(
            NDArray.of(X),
            NDArray.of(Y),
            quiet()
                .batchSize(2)
                .epochs(2)
                .validationData(NDArray.of(vx), NDArray.of(vy))
                .callbacks(r)
                .build());
        List<String> epoch =
            List.of(
                "batch_begin 0",
                "batch_end 0",
                "batch_begin 1",
                "batch_end 1",
                "test_begin",
                "test_batch_begin 0",
                "test_batch_end 0",
                "test_end");
        List<String> expected = new ArrayList<>();
        expected.add("train_begin");
        for (int e = 0; e < 2; e++) {
          expected.add("epoch_begin " + e);
          expected.addAll(epoch);
          expected.add("epoch_end " + e);
        }
        expected.add("train_end");
        assertThat(r.events).containsExactlyElementsOf(expected);
        assertThat(r.model()).isSameAs(m);
        assertThat(r.params())
            .containsEntry("batch_size", 2)
            .containsEntry("epochs", 2)
            .containsEntry("samples", 4)
            .containsEntry("verbose", 0)
            .containsEntry("do_validation", true)
            .containsEntry("metrics", List.of("loss", "val_loss"));
        assertThat(r.batchEndLogs.get(1))
            .containsEntry("batch", 1)
            .containsEntry("size", 2)
            .containsKey("loss");
        assertThat(r.epochEndLogs.get(0)).containsKeys("loss", "val_loss");
        assertThat(r.testBatchLogs.get(0)).containsEntry("size", 2);
      }
    }

    @Test
    void stopTrainingEndsFitAfterTheCurrentBatch() {
      Recorder r = new Recorder();
      Callback stopper =
          new Callback() {
            @Override
            public void onBatchEnd(int batch, Logs logs) {
              if (batch == 1) model().setStopTraining(true);
            }
          };
      try (Sequential m = linear(P, 0.01)) {
        History h =
            m.fit(
                NDArray.of(X8),
                NDArray.of(Y8),
                quiet()
                    .batchSize(2)
                    .epochs(3)
                    .validationData(NDArray.of(X), NDArray.of(Y))
                    .callbacks(stopper, r)
                    .build());
        assertThat(r.events)
            .containsExactly(
                "train_begin",
                "epoch_begin 0",
                "batch_begin 0",
                "batch_end 0",
                "batch_begin 1",
                "batch_end 1",
                "epoch_end 0",
                "train_end");
        assertThat(h.epoch()).containsExactly(0);
        // The epoch did not reach its last batch: Keras skips validation.
        assertThat(h.history()).containsOnlyKeys("loss");
        assertThat(m.stopTraining()).isTrue();
      }
    }

    @Test
    void inStepsModeValidationRunsEvenAfterAStop() {
      // Keras 2.3.1 fit_loop validates after the steps loop unconditionally (only the batch loop
      // checks that the last batch ran).
      Callback stopper =
          new Callback() {
            @Override
            public void onBatchEnd(int batch, Logs logs) {
              model().setStopTraining(true);
            }
          };
      try (Sequential m = linear(P, 0.0)) {
        History h =
            m.fit(
                NDArray.of(X8),
                NDArray.of(Y8),
                quiet()
                    .stepsPerEpoch(3)
                    .epochs(2)
                    .validationData(NDArray.of(X), NDArray.of(Y))
                    .validationSteps(1)
                    .callbacks(stopper)
                    .build());
        assertThat(h.epoch()).containsExactly(0);
        assertThat(h.history().get("val_loss")).hasSize(1);
        assertThat(h.history().get("val_loss").get(0)).isCloseTo(mse(dense(X, P), Y), within(TOL));
      }
    }

    @Test
    void shuffledFitsRepeatWithTheGlobalSeed() {
      Run a = seededRun(42);
      Run b = seededRun(42);
      assertThat(b.initial).isEqualTo(a.initial);
      assertThat(b.losses).isEqualTo(a.losses);
      assertThat(b.weights).isEqualTo(a.weights);
      Run c = seededRun(7);
      assertThat(c.initial).isNotEqualTo(a.initial);
    }

    private record Run(List<NDArray> initial, List<Double> losses, List<NDArray> weights) {}

    private Run seededRun(long seed) {
      RngUtils.setRandomSeed(seed);
      try (Sequential m =
          new Sequential(
              List.of(
                  Dense.builder(8).activation("relu").inputShape(3).build(),
                  new Dropout(0.3),
                  new Dense(2)))) {
        m.compile(new SGD(0.05), "mse");
        List<NDArray> initial = m.getWeights();
        History h = m.fit(NDArray.of(X8), NDArray.of(Y8), quiet().epochs(3).batchSize(3).build());
        return new Run(initial, h.history().get("loss"), m.getWeights());
      }
    }
  }

  @Nested
  class Evaluate {
    static final double[][] X7 = {
      {1, 2, 3}, {-1, 0.5, 2}, {0.5, -1, 0}, {3, -2, 1}, {0, 1, -1}, {2, 2, 2}, {-3, 1, 0.5}
    };
    static final double[][] Y7 = {{1, 0}, {0, 1}, {-1, 2}, {0.5, 0.5}, {2, -1}, {0, 0}, {10, -10}};

    @Test
    void lossIsTheBatchSizeWeightedMean() {
      try (Sequential m = linear(P, 0.1, "mae")) {
        Scores s =
            m.evaluate(
                NDArray.of(X7),
                NDArray.of(Y7),
                EvaluateOptions.builder().batchSize(3).verbose(0).build());
        double l1 = mse(dense(rows(X7, 0, 3), P), rows(Y7, 0, 3));
        double l2 = mse(dense(rows(X7, 3, 6), P), rows(Y7, 3, 6));
        double l3 = mse(dense(rows(X7, 6, 7), P), rows(Y7, 6, 7));
        double weighted = (3 * l1 + 3 * l2 + l3) / 7;
        assertThat(s.names()).containsExactly("loss", "mae");
        assertThat(s.get(0)).isCloseTo(weighted, within(TOL));
        assertThat(weighted).isNotCloseTo((l1 + l2 + l3) / 3, within(1e-2));
        assertThat(s.get(1)).isCloseTo(mae(dense(X7, P), Y7), within(TOL));
        assertParams(m.getLayer(0), P);
      }
    }

    @Test
    void scalarWhenOneOutputAndNoMetrics() {
      try (Sequential m = linear(P, 0.1)) {
        Scores s =
            m.evaluate(
                NDArray.of(X7), NDArray.of(Y7), EvaluateOptions.builder().verbose(0).build());
        assertThat(s.isScalar()).isTrue();
        assertThat(s.scalar()).isCloseTo(mse(dense(X7, P), Y7), within(TOL));
      }
    }

    @Test
    void sampleWeightsInEvaluate() {
      double[] sw = {1, 2, 3, 0, 0.5, 1, 0};
      try (Sequential m = linear(P, 0.1)) {
        Scores s =
            m.evaluate(
                NDArray.of(X7),
                NDArray.of(Y7),
                EvaluateOptions.builder()
                    .batchSize(7)
                    .verbose(0)
                    .sampleWeight(NDArray.of(sw))
                    .build());
        assertThat(s.scalar()).isCloseTo(mse(dense(X7, P), Y7, sw), within(TOL));
      }
    }

    @Test
    void callbacksSeeTestBatches() {
      Recorder r = new Recorder();
      try (Sequential m = linear(P, 0.1)) {
        m.evaluate(
            NDArray.of(X7),
            NDArray.of(Y7),
            EvaluateOptions.builder().batchSize(3).verbose(0).callbacks(List.of(r)).build());
        assertThat(r.events)
            .containsExactly(
                "test_begin",
                "test_batch_begin 0",
                "test_batch_end 0",
                "test_batch_begin 1",
                "test_batch_end 1",
                "test_batch_begin 2",
                "test_batch_end 2",
                "test_end");
        assertThat(r.testBatchLogs).extracting(l -> l.get("size")).containsExactly(3, 3, 1);
      }
    }

    @Test
    void outputLossesAreMeansOverBatches() {
      double[][] yb = {{1}, {-1}, {0.5}, {2}, {0}, {1}, {-5}};
      Dense a = Dense.builder(2).name("a").build();
      Dense b = Dense.builder(1).name("b").build();
      try (Model m = twoOutputs(a, b)) {
        m.compile(
            CompileOptions.builder()
                .optimizer(new SGD(0.1))
                .loss("mse")
                .lossWeights(List.of(1.0, 0.5))
                .build());
        Scores s =
            m.evaluate(
                NDArray.of(X7),
                ArrayData.of(NDArray.of(Y7), NDArray.of(yb)),
                EvaluateOptions.builder().batchSize(3).verbose(0).build());
        double[] la = new double[3];
        double[] lb = new double[3];
        int[][] batches = {{0, 3}, {3, 6}, {6, 7}};
        double total = 0;
        for (int i = 0; i < 3; i++) {
          double[][] bx = rows(X7, batches[i][0], batches[i][1]);
          la[i] = mse(dense(bx, P), rows(Y7, batches[i][0], batches[i][1]));
          lb[i] = mse(dense(bx, PB), rows(yb, batches[i][0], batches[i][1]));
          total += (la[i] + 0.5 * lb[i]) * (batches[i][1] - batches[i][0]);
        }
        assertThat(s.names()).containsExactly("loss", "a_loss", "b_loss");
        // Keras 2.3.1 test_loop: the total loss is weighted by batch size...
        assertThat(s.get(0)).isCloseTo(total / 7, within(TOL));
        // ...while each output loss is a Mean metric fed one scalar per batch (training.py
        // _output_loss_metrics), i.e. the plain mean over batches.
        assertThat(s.get(1)).isCloseTo((la[0] + la[1] + la[2]) / 3, within(TOL));
        assertThat(s.get(2)).isCloseTo((lb[0] + lb[1] + lb[2]) / 3, within(TOL));
      }
    }
  }

  @Nested
  class Predict {
    static final double[][] X7 = Evaluate.X7;

    @Test
    void batchesAreConcatenated() {
      Recorder r = new Recorder();
      try (Sequential m = linear(P)) {
        NDArray p =
            m.predict(
                NDArray.of(X7),
                PredictOptions.builder().batchSize(3).callbacks(List.of(r)).build());
        assertThat(p.shape()).containsExactly(7, 2);
        assertThat(p.toDoubleArray()).containsExactly(flat(dense(X7, P)), within(TOL));
        assertThat(p).isEqualTo(m.predictOnBatch(NDArray.of(X7)));
        assertThat(r.events)
            .containsExactly(
                "predict_begin",
                "predict_batch_begin 0",
                "predict_batch_end 0",
                "predict_batch_begin 1",
                "predict_batch_end 1",
                "predict_batch_begin 2",
                "predict_batch_end 2",
                "predict_end");
        assertThat(r.predictBatchLogs).extracting(l -> l.get("size")).containsExactly(3, 3, 1);
        assertThat(r.predictBatchLogs.get(2)).containsKey("outputs");
      }
    }

    @Test
    void verboseZeroByDefault() {
      try (Sequential m = linear(P)) {
        assertThat(capture(() -> m.predict(NDArray.of(X7)))).isEmpty();
      }
    }
  }

  @Nested
  class DropoutInTraining {
    @Test
    void dropsAboutHalfAndScalesTheRestByTwo() {
      int n = 1000;
      KerasTensor in = Input.create(n);
      Dense d = Dense.builder(1).useBias(false).kernelInitializer("zeros").build();
      try (Model m = new Model(in, d.apply(new Dropout(0.5).apply(in)))) {
        m.compile(new SGD(0.25), "mse");
        double[] xs = ones(n);
        NDArray x = NDArray.of(xs, 1, n);
        // pred = 0, target 1: d(loss)/d(pred) = -2, so kernel_j = 0.25 * 2 * dropout(x)_j, which
        // is 1 for a kept input (x * 2) and 0 for a dropped one.
        Scores s = m.trainOnBatch(x, NDArray.of(new float[] {1}, 1, 1));
        assertThat(s.scalar()).isCloseTo(1.0, within(TOL));
        double[] k = d.getWeights().get(0).toDoubleArray();
        long zeros = java.util.Arrays.stream(k).filter(v -> Math.abs(v) < 1e-6).count();
        long kept = java.util.Arrays.stream(k).filter(v -> Math.abs(v - 1) < 1e-6).count();
        assertThat(zeros + kept).isEqualTo(n);
        assertThat(zeros).isBetween(400L, 600L);
        // Predict is the identity through dropout: sum of kept kernels.
        assertThat(m.predict(x).getDouble(0, 0)).isCloseTo((double) kept, within(1e-3));
      }
    }
  }
}
