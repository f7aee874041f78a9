package jkeras.callbacks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LambdaCallbackTest {

  @Test
  void callsTheGivenLambdasWithIndexAndLogs() {
    List<String> calls = new ArrayList<>();
    LambdaCallback c =
        LambdaCallback.builder()
            .onTrainBegin(l -> calls.add("train_begin"))
            .onTrainEnd(l -> calls.add("train_end " + l.get("k")))
            .onEpochBegin((e, l) -> calls.add("epoch_begin " + e))
            .onEpochEnd((e, l) -> calls.add("epoch_end " + e + " " + l.getDouble("loss")))
            .onBatchBegin((b, l) -> calls.add("batch_begin " + b + " " + l.get("size")))
            .onBatchEnd((b, l) -> calls.add("batch_end " + b))
            .build();
    CallbackList list = new CallbackList(c);
    list.onTrainBegin(null);
    list.onEpochBegin(2, null);
    Logs batch = new Logs();
    batch.put("size", 16);
    // Training reaches the Keras on_batch_* lambdas through on_train_batch_*.
    list.onTrainBatchBegin(0, batch);
    list.onTrainBatchEnd(0, batch);
    Logs epoch = new Logs();
    epoch.put("loss", 0.25);
    list.onEpochEnd(2, epoch);
    Logs end = new Logs();
    end.put("k", "v");
    list.onTrainEnd(end);
    assertThat(calls)
        .containsExactly(
            "train_begin",
            "epoch_begin 2",
            "batch_begin 0 16",
            "batch_end 0",
            "epoch_end 2 0.25",
            "train_end v");
  }

  @Test
  void unsetHooksDoNothing() {
    LambdaCallback c = LambdaCallback.builder().build();
    c.onTrainBegin(new Logs());
    c.onEpochBegin(0, new Logs());
    c.onTrainBatchBegin(0, new Logs());
    c.onTrainBatchEnd(0, new Logs());
    c.onEpochEnd(0, new Logs());
    c.onTrainEnd(new Logs());
    c.onTestBegin(new Logs());
    assertThat(c.params()).isEmpty();
  }
}
