package jkeras.utils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProgbarTest {

  /** A clock the test moves by hand. */
  static final class FakeClock implements DoubleSupplier {
    double t;

    FakeClock(double t) {
      this.t = t;
    }

    @Override
    public double getAsDouble() {
      return t;
    }
  }

  // Fresh for every test: what the bars under test write, and their clock.
  private final StringBuilder out = new StringBuilder();
  private final FakeClock clock = new FakeClock(1000.0);

  /** A bar of {@code target} writing to {@link #out} on {@link #clock}. */
  private Progbar.Builder bar(Integer target) {
    return Progbar.builder(target).output(out).clock(clock);
  }

  private static List<Map.Entry<String, Double>> vals(Object... kv) {
    java.util.ArrayList<Map.Entry<String, Double>> l = new java.util.ArrayList<>();
    for (int i = 0; i < kv.length; i += 2) {
      l.add(Map.entry((String) kv[i], ((Number) kv[i + 1]).doubleValue()));
    }
    return l;
  }

  @Nested
  class PythonFormatting {
    // Expected strings printed by CPython 3 for the same doubles.
    @ParameterizedTest
    @CsvSource({
      "1e-4, 1.0000e-04",
      "0.0, 0.0000e+00",
      "-0.0, -0.0000e+00",
      "1.23456e-5, 1.2346e-05",
      "1e100, 1.0000e+100",
      "-2.5e-7, -2.5000e-07",
      "9.99995, 1.0000e+01",
      "0.000999, 9.9900e-04",
      "4.9e-324, 4.9407e-324",
      "123456.789, 1.2346e+05",
      "NaN, nan",
      "Infinity, inf",
      "-Infinity, -inf"
    })
    void formatsScientificLikePythonPercentE(double value, String expected) {
      assertThat(Progbar.formatScientific(value, 4)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
      "0.125, 2, 0.12",
      "0.375, 2, 0.38",
      "0.5, 0, 0",
      "1.5, 0, 2",
      "2.5, 0, 2",
      "2.675, 2, 2.67",
      "1.00005, 4, 1.0001",
      "-0.00001, 4, -0.0000",
      "-0.0, 4, -0.0000",
      "0.45, 0, 0",
      "31.25, 0, 31",
      "123456.789, 4, 123456.7890",
      "NaN, 4, nan"
    })
    void formatsFixedLikePythonPercentF(double value, int precision, String expected) {
      assertThat(Progbar.formatFixed(value, precision)).isEqualTo(expected);
    }

    @Test
    void scientificRoundsTiesToEvenOnTheBinaryValue() {
      // 0.125 and 0.375 are exact in binary: '%.1e' gives 1.2e-01 and 3.8e-01 in Python.
      assertThat(Progbar.formatScientific(0.125, 1)).isEqualTo("1.2e-01");
      assertThat(Progbar.formatScientific(0.375, 1)).isEqualTo("3.8e-01");
    }

    @ParameterizedTest
    @CsvSource({
      "3725.5, 1:02:05",
      "125.9, 2:05",
      "59.9, 59s",
      "3600.0, 60:00",
      "3600.5, 1:00:00",
      "60.0, 60s",
      "60.7, 1:00",
      "0.45, 0s",
      "7260.0, 2:01:00"
    })
    void formatsEtaLikeKeras(double eta, String expected) {
      assertThat(Progbar.formatEta(eta)).isEqualTo(expected);
    }
  }

  @Nested
  class VerboseOneOnAPipe {
    @Test
    void drawsBarsWithRunningMeansAndFinalTimePerStep() {
      Progbar bar = bar(10).build();
      // Times are multiples of 1/32 s, exact in binary: every second step is within 0.05 s.
      for (int k = 1; k <= 10; k++) {
        clock.t = 1000.0 + k / 32.0;
        bar.update(k, vals("loss", 0.5 - 0.01 * (k - 1)));
      }
      // Drawn: 1 (first), 3, 5, 7, 9 (0.0625 s after the previous draw), 10 (final, never skipped).
      // loss at 3 = mean(0.50, 0.49, 0.48) = 0.49; final = mean of the 10 = 0.455.
      // ETA at 1: 1/32 * 9 = 0.28 s -> "0s"; final: elapsed 0.3125 s, 31.25 ms/step -> "31ms".
      assertThat(out.toString())
          .isEqualTo(
              "\n 1/10 [==>...........................] - ETA: 0s - loss: 0.5000"
                  + "\n 3/10 [========>.....................] - ETA: 0s - loss: 0.4900"
                  + "\n 5/10 [==============>...............] - ETA: 0s - loss: 0.4800"
                  + "\n 7/10 [====================>.........] - ETA: 0s - loss: 0.4700"
                  + "\n 9/10 [==========================>...] - ETA: 0s - loss: 0.4600"
                  + "\n10/10 [==============================] - 0s 31ms/step - loss: 0.4550\n");
    }

    @Test
    void throttlesDrawsCloserThanTheIntervalButKeepsAccumulating() {
      Progbar bar = bar(4).build();
      clock.t = 1000.25;
      bar.update(1, vals("loss", 1.0));
      clock.t = 1000.28125; // 0.03125 s later: skipped
      bar.update(2, vals("loss", 2.0));
      clock.t = 1000.3125; // 0.0625 s after the last draw: drawn, mean of 1, 2, 3 = 2
      bar.update(3, vals("loss", 3.0));
      // int(30 * 1/4) = 7 cells: 6 '=' then '>'; int(30 * 3/4) = 22 cells.
      assertThat(out.toString())
          .isEqualTo(
              "\n1/4 [======>.......................] - ETA: 0s - loss: 1.0000"
                  + "\n3/4 [=====================>........] - ETA: 0s - loss: 2.0000");
    }

    @Test
    void finalUpdateIsNeverThrottled() {
      Progbar bar = bar(2).build();
      clock.t = 1001.0;
      bar.update(1);
      clock.t = 1001.0; // same instant
      bar.update(2);
      assertThat(out.toString())
          .isEqualTo(
              "\n1/2 [==============>...............] - ETA: 1s"
                  + "\n2/2 [==============================] - 1s 500ms/step\n");
    }

    @Test
    void printsSmallValuesInScientificNotationAndNegativesByMagnitude() {
      Progbar bar = bar(1).build();
      clock.t = 1002.5;
      bar.update(1, vals("a", 1e-4, "b", -0.5, "c", -0.0005, "d", 0.001));
      // verbose 1 tests abs(avg) > 1e-3; 0.001 itself is not above the threshold.
      assertThat(out.toString())
          .isEqualTo(
              "\n1/1 [==============================] - 2s 2s/step"
                  + " - a: 1.0000e-04 - b: -0.5000 - c: -5.0000e-04 - d: 1.0000e-03\n");
    }

    @Test
    void formatsLongEtasAsHoursAndMinutes() {
      Progbar bar = bar(100).interval(0).build();
      clock.t = 1040.0; // 40 s per step, 99 steps left: 3960 s
      bar.update(1);
      clock.t = 1042.0; // 21 s per step, 98 left: 2058 s = 34:18
      bar.update(2);
      // A shorter line is padded with spaces to the previous width, on a pipe too.
      assertThat(out.toString())
          .isEqualTo(
              "\n  1/100 [..............................] - ETA: 1:06:00"
                  + "\n  2/100 [..............................] - ETA: 34:18  ");
    }

    @Test
    void showsStatefulValuesAsGiven() {
      Progbar bar = bar(2).statefulMetrics(List.of("acc")).build();
      clock.t = 1000.5;
      bar.update(1, vals("loss", 0.4, "acc", 0.25));
      clock.t = 1001.0;
      bar.update(2, vals("loss", 0.2, "acc", 0.75));
      assertThat(out.toString())
          .endsWith(
              "2/2 [==============================] - 1s 500ms/step - loss: 0.3000 - acc:"
                  + " 0.7500\n");
    }

    @Test
    void weightsValuesByTheIncrementOfCurrent() {
      Progbar bar = bar(100).build();
      clock.t = 1001.0;
      bar.update(32, vals("loss", 1.0));
      clock.t = 1002.0;
      bar.add(68, vals("loss", 2.0));
      // (1*32 + 2*68) / 100 = 1.68; 2 s / 100 samples = 20 ms, printed as "step" like Keras 2.3.1.
      assertThat(out.toString())
          .endsWith("100/100 [==============================] - 2s 20ms/step - loss: 1.6800\n");
      assertThat(bar.seenSoFar()).isEqualTo(100);
    }

    @Test
    void drawsUnknownTargetWithoutBarOrNewline() {
      Progbar bar = bar(null).unitName("sample").build();
      clock.t = 1002.0;
      bar.update(5, vals("loss", 0.5));
      assertThat(out.toString()).isEqualTo("\n      5/Unknown - 2s 400ms/sample - loss: 0.5000");
    }
  }

  @Nested
  class VerboseOneOnATerminal {
    @Test
    void rewritesTheLineWithBackspacesAndPadsShorterLines() {
      Progbar bar = bar(10).dynamicDisplay(true).build();
      clock.t = 1100.0; // 100 s for 1 step: ETA 900 s = 15:00
      bar.update(1, vals("loss", 0.5));
      clock.t = 1101.0; // 101 s / 9 steps * 1 = 11.2 s: "11s", 2 characters shorter
      bar.update(9, vals("loss", 0.5));
      clock.t = 1102.0;
      bar.update(10, vals("loss", 0.5));
      String l1 = " 1/10 [==>...........................] - ETA: 15:00 - loss: 0.5000";
      String l2 = " 9/10 [==========================>...] - ETA: 11s - loss: 0.5000";
      String l3 = "10/10 [==============================] - 102s 10s/step - loss: 0.5000";
      assertThat(out.toString())
          .isEqualTo(
              "\r"
                  + l1
                  + "\b".repeat(l1.length())
                  + "\r"
                  + l2
                  + "  "
                  + "\b".repeat(l2.length())
                  + "\r"
                  + l3
                  + "\n");
    }
  }

  @Nested
  class VerboseTwo {
    @Test
    void printsOneLineAtTheEndWithoutAbsInTheThreshold() {
      Progbar bar = bar(2).verbose(2).build();
      clock.t = 1000.25;
      bar.update(1, vals("loss", 0.5, "neg", -0.5));
      assertThat(out.toString()).isEmpty();
      clock.t = 1001.5;
      bar.update(2, vals("loss", 0.4, "neg", -0.5));
      // Keras tests avg > 1e-3 here, without abs: -0.5 prints as -5.0000e-01.
      assertThat(out.toString()).isEqualTo(" - 2s - loss: 0.4500 - neg: -5.0000e-01\n");
    }

    @Test
    void silentForOtherVerbosity() {
      Progbar bar = Progbar.builder(1).output(out).verbose(0).build();
      bar.update(1, vals("loss", 0.5));
      assertThat(out.toString()).isEmpty();
    }
  }

  @Test
  void rejectsNegativeTarget() {
    assertThatThrownBy(() -> Progbar.builder(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Received: target=-1");
  }

  @Test
  void writesToAPrintStream() {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    java.io.PrintStream ps =
        new java.io.PrintStream(bytes, false, java.nio.charset.StandardCharsets.UTF_8);
    Progbar bar = Progbar.builder(1).output(ps).clock(clock).verbose(2).build();
    bar.update(1);
    assertThat(bytes.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(" - 0s\n");
  }
}
