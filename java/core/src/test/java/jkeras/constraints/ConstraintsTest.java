package jkeras.constraints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;
import java.util.stream.Stream;
import jkeras.data.NDArray;
import jkeras.layers.Dense;
import jkeras.layers.Input;
import jkeras.layers.KerasTensor;
import jkeras.models.Model;
import jkeras.optimizers.SGD;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Keras 2.3.1's constraints: identifiers, configs, and their values after an optimizer step. */
class ConstraintsTest {
  /** kernel (3, 2): columns (3, 4, 0) (norm 5) and (-1, 0.5, 0.5) (norm 1.2247). */
  static final double[][] K0 = {{3, -1}, {4, 0.5}, {0, 0.5}};

  /**
   * The kernel after one SGD step with a learning rate of 0 through {@code c}: {@code c(kernel)},
   * computed by the optimizer's constraint hook.
   */
  static float[] constrained(Constraint c) {
    KerasTensor in = Input.create(3);
    Dense d = Dense.builder(2).useBias(false).kernelConstraint(c).build();
    try (Model m = new Model(in, d.apply(in))) {
      d.setWeights(List.of(NDArray.of(K0)));
      m.compile(new SGD(0.0), "mse");
      m.trainOnBatch(NDArray.ones(1, 3), NDArray.zeros(1, 2));
      return d.getWeights().get(0).toFloatArray();
    }
  }

  /** The expected kernel: each column scaled by {@code scale(norm of column)}. */
  static double[] columnsScaled(DoubleBinaryOperator valueOfNorm) {
    double[] out = new double[6];
    for (int j = 0; j < 2; j++) {
      double n = 0;
      for (int i = 0; i < 3; i++) n += K0[i][j] * K0[i][j];
      n = Math.sqrt(n);
      for (int i = 0; i < 3; i++) out[i * 2 + j] = valueOfNorm.applyAsDouble(K0[i][j], n);
    }
    return out;
  }

  static Stream<Arguments> values() {
    double eps = 1e-7;
    return Stream.of(
        Arguments.of(new MaxNorm(2, 0), columnsScaled((w, n) -> w * Math.min(n, 2) / (eps + n))),
        Arguments.of(new MaxNorm(), columnsScaled((w, n) -> w * Math.min(n, 2) / (eps + n))),
        Arguments.of(new UnitNorm(), columnsScaled((w, n) -> w / (eps + n))),
        Arguments.of(
            new MinMaxNorm(1.5, 3, 0.5, 0),
            columnsScaled(
                (w, n) -> w * (0.5 * Math.min(Math.max(n, 1.5), 3) + 0.5 * n) / (eps + n))),
        Arguments.of(new NonNeg(), new double[] {3, 0, 4, 0.5, 0, 0.5}),
        Arguments.of(
            new MaxNorm(1, 0, 1), // one norm over the whole kernel: sqrt(25 + 1.5)
            new double[] {
              3 / Math.sqrt(26.5),
              -1 / Math.sqrt(26.5),
              4 / Math.sqrt(26.5),
              0.5 / Math.sqrt(26.5),
              0,
              0.5 / Math.sqrt(26.5)
            }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("values")
  @Tag("native")
  void theOptimizerAppliesTheConstraintAfterTheUpdate(Constraint c, double[] expected) {
    float[] got = constrained(c);
    for (int i = 0; i < expected.length; i++)
      assertThat((double) got[i]).as("[%d]", i).isCloseTo(expected[i], within(1e-6));
  }

  @Test
  @Tag("native")
  void aCustomConstraintIsASubclass() {
    Constraint clip =
        new Constraint() {
          @Override
          public Operand<TFloat32> call(Ops tf, Operand<TFloat32> w) {
            return tf.clipByValue(w, tf.constant(-0.5f), tf.constant(0.5f));
          }
        };
    assertThat(constrained(clip)).containsExactly(0.5f, -0.5f, 0.5f, 0.5f, 0f, 0.5f);
  }

  static Stream<Arguments> identifiers() {
    return Stream.of(
        Arguments.of("max_norm", MaxNorm.class),
        Arguments.of("maxnorm", MaxNorm.class),
        Arguments.of("MaxNorm", MaxNorm.class),
        Arguments.of("non_neg", NonNeg.class),
        Arguments.of("nonneg", NonNeg.class),
        Arguments.of("NonNeg", NonNeg.class),
        Arguments.of("unit_norm", UnitNorm.class),
        Arguments.of("unitnorm", UnitNorm.class),
        Arguments.of("UnitNorm", UnitNorm.class),
        Arguments.of("min_max_norm", MinMaxNorm.class),
        Arguments.of("MinMaxNorm", MinMaxNorm.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("identifiers")
  void kerasIdentifiersResolveWithTheirDefaults(String name, Class<?> type) {
    assertThat(Constraints.get(name)).isInstanceOf(type);
  }

  @Test
  void configsAreKerasAndRoundTrip() {
    assertThat(new MaxNorm().getConfig())
        .containsExactly(Map.entry("max_value", 2.0), Map.entry("axis", 0));
    assertThat(new UnitNorm(1).getConfig()).containsExactly(Map.entry("axis", 1));
    assertThat(new MinMaxNorm().getConfig())
        .containsExactly(
            Map.entry("min_value", 0.0),
            Map.entry("max_value", 1.0),
            Map.entry("rate", 1.0),
            Map.entry("axis", 0));
    assertThat(new NonNeg().getConfig()).isEmpty();
    MaxNorm list = new MaxNorm(3, 0, 1, 2);
    assertThat(list.getConfig()).containsEntry("axis", List.of(0, 1, 2));
    for (Constraint c :
        List.of(
            new MaxNorm(3, 1),
            list,
            new NonNeg(),
            new UnitNorm(),
            new MinMaxNorm(0.1, 2, 0.5, 1))) {
      Map<String, Object> s = Constraints.serialize(c);
      assertThat(s.get("class_name")).isEqualTo(c.getClass().getSimpleName());
      assertThat(Constraints.serialize(Constraints.deserialize(s))).isEqualTo(s);
    }
    assertThat(Constraints.serialize(null)).isNull();
    assertThat(Constraints.get((Object) null)).isNull();
  }

  @Test
  void readsKerasConfigsWithIntegerValues() {
    MaxNorm m =
        (MaxNorm)
            Constraints.get(
                Map.of("class_name", "MaxNorm", "config", Map.of("max_value", 2, "axis", 0)));
    assertThat(m.maxValue()).isEqualTo(2.0);
    assertThat(m.axis()).containsExactly(0);
  }

  @Test
  void errorsNameWhatIsWrong() {
    assertThatThrownBy(() -> Constraints.get("max_nrom"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "Unknown constraint: `max_nrom`. Expected one of [MaxNorm, max_norm,");
    assertThatThrownBy(() -> Constraints.get(3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Could not interpret constraint identifier: 3");
    assertThatThrownBy(
            () -> Constraints.get(Map.of("class_name", "MaxNorm", "config", Map.of("maxvalue", 2))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unknown argument `maxvalue` for MaxNorm");
  }

  @Test
  void customConstraintsRegisterForDeserialization() {
    Constraints.register("Halve", c -> new Halve());
    assertThat(Constraints.get("Halve")).isInstanceOf(Halve.class);
    assertThat(Constraints.serialize(new Halve())).containsEntry("class_name", "Halve");
  }

  static final class Halve extends Constraint {
    @Override
    public Operand<TFloat32> call(Ops tf, Operand<TFloat32> w) {
      return tf.math.mul(w, tf.constant(0.5f));
    }
  }
}
