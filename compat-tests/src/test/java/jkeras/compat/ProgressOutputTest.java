package jkeras.compat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The progress-output comparisons on text recorded from each side (tf-keras 2.18 and Keras 2.3.1
 * with their clocks frozen), without Python or TensorFlow.
 */
class ProgressOutputTest {
  private static final String BS = "\b".repeat(80);

  // tf-keras 2.18, fit(Sequence, epochs=2, verbose=1): rewrites the line in place ("posix")
  private static final String TF_KERAS_V1 =
      "Epoch 1/2\n"
          + "\r1/4 [======>.......................] - ETA: 0s - loss: 1.1362 - accuracy: 0.4375"
          + BS
          + "\r4/4 [==============================] - 0s 0s/step - loss: 1.1498 - accuracy: 0.4062 - val_loss: 1.1013\n"
          + "Epoch 2/2\n"
          + "\r1/4 [======>.......................] - ETA: 0s - loss: 1.0772 - accuracy: 0.5000"
          + BS
          + "\r4/4 [==============================] - 0s 0s/step - loss: 1.1023 - accuracy: 0.4531 - val_loss: 1.0944\n";

  // Keras 2.3.1 on a non-tty: a newline before every update
  private static final String KERAS231_V1 =
      "Epoch 1/2\n\n"
          + "1/4 [======>.......................] - ETA: 0s - loss: 1.1362 - accuracy: 0.4375\n"
          + "4/4 [==============================] - 0s 0us/step - loss: 1.1498 - accuracy: 0.4062 - val_loss: 1.1013\n"
          + "Epoch 2/2\n\n"
          + "1/4 [======>.......................] - ETA: 0s - loss: 1.0772 - accuracy: 0.5000\n"
          + "4/4 [==============================] - 0s 0us/step - loss: 1.1023 - accuracy: 0.4531 - val_loss: 1.0944\n";

  @Test
  void renderingAppliesCarriageReturnsAndBackspaces() {
    assertThat(ProgressOutput.render("abc\rX\n12345\b\b\bZ\nab  \nend"))
        .containsExactly("Xbc", "12Z45", "ab", "end");
  }

  @Test
  void verbose1KeepsHeaderBarElapsedAndValuesOfTheFinalLine() {
    ProgressOutput.Parsed p = ProgressOutput.parse(TF_KERAS_V1, 1, true);
    assertThat(p.problem()).isNull();
    assertThat(p.comparable())
        .containsExactly(
            "Epoch 1/2",
            "4/4 [==============================]",
            " - 0s",
            " - loss: 1.1498 - accuracy: 0.4062 - val_loss: 1.1013",
            "Epoch 2/2",
            "4/4 [==============================]",
            " - 0s",
            " - loss: 1.1023 - accuracy: 0.4531 - val_loss: 1.0944");
    assertThat(p.differing()).containsExactly("0s/step", "0s/step");
  }

  @Test
  void theSharedPartsOfBothFormatsAgree() {
    assertThat(Comparison.progressSharedParts(1, TF_KERAS_V1, KERAS231_V1).same()).isTrue();
  }

  @Test
  void aDifferentValueDisagreesWithTfKerasAndWithKeras231() {
    String jkeras = KERAS231_V1.replace("val_loss: 1.0944", "val_loss: 1.0945");
    Comparison.Diff shared = Comparison.progressSharedParts(1, TF_KERAS_V1, jkeras);
    assertThat(shared.same()).isFalse();
    assertThat(shared.detail()).contains("1.0945");
    Comparison.Diff exact = Comparison.text(KERAS231_V1, jkeras);
    assertThat(exact.same()).isFalse();
    assertThat(exact.detail()).contains("character " + (KERAS231_V1.lastIndexOf("1.0944") + 5));
  }

  @Test
  void keras231IsComparedByteForByteEvenWhereTfKerasIsNot() {
    // the per-step time is outside the parts shared with tf-keras, not outside Keras 2.3.1's text
    String jkeras = KERAS231_V1.replace("0us/step", "0ms/step");
    assertThat(Comparison.progressSharedParts(1, TF_KERAS_V1, jkeras).same()).isTrue();
    assertThat(Comparison.text(KERAS231_V1, jkeras).same()).isFalse();
    assertThat(Comparison.text(KERAS231_V1, KERAS231_V1).same()).isTrue();
  }

  @Test
  void verbose2ComparesElapsedAndValuesWithoutTheTfKerasCountAndTimes() {
    String tfKeras =
        "Epoch 1/2\n3/3 - 0s - loss: 1.5746 - mae: 1.0128 - 0s/epoch - 0s/step\n"
            + "Epoch 2/2\n3/3 - 0s - loss: 1.3482 - mae: 0.9187 - 0s/epoch - 0s/step\n";
    String keras231 =
        "Epoch 1/2\n - 0s - loss: 1.5746 - mae: 1.0128\n"
            + "Epoch 2/2\n - 0s - loss: 1.3482 - mae: 0.9187\n";
    assertThat(Comparison.progressSharedParts(2, tfKeras, keras231).same()).isTrue();
    assertThat(ProgressOutput.parse(keras231, 2, false).comparable())
        .containsExactly(
            "Epoch 1/2",
            " - 0s",
            " - loss: 1.5746 - mae: 1.0128",
            "Epoch 2/2",
            " - 0s",
            " - loss: 1.3482 - mae: 0.9187");
  }

  @Test
  void aMissingHeaderIsReportedNotIgnored() {
    // tf-keras prints no header for epochs=1: such output cannot be compared
    Comparison.Diff d =
        Comparison.progressSharedParts(
            2,
            "1/1 - 0s - loss: 1.0000 - 0s/epoch - 0s/step\n",
            "Epoch 1/1\n - 0s - loss: 1.0000\n");
    assertThat(d.same()).isFalse();
    assertThat(d.detail()).contains("tf-keras output").contains("no 'Epoch i/n' header");
  }

  @Test
  void emptyOutputIsNeverEqual() {
    assertThat(Comparison.text("", "").same()).isFalse();
  }
}
