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
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jkeras.data.NDArray;
import jkeras.models.Sequential;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** ReduceLROnPlateau and LearningRateScheduler: the rate they set, log and print. */
@Tag("native")
class LearningRateCallbacksTest {

  private static History run(Sequential m, int epochs, Callback... callbacks) {
    return m.fit(X, Y, fit(epochs, callbacks).build());
  }

  /** The learning rate the optimizer uses in each epoch, read at each epoch's first batch. */
  private static final class RateAtEpochStart extends Callback {
    final List<Double> rates = new ArrayList<>();

    @Override
    public void onBatchBegin(int batch, Logs logs) {
      if (batch == 0) rates.add(model().learningRate());
    }
  }

  @Nested
  class ReduceOnPlateau {
    @Test
    void halvesTheRateAfterPatienceAndLogsItAsLr() {
      ReduceLROnPlateau r = ReduceLROnPlateau.builder().factor(0.5).patience(1).verbose(1).build();
      RateAtEpochStart used = new RateAtEpochStart();
      try (Sequential m = model(0.1)) {
        var p = printed(() -> run(m, 4, used, scripted("val_loss", 1, 1, 0.5, 0.5), r));
        // lr is logged before the reduction, as Keras does; the new rate trains the next epoch.
        assertThat(p.result().history().get("lr"))
            .containsExactly((double) 0.1f, (double) 0.1f, (double) 0.05f, (double) 0.05f);
        assertThat(used.rates)
            .containsExactly((double) 0.1f, (double) 0.1f, (double) 0.05f, (double) 0.05f);
        assertThat(p.out())
            .isEqualTo(
                "\nEpoch 00002: ReduceLROnPlateau reducing learning rate to 0.05000000074505806.\n"
                    + "\nEpoch 00004: ReduceLROnPlateau reducing learning rate to 0.02500000037252903.\n");
        assertThat(m.learningRate()).isCloseTo(0.025, within(1e-8));
      }
    }

    @Test
    void cooldownAndMinLrBoundTheReductions() {
      ReduceLROnPlateau r =
          ReduceLROnPlateau.builder().factor(0.1).patience(0).cooldown(2).minLr(0.005).build();
      try (Sequential m = model(1.0)) {
        History h = run(m, 6, scripted("val_loss", 1, 1, 1, 1, 1, 1), r);
        // Keras' order: epoch 0 improves on inf; 1 reduces and starts a cooldown of 2; the
        // counter is decremented before the test, so 2 waits and 3 reduces again; 4 waits; 5
        // reduces to min_lr instead of 0.001. lr is logged before each reduction.
        assertThat(h.history().get("lr"))
            .containsExactly(
                1.0, 1.0, (double) 0.1f, (double) 0.1f, (double) 0.01f, (double) 0.01f);
        assertThat(m.learningRate()).isEqualTo((double) 0.005f);
      }
    }

    @Test
    void aMissingMonitorWarnsAfterLoggingTheRate() {
      ReduceLROnPlateau r = ReduceLROnPlateau.builder().monitor("val_acc").build();
      try (Sequential m = model(0.1)) {
        List<String> w = warnings(() -> run(m, 1, r));
        assertThat(w)
            .containsExactly(
                "Reduce LR on plateau conditioned on metric `val_acc` which is not available."
                    + " Available metrics are: loss,lr");
      }
    }

    @Test
    void rejectsAFactorOfOneOrMoreAsKerasDoes() {
      assertThatThrownBy(() -> ReduceLROnPlateau.builder().factor(1.0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("ReduceLROnPlateau does not support a factor >= 1.0.");
    }

    @Test
    void fromConfigTakesTheLegacyEpsilonWithKerasWarning() {
      List<String> w =
          warnings(() -> ReduceLROnPlateau.fromConfig(Map.of("epsilon", 0.5, "patience", 0)));
      assertThat(w)
          .containsExactly(
              "`epsilon` argument is deprecated and will be removed, use `min_delta` instead.");
      ReduceLROnPlateau r = ReduceLROnPlateau.fromConfig(Map.of("min_delta", 0.5, "patience", 0));
      try (Sequential m = model(0.1)) {
        // 0.7 is not 0.5 better than 1.0: the rate drops at epoch 1.
        History h = run(m, 2, scripted("val_loss", 1.0, 0.7), r);
        assertThat(h.history().get("lr")).containsExactly((double) 0.1f, (double) 0.1f);
        assertThat(m.learningRate()).isCloseTo(0.01, within(1e-8));
      }
    }
  }

  @Nested
  class Scheduler {
    @Test
    void setsTheRateAtEachEpochStartFromEpochAndRate() {
      LearningRateScheduler s =
          LearningRateScheduler.builder((epoch, lr) -> lr * 0.5).verbose(1).build();
      RateAtEpochStart used = new RateAtEpochStart();
      try (Sequential m = model(0.2)) {
        var p = printed(() -> run(m, 3, s, used));
        assertThat(used.rates).containsExactly((double) 0.1f, (double) 0.05f, (double) 0.025f);
        assertThat(p.result().history().get("lr"))
            .containsExactly((double) 0.1f, (double) 0.05f, (double) 0.025f);
        assertThat(p.out())
            .startsWith(
                "\nEpoch 00001: LearningRateScheduler setting learning rate to 0.10000000149011612.\n");
      }
    }

    @Test
    void takesKerasOldFormOfTheEpochAlone() {
      try (Sequential m = model(0.2)) {
        History h = run(m, 3, new LearningRateScheduler(epoch -> 0.01 * (epoch + 1)));
        assertThat(h.history().get("lr"))
            .containsExactly((double) 0.01f, (double) 0.02f, (double) 0.03f);
      }
    }

    @Test
    void theRateIsTheOptimizersBaseRateUnderDecay() {
      // SGD(lr=0.1, decay=1.0): step t uses lr / (1 + t); the scheduler sets lr itself.
      try (Sequential m =
          new Sequential(List.of(jkeras.layers.Dense.builder(1).inputShape(2).build()))) {
        m.setWeights(List.of(NDArray.zeros(2, 1), NDArray.zeros(1)));
        m.compile(jkeras.optimizers.SGD.builder().learningRate(0.1).decay(1.0).build(), "mse");
        History h = m.fit(X, Y, fit(2, new LearningRateScheduler(epoch -> 0.1)).build());
        assertThat(h.history().get("lr")).containsExactly((double) 0.1f, (double) 0.1f);
        assertThat(m.optimizerIterations()).isEqualTo(8);
      }
    }
  }
}
