package jkeras.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jkeras.backend.Weight;
import jkeras.data.NDArray;
import jkeras.models.Sequential;
import jkeras.optimizers.SGD;
import jkeras.utils.RngUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Constraints and activity regularizers of the convolution, normalization and embedding layers,
 * from their Keras configs: applied after each update, added to the loss, and kept in the config.
 */
class PenaltiesAndConstraintsTest {
  @BeforeEach
  void resetNames() {
    Layer.resetNames();
  }

  @AfterEach
  void clearSeed() {
    RngUtils.setRandomSeed(null);
  }

  static final List<Object> IMAGE = shape(null, 4, 4, 2);

  static List<Object> shape(Object... dims) {
    List<Object> l = new ArrayList<>();
    for (Object d : dims) l.add(d);
    return l;
  }

  static Map<String, Object> config(String cls, List<Object> batchInputShape) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("batch_input_shape", batchInputShape);
    switch (cls) {
      case "Conv1D" -> c.putAll(Map.of("filters", 2, "kernel_size", 2));
      case "Conv2D", "Conv2DTranspose", "SeparableConv2D" ->
          c.putAll(Map.of("filters", 2, "kernel_size", 2));
      case "DepthwiseConv2D" -> c.put("kernel_size", 2);
      case "Embedding" -> c.putAll(Map.of("input_dim", 5, "output_dim", 3));
      default -> {}
    }
    return c;
  }

  /** (class, constraint key, the weight it constrains, batch input shape). */
  static Stream<Arguments> constrainedWeights() {
    return Stream.of(
        Arguments.of("Conv1D", "kernel_constraint", "kernel", shape(null, 5, 3)),
        Arguments.of("Conv1D", "bias_constraint", "bias", shape(null, 5, 3)),
        Arguments.of("Conv2D", "kernel_constraint", "kernel", IMAGE),
        Arguments.of("Conv2D", "bias_constraint", "bias", IMAGE),
        Arguments.of("Conv2DTranspose", "kernel_constraint", "kernel", IMAGE),
        Arguments.of("Conv2DTranspose", "bias_constraint", "bias", IMAGE),
        Arguments.of("SeparableConv2D", "depthwise_constraint", "depthwise_kernel", IMAGE),
        Arguments.of("SeparableConv2D", "pointwise_constraint", "pointwise_kernel", IMAGE),
        Arguments.of("SeparableConv2D", "bias_constraint", "bias", IMAGE),
        Arguments.of("DepthwiseConv2D", "depthwise_constraint", "depthwise_kernel", IMAGE),
        Arguments.of("DepthwiseConv2D", "bias_constraint", "bias", IMAGE),
        Arguments.of("BatchNormalization", "gamma_constraint", "gamma", shape(null, 3)),
        Arguments.of("BatchNormalization", "beta_constraint", "beta", shape(null, 3)),
        Arguments.of("LayerNormalization", "gamma_constraint", "gamma", shape(null, 3)),
        Arguments.of("LayerNormalization", "beta_constraint", "beta", shape(null, 3)),
        Arguments.of("Embedding", "embeddings_constraint", "embeddings", shape(null, 4)));
  }

  @ParameterizedTest(name = "{0}.{1}")
  @MethodSource("constrainedWeights")
  @Tag("native")
  void aConstraintFromTheConfigAppliesAfterEachUpdate(
      String cls, String key, String weight, List<Object> batchInputShape) {
    // The weight starts at -1 and the learning rate is 0: only NonNeg can change it (to 0).
    Map<String, Object> c = config(cls, batchInputShape);
    c.put(
        key.replace("_constraint", "_initializer"),
        Map.of("class_name", "Constant", "config", Map.of("value", -1.0)));
    c.put(key, "non_neg");
    Layer layer = Layers.deserialize(cls, c);
    try (Sequential m = new Sequential(List.of(layer))) {
      m.compile(new SGD(0.0), "mse");
      NDArray x = batchOf2(cls, batchInputShape);
      NDArray y = m.predictOnBatch(x);
      float[] before = weight(layer, weight);
      assertThat(before).contains(-1f);
      m.trainOnBatch(x, NDArray.zeros(y.shape()));
      for (float v : weight(layer, weight)) assertThat(v).isCloseTo(0f, within(0f));
      assertThat(layer.getConfig().get(key))
          .isEqualTo(Map.of("class_name", "NonNeg", "config", Map.of()));
    }
  }

  /** A batch of 2 for {@code batchInputShape}: ids 0 for an Embedding, else ones. */
  private static NDArray batchOf2(String cls, List<Object> batchInputShape) {
    long[] in = new long[batchInputShape.size()];
    in[0] = 2;
    for (int i = 1; i < in.length; i++) in[i] = ((Number) batchInputShape.get(i)).longValue();
    return cls.equals("Embedding") ? NDArray.zeros(in) : NDArray.ones(in);
  }

  private static float[] weight(Layer layer, String name) {
    List<Weight> ws = layer.weights();
    for (int i = 0; i < ws.size(); i++)
      if (ws.get(i).name().equals(name)) return layer.getWeights().get(i).toFloatArray();
    throw new AssertionError(layer.name() + " has no weight " + name + ": " + ws);
  }

  static Stream<Arguments> activityRegularized() {
    return Stream.of(
        Arguments.of("Conv1D", shape(null, 5, 3)),
        Arguments.of("Conv2D", IMAGE),
        Arguments.of("Conv2DTranspose", IMAGE),
        Arguments.of("SeparableConv2D", IMAGE),
        Arguments.of("DepthwiseConv2D", IMAGE),
        Arguments.of("Embedding", shape(null, 4)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("activityRegularized")
  @Tag("native")
  void anActivityRegularizerAddsItsUndividedPenalty(String cls, List<Object> batchInputShape) {
    // Against zero targets the loss is mean(y^2); l1(0.5) adds 0.5 * sum|y| over the whole batch
    // (Keras 2.3.1 does not divide by the batch size). Seeded: unseeded, the Embedding's one row
    // of three uniform(-0.05, 0.05) weights, eight times over, summed to under 0.1 in 0.26 % of
    // runs, failing the check that the penalty is not negligible (seeded: 0.41).
    RngUtils.setRandomSeed(7L);
    Map<String, Object> c = config(cls, batchInputShape);
    c.put(
        "activity_regularizer",
        Map.of("class_name", "L1L2", "config", Map.of("l1", 0.5, "l2", 0.0)));
    Layer layer = Layers.deserialize(cls, c);
    try (Sequential m = new Sequential(List.of(layer))) {
      m.compile(new SGD(0.0), "mse");
      NDArray x = batchOf2(cls, batchInputShape);
      float[] y = m.predictOnBatch(x).toFloatArray();
      double sq = 0;
      double abs = 0;
      for (float v : y) {
        sq += (double) v * v;
        abs += Math.abs(v);
      }
      double loss = m.testOnBatch(x, NDArray.zeros(m.predictOnBatch(x).shape())).scalar();
      assertThat(abs).isGreaterThan(0.1);
      assertThat(loss).isCloseTo(sq / y.length + 0.5 * abs, within(1e-4 * (1 + loss)));
      assertThat(Layers.deserialize(cls, layer.getConfig()).getConfig())
          .isEqualTo(layer.getConfig());
    }
  }

  @Test
  void theBuildersTakeIdentifiersConfigsAndInstances() {
    Conv2D conv =
        Conv2D.builder(2, 3)
            .kernelConstraint("max_norm")
            .biasConstraint(new jkeras.constraints.NonNeg())
            .activityRegularizer("l2")
            .build();
    Map<String, Object> c = conv.getConfig();
    assertThat(c.get("kernel_constraint"))
        .isEqualTo(Map.of("class_name", "MaxNorm", "config", Map.of("max_value", 2.0, "axis", 0)));
    assertThat(c.get("bias_constraint"))
        .isEqualTo(Map.of("class_name", "NonNeg", "config", Map.of()));
    assertThat(((Map<?, ?>) c.get("activity_regularizer")).get("class_name")).isEqualTo("L1L2");
    assertThat(Layers.deserialize("Conv2D", c).getConfig()).isEqualTo(c);
  }
}
