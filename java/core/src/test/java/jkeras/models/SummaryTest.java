package jkeras.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jkeras.layers.Concatenate;
import jkeras.layers.Dense;
import jkeras.layers.Dropout;
import jkeras.layers.Input;
import jkeras.layers.KerasTensor;
import jkeras.layers.Layer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Keras 2.3.1 {@code print_summary}: a 65-column table with columns at 45 % and 85 % for
 * sequential-like models, a 98-column table with columns at 33 %, 55 % and 67 % plus "Connected to"
 * otherwise. Expected rows are written with {@code String.format} widths derived from those
 * fractions ({@code int(65 * .45) = 29}, {@code int(98 * .33) = 32}, ...).
 */
@Tag("native")
class SummaryTest {

  @BeforeEach
  void resetNames() {
    Layer.resetNames();
  }

  private static String summaryOf(Model m) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      m.summary(ps);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  private static String seqRow(String a, String b, String c) {
    return String.format("%-29s%-26s%-10s", a, b, c);
  }

  private static String fnRow(String a, String b, String c, String d) {
    return String.format("%-32s%-21s%-12s%-33s", a, b, c, d);
  }

  @Test
  void sequentialWithAFrozenLayer() {
    try (Sequential m =
        new Sequential(
            List.of(
                Dense.builder(4).name("hidden").inputShape(3).build(),
                new Dropout(0.5),
                Dense.builder(2).name("out").trainable(false).build()))) {
      String expected =
          String.join(
              "\n",
              "Model: \"sequential_1\"",
              "_".repeat(65),
              seqRow("Layer (type)", "Output Shape", "Param #"),
              "=".repeat(65),
              seqRow("hidden (Dense)", "(None, 4)", "16"),
              "_".repeat(65),
              seqRow("dropout_1 (Dropout)", "(None, 4)", "0"),
              "_".repeat(65),
              seqRow("out (Dense)", "(None, 2)", "10"),
              "=".repeat(65),
              "Total params: 26",
              "Trainable params: 16",
              "Non-trainable params: 10",
              "_".repeat(65),
              "");
      assertThat(summaryOf(m)).isEqualTo(expected);
    }
  }

  @Test
  void largeCountsUseThousandsSeparators() {
    try (Sequential m =
        new Sequential(List.of(Dense.builder(1000).name("big").inputShape(784).build()))) {
      String s = summaryOf(m);
      assertThat(s).contains(seqRow("big (Dense)", "(None, 1000)", "785000"));
      assertThat(s)
          .contains("Total params: 785,000\n")
          .contains("Trainable params: 785,000\n")
          .contains("Non-trainable params: 0\n");
    }
  }

  @Test
  void functionalChainIsSequentialLikeAndListsTheInput() {
    KerasTensor in = Input.create(new long[] {3}, "x");
    KerasTensor out = Dense.builder(2).name("d").build().apply(in);
    try (Model m = new Model(List.of(in), List.of(out), "chain")) {
      String s = summaryOf(m);
      assertThat(s).startsWith("Model: \"chain\"\n" + "_".repeat(65) + "\n");
      assertThat(s)
          .contains(
              seqRow("x (InputLayer)", "(None, 3)", "0")
                  + "\n"
                  + "_".repeat(65)
                  + "\n"
                  + seqRow("d (Dense)", "(None, 2)", "8")
                  + "\n"
                  + "=".repeat(65));
    }
  }

  @Test
  void branchingModelShowsConnections() {
    KerasTensor a = Input.create(new long[] {2}, "a");
    KerasTensor b = Input.create(new long[] {3}, "b");
    KerasTensor cat = new Concatenate().apply(List.of(a, b));
    KerasTensor out = Dense.builder(1).name("out").build().apply(cat);
    try (Model m = new Model(List.of(a, b), List.of(out))) {
      String expected =
          String.join(
              "\n",
              "Model: \"model_1\"",
              "_".repeat(98),
              fnRow("Layer (type)", "Output Shape", "Param #", "Connected to"),
              "=".repeat(98),
              fnRow("a (InputLayer)", "(None, 2)", "0", ""),
              "_".repeat(98),
              fnRow("b (InputLayer)", "(None, 3)", "0", ""),
              "_".repeat(98),
              fnRow("concatenate_1 (Concatenate)", "(None, 5)", "0", "a[0][0]"),
              fnRow("", "", "", "b[0][0]"),
              "_".repeat(98),
              fnRow("out (Dense)", "(None, 1)", "6", "concatenate_1[0][0]"),
              "=".repeat(98),
              "Total params: 6",
              "Trainable params: 6",
              "Non-trainable params: 0",
              "_".repeat(98),
              "");
      assertThat(summaryOf(m)).isEqualTo(expected);
    }
  }
}
