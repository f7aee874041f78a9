package jkeras.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import jkeras.backend.K;
import jkeras.backend.Weight;
import jkeras.data.NDArray;
import jkeras.models.Model;
import jkeras.models.Sequential;
import jkeras.optimizers.Adam;
import jkeras.trainers.FitOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Custom layers as a Keras porter writes them: the Keras documentation's {@code MyLayer}, ported
 * line by line (the README shows it), and an attention pooling layer written with K's functions;
 * both are built, trained, summarized and deserialized.
 */
class CustomLayerTest {
  /**
   * Keras' documentation example:
   *
   * <pre>
   * class MyLayer(Layer):
   *     def __init__(self, output_dim, **kwargs):
   *         self.output_dim = output_dim
   *         super(MyLayer, self).__init__(**kwargs)
   *     def build(self, input_shape):
   *         self.kernel = self.add_weight(name='kernel', shape=(input_shape[1], self.output_dim),
   *                                       initializer='uniform', trainable=True)
   *     def call(self, x):
   *         return K.dot(x, self.kernel)
   *     def compute_output_shape(self, input_shape):
   *         return (input_shape[0], self.output_dim)
   * </pre>
   */
  static final class MyLayer extends Layer {
    private final int outputDim;
    private Weight kernel;

    MyLayer(int outputDim, Layer.Kwargs kwargs) {
      super(kwargs);
      this.outputDim = outputDim;
    }

    MyLayer(int outputDim) {
      this.outputDim = outputDim;
    }

    @Override
    public void build(long[] inputShape) {
      kernel = addWeight("kernel", new long[] {inputShape[1], outputDim}, "uniform", true);
    }

    @Override
    public Operand<TFloat32> call(Operand<TFloat32> x) {
      return K.dot(x, kernel.value());
    }

    @Override
    public long[] computeOutputShape(long[] inputShape) {
      return new long[] {inputShape[0], outputDim};
    }

    @Override
    public Map<String, Object> getConfig() {
      Map<String, Object> config = super.getConfig();
      config.put("output_dim", outputDim);
      return config;
    }

    static MyLayer fromConfig(Map<String, Object> config) {
      return new MyLayer(((Number) config.get("output_dim")).intValue(), Layer.kwargs(config));
    }
  }

  /**
   * Attention pooling over time steps, Keras style:
   *
   * <pre>
   * def call(self, x, mask=None):
   *     e = K.squeeze(K.dot(x, self.w), -1)          # (batch, steps)
   *     if mask is not None:
   *         e = K.switch(mask, e, -1e9 * K.ones_like(e))
   *     a = K.softmax(e)
   *     return K.sum(x * K.expand_dims(a), axis=1)
   * </pre>
   */
  static final class AttentionPooling extends Layer {
    private Weight w;

    AttentionPooling(String name) {
      super(name);
    }

    @Override
    public boolean supportsMasking() {
      return true;
    }

    @Override
    public void build(long[] inputShape) {
      w = addWeight("att_w", new long[] {inputShape[2], 1}, "glorot_uniform");
    }

    @Override
    public Operand<TFloat32> call(Operand<TFloat32> x) {
      Operand<TFloat32> e = K.squeeze(K.dot(x, w.value()), -1);
      Operand<TBool> mask = jkeras.backend.CallContext.current().inputMask(0);
      if (mask != null) e = K.switch_(mask, e, K.multiply(K.onesLike(e), -1e9));
      Operand<TFloat32> a = K.softmax(e);
      return K.sum(K.multiply(x, K.expandDims(a)), 1);
    }

    @Override
    public long[] computeOutputShape(long[] s) {
      return new long[] {s[0], s[2]};
    }

    @Override
    public List<Operand<TBool>> computeMasks(
        jkeras.backend.CallContext ctx, List<Operand<TFloat32>> inputs, int outputs) {
      return java.util.Collections.nCopies(outputs, null); // the steps are pooled away
    }
  }

