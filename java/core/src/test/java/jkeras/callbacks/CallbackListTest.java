package jkeras.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import jkeras.models.Model;
import jkeras.testing.HookRecorder;
import org.junit.jupiter.api.Test;

class CallbackListTest {

  /** A bare model: callbacks only use its stop-training flag here. */
  private static Model newModel() {
    return new Model("callback_test_model") {};
  }

  /** Records "name:hook(index)" for every hook (the train-batch hooks as batch hooks). */
  static final class Recorder extends HookRecorder {
    final String name;
    final List<String> calls;

    Recorder(String name, List<String> calls) {
      this.name = name;
      this.calls = calls;
    }

    @Override
    protected void hook(String hook, Integer index, Logs logs) {
      if (hook.startsWith("on_train_batch_")) return;
      String call = hook.substring("on_".length());
      calls.add(name + ":" + (index == null ? call : call + "(" + index + ")"));
    }
  }

  @Test
  void dispatchesEveryHookToEachCallbackInListOrder() {
    List<String> calls = new ArrayList<>();
    CallbackList list = new CallbackList(new Recorder("a", calls), new Recorder("b", calls));
    list.onTrainBegin(null);
    list.onEpochBegin(0, null);
    list.onBatchBegin(0, null);
    list.onBatchEnd(0, null);
    list.onTrainBatchBegin(1, null);
    list.onTrainBatchEnd(1, null);
    list.onTestBegin(null);
    list.onTestBatchBegin(0, null);
    list.onTestBatchEnd(0, null);
    list.onTestEnd(null);
    list.onEpochEnd(0, null);
    list.onTrainEnd(null);
    list.onPredictBegin(null);
    list.onPredictBatchBegin(0, null);
    list.onPredictBatchEnd(0, null);
    list.onPredictEnd(null);
    List<String> expected = new ArrayList<>();
    for (String hook :
        List.of(
            "train_begin",
            "epoch_begin(0)",
            "batch_begin(0)",
            "batch_end(0)",
            "batch_begin(1)",
            "batch_end(1)",
            "test_begin",
            "test_batch_begin(0)",
            "test_batch_end(0)",
            "test_end",
            "epoch_end(0)",
            "train_end",
            "predict_begin",
            "predict_batch_begin(0)",
            "predict_batch_end(0)",
            "predict_end")) {
      expected.add("a:" + hook);
      expected.add("b:" + hook);
    }
    assertThat(calls).containsExactlyElementsOf(expected);
  }

  @Test
  void batchHooksGoThroughOnTrainBatchHooks() {
    List<String> calls = new ArrayList<>();
    Callback c =
        new Callback() {
          @Override
          public void onTrainBatchBegin(int batch, Logs logs) {
            calls.add("train_batch_begin(" + batch + ")");
          }

          @Override
          public void onBatchBegin(int batch, Logs logs) {
            calls.add("batch_begin(" + batch + ")");
          }

          @Override
          public void onTrainBatchEnd(int batch, Logs logs) {
            calls.add("train_batch_end(" + batch + ")");
            super.onTrainBatchEnd(batch, logs);
          }

          @Override
          public void onBatchEnd(int batch, Logs logs) {
            calls.add("batch_end(" + batch + ")");
          }
        };
    CallbackList list = new CallbackList(c);
    list.onBatchBegin(0, null); // K231: on_batch_begin -> on_train_batch_begin
    list.onBatchEnd(0, null); // on_train_batch_end, whose default calls on_batch_end
    assertThat(calls).containsExactly("train_batch_begin(0)", "train_batch_end(0)", "batch_end(0)");
  }

  @Test
  void passesTheSameLogsToEachCallbackAndReplacesNull() {
    List<Logs> seen = new ArrayList<>();
    Callback writer =
        new Callback() {
          @Override
          public void onEpochEnd(int epoch, Logs logs) {
            seen.add(logs);
            logs.put("lr", 0.5);
          }
        };
    Callback reader =
        new Callback() {
          @Override
          public void onEpochEnd(int epoch, Logs logs) {
            seen.add(logs);
          }
        };
    CallbackList list = new CallbackList(writer, reader);
    list.onEpochEnd(0, null);
    assertThat(seen).hasSize(2);
    assertThat(seen.get(0)).isNotNull().isSameAs(seen.get(1));
    assertThat(seen.get(1)).containsEntry("lr", 0.5);
  }

  @Test
  void copiesTheListDefensively() {
    List<String> calls = new ArrayList<>();
    List<Callback> source = new ArrayList<>(List.of(new Recorder("a", calls)));
    CallbackList list = new CallbackList(source);
    source.add(new Recorder("b", calls));
    list.onTrainBegin(null);
    assertThat(calls).containsExactly("a:train_begin");
    assertThatThrownBy(() -> list.callbacks().add(new Recorder("c", calls)))
        .isInstanceOf(UnsupportedOperationException.class);
    list.append(new Recorder("c", calls));
    assertThat(list.callbacks()).hasSize(2);
  }

  @Test
  void setsParamsAndModelOnEveryCallback() {
    Recorder a = new Recorder("a", new ArrayList<>());
    Recorder b = new Recorder("b", new ArrayList<>());
    CallbackList list = new CallbackList(a, b);
    Model model = newModel();
    list.setModel(model);
    list.setParams(Map.of("epochs", 2, "steps", 5));
    assertThat(a.model()).isSameAs(model);
    assertThat(b.params()).containsEntry("steps", 5);
    list.setParam("steps", 7);
    assertThat(a.params()).containsEntry("steps", 7).containsEntry("epochs", 2);
    assertThat(list.params()).containsEntry("steps", 7);
  }

