package jkeras.callbacks;

import static jkeras.callbacks.CallbackTestSupport.X;
import static jkeras.callbacks.CallbackTestSupport.Y;
import static jkeras.callbacks.CallbackTestSupport.fit;
import static jkeras.callbacks.CallbackTestSupport.model;
import static jkeras.callbacks.CallbackTestSupport.printed;
import static jkeras.callbacks.CallbackTestSupport.scripted;
import static jkeras.callbacks.CallbackTestSupport.warnings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jkeras.data.NDArray;
import jkeras.models.Sequential;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Keras 2.3.1's EarlyStopping, driven through fit by scripted monitor values. */
@Tag("native")
class EarlyStoppingTest {

  private static History run(Sequential m, int epochs, Callback... callbacks) {
    return m.fit(X, Y, fit(epochs, callbacks).build());
  }

  @Test
  void stopsAfterPatienceEpochsWithoutImprovementAndSaysSo() {
    EarlyStopping es = EarlyStopping.builder().patience(2).verbose(1).build();
    try (Sequential m = model(0.01)) {
      var p = printed(() -> run(m, 10, scripted("val_loss", 1.0, 0.9, 0.95, 0.92, 0.91, 0.8), es));
      assertThat(p.result().epoch()).containsExactly(0, 1, 2, 3);
      assertThat(es.stoppedEpoch()).isEqualTo(3);
      assertThat(es.best()).isEqualTo(0.9);
      assertThat(p.out()).isEqualTo("Epoch 00004: early stopping\n");
    }
  }

  @Test
  void minDeltaMustBeExceededToCountAsImprovement() {
    EarlyStopping es = EarlyStopping.builder().minDelta(0.05).patience(0).build();
    try (Sequential m = model(0.01)) {
      History h = run(m, 5, scripted("val_loss", 1.0, 0.96, 0.5), es);
      assertThat(h.epoch()).containsExactly(0, 1);
    }
  }

  @Test
  void autoModeMaximisesAccuracies() {
    EarlyStopping es = EarlyStopping.builder().monitor("val_acc").patience(0).build();
    try (Sequential m = model(0.01)) {
      History h = run(m, 5, scripted("val_acc", 0.5, 0.6, 0.55, 0.9), es);
      assertThat(h.epoch()).containsExactly(0, 1, 2);
      assertThat(es.best()).isEqualTo(0.6);
    }
  }

  @Test
  void explicitMaxModeAndUnknownModeFallingBackToAuto() {
    EarlyStopping max = EarlyStopping.builder().monitor("score").mode("max").build();
    try (Sequential m = model(0.01)) {
      assertThat(run(m, 5, scripted("score", 1, 2, 1), max).epoch()).containsExactly(0, 1, 2);
    }
    List<String> w = warnings(() -> EarlyStopping.builder().mode("maximum").build());
    assertThat(w).containsExactly("EarlyStopping mode maximum is unknown, fallback to auto mode.");
  }

  @Test
  void aBaselineNeverBeatenStopsAfterPatienceWithoutRestoringOrPrinting() {
    EarlyStopping es =
        EarlyStopping.builder()
            .baseline(0.5)
            .patience(2)
            .restoreBestWeights(true)
            .verbose(1)
            .build();
    try (Sequential m = model(0.01)) {
      var p = printed(() -> run(m, 6, scripted("val_loss", 0.6, 0.7, 0.55), es));
      assertThat(p.result().epoch()).containsExactly(0, 1);
      assertThat(es.stoppedEpoch()).isEqualTo(1);
      assertThat(es.bestWeights()).isNull();
      // Keras 2.3.1 crashed in set_weights(None) here; nothing to restore, so nothing printed but
      // the stop.
      assertThat(p.out()).isEqualTo("Epoch 00002: early stopping\n");
    }
  }

  @Test
  void aStopInTheFirstEpochIsNotAnnouncedAsKerasDoes() {
    EarlyStopping es = EarlyStopping.builder().baseline(0.5).verbose(1).build();
    try (Sequential m = model(0.01)) {
      var p = printed(() -> run(m, 3, scripted("val_loss", 0.6), es));
      assertThat(p.result().epoch()).containsExactly(0);
      assertThat(p.out()).isEmpty();
    }
  }

  @Test
  void restoresTheWeightsOfTheBestEpoch() {
    List<List<NDArray>> weightsAtEpochEnd = new ArrayList<>();
    EarlyStopping es =
        EarlyStopping.builder().patience(2).restoreBestWeights(true).verbose(1).build();
    try (Sequential m = model(0.05)) {
      Callback snapshot =
          LambdaCallback.builder()
              .onEpochEnd((e, l) -> weightsAtEpochEnd.add(m.getWeights()))
              .build();
      var p =
          printed(() -> run(m, 10, snapshot, scripted("val_loss", 1.0, 0.5, 0.7, 0.8, 0.1), es));
      assertThat(p.result().epoch()).containsExactly(0, 1, 2, 3);
      assertThat(p.out())
          .isEqualTo(
              "Restoring model weights from the end of the best epoch\n"
                  + "Epoch 00004: early stopping\n");
      List<NDArray> now = m.getWeights();
      List<NDArray> best = weightsAtEpochEnd.get(1);
      assertThat(weightsAtEpochEnd.get(3).get(0).toFloatArray())
          .isNotEqualTo(best.get(0).toFloatArray());
      for (int i = 0; i < now.size(); i++) {
        assertThat(now.get(i).toFloatArray()).containsExactly(best.get(i).toFloatArray());
      }
    }
  }

  @Test
  void aMissingMonitorWarnsWithTheAvailableKeysAndNeverStops() {
    EarlyStopping es = EarlyStopping.builder().patience(0).build();
    try (Sequential m = model(0.01)) {
      List<String> w = warnings(() -> assertThat(run(m, 3, es).epoch()).hasSize(3));
      assertThat(w)
          .hasSize(3)
          .allMatch(
              s ->
                  s.equals(
                      "Early stopping conditioned on metric `val_loss` which is not available."
                          + " Available metrics are: loss"));
    }
  }

  @Test
  void aSecondFitStartsAfresh() {
    EarlyStopping es = EarlyStopping.builder().monitor("loss").patience(0).build();
    try (Sequential m = model(0.01)) {
      assertThat(run(m, 5, scripted("loss", 1, 2), es).epoch()).containsExactly(0, 1);
      assertThat(run(m, 5, scripted("loss", 3, 2, 2.5), es).epoch()).containsExactly(0, 1, 2);
      assertThat(es.stoppedEpoch()).isEqualTo(2);
    }
  }

  @Test
  void fromConfigTakesKerasKeywords() {
    EarlyStopping es =
        EarlyStopping.fromConfig(
            Map.of("monitor", "loss", "patience", 1, "min_delta", 0.1, "baseline", 2.0));
    assertThat(es.monitor()).isEqualTo("loss");
    try (Sequential m = model(0.01)) {
      // baseline 2.0: 1.95 is not better by 0.1, and patience 1 is used up at once.
      assertThat(run(m, 6, scripted("loss", 1.95, 1.5, 1.45, 1.0), es).epoch()).containsExactly(0);
    }
    assertThatThrownBy(() -> EarlyStopping.fromConfig(Map.of("patiance", 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "Unknown argument `patiance` for EarlyStopping. Expected one of [monitor,");
    assertThatThrownBy(() -> EarlyStopping.builder().patience(-1))
        .hasMessage("Expected `patience` to be an integer >= 0. Received: patience=-1");
  }
}
