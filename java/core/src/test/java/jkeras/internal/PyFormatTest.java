package jkeras.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Python's format(), checked against what CPython 3.11 prints for the same value and spec. */
class PyFormatTest {
  static Stream<Arguments> pythonFormats() {
    return Stream.of(
        Arguments.of("", 0.1, "0.1"),
        Arguments.of("", 1e-05, "1e-05"),
        Arguments.of("", 1e+16, "1e+16"),
        Arguments.of("", 123456789.0, "123456789.0"),
        Arguments.of(".2f", 0.125, "0.12"),
        Arguments.of(".2f", 0.375, "0.38"),
        Arguments.of(".2f", 2.675, "2.67"),
        Arguments.of("02d", 3, "03"),
        Arguments.of("03d", 12, "012"),
        Arguments.of(".4f", 0.6931471824645996, "0.6931"),
        Arguments.of(".3e", 12345.678, "1.235e+04"),
        Arguments.of("e", 0.0, "0.000000e+00"),
        Arguments.of(".0e", 5.5, "6e+00"),
        Arguments.of("g", 0.0001234, "0.0001234"),
        Arguments.of("g", 1234567.0, "1.23457e+06"),
        Arguments.of(".3g", 1.234e-05, "1.23e-05"),
        Arguments.of(".2", 3.14159, "3.1"),
        Arguments.of(".3", 1234.5, "1.23e+03"),
        Arguments.of(".10", 0.5, "0.5"),
        Arguments.of("+.1f", 2.25, "+2.2"),
        Arguments.of(" d", 7, " 7"),
        Arguments.of("10.3f", -3.14159, "    -3.142"),
        Arguments.of("<8d", 5, "5       "),
        Arguments.of("^9.1f", 1.25, "   1.2   "),
        Arguments.of("08.2f", -1.5, "-0001.50"),
        Arguments.of(",d", 1234567, "1,234,567"),
        Arguments.of("_d", 1234567, "1_234_567"),
        Arguments.of(",.2f", 1234567.891, "1,234,567.89"),
        Arguments.of("x", 255, "ff"),
        Arguments.of("#x", 255, "0xff"),
        Arguments.of("#o", 8, "0o10"),
        Arguments.of("b", 5, "101"),
        Arguments.of("%", 0.25, "25.000000%"),
        Arguments.of(".1%", 0.12345, "12.3%"),
        Arguments.of("G", 1e-10, "1E-10"),
        Arguments.of("E", 123.0, "1.230000E+02"),
        Arguments.of("f", Double.NaN, "nan"),
        Arguments.of("F", Double.POSITIVE_INFINITY, "INF"),
        Arguments.of("+f", Double.NEGATIVE_INFINITY, "-inf"),
        Arguments.of(".2f", -0.0, "-0.00"),
        Arguments.of("z.2f", -0.001, "0.00"),
        Arguments.of("#.0f", 3.0, "3."),
        Arguments.of(".0f", 2.5, "2"),
        Arguments.of(".0f", 3.5, "4"),
        Arguments.of("d", true, "1"),
        Arguments.of("", true, "True"),
        Arguments.of("5", "ab", "ab   "),
        Arguments.of(".1s", "xyz", "x"),
        Arguments.of(">6", "ab", "    ab"),
        Arguments.of("*^7", "ab", "**ab***"),
        Arguments.of(".3f", 7, "7.000"),
        Arguments.of("e", 12, "1.200000e+01"),
        Arguments.of("", 1152921504606846976L, "1152921504606846976"),
        Arguments.of("g", 100000.0, "100000"),
        Arguments.of("g", 1000000.0, "1e+06"),
        Arguments.of(".15g", 0.1, "0.1"),
        Arguments.of("", 5e-324, "5e-324"),
        Arguments.of("", 1.7976931348623157e+308, "1.7976931348623157e+308"),
        Arguments.of("", 2.82879384806159e+17, "2.82879384806159e+17"),
        Arguments.of("10", 0.1, "       0.1"),
        Arguments.of(".2", 100.0, "1e+02"),
        Arguments.of(".1", 0.05, "0.05"));
  }

  @ParameterizedTest(name = "format({1}, \"{0}\") = \"{2}\"")
  @MethodSource("pythonFormats")
  void formatsAsPythonDoes(String spec, Object value, String expected) {
    assertThat(PyFormat.formatValue(value, spec)).isEqualTo(expected);
  }

  @Test
  void float32ValuesPrintWithTheirShortestDigitsAsNumpyDoes() {
    // str(np.float32(x)) for each, from numpy 2.0.
    assertThat(PyRepr.pyFloat32(0.01f)).isEqualTo("0.01");
    assertThat(PyRepr.pyFloat32(1e-5f)).isEqualTo("1e-05");
    assertThat(PyRepr.pyFloat32(3.4028235e38f)).isEqualTo("3.4028235e+38");
    assertThat(PyRepr.pyFloat32((float) 1.0000000474974513e-4)).isEqualTo("0.000100000005");
    assertThat(PyRepr.pyFloat32(16777216f)).isEqualTo("16777216.0");
    assertThat(PyRepr.pyFloat32(0.3f)).isEqualTo("0.3");
    // A float32 value seen as a double prints all its binary digits.
    assertThat(PyRepr.pyFloat(0.01f)).isEqualTo("0.009999999776482582");
    assertThat(PyFormat.formatValue(0.01f, "")).isEqualTo("0.01");
  }

  @Test
  void fillsAKerasCheckpointPath() {
    assertThat(
            PyFormat.format(
                "weights.{epoch:02d}-{val_loss:.2f}.h5", Map.of("epoch", 3, "val_loss", 0.12345)))
        .isEqualTo("weights.03-0.12.h5");
    assertThat(PyFormat.format("{{a}}{b!r}{c!s:>5}", Map.of("b", "x", "c", 1.5)))
        .isEqualTo("{a}'x'  1.5");
  }

  @Test
  void rejectsWhatPythonRejects() {
    assertThatThrownBy(() -> PyFormat.format("{val_acc}", Map.of("epoch", 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("KeyError: 'val_acc'");
    assertThatThrownBy(() -> PyFormat.format("{}", Map.of()))
        .hasMessage("Replacement index 0 out of range for positional args tuple");
    assertThatThrownBy(() -> PyFormat.formatValue(0.5, "d"))
        .hasMessage("Unknown format code 'd' for object of type 'float'");
    assertThatThrownBy(() -> PyFormat.formatValue(3, ".2d"))
        .hasMessage("Precision not allowed in integer format specifier");
    assertThatThrownBy(() -> PyFormat.format("a}", Map.of()))
        .hasMessage("Single '}' encountered in format string");
    assertThatThrownBy(() -> PyFormat.format("{a", Map.of()))
        .hasMessage("expected '}' before end of string");
  }
}
