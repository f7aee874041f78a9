package jkeras.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import jkeras.data.Batch;
import jkeras.data.NDArray;
import jkeras.layers.Dense;
import jkeras.layers.Layer;
import jkeras.models.Sequential;
import jkeras.testing.Endless;
import jkeras.testing.HookRecorder;
import jkeras.testing.Sequences;
import jkeras.testing.Stdout;
import jkeras.trainers.EvaluateOptions;
import jkeras.trainers.FitOptions;
import jkeras.trainers.PredictOptions;
import jkeras.utils.Sequence;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which callback hooks fire, how often and in what order when the data come from a generator or a
 * Sequence: Keras 2.3.1's tests/keras/callbacks/callbacks_test.py {@code TestCallbackCounts}
 * (fit_generator, evaluate, predict) with the same model (Dense(10, relu) -> Dense(2, softmax),
 * adam, binary_crossentropy), plus the order of §2.4 of the behaviour notes.
 */
@Tag("native")
class GeneratorCallbackCountsTest {
  static final List<String> HOOKS =
      List.of(
          "on_batch_begin",
          "on_batch_end",
          "on_epoch_begin",
          "on_epoch_end",
          "on_predict_batch_begin",
          "on_predict_batch_end",
          "on_predict_begin",
          "on_predict_end",
          "on_test_batch_begin",
          "on_test_batch_end",
          "on_test_begin",
          "on_test_end",
          "on_train_batch_begin",
          "on_train_batch_end",
          "on_train_begin",
          "on_train_end");

  @BeforeEach
  void resetNames() {
    Layer.resetNames();
  }

  /** Keras' Counter: counts every hook; the train-batch hooks forward to the batch hooks. */
  static final class Counter extends HookRecorder {
    final Map<String, Integer> counts = new LinkedHashMap<>();
    final List<String> order = new ArrayList<>();
    final List<Logs> predictBatchEndLogs = new ArrayList<>();
    final List<Logs> testBatchEndLogs = new ArrayList<>();
    final List<Logs> trainBatchEndLogs = new ArrayList<>();
    final List<Object> testParamsSteps = new ArrayList<>();

    Counter() {
      for (String h : HOOKS) counts.put(h, 0);
    }

    @Override
    protected void hook(String name, Integer index, Logs logs) {
      counts.merge(name, 1, Integer::sum);
      order.add(index == null ? name : name + " " + index);
      switch (name) {
        case "on_train_batch_end" -> trainBatchEndLogs.add(new Logs(logs));
        case "on_test_begin" -> testParamsSteps.add(params().get("steps"));
        case "on_test_batch_end" -> testBatchEndLogs.add(new Logs(logs));
        case "on_predict_batch_end" -> predictBatchEndLogs.add(new Logs(logs));
        default -> {}
      }
    }
  }

