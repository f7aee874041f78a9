package jkeras.initializers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Keras' {@code Orthogonal} initializer, the recurrent kernels' default. */
@Tag("native")
class OrthogonalTest {
  /** {@code m^T m} for a {@code rows x cols} row-major matrix. */
  static double[][] gram(float[] m, int rows, int cols) {
    double[][] g = new double[cols][cols];
    for (int i = 0; i < cols; i++)
      for (int j = 0; j < cols; j++)
        for (int r = 0; r < rows; r++) g[i][j] += (double) m[r * cols + i] * m[r * cols + j];
    return g;
  }

  static float[] transpose(float[] m, int rows, int cols) {
    float[] t = new float[m.length];
    for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) t[c * rows + r] = m[r * cols + c];
    return t;
  }

  @Test
  void tallMatricesHaveOrthonormalColumnsAndWideOnesOrthonormalRows() {
    float[] tall = InitializersTest.values(new Orthogonal(), new long[] {64, 16}, 1);
    double[][] g = gram(tall, 64, 16);
    for (int i = 0; i < 16; i++)
      for (int j = 0; j < 16; j++) assertThat(g[i][j]).isCloseTo(i == j ? 1 : 0, within(1e-5));
    float[] wide = InitializersTest.values(new Orthogonal(), new long[] {8, 32}, 1);
    double[][] h = gram(transpose(wide, 8, 32), 32, 8);
    for (int i = 0; i < 8; i++)
      for (int j = 0; j < 8; j++) assertThat(h[i][j]).isCloseTo(i == j ? 1 : 0, within(1e-5));
  }

  @Test
  void gainScalesAndHigherRanksAreFlattenedToRows() {
    float[] v = InitializersTest.values(new Orthogonal(3.0, 4L), new long[] {2, 3, 6}, 0);
    double[][] g = gram(v, 6, 6);
    for (int i = 0; i < 6; i++) assertThat(g[i][i]).isCloseTo(9.0, within(1e-4));
  }

  @Test
  void seededValuesAreTfKeras2Values() {
    // tf_keras.initializers.Orthogonal(gain=1.0, seed=5)((3, 4)) and (gain=2.0, seed=7)((4, 2)).
    float[] a = InitializersTest.values(new Orthogonal(1.0, 5L), new long[] {3, 4}, 99);
    float[] expectedA = {
      -0.8836429f,
      -0.05579421f,
      -0.4017733f,
      -0.233753f,
      0.3608303f,
      0.5477793f,
      -0.6841699f,
      -0.3188273f,
      0.2634583f,
      -0.6811955f,
      -0.09097929f,
      -0.6769677f
    };
    for (int i = 0; i < a.length; i++) assertThat(a[i]).isCloseTo(expectedA[i], within(1e-5f));
    float[] b = InitializersTest.values(new Orthogonal(2.0, 7L), new long[] {4, 2}, 99);
    float[] expectedB = {
      -0.4384956f,
      -0.0223243f,
      -1.222518f,
      -0.9212167f,
      -1.304908f,
      -0.1863406f,
      -0.7812736f,
      1.765259f
    };
    for (int i = 0; i < b.length; i++) assertThat(b[i]).isCloseTo(expectedB[i], within(1e-5f));
  }

  @Test
  void theEngineSeedDecidesWhenUnseeded() {
    Orthogonal o = new Orthogonal();
    assertThat(InitializersTest.values(o, new long[] {5, 5}, 1))
        .containsExactly(InitializersTest.values(o, new long[] {5, 5}, 1))
        .isNotEqualTo(InitializersTest.values(o, new long[] {5, 5}, 2));
  }

  @Test
  void vectorsAreRefused() {
    assertThatThrownBy(() -> InitializersTest.values(new Orthogonal(), new long[] {4}, 0))
        .hasMessage(
            "The tensor to initialize must be at least two-dimensional. Received: shape=(4,) of"
                + " rank 1.");
  }

  @Test
  void isRegisteredUnderKerasNamesWithKerasConfig() {
    assertThat(Initializers.get("orthogonal")).isInstanceOf(Orthogonal.class);
    Initializer o =
        Initializers.deserialize(
            Map.of("class_name", "Orthogonal", "config", Map.of("gain", 2.0, "seed", 3)));
    assertThat(Initializers.serialize(o))
        .isEqualTo(
            Map.of(
                "class_name",
                "Orthogonal",
                "config",
                new java.util.LinkedHashMap<>(Map.of("gain", 2.0, "seed", 3L))));
    assertThat(o.getConfig().keySet()).containsExactly("gain", "seed");
  }
}
