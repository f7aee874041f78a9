package jkeras.regularizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class RegularizersTest {
  private static final float[] W = {1f, -2f, 0.5f, -0.25f, 3f, 0f};

  static float penalty(Regularizer reg, float[] w, long... shape) {
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> in = tf.constant(Shape.of(shape), DataBuffers.of(w, true, false));
      Operand<TFloat32> p = reg.call(tf, in);
      assertThat(p.shape().numDimensions()).isZero();
      try (Result r = s.runner().fetch(p).run()) {
        return ((TFloat32) r.get(0)).getFloat();
      }
    }
  }

  @Tag("native")
  @Test
  void l1IsFactorTimesSumOfAbsoluteValues() {
    // |1| + |-2| + |0.5| + |-0.25| + |3| + |0| = 6.75
    assertThat((double) penalty(Regularizers.l1(0.01), W, 2, 3)).isCloseTo(0.0675, within(1e-7));
  }

  @Tag("native")
  @Test
  void l2IsFactorTimesSumOfSquares() {
    // 1 + 4 + 0.25 + 0.0625 + 9 + 0 = 14.3125
    assertThat((double) penalty(Regularizers.l2(0.1), W, 3, 2)).isCloseTo(1.43125, within(1e-6));
  }

  @Tag("native")
  @Test
  void l1L2AddsBothTerms() {
    double expected = 0.02 * 6.75 + 0.03 * 14.3125;
    assertThat((double) penalty(Regularizers.l1L2(0.02, 0.03), W, 1, 2, 3))
        .isCloseTo(expected, within(1e-6));
    assertThat((double) penalty(Regularizers.l1L2(), W, 6))
        .isCloseTo(0.01 * 6.75 + 0.01 * 14.3125, within(1e-6));
  }

  @Tag("native")
  @Test
  void zeroFactorsGiveZero() {
    assertThat(penalty(new L1L2(0, 0), W, 6)).isZero();
  }

  @Test
  void defaultsAreKeras() {
    assertThat(Regularizers.l1().l1()).isEqualTo((double) 0.01f);
    assertThat(Regularizers.l1().l2()).isZero();
    assertThat(Regularizers.l2().l2()).isEqualTo((double) 0.01f);
    assertThat(Regularizers.l1L2().l1()).isEqualTo((double) 0.01f);
    assertThat(Regularizers.l1L2().l2()).isEqualTo((double) 0.01f);
  }

  @Test
  void configReportsFloat32FactorsAsKerasDoes() {
    // Keras: L1L2 stores K.cast_to_floatx(l2) and get_config returns float() of it.
    assertThat(Regularizers.l2(0.01).getConfig())
        .containsExactly(Map.entry("l1", 0.0), Map.entry("l2", 0.009999999776482582));
  }

  @Test
  void getByKerasName() {
    L1L2 l1 = (L1L2) Regularizers.get("l1");
    assertThat(l1.l1()).isEqualTo((double) 0.01f);
    assertThat(l1.l2()).isZero();
    L1L2 l2 = (L1L2) Regularizers.get("l2");
    assertThat(l2.l1()).isZero();
    assertThat(l2.l2()).isEqualTo((double) 0.01f);
    L1L2 both = (L1L2) Regularizers.get("l1_l2");
    assertThat(both.l1()).isEqualTo((double) 0.01f);
    assertThat(both.l2()).isEqualTo((double) 0.01f);
    L1L2 none = (L1L2) Regularizers.get("L1L2");
    assertThat(none.l1()).isZero();
    assertThat(none.l2()).isZero();
  }

  @Test
  void getOfNullIsNullAndInstancesPassThrough() {
    assertThat(Regularizers.get((Object) null)).isNull();
    Regularizer r = Regularizers.l2(0.5);
    assertThat(Regularizers.get((Object) r)).isSameAs(r);
  }

  @Test
  void unknownNameListsValidOnes() {
    assertThatThrownBy(() -> Regularizers.get("l3"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unknown regularizer: `l3`")
        .hasMessageContaining("l1_l2");
  }

  @Test
  void serializeDeserializeRoundTrips() {
    L1L2 r = Regularizers.l1L2(0.5, 0.25);
    Map<String, Object> s = Regularizers.serialize(r);
    assertThat(s).containsEntry("class_name", "L1L2");
    L1L2 back = (L1L2) Regularizers.deserialize(s);
    assertThat(back.getConfig()).isEqualTo(r.getConfig());
    L1L2 viaFactory =
        (L1L2) Regularizers.deserialize(Map.of("class_name", "l2", "config", Map.of("l", 0.5)));
    assertThat(viaFactory.l2()).isEqualTo(0.5);
  }

  @Test
  void unknownConfigKeyIsRejected() {
    assertThatThrownBy(() -> L1L2.fromConfig(Map.of("l3", 1.0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unknown argument `l3` for L1L2");
  }
}