  @Test
  @Tag("native")
  void thePortedDocumentationLayerTrainsInASequentialModel() {
    // Learn y = x . w* with w* = [[1, -1], [2, 0.5], [-0.5, 1]].
    float[] ws = {1, -1, 2, 0.5f, -0.5f, 1};
    java.util.Random r = new java.util.Random(0);
    float[] x = new float[64 * 3];
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
    float[] y = new float[64 * 2];
    for (int n = 0; n < 64; n++)
      for (int j = 0; j < 2; j++)
        for (int k = 0; k < 3; k++) y[n * 2 + j] += x[n * 3 + k] * ws[k * 2 + j];
    MyLayer layer = new MyLayer(2, Layer.kwargs().name("my_layer").inputShape(3));
    try (Sequential m = new Sequential(List.of(layer))) {
      m.compile(new Adam(0.05), "mse");
      var h =
          m.fit(
              NDArray.of(x, 64, 3),
              NDArray.of(y, 64, 2),
              FitOptions.builder().epochs(60).batchSize(16).verbose(0).build());
      List<Double> loss = h.history().get("loss");
      assertThat(loss.get(loss.size() - 1)).isLessThan(1e-3);
      float[] k = layer.getWeights().get(0).toFloatArray();
      for (int i = 0; i < 6; i++) assertThat((double) k[i]).isCloseTo(ws[i], within(0.05));
      assertThat(layer.weights()).extracting(Weight::path).containsExactly("my_layer/kernel");
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      m.summary(new PrintStream(buf, true, StandardCharsets.UTF_8));
      assertThat(buf.toString(StandardCharsets.UTF_8))
          .contains(String.format("%-29s%-26s%-10s", "my_layer (MyLayer)", "(None, 2)", "6"));
    }
  }

  @Test
  void aDefaultNameComesFromTheClass() {
    Layer.resetNames();
    assertThat(new MyLayer(2).name()).isEqualTo("my_layer_1");
    assertThat(new AttentionPooling(null).name()).isEqualTo("attention_pooling_1");
  }

  @Test
  @Tag("native")
  void itsConfigRoundTripsOnceRegistered() {
    Layers.register("MyLayer", MyLayer::fromConfig);
    MyLayer l = new MyLayer(4, Layer.kwargs().name("mine").inputShape(3));
    Map<String, Object> c = l.getConfig();
    assertThat(c)
        .containsEntry("output_dim", 4)
        .containsEntry("batch_input_shape", java.util.Arrays.asList(null, 3L));
    Layer again = Layers.deserialize("MyLayer", c);
    assertThat(again.getConfig()).isEqualTo(c);
  }

  @Test
  @Tag("native")
  void anAttentionLayerWrittenWithKPoolsOverUnmaskedSteps() {
    KerasTensor in = Input.create(3, 2);
    AttentionPooling att = new AttentionPooling("att");
    try (Model m = new Model(in, att.apply(new Masking().apply(in)))) {
      att.setWeights(List.of(NDArray.of(new float[] {1, 0}, 2, 1)));
      // Scores 1, 3 and (masked) 0: weights softmax(1, 3) = 0.119, 0.881 on the first two steps.
      NDArray x = NDArray.of(new float[] {1, 10, 3, 20, 0, 0}, 1, 3, 2);
      float[] out = m.predictOnBatch(x).toFloatArray();
      double a0 = Math.exp(1) / (Math.exp(1) + Math.exp(3));
      assertThat((double) out[0]).isCloseTo(a0 * 1 + (1 - a0) * 3, within(1e-5));
      assertThat((double) out[1]).isCloseTo(a0 * 10 + (1 - a0) * 20, within(1e-4));
      m.compile(new Adam(0.01), "mse");
      double before = m.testOnBatch(x, NDArray.zeros(1, 2)).scalar();
      for (int i = 0; i < 20; i++) m.trainOnBatch(x, NDArray.zeros(1, 2));
      assertThat(m.testOnBatch(x, NDArray.zeros(1, 2)).scalar()).isLessThan(before);
    }
  }

  @Test
  void aLayerThatDoesNotOverrideCallSaysWhatToOverride() {
    Layer empty = new Layer("empty") {};
    KerasTensor in = Input.create(2);
    KerasTensor out = empty.apply(in);
    assertThat(out.shape()).containsExactly(-1, 2); // Keras 2.3.1's default: the input's shape
    assertThatThrownBy(() -> new Model(in, out).close())
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessage("Layer empty must override call(Operand) or call(CallContext, List).");
  }
}