  @Test
  void callbacksCanStopTrainingThroughTheModelFlag() {
    Model model = newModel();
    CallbackList list =
        new CallbackList(
            LambdaCallback.builder().build(),
            new Callback() {
              @Override
              public void onBatchEnd(int batch, Logs logs) {
                if (batch == 1) {
                  model().setStopTraining(true);
                }
              }
            });
    list.setModel(model);
    list.onBatchEnd(0, null);
    assertThat(model.stopTraining()).isFalse();
    list.onBatchEnd(1, null);
    assertThat(model.stopTraining()).isTrue();
  }

  @Test
  void configureBuildsTheKeras2OrderAndParams() {
    List<String> calls = new ArrayList<>();
    Recorder user1 = new Recorder("u1", calls);
    Recorder user2 = new Recorder("u2", calls);
    Model model = newModel();
    StringBuilder out = new StringBuilder();
    CallbackList.Configured c =
        CallbackList.configure(
            List.of(user1, user2),
            model,
            true,
            1,
            5,
            100,
            null,
            32,
            null,
            List.of("loss", "acc"),
            null,
            out);
    List<Callback> cbs = c.callbacks().callbacks();
    assertThat(cbs).hasSize(5);
    assertThat(cbs.get(0)).isInstanceOf(BaseLogger.class);
    assertThat(cbs.get(1)).isInstanceOf(ProgbarLogger.class);
    assertThat(cbs.subList(2, 4)).containsExactly(user1, user2);
    assertThat(cbs.get(4)).isSameAs(c.history());
    // fit_loop without steps counts samples; stateful = metrics_names[1:].
    assertThat(((ProgbarLogger) cbs.get(1)).useSteps()).isFalse();
    assertThat(((BaseLogger) cbs.get(0)).statefulMetrics()).containsExactly("acc");

    Map<String, Object> params = user1.params();
    assertThat(params.keySet())
        .containsExactly(
            "batch_size", "epochs", "steps", "samples", "verbose", "do_validation", "metrics");
    assertThat(params.get("batch_size")).isEqualTo(32);
    assertThat(params.get("epochs")).isEqualTo(5);
    assertThat(params.get("steps")).isNull();
    assertThat(params.get("samples")).isEqualTo(100);
    assertThat(params.get("verbose")).isEqualTo(1);
    assertThat(params.get("do_validation")).isEqualTo(true);
    assertThat(params.get("metrics")).isEqualTo(List.of("loss", "acc", "val_loss", "val_acc"));
    assertThat(c.history().params()).isSameAs(params);
    for (Callback cb : cbs) {
      assertThat(cb.model()).isSameAs(model);
    }
  }

  @Test
  void configureWithoutVerboseHasNoProgbarAndStepsSelectStepCounting() {
    CallbackList.Configured quiet = CallbackList.configure().verbose(0).epochs(1).steps(4).build();
    assertThat(quiet.callbacks().callbacks())
        .hasSize(2)
        .hasExactlyElementsOfTypes(BaseLogger.class, History.class);
    assertThat(quiet.callbacks().params().get("metrics")).isEqualTo(List.of("loss"));

    CallbackList.Configured loud =
        CallbackList.configure().verbose(2).steps(4).output(new StringBuilder()).build();
    assertThat(((ProgbarLogger) loud.callbacks().callbacks().get(1)).useSteps()).isTrue();
  }

  @Test
  void aConfiguredListRunsAnEpochEndToEnd() {
    // Two epochs of the engine's calls; BaseLogger fills the epoch logs that History records.
    StringBuilder out = new StringBuilder();
    double[] now = {1000.0};
    CallbackList.Configured c =
        CallbackList.configure()
            .epochs(2)
            .samples(4)
            .batchSize(3)
            .metricsNames(List.of("loss", "acc"))
            .verbose(2)
            .output(out)
            .clock(() -> now[0])
            .build();
    CallbackList list = c.callbacks();
    list.onTrainBegin(null);
    for (int epoch = 0; epoch < 2; epoch++) {
      list.onEpochBegin(epoch, null);
      double[][] batches = {{3, 1.0 + epoch, 0.5}, {1, 2.0 + epoch, 0.75}};
      for (int b = 0; b < batches.length; b++) {
        Logs logs = new Logs();
        logs.put("batch", b);
        logs.put("size", (int) batches[b][0]);
        list.onBatchBegin(b, logs);
        logs.put("loss", batches[b][1]);
        logs.put("acc", batches[b][2]);
        now[0] += 0.5;
        list.onBatchEnd(b, logs);
      }
      list.onEpochEnd(epoch, new Logs());
    }
    list.onTrainEnd(null);
    History h = c.history();
    assertThat(h.epoch()).containsExactly(0, 1);
    assertThat(h.history().get("loss").get(0)).isCloseTo((3 * 1.0 + 2.0) / 4, within(1e-12));
    assertThat(h.history().get("loss").get(1)).isCloseTo((3 * 2.0 + 3.0) / 4, within(1e-12));
    assertThat(h.history().get("acc")).containsExactly(0.75, 0.75);
    // Samples mode: final value (1*3 + 2*1 + 1.25*1)/5 = 1.25; acc stateful: 0.75.
    assertThat(out.toString())
        .isEqualTo(
            "Epoch 1/2\n - 1s - loss: 1.2500 - acc: 0.7500\n"
                + "Epoch 2/2\n - 1s - loss: 2.2500 - acc: 0.7500\n");
  }

  @Test
  void iteratesInOrder() {
    Recorder a = new Recorder("a", new ArrayList<>());
    Recorder b = new Recorder("b", new ArrayList<>());
    List<Callback> seen = new ArrayList<>();
    new CallbackList(Arrays.asList(a, b)).forEach(seen::add);
    assertThat(seen).containsExactly(a, b);
  }
}
