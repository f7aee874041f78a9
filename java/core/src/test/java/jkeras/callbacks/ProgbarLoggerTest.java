package jkeras.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

class ProgbarLoggerTest {

  /** A clock the test moves by hand. */
  static final class FakeClock implements DoubleSupplier {
    double t;

    @Override
    public double getAsDouble() {
      return t;
    }
  }

  record Batch(int size, Map<String, Double> values) {}

  private static Map<String, Double> m(Object... kv) {
    Map<String, Double> map = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      map.put((String) kv[i], ((Number) kv[i + 1]).doubleValue());
    }
    return map;
  }

  /**
   * Drives BaseLogger + ProgbarLogger the way Keras 2.3.1 fit_loop does: batch logs {batch, size}
   * then the values; the clock is set by {@code timeAtBatchEnd(k)} (k 1-based) before each batch
   * end, and reset to 1000 at each epoch start.
   */
  private static String fit(
      ProgbarLogger.Builder progbar,
      FakeClock clock,
      int verbose,
      List<String> stateful,
      Map<String, Object> extraParams,
      int epochs,
      List<Batch> batches,
      Map<String, Double> validation,
      IntToDoubleFunction timeAtBatchEnd) {
    StringBuilder out = new StringBuilder();
    CallbackList list =
        new CallbackList(
            new BaseLogger(stateful),
            progbar.statefulMetrics(stateful).output(out).clock(clock).build());
    List<String> names = new ArrayList<>(batches.get(0).values().keySet());
    List<String> metrics = new ArrayList<>(names);
    if (validation != null) {
      names.forEach(n -> metrics.add("val_" + n));
    }
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("epochs", epochs);
    params.put("verbose", verbose);
    params.put("do_validation", validation != null);
    params.put("metrics", metrics);
    params.putAll(extraParams);
    list.setParams(params);
    list.onTrainBegin(null);
    for (int epoch = 0; epoch < epochs; epoch++) {
      clock.t = 1000.0;
      list.onEpochBegin(epoch, null);
      for (int k = 0; k < batches.size(); k++) {
        Logs logs = new Logs();
        logs.put("batch", k);
        logs.put("size", batches.get(k).size());
        list.onBatchBegin(k, logs);
        clock.t = timeAtBatchEnd.applyAsDouble(k + 1);
        logs.putAll(batches.get(k).values());
        list.onBatchEnd(k, logs);
      }
      Logs epochLogs = new Logs();
      if (validation != null) {
        epochLogs.putAll(validation);
      }
      list.onEpochEnd(epoch, epochLogs);
    }
    list.onTrainEnd(null);
    return out.toString();
  }

  /** The semantics doc's run: {@link #tenSteps} per epoch in steps mode, with validation. */
  private static String tenStepRun(
      FakeClock clock,
      int verbose,
      List<String> stateful,
      int epochs,
      IntToDoubleFunction timeAtBatchEnd) {
    return fit(
        ProgbarLogger.builder().countMode("steps"),
        clock,
        verbose,
        stateful,
        Map.of("steps", 10),
        epochs,
        tenSteps(),
        m("val_loss", 0.6123, "val_acc", 0.4),
        timeAtBatchEnd);
  }

  /** Two steps of 3 and 1 samples, half a second each, without validation or stateful metrics. */
  private static String twoStepRun(ProgbarLogger.Builder progbar, int verbose, int epochs) {
    return fit(
        progbar,
        new FakeClock(),
        verbose,
        List.of(),
        Map.of("steps", 2),
        epochs,
        List.of(new Batch(3, m("loss", 1.0)), new Batch(1, m("loss", 2.0))),
        null,
        k -> 1000.0 + k * 0.5);
  }

  private static List<Batch> tenSteps() {
    List<Batch> b = new ArrayList<>();
    for (int k = 0; k < 10; k++) {
      b.add(new Batch(1, m("loss", 0.5 - 0.01 * k, "acc", 0.5 + 0.01 * k)));
    }
    return b;
  }

  /** 1000.05, 1000.1, ... by repeated addition; its rounding makes every other step < 0.05 s. */
  private static IntToDoubleFunction accumulating(FakeClock clock) {
    return k -> clock.t + 0.05;
  }

  @Test
  void reproducesTheKerasNonTtyOutputOfTheSemanticsDoc() {
    // keras-semantics.md section 3.1, verbatim (no stateful metrics, as in that run).
    FakeClock clock = new FakeClock();
    String out = tenStepRun(clock, 1, List.of(), 10, accumulating(clock));
    assertThat(out)
        .startsWith(
            "Epoch 1/10\n\n"
                + " 1/10 [==>...........................] - ETA: 0s - loss: 0.5000 - acc: 0.5000\n"
                + " 3/10 [========>.....................] - ETA: 0s - loss: 0.4900 - acc: 0.5100\n"
                + " 5/10 [==============>...............] - ETA: 0s - loss: 0.4800 - acc: 0.5200\n"
                + " 7/10 [====================>.........] - ETA: 0s - loss: 0.4700 - acc: 0.5300\n"
                + " 9/10 [==========================>...] - ETA: 0s - loss: 0.4600 - acc: 0.5400\n"
                + "10/10 [==============================] - 0s 50ms/step - loss: 0.4550 - acc:"
                + " 0.5450 - val_loss: 0.6123 - val_acc: 0.4000\n"
                + "Epoch 2/10\n\n");
  }

  @Test
  void showsStatefulMetricsAsTheirLastValueLikeKeras231() {
    // K231 fit passes metrics_names[1:] as stateful: acc is the running mean the model reports.
    FakeClock clock = new FakeClock();
    String out = tenStepRun(clock, 1, List.of("acc"), 10, accumulating(clock));
    String firstEpoch =
        "Epoch 1/10\n\n"
            + " 1/10 [==>...........................] - ETA: 0s - loss: 0.5000 - acc: 0.5000\n"
            + " 3/10 [========>.....................] - ETA: 0s - loss: 0.4900 - acc: 0.5200\n"
            + " 5/10 [==============>...............] - ETA: 0s - loss: 0.4800 - acc: 0.5400\n"
            + " 7/10 [====================>.........] - ETA: 0s - loss: 0.4700 - acc: 0.5600\n"
            + " 9/10 [==========================>...] - ETA: 0s - loss: 0.4600 - acc: 0.5800\n"
            + "10/10 [==============================] - 0s 50ms/step - loss: 0.4550 - acc: 0.5900"
            + " - val_loss: 0.6123 - val_acc: 0.4000\n";
    assertThat(out).startsWith(firstEpoch + "Epoch 2/10\n\n");
    assertThat(out).endsWith("val_acc: 0.4000\n");
    assertThat(out.split("Epoch ", -1)).hasSize(11);
  }

  @Test
  void verboseTwoPrintsHeaderAndOneLinePerEpoch() {
    FakeClock clock = new FakeClock();
    String out = tenStepRun(clock, 2, List.of("acc"), 2, k -> 1000.0 + 0.05 * k);
    assertThat(out)
        .isEqualTo(
            "Epoch 1/2\n"
                + " - 0s - loss: 0.4550 - acc: 0.5900 - val_loss: 0.6123 - val_acc: 0.4000\n"
                + "Epoch 2/2\n"
                + " - 0s - loss: 0.4550 - acc: 0.5900 - val_loss: 0.6123 - val_acc: 0.4000\n");
  }

  @Test
  void countsSamplesButLabelsTheTimePerStepLikeKeras231() {
    // fit on 100 samples with batch_size 32: batches of 32, 32, 32, 4, one every 1/16 s.
    FakeClock clock = new FakeClock();
    List<Batch> batches =
        List.of(
            new Batch(32, m("loss", 0.9, "acc", 0.5)),
            new Batch(32, m("loss", 0.8, "acc", 0.6)),
            new Batch(32, m("loss", 0.7, "acc", 0.7)),
            new Batch(4, m("loss", 0.6, "acc", 0.75)));
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("samples", 100);
    params.put("steps", null);
    params.put("batch_size", 32);
    String out =
        fit(
            ProgbarLogger.builder().countMode("samples"),
            clock,
            1,
            List.of("acc"),
            params,
            1,
            batches,
            null,
            k -> 1000.0 + k * 0.0625);
    // loss at 64 = (0.9*32 + 0.8*32)/64 = 0.85. Final: the batch values weighted by their samples
    // plus the BaseLogger mean 0.792 weighted by the last 4 samples again:
    // (0.9*32 + 0.8*32 + 0.7*32 + 0.6*4 + 0.792*4) / 104 = 0.792. acc is stateful: last value.
    // 0.25 s / 100 samples = 2.5 ms, printed "2ms/step" (half-even) although it is per sample.
    assertThat(out)
        .isEqualTo(
            "Epoch 1/1\n\n"
                + " 32/100 [========>.....................] - ETA: 0s - loss: 0.9000 - acc:"
                + " 0.5000\n"
                + " 64/100 [==================>...........] - ETA: 0s - loss: 0.8500 - acc:"
                + " 0.6000\n"
                + " 96/100 [===========================>..] - ETA: 0s - loss: 0.8000 - acc:"
                + " 0.7000\n"
                + "100/100 [==============================] - 0s 2ms/step - loss: 0.7920 - acc:"
                + " 0.7500\n");
  }

  @Test
  void finalStepValueMixesBatchValuesWithTheEpochMean() {
    // Steps mode, batches of 3 and 1 samples: BaseLogger mean = (1*3 + 2*1)/4 = 1.25, but the bar
    // shows (1 + 2 + 1.25)/3 = 1.41666..., Keras 2.3.1's arithmetic.
    String out = twoStepRun(ProgbarLogger.builder().countMode("steps"), 1, 1);
    assertThat(out)
        .isEqualTo(
            "Epoch 1/1\n\n"
                + "1/2 [==============>...............] - ETA: 0s - loss: 1.0000\n"
                + "2/2 [==============================] - 1s 500ms/step - loss: 1.4167\n");
  }

  @Test
  void rewritesTheLineOnATerminal() {
    String out = twoStepRun(ProgbarLogger.builder().countMode("steps").dynamicDisplay(true), 1, 1);
    String first = "1/2 [==============>...............] - ETA: 0s - loss: 1.0000";
    assertThat(out)
        .isEqualTo(
            "Epoch 1/1\n\r"
                + first
                + "\b".repeat(first.length())
                + "\r2/2 [==============================] - 1s 500ms/step - loss: 1.4167\n");
  }

  @Test
  void otherVerbosityPrintsOnlyHeaders() {
    String out = twoStepRun(ProgbarLogger.builder().countMode("steps"), 3, 2);
    assertThat(out).isEqualTo("Epoch 1/2\nEpoch 2/2\n");
  }

  @Test
  void ignoresLogKeysThatAreNotInParamsMetrics() {
    FakeClock clock = new FakeClock();
    StringBuilder out = new StringBuilder();
    ProgbarLogger p = ProgbarLogger.builder().countMode("steps").output(out).clock(clock).build();
    p.setParams(Map.of("epochs", 1, "steps", 1, "verbose", 2, "metrics", List.of("loss")));
    p.onTrainBegin(new Logs());
    clock.t = 1000;
    p.onEpochBegin(0, new Logs());
    Logs logs = new Logs();
    logs.put("batch", 0);
    logs.put("size", 8);
    p.onBatchBegin(0, logs);
    logs.put("loss", 0.25);
    logs.put("lr", 0.1);
    p.onBatchEnd(0, logs);
    Logs epochLogs = new Logs();
    epochLogs.put("loss", 0.25);
    epochLogs.put("lr", 0.1);
    p.onEpochEnd(0, epochLogs);
    assertThat(out.toString()).isEqualTo("Epoch 1/1\n - 0s - loss: 0.2500\n");
  }

  @Test
  void rejectsUnknownCountMode() {
    assertThatThrownBy(() -> ProgbarLogger.builder().countMode("batches").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Unknown `count_mode`: batches");
  }

  @Test
  void defaultsToCountingSamples() {
    assertThat(new ProgbarLogger().useSteps()).isFalse();
    assertThat(new ProgbarLogger("steps", null).useSteps()).isTrue();
  }
}
