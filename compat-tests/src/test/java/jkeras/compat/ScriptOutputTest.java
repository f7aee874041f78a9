package jkeras.compat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The clock masking of the script scenarios' printed output, on Keras 2.3.1's own text. */
class ScriptOutputTest {
  // Keras 2.3.1's mnist_mlp.py output (not on a tty: a newline before each update), two runs
  // whose throttle let through different intermediate updates and whose clocks differed
  private static final String RUN_1 =
      "Train on 1024 samples, validate on 256 samples\n"
          + "Epoch 1/2\n"
          + "\n 128/1024 [==>...........................] - ETA: 0s - loss: 2.3330 - accuracy: 0.1172"
          + "\n 896/1024 [=========================>....] - ETA: 0s - loss: 0.8809 - accuracy: 0.7757"
          + "\n1024/1024 [==============================] - 0s 148us/step - loss: 0.7735 - accuracy: 0.8037\n"
          + "Test loss: 0.004473047098144889\n";
  private static final String RUN_2 =
      "2026-12-06 00:18:30.123456: I tensorflow/core/util/port.cc:153] oneDNN custom operations are on.\n"
          + "Train on 1024 samples, validate on 256 samples\n"
          + "Epoch 1/2\n"
          + "\n 128/1024 [==>...........................] - ETA: 12s - loss: 2.3330 - accuracy: 0.1172"
          + "\n1024/1024 [==============================] - 3s 3ms/step - loss: 0.7735 - accuracy: 0.8037"
          + "        \n"
          + "Test loss: 0.004473047098144889\n";

  @Test
  void runsThatDifferOnlyInTimingPrintTheSameMaskedText() {
    assertThat(ScriptOutput.masked(RUN_2)).isEqualTo(ScriptOutput.masked(RUN_1));
    assertThat(ScriptOutput.mask(RUN_1))
        .containsExactly(
            "Train on 1024 samples, validate on 256 samples",
            "Epoch 1/2",
            "",
            "1024/1024 [==============================] - Ts T/step - loss: 0.7735 - accuracy: 0.8037",
            "Test loss: 0.004473047098144889");
  }

  @Test
  void valuesAndEverythingElseStayCompared() {
    String otherLoss = RUN_1.replace("loss: 0.7735", "loss: 0.7736");
    String otherPrint = RUN_1.replace("Test loss: 0.0044", "Test loss: 0.0045");
    assertThat(ScriptOutput.masked(otherLoss)).isNotEqualTo(ScriptOutput.masked(RUN_1));
    assertThat(ScriptOutput.masked(otherPrint)).isNotEqualTo(ScriptOutput.masked(RUN_1));
  }

  @Test
  void verbose2ElapsedIsMasked() {
    assertThat(ScriptOutput.mask("Epoch 1/1\n - 2s - loss: 0.5000 - val_loss: 0.4000\n"))
        .containsExactly("Epoch 1/1", " - Ts - loss: 0.5000 - val_loss: 0.4000");
    assertThat(ScriptOutput.mask(" - 0s\n")).containsExactly(" - Ts");
  }

  @Test
  void fullPrecisionNumbersCompareByValueTheRestAsText() {
    String jkeras = RUN_1.replace("0.004473047098144889", "0.004473050124943256");
    assertThat(ScriptOutput.compare(RUN_1, jkeras).same()).isTrue();
    String far = RUN_1.replace("0.004473047098144889", "0.004483047098144889");
    assertThat(ScriptOutput.compare(RUN_1, far).same()).isFalse();
    assertThat(ScriptOutput.compare(RUN_1, RUN_1.replace("Test loss", "Test  loss")).same())
        .isFalse();
    assertThat(ScriptOutput.compare(RUN_1, RUN_1 + "extra\n").detail()).contains("line 6");
    assertThat(ScriptOutput.compare("", "").same()).isFalse();
  }
}
