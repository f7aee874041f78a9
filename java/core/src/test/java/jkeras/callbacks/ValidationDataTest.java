package jkeras.callbacks;

import static jkeras.callbacks.CallbackTestSupport.X;
import static jkeras.callbacks.CallbackTestSupport.Y;
import static jkeras.callbacks.CallbackTestSupport.fit;
import static jkeras.callbacks.CallbackTestSupport.model;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import jkeras.data.Batch;
import jkeras.data.NDArray;
import jkeras.models.Sequential;
import jkeras.utils.Sequence;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Keras 2.3.1's callback.validation_data: the validation arrays, set after on_train_begin. */
@Tag("native")
class ValidationDataTest {
  private static final class Seen extends Callback {
    final List<Object> atTrainBegin = new ArrayList<>();
    final List<ValidationData> atEpochEnd = new ArrayList<>();

    @Override
    public void onTrainBegin(Logs logs) {
      atTrainBegin.add(String.valueOf(validationData()));
    }

    @Override
    public void onEpochEnd(int epoch, Logs logs) {
      atEpochEnd.add(validationData());
    }
  }

  @Test
  void givenValidationArraysAreHandedOverWithUnitWeights() {
    Seen seen = new Seen();
    NDArray vx = X.slice(0, 5);
    NDArray vy = Y.slice(0, 5);
    try (Sequential m = model(0.01)) {
      m.fit(X, Y, fit(2, seen).validationData(vx, vy).build());
    }
    assertThat(seen.atTrainBegin).containsExactly("null");
    ValidationData v = seen.atEpochEnd.get(0);
    assertThat(v.samples()).isEqualTo(5);
    assertThat(v.x().get(0).toFloatArray()).containsExactly(vx.toFloatArray());
    assertThat(v.y().get(0).toFloatArray()).containsExactly(vy.toFloatArray());
    assertThat(v.sampleWeights().get(0).toFloatArray()).containsOnly(1f).hasSize(5);
  }

  @Test
  void aValidationSplitHandsOverTheSplitOffSamples() {
    Seen seen = new Seen();
    try (Sequential m = model(0.01)) {
      m.fit(X, Y, fit(1, seen).validationSplit(0.25).build());
    }
    ValidationData v = seen.atEpochEnd.get(0);
    assertThat(v.x().get(0).toFloatArray()).containsExactly(X.slice(12, 16).toFloatArray());
  }

  @Test
  void aValidationSequenceOrNoValidationLeavesItNull() {
    Seen seen = new Seen();
    Sequence val =
        new Sequence() {
          @Override
          public int size() {
            return 1;
          }

          @Override
          public Batch get(int i) {
            return Batch.of(X, Y);
          }
        };
    try (Sequential m = model(0.01)) {
      m.fit(X, Y, fit(1, seen).validationData(X, Y).build());
      assertThat(seen.validationData()).isNotNull();
      m.fit(
          val,
          jkeras.trainers.FitOptions.builder()
              .verbose(0)
              .callbacks(seen)
              .validationData(val)
              .build());
      assertThat(seen.atEpochEnd.get(1)).isNull();
      m.fit(X, Y, fit(1, seen).build());
      assertThat(seen.atEpochEnd.get(2)).isNull();
    }
  }
}
