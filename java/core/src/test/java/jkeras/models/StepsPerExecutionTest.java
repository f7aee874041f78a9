package jkeras.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import jkeras.callbacks.Callback;
import jkeras.callbacks.History;
import jkeras.callbacks.Logs;
import jkeras.callbacks.ProgbarLogger;
import jkeras.data.Batch;
import jkeras.data.NDArray;
import jkeras.layers.BatchNormalization;
import jkeras.layers.Dense;
import jkeras.optimizers.Adam;
import jkeras.regularizers.Regularizers;
import jkeras.trainers.CompileOptions;
import jkeras.trainers.FitOptions;
import jkeras.utils.RngUtils;
import jkeras.utils.Sequence;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code compile(steps_per_execution=K)}: K train steps chained in one execution give the weights
 * and history of K separate steps, and the callbacks see one batch per execution as tf-keras shows
 * it (its first step at begin, its last at end, the epoch's last group shorter).
 */
@Tag("native")
class StepsPerExecutionTest {
  private static final int SAMPLES = 80; // 10 batches of 8: groups of 4, 4 and 2

  /** A model with what a chained step must carry over: Adam's slots, BN statistics, a penalty. */
  private static Sequential model(int stepsPerExecution) {
    RngUtils.setRandomSeed(11L);
    try {
      Sequential m = new Sequential();
      m.add(
          Dense.builder(12)
              .activation("relu")
              .inputShape(5)
              .kernelRegularizer(Regularizers.l2(0.01))
              .build());
      m.add(new BatchNormalization());
      m.add(Dense.builder(3).activation("softmax").build());
      m.compile(
          CompileOptions.builder()
              .optimizer(Adam.builder().learningRate(0.01).decay(0.01).build())
              .loss("sparse_categorical_crossentropy")
              .metrics(List.of("accuracy"))
              .stepsPerExecution(stepsPerExecution)
              .build());
      return m;
    } finally {
      RngUtils.setRandomSeed(null);
    }
  }

  private static NDArray[] data() {
    Random r = new Random(5);
    float[] x = new float[SAMPLES * 5];
    int[] y = new int[SAMPLES];
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
    for (int i = 0; i < y.length; i++) y[i] = r.nextInt(3);
    return new NDArray[] {NDArray.of(x, SAMPLES, 5), NDArray.ofInts(y, SAMPLES)};
  }

  private static FitOptions.Builder fit() {
    return FitOptions.builder().batchSize(8).epochs(2).shuffle(false).verbose(0);
  }

  @Test
  void chainedStepsGiveTheWeightsAndHistoryOfSeparateSteps() {
    NDArray[] d = data();
    try (Sequential one = model(1);
        Sequential four = model(4)) {
      History h1 = one.fit(d[0], d[1], fit().build());
      History h4 = four.fit(d[0], d[1], fit().build());
      List<NDArray> w1 = one.getWeights();
      List<NDArray> w4 = four.getWeights();
      for (int k = 0; k < w1.size(); k++) {
        float[] a = w1.get(k).toFloatArray();
        float[] b = w4.get(k).toFloatArray();
        for (int i = 0; i < a.length; i++) assertThat((double) b[i]).isCloseTo(a[i], within(1e-6));
      }
      for (String key : List.of("loss", "accuracy")) {
        List<Double> a = h1.history().get(key);
        List<Double> b = h4.history().get(key);
        for (int e = 0; e < a.size(); e++) assertThat(b.get(e)).isCloseTo(a.get(e), within(1e-6));
      }
    }
  }

  /** What the callbacks saw: "begin 0 {batch=0, size=32, num_steps=4}", ... */
  private static final class Recorder extends Callback {
    final List<String> events = new ArrayList<>();

    @Override
    public void onTrainBatchBegin(int batch, Logs logs) {
      events.add("begin " + batch + " " + logs.get("size") + " " + logs.get("num_steps"));
    }

    @Override
    public void onTrainBatchEnd(int batch, Logs logs) {
      events.add("end " + batch + " " + logs.keySet());
    }
  }

  @Test
  void callbacksSeeOneBatchPerExecutionAsTfKerasShowsIt() {
    NDArray[] d = data();
    try (Sequential m = model(4)) {
      Recorder rec = new Recorder();
      m.fit(d[0], d[1], fit().epochs(1).callbacks(rec).build());
      assertThat(rec.events)
          .containsExactly(
              "begin 0 32 4",
              "end 3 [batch, size, num_steps, loss, accuracy]",
              "begin 4 32 4",
              "end 7 [batch, size, num_steps, loss, accuracy]",
              "begin 8 16 2",
              "end 9 [batch, size, num_steps, loss, accuracy]");
    }
  }

  @Test
  void theProgressBarMovesOncePerExecution() {
    NDArray[] d = data();
    StringBuilder bar = new StringBuilder();
    double[] now = {0};
    // A clock a second further at each reading, so every update passes the bar's interval.
    ProgbarLogger logger =
        ProgbarLogger.builder().output(bar).clock(() -> now[0]++).dynamicDisplay(false).build();
    PrintStream saved = System.out;
    try (Sequential m = model(4)) {
      System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
      m.fit(d[0], d[1], fit().epochs(1).verbose(1).callbacks(logger).build());
    } finally {
      System.setOut(saved);
    }
    // Samples after each execution: 32, 64, then the epoch's end at 80.
    assertThat(bar.toString())
        .contains("32/80", "64/80", "80/80")
        .doesNotContain(" 8/80", "16/80", "40/80");
  }

  /** A Sequence of the data's 10 batches. */
  private static final class Batches extends Sequence {
    private final NDArray[] d;

    Batches(NDArray[] d) {
      this.d = d;
    }

    @Override
    public int size() {
      return SAMPLES / 8;
    }

    @Override
    public Batch get(int i) {
      return Batch.of(d[0].slice(i * 8L, i * 8L + 8), d[1].slice(i * 8L, i * 8L + 8));
    }
  }

  @Test
  void streamsWithWorkersFeedTheSameChainedSteps() {
    NDArray[] d = data();
    try (Sequential one = model(1);
        Sequential chained = model(4);
        Sequential fromIterator = model(4)) {
      one.fit(d[0], d[1], fit().build());
      chained.fitGenerator(
          new Batches(d),
          FitOptions.builder().epochs(2).shuffle(false).verbose(0).workers(2).build());
      Iterator<Batch> endless =
          new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
              return true;
            }

            @Override
            public Batch next() {
              return new Batches(d).get(i++ % 10);
            }
          };
      fromIterator.fitGenerator(
          endless, FitOptions.builder().epochs(2).stepsPerEpoch(10).verbose(0).workers(1).build());
      float[] expected = one.getWeights().get(0).toFloatArray();
      for (Sequential m : List.of(chained, fromIterator)) {
        float[] got = m.getWeights().get(0).toFloatArray();
        for (int i = 0; i < got.length; i++) {
          assertThat((double) got[i]).isCloseTo(expected[i], within(1e-6));
        }
      }
    }
  }

  @Test
  void trainOnBatchStaysOneStep() {
    NDArray[] d = data();
    try (Sequential one = model(1);
        Sequential four = model(4)) {
      NDArray x = d[0].slice(0, 8);
      NDArray y = d[1].slice(0, 8);
      assertThat(four.trainOnBatch(x, y).get(0)).isEqualTo(one.trainOnBatch(x, y).get(0));
      assertThat(four.trainOnBatch(x, y).get(0)).isEqualTo(one.trainOnBatch(x, y).get(0));
    }
  }

  @Test
  void rejectsAStepsPerExecutionBelowOne() {
    assertThatThrownBy(() -> CompileOptions.builder().stepsPerExecution(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Expected `stepsPerExecution` to be a positive integer. Received: stepsPerExecution=0");
    assertThatThrownBy(
            () -> CompileOptions.fromConfig(Map.of("loss", "mse", "steps_per_execution", "auto")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("steps_per_execution");
  }
}