  static Map<String, Integer> expected(Object... kv) {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (String h : HOOKS) m.put(h, 0);
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], (Integer) kv[i + 1]);
    return m;
  }

  /**
   * The counts of one {@code evaluate} ({@code mode} "test") or {@code predict} ("predict") of
   * {@code batches} batches: its begin and end once, its batch hooks once per batch, nothing else.
   */
  static Map<String, Integer> loopHooks(String mode, int batches) {
    return expected(
        "on_" + mode + "_batch_begin",
        batches,
        "on_" + mode + "_batch_end",
        batches,
        "on_" + mode + "_begin",
        1,
        "on_" + mode + "_end",
        1);
  }

  /**
   * Keras' _get_model: Dense(10, relu, input_dim=3) -> Dense(2, softmax), adam,
   * binary_crossentropy.
   */
  static Sequential model(String... metrics) {
    Sequential m =
        new Sequential(
            List.of(
                Dense.builder(10).activation("relu").inputShape(3).build(),
                Dense.builder(2).activation("softmax").build()));
    m.compile("adam", "binary_crossentropy", List.of((Object[]) metrics));
    return m;
  }

  /** {@code n} batches of 2 samples: x random, y one-hot; deterministic. */
  static Sequence data(int n, long seed) {
    return Sequences.of(
        n,
        index -> {
          Random r = new Random(seed * 1000 + index);
          double[][] x = new double[2][3];
          double[][] y = new double[2][2];
          for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) x[i][j] = r.nextGaussian();
            y[i][r.nextInt(2)] = 1;
          }
          return Batch.of(NDArray.of(x), NDArray.of(y));
        });
  }

  /** Keras' data_generator: the batches of {@link #data} over and over. */
  static Iterator<Batch> generator(int n, long seed) {
    return Endless.cycle(data(n, seed));
  }

  @ParameterizedTest(
      name = "{0} epochs x {1} steps, {2} validation steps, workers={3}, sequence={4}")
  @CsvSource({
    "5, 5, 2, 1, false", // Keras test_callback_hooks_are_called_in_fit_generator
    "2, 3, 2, 0, false",
    "2, 3, 2, 2, false",
    "2, 3, 2, 0, true",
    "2, 3, 2, 2, true"
  })
  void fitGeneratorFiresEachHookTheExpectedNumberOfTimes(
      int epochs, int steps, int valSteps, int workers, boolean sequence) {
    Counter c = new Counter();
    Sequence train = data(steps, 1);
    Sequence val = data(valSteps, 2);
    try (Sequential m = model()) {
      FitOptions.Builder o =
          FitOptions.builder().verbose(0).epochs(epochs).workers(workers).callbacks(c);
      History h;
      if (sequence) {
        h = m.fitGenerator(train, o.validationData(val).build());
      } else {
        h =
            m.fitGenerator(
                Endless.cycle(train),
                o.stepsPerEpoch(steps)
                    .validationData(Endless.cycle(val))
                    .validationSteps(valSteps)
                    .build());
      }
      assertThat(h.history()).containsOnlyKeys("loss", "val_loss");
      assertThat(h.epoch()).hasSize(epochs);
    }
    assertThat(c.counts)
        .containsExactlyEntriesOf(
            expected(
                "on_batch_begin",
                epochs * steps,
                "on_batch_end",
                epochs * steps,
                "on_epoch_begin",
                epochs,
                "on_epoch_end",
                epochs,
                "on_test_batch_begin",
                epochs * valSteps,
                "on_test_batch_end",
                epochs * valSteps,
                "on_test_begin",
                epochs,
                "on_test_end",
                epochs,
                "on_train_batch_begin",
                epochs * steps,
                "on_train_batch_end",
                epochs * steps,
                "on_train_begin",
                1,
                "on_train_end",
                1));
  }

  @Test
  void hooksFireInKerasOrderWithGeneratorValidation() {
    // 2 epochs x 2 steps, generator validation with 1 step: validation runs between the last
    // batch end and the epoch end, through the same callbacks.
    Counter c = new Counter();
    Sequence train = data(2, 1);
    try (Sequential m = model()) {
      m.fitGenerator(
          Endless.cycle(train),
          FitOptions.builder()
              .verbose(0)
              .epochs(2)
              .stepsPerEpoch(2)
              .workers(0)
              .validationData(generator(1, 2))
              .validationSteps(1)
              .callbacks(c)
              .build());
    }
    List<String> epoch = new ArrayList<>();
    List<String> expected = new ArrayList<>(List.of("on_train_begin"));
    for (int e = 0; e < 2; e++) {
      epoch.clear();
      epoch.add("on_epoch_begin " + e);
      for (int b = 0; b < 2; b++) {
        epoch.addAll(
            List.of(
                "on_train_batch_begin " + b,
                "on_batch_begin " + b,
                "on_train_batch_end " + b,
                "on_batch_end " + b));
      }
      epoch.addAll(
          List.of(
              "on_test_begin",
              "on_test_batch_begin 0",
              "on_test_batch_end 0",
              "on_test_end",
              "on_epoch_end " + e));
      expected.addAll(epoch);
    }
    expected.add("on_train_end");
    assertThat(c.order).containsExactlyElementsOf(expected);
    // Batch logs carry Keras' batch and size, then the loss; test batch logs alike.
    assertThat(c.trainBatchEndLogs.get(0))
        .containsKeys("batch", "size", "loss")
        .contains(entry("batch", 0), entry("size", 2));
    assertThat(c.testBatchEndLogs.get(0))
        .containsKeys("batch", "size", "loss")
        .contains(entry("size", 2));
  }

  @Test
  void evaluateOverASequenceFiresOnlyTestHooks() {
    // Keras test_callback_hooks_are_called_in_evaluate: 10 samples in batches of 2 -> 5 batches.
    Counter c = new Counter();
    try (Sequential m = model()) {
      m.evaluate(data(5, 3), EvaluateOptions.builder().verbose(0).callbacks(List.of(c)).build());
    }
    assertThat(c.counts).containsExactlyEntriesOf(loopHooks("test", 5));
    assertThat(c.testParamsSteps).containsExactly(5);
  }

  @Test
  void evaluateOverAGeneratorFiresOnlyTestHooks() {
    Counter c = new Counter();
    try (Sequential m = model()) {
      m.evaluate(
          generator(5, 3),
          EvaluateOptions.builder().verbose(0).steps(4).workers(2).callbacks(List.of(c)).build());
    }
    assertThat(c.counts).containsExactlyEntriesOf(loopHooks("test", 4));
  }

  @Test
  void predictOverASequenceFiresOnlyPredictHooksWithOutputs() {
    // Keras test_callback_hooks_are_called_in_predict.
    Counter c = new Counter();
    try (Sequential m = model()) {
      NDArray out = m.predict(data(5, 4), PredictOptions.builder().callbacks(List.of(c)).build());
      assertThat(out.shape()).containsExactly(10, 2);
    }
    assertThat(c.counts).containsExactlyEntriesOf(loopHooks("predict", 5));
    assertThat(c.predictBatchEndLogs)
        .allSatisfy(l -> assertThat(l).containsKeys("batch", "size", "outputs"));
    @SuppressWarnings("unchecked")
    List<NDArray> outs = (List<NDArray>) c.predictBatchEndLogs.get(0).get("outputs");
    assertThat(outs.get(0).shape()).containsExactly(2, 2);
  }

  @Test
  void historyAndParamsOfAFitOverGenerators() {
    try (Sequential m = model("mae")) {
      History h =
          m.fitGenerator(
              data(3, 1),
              FitOptions.builder()
                  .verbose(0)
                  .epochs(2)
                  .workers(0)
                  .validationData(data(2, 2))
                  .build());
      assertThat(h.history()).containsOnlyKeys("loss", "mae", "val_loss", "val_mae");
      assertThat(h.history().values()).allSatisfy(v -> assertThat(v).hasSize(2));
      assertThat(h.epoch()).containsExactly(0, 1);
      assertThat(h.params())
          .contains(
              entry("epochs", 2),
              entry("steps", 3),
              entry("do_validation", true),
              entry("verbose", 0));
      assertThat(h.params().get("metrics"))
          .isEqualTo(List.of("loss", "mae", "val_loss", "val_mae"));
      assertThat(m.history()).isSameAs(h);
    }
  }

  @Test
  void verboseZeroPrintsNothingAndVerboseOnePrintsTheEpochs() {
    String quiet;
    String loud;
    try (Sequential m = model()) {
      quiet =
          Stdout.capture(
              () -> {
                m.fitGenerator(
                    generator(3, 1),
                    FitOptions.builder()
                        .verbose(0)
                        .epochs(2)
                        .stepsPerEpoch(3)
                        .validationData(data(2, 2))
                        .build());
                m.evaluate(data(2, 2), EvaluateOptions.builder().verbose(0).build());
                m.predict(data(2, 2), PredictOptions.builder().verbose(0).build());
              });
      loud =
          Stdout.capture(
              () ->
                  m.fitGenerator(
                      generator(3, 1),
                      FitOptions.builder().verbose(2).epochs(2).stepsPerEpoch(3).build()));
    }
    assertThat(quiet).isEmpty();
    assertThat(loud).contains("Epoch 1/2").contains("Epoch 2/2");
  }
}
