package jkeras.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;
import jkeras.data.ArrayData;
import jkeras.data.NDArray;
import jkeras.layers.ConvReference.T;
import jkeras.models.Model;
import jkeras.optimizers.SGD;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The convolution, pooling and resampling layers in a model against {@link ConvReference} (loops in
 * double precision): every argument the layers take, channels-first included (transposed around the
 * op as Keras' backend does on a CPU). Then their gradients: one SGD step with learning rate 1
 * moves each weight by minus its gradient, compared with central finite differences of the
 * reference; layers without weights get a 1x1 convolution in front, whose gradient flows through
 * them.
 */
@Tag("native")
class ConvLayersTest {
  @BeforeEach
  void resetNames() {
    Layer.resetNames();
  }

  /**
   * A layer, its input shape (no batch), whether a 1x1 convolution goes first (layers without
   * weights, for the gradient), and the reference: input (NHWC or channels-first as given) and
   * weights to the output values in the layer's layout.
   */
  record Case(
      String name,
      Supplier<Layer> layer,
      long[] inShape,
      boolean channelsFirst,
      BiFunction<T, List<double[]>, T> ref) {
    @Override
    public String toString() {
      return name;
    }

    boolean weightless() {
      Layer l = layer.get();
      return l instanceof Pooling
          || l instanceof GlobalPooling
          || l instanceof UpSampling1D
          || l instanceof UpSampling2D
          || l instanceof ZeroPadding1D
          || l instanceof ZeroPadding2D
          || l instanceof Cropping1D
          || l instanceof Cropping2D;
    }
  }

  static Case c(
      String name,
      Supplier<Layer> layer,
      long[] in,
      boolean channelsFirst,
      BiFunction<T, List<double[]>, T> ref) {
    return new Case(name, layer, in, channelsFirst, ref);
  }

  static long[] s(long... d) {
    return d;
  }

  static int[] i(int... v) {
    return v;
  }

  static T withBias(T y, List<double[]> w, int index) {
    return w.size() > index ? ConvReference.bias(y, w.get(index)) : y;
  }

  static T relu(T y) {
    for (int k = 0; k < y.v.length; k++) y.v[k] = Math.max(0, y.v[k]);
    return y;
  }

  /** A global pooling as a (n, 1, 1, c) tensor. */
  static T global(T x, boolean max) {
    T y = new T(x.n, 1, 1, x.c);
    for (int b = 0; b < x.n; b++)
      for (int k = 0; k < x.c; k++) {
        double acc = max ? Double.NEGATIVE_INFINITY : 0;
        for (int r = 0; r < x.h; r++)
          for (int q = 0; q < x.w; q++)
            acc = max ? Math.max(acc, x.get(b, r, q, k)) : acc + x.get(b, r, q, k);
        y.set(b, 0, 0, k, max ? acc : acc / (x.h * x.w));
      }
    return y;
  }

  /** A convolution with one kernel and its bias, when it has one: {@link ConvReference#conv}. */
  static BiFunction<T, List<double[]>, T> convRef(
      int kh, int kw, int filters, int[] strides, String padding, int[] dilation) {
    return (x, w) ->
        withBias(
            ConvReference.conv(x, w.get(0), kh, kw, filters, strides, padding, dilation), w, 1);
  }

  /** A transposed convolution and its bias: {@link ConvReference#transpose}. */
  static BiFunction<T, List<double[]>, T> transposeRef(
      int kh, int kw, int filters, int outH, int outW, int[] strides, String padding, int rate) {
    return (x, w) ->
        withBias(
            ConvReference.transpose(
                x, w.get(0), kh, kw, filters, outH, outW, strides, padding, rate),
            w,
            1);
  }

  /** A depthwise convolution and its bias: {@link ConvReference#depthwise}. */
  static BiFunction<T, List<double[]>, T> depthwiseRef(
      int kh, int kw, int multiplier, int[] strides, String padding, int[] dilation) {
    return (x, w) ->
        withBias(
            ConvReference.depthwise(x, w.get(0), kh, kw, multiplier, strides, padding, dilation),
            w,
            1);
  }

  /** A depthwise convolution, a pointwise one to {@code filters} channels, the bias. */
  static BiFunction<T, List<double[]>, T> separableRef(
      int filters, int kh, int kw, int multiplier, int[] strides, String padding, int[] dilation) {
    BiFunction<T, List<double[]>, T> depthwise =
        (x, w) ->
            ConvReference.depthwise(x, w.get(0), kh, kw, multiplier, strides, padding, dilation);
    return (x, w) ->
        withBias(
            ConvReference.conv(
                depthwise.apply(x, w), w.get(1), 1, 1, filters, i(1, 1), "valid", i(1, 1)),
            w,
            2);
  }

  static BiFunction<T, List<double[]>, T> poolRef(
      int[] size, int[] strides, String padding, boolean max) {
    return (x, w) -> ConvReference.pool(x, size, strides, padding, max);
  }

  static BiFunction<T, List<double[]>, T> globalRef(boolean max) {
    return (x, w) -> global(x, max);
  }

  static BiFunction<T, List<double[]>, T> resizeRef(int fh, int fw, boolean bilinear) {
    return (x, w) -> ConvReference.resize(x, fh, fw, bilinear);
  }

  /** Zero padding, or cropping for negative counts: {@link ConvReference#pad}. */
  static BiFunction<T, List<double[]>, T> padRef(int top, int bottom, int left, int right) {
    return (x, w) -> ConvReference.pad(x, top, bottom, left, right);
  }

  static Stream<Case> cases() {
    return Stream.of(
        // Conv2D
        c(
            "Conv2D 3x3 valid",
            () -> Conv2D.builder(2, 3).build(),
            s(6, 7, 3),
            false,
            convRef(3, 3, 2, i(1, 1), "valid", i(1, 1))),
        c(
            "Conv2D 3x2 same strides 2 relu",
            () -> Conv2D.builder(3, 3, 2).strides(2).padding("same").activation("relu").build(),
            s(7, 6, 2),
            false,
            (x, w) -> relu(convRef(3, 2, 3, i(2, 2), "same", i(1, 1)).apply(x, w))),
        c(
            "Conv2D strides (1, 2) no bias",
            () -> Conv2D.builder(2, 2).strides(1, 2).useBias(false).build(),
            s(5, 7, 2),
            false,
            (x, w) -> ConvReference.conv(x, w.get(0), 2, 2, 2, i(1, 2), "valid", i(1, 1))),
        c(
            "Conv2D dilation 2 same",
            () -> Conv2D.builder(2, 3).dilationRate(2).padding("same").build(),
            s(7, 8, 2),
            false,
            convRef(3, 3, 2, i(1, 1), "same", i(2, 2))),
        c(
            "Conv2D dilation (2, 3) valid",
            () -> Conv2D.builder(2, 2, 3).dilationRate(2, 3).build(),
            s(9, 10, 1),
            false,
            convRef(2, 3, 2, i(1, 1), "valid", i(2, 3))),
        c(
            "Conv2D channels_first same strides 2",
            () ->
                Conv2D.builder(2, 3)
                    .strides(2)
                    .padding("same")
                    .dataFormat("channels_first")
                    .build(),
            s(3, 6, 5),
            true,
            convRef(3, 3, 2, i(2, 2), "same", i(1, 1))),
        // Conv1D
        c(
            "Conv1D 3 valid",
            () -> Conv1D.builder(2, 3).build(),
            s(8, 3),
            false,
            convRef(1, 3, 2, i(1, 1), "valid", i(1, 1))),
        c(
            "Conv1D 2 same strides 2",
            () -> Conv1D.builder(3, 2).padding("same").strides(2).build(),
            s(7, 2),
            false,
            convRef(1, 2, 3, i(1, 2), "same", i(1, 1))),
        c(
            "Conv1D causal dilation 2",
            () -> Conv1D.builder(2, 3).padding("causal").dilationRate(2).build(),
            s(9, 2),
            false,
            (x, w) ->
                convRef(1, 3, 2, i(1, 1), "valid", i(1, 2))
                    .apply(ConvReference.pad(x, 0, 0, 4, 0), w)),
        c(
            "Conv1D same dilation 3",
            () -> Conv1D.builder(2, 2).padding("same").dilationRate(3).build(),
            s(8, 2),
            false,
            convRef(1, 2, 2, i(1, 1), "same", i(1, 3))),
        c(
            "Conv1D channels_first",
            () -> Conv1D.builder(2, 3).dataFormat("channels_first").build(),
            s(3, 7),
            true,
            convRef(1, 3, 2, i(1, 1), "valid", i(1, 1))),
        // Conv2DTranspose
        c(
            "Conv2DTranspose 3 valid",
            () -> Conv2DTranspose.builder(2, 3).build(),
            s(4, 5, 2),
            false,
            transposeRef(3, 3, 2, 6, 7, i(1, 1), "valid", 1)),
        c(
            "Conv2DTranspose 3 same strides 2",
            () -> Conv2DTranspose.builder(3, 3).strides(2).padding("same").build(),
            s(4, 3, 2),
            false,
            transposeRef(3, 3, 3, 8, 6, i(2, 2), "same", 1)),
        c(
            "Conv2DTranspose (3, 2) valid strides (2, 3)",
            () -> Conv2DTranspose.builder(2, 3, 2).strides(2, 3).build(),
            s(3, 3, 1),
            false,
            // deconv_length: 3 * 2 + max(3 - 2, 0) = 7; 3 * 3 + max(2 - 3, 0) = 9
            transposeRef(3, 2, 2, 7, 9, i(2, 3), "valid", 1)),
        c(
            "Conv2DTranspose output_padding 1 same strides 2",
            () -> Conv2DTranspose.builder(2, 3).strides(2).padding("same").outputPadding(1).build(),
            s(3, 4, 2),
            false,
            // (3 - 1) * 2 + 3 - 2 * 1 + 1 = 6; (4 - 1) * 2 + 3 - 2 + 1 = 8
            transposeRef(3, 3, 2, 6, 8, i(2, 2), "same", 1)),
        c(
            "Conv2DTranspose channels_first strides 2",
            () -> Conv2DTranspose.builder(2, 2).strides(2).dataFormat("channels_first").build(),
            s(2, 3, 4),
            true,
            transposeRef(2, 2, 2, 6, 8, i(2, 2), "valid", 1)),
        c(
            "Conv2DTranspose dilation 2 same",
            () -> Conv2DTranspose.builder(2, 3).dilationRate(2).padding("same").build(),
            s(5, 4, 2),
            false,
            transposeRef(3, 3, 2, 5, 4, i(1, 1), "same", 2)),
        c(
            "Conv2DTranspose dilation 2 valid",
            () -> Conv2DTranspose.builder(2, 3).dilationRate(2).build(),
            s(3, 4, 1),
            false,
            transposeRef(3, 3, 2, 7, 8, i(1, 1), "valid", 2)),
        // DepthwiseConv2D and SeparableConv2D
        c(
            "DepthwiseConv2D 3 same strides 2 multiplier 2",
            () -> DepthwiseConv2D.builder(3).strides(2).padding("same").depthMultiplier(2).build(),
            s(7, 6, 3),
            false,
            depthwiseRef(3, 3, 2, i(2, 2), "same", i(1, 1))),
        c(
            "DepthwiseConv2D dilation 2 valid",
            () -> DepthwiseConv2D.builder(2, 3).dilationRate(2).build(),
            s(7, 8, 2),
            false,
            depthwiseRef(2, 3, 1, i(1, 1), "valid", i(2, 2))),
        c(
            "DepthwiseConv2D channels_first",
            () ->
                DepthwiseConv2D.builder(3).dataFormat("channels_first").depthMultiplier(2).build(),
            s(2, 5, 6),
            true,
            depthwiseRef(3, 3, 2, i(1, 1), "valid", i(1, 1))),
        c(
            "SeparableConv2D 3 multiplier 2",
            () -> SeparableConv2D.builder(3, 3).depthMultiplier(2).build(),
            s(6, 5, 2),
            false,
            separableRef(3, 3, 3, 2, i(1, 1), "valid", i(1, 1))),
        c(
            "SeparableConv2D same dilation 2 channels_first",
            () ->
                SeparableConv2D.builder(2, 3)
                    .padding("same")
                    .dilationRate(2)
                    .dataFormat("channels_first")
                    .build(),
            s(2, 6, 7),
            true,
            separableRef(2, 3, 3, 1, i(1, 1), "same", i(2, 2))),
        // Pooling
        c(
            "MaxPooling2D 2",
            MaxPooling2D::new,
            s(5, 6, 2),
            false,
            poolRef(i(2, 2), i(2, 2), "valid", true)),
        c(
            "MaxPooling2D 3 same strides 2",
            () -> MaxPooling2D.builder().poolSize(3).strides(2).padding("same").build(),
            s(7, 6, 2),
            false,
            poolRef(i(3, 3), i(2, 2), "same", true)),
        c(
            "AveragePooling2D (3, 2) same strides (2, 1)",
            () -> AveragePooling2D.builder().poolSize(3, 2).strides(2, 1).padding("same").build(),
            s(5, 4, 2),
            false,
            poolRef(i(3, 2), i(2, 1), "same", false)),
        c(
            "AveragePooling2D channels_first",
            () -> AveragePooling2D.builder().dataFormat("channels_first").build(),
            s(2, 4, 6),
            true,
            poolRef(i(2, 2), i(2, 2), "valid", false)),
        c(
            "MaxPooling1D 3 strides 1 same",
            () -> MaxPooling1D.builder().poolSize(3).strides(1).padding("same").build(),
            s(7, 2),
            false,
            poolRef(i(1, 3), i(1, 1), "same", true)),
        c(
            "AveragePooling1D 2",
            AveragePooling1D::new,
            s(7, 3),
            false,
            poolRef(i(1, 2), i(1, 2), "valid", false)),
        c(
            "MaxPooling1D channels_first",
            () -> MaxPooling1D.builder().dataFormat("channels_first").build(),
            s(2, 6),
            true,
            poolRef(i(1, 2), i(1, 2), "valid", true)),
        // Global pooling
        c("GlobalMaxPooling2D", GlobalMaxPooling2D::new, s(3, 4, 2), false, globalRef(true)),
        c(
            "GlobalAveragePooling2D channels_first",
            () -> GlobalAveragePooling2D.builder().dataFormat("channels_first").build(),
            s(2, 3, 4),
            true,
            globalRef(false)),
        c("GlobalMaxPooling1D", GlobalMaxPooling1D::new, s(5, 3), false, globalRef(true)),
        c("GlobalAveragePooling1D", GlobalAveragePooling1D::new, s(5, 3), false, globalRef(false)),
        // Resampling
        c(
            "UpSampling2D (2, 3) nearest",
            () -> new UpSampling2D(2, 3),
            s(3, 2, 2),
            false,
            resizeRef(2, 3, false)),
        c(
            "UpSampling2D bilinear",
            () -> UpSampling2D.builder().interpolation("bilinear").build(),
            s(3, 4, 2),
            false,
            resizeRef(2, 2, true)),
        c(
            "UpSampling2D (3, 2) bilinear channels_first",
            () ->
                UpSampling2D.builder()
                    .size(3, 2)
                    .interpolation("bilinear")
                    .dataFormat("channels_first")
                    .build(),
            s(2, 3, 3),
            true,
            resizeRef(3, 2, true)),
        c("UpSampling1D 3", () -> new UpSampling1D(3), s(4, 2), false, resizeRef(1, 3, false)),
        c(
            "ZeroPadding2D ((1, 2), (0, 3))",
            () -> new ZeroPadding2D(1, 2, 0, 3),
            s(3, 2, 2),
            false,
            padRef(1, 2, 0, 3)),
        c(
            "ZeroPadding2D channels_first",
            () -> ZeroPadding2D.builder().padding(2, 1).dataFormat("channels_first").build(),
            s(2, 3, 2),
            true,
            padRef(2, 2, 1, 1)),
        c(
            "ZeroPadding1D (2, 1)",
            () -> new ZeroPadding1D(2, 1),
            s(3, 2),
            false,
            padRef(0, 0, 2, 1)),
        c(
            "Cropping2D ((1, 0), (2, 1))",
            () -> new Cropping2D(1, 0, 2, 1),
            s(4, 6, 2),
            false,
            padRef(-1, 0, -2, -1)),
        c(
            "Cropping2D channels_first",
            () -> Cropping2D.builder().cropping(1).dataFormat("channels_first").build(),
            s(2, 4, 5),
            true,
            padRef(-1, -1, -1, -1)),
        c("Cropping1D (1, 2)", () -> new Cropping1D(1, 2), s(6, 2), false, padRef(0, 0, -1, -2)));
  }

  static NDArray random(Random r, long... shape) {
    int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    float[] v = new float[n];
    for (int k = 0; k < n; k++) v[k] = (float) (r.nextDouble() * 2 - 1);
    return NDArray.of(v, shape);
  }

  static double[] doubles(NDArray a) {
    float[] f = a.toFloatArray();
    double[] d = new double[f.length];
    for (int k = 0; k < f.length; k++) d[k] = f[k];
    return d;
  }

  /** A model of the case, and its layer's output shape (batch -1). */
  record Built(Model model, long[] outShape) {}

  /** The model: the layer, with a 1x1 convolution in front when it has no weights. */
  static Built model(Case c) {
    return model(c, false);
  }

  /** With {@code head}, a Flatten (for ranks above 2) and a Dense(1) after the layer. */
  static Built model(Case c, boolean head) {
    KerasTensor in = Input.create(c.inShape());
    KerasTensor x = in;
    if (c.weightless()) {
      int rank = c.inShape().length - 1;
      int channels = (int) (c.channelsFirst() ? c.inShape()[0] : c.inShape()[rank]);
      String format = c.channelsFirst() ? "channels_first" : "channels_last";
      Layer pre =
          rank == 1
              ? Conv1D.builder(channels, 1).dataFormat(format).build()
              : Conv2D.builder(channels, 1).dataFormat(format).build();
      x = pre.apply(x);
    }
    KerasTensor out = c.layer().get().apply(x);
    // Keras 2.3.1's Flatten takes rank 3 and up; a global pooling's (batch, channels) goes to
    // Dense.
    if (head) out = new Dense(1).apply(out.shape().length > 2 ? new Flatten().apply(out) : out);
    return new Built(new Model(in, out), out.shape());
  }

  /** The reference output for the model of {@link #model}, in the layer's layout. */
  static double[] reference(Case c, NDArray x, List<double[]> weights) {
    T t = c.channelsFirst() ? T.ofChannelsFirst(x) : T.of(x);
    List<double[]> w = weights;
    if (c.weightless()) {
      t =
          ConvReference.bias(
              ConvReference.conv(t, w.get(0), 1, 1, t.c, i(1, 1), "valid", i(1, 1)), w.get(1));
      w = w.subList(2, w.size());
    }
    T y = c.ref().apply(t, w);
    return c.channelsFirst() ? y.channelsFirst() : y.v;
  }

  static long[] batchOf(int n, long[] shape) {
    long[] s = shape.clone();
    s[0] = n;
    return s;
  }

  static long[] withBatch(int n, long[] shape) {
    long[] s = new long[shape.length + 1];
    s[0] = n;
    System.arraycopy(shape, 0, s, 1, shape.length);
    return s;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void predictsAsTheReference(Case c) {
    Random r = new Random(c.name().hashCode());
    Built b = model(c);
    try (Model m = b.model()) {
      List<NDArray> w = new ArrayList<>();
      for (NDArray a : m.getWeights()) w.add(random(r, a.shape()));
      m.setWeights(w);
      NDArray x = random(r, withBatch(2, c.inShape()));
      NDArray y = m.predict(ArrayData.of(x));
      assertThat(y.shape()).containsExactly(batchOf(2, b.outShape()));
      double[] ref = reference(c, x, w.stream().map(ConvLayersTest::doubles).toList());
      float[] got = y.toFloatArray();
      assertThat(got).hasSize(ref.length);
      for (int k = 0; k < ref.length; k++) {
        assertThat((double) got[k]).as("%s value %d", c.name(), k).isCloseTo(ref[k], within(1e-4));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void oneSgdStepMovesEachWeightByMinusItsFiniteDifferenceGradient(Case c) {
    Random r = new Random(31 * c.name().hashCode());
    Built b = model(c);
    try (Model m = b.model()) {
      List<NDArray> w0 = new ArrayList<>();
      for (NDArray a : m.getWeights()) w0.add(random(r, a.shape()));
      m.setWeights(w0);
      NDArray x = random(r, withBatch(2, c.inShape()));
      NDArray y = random(r, batchOf(2, b.outShape()));
      m.compile(new SGD(1.0), "mse");
      m.trainOnBatch(ArrayData.of(x), ArrayData.of(y));
      List<NDArray> w1 = m.getWeights();

      List<double[]> w = new ArrayList<>(w0.stream().map(ConvLayersTest::doubles).toList());
      double[] target = doubles(y);
      double eps = 1e-6;
      for (int j = 0; j < w.size(); j++) {
        double[] before = doubles(w0.get(j));
        double[] after = doubles(w1.get(j));
        for (int k = 0; k < before.length; k++) {
          double keep = w.get(j)[k];
          w.get(j)[k] = keep + eps;
          double up = mse(reference(c, x, w), target);
          w.get(j)[k] = keep - eps;
          double down = mse(reference(c, x, w), target);
          w.get(j)[k] = keep;
          double fd = (up - down) / (2 * eps);
          double tf = before[k] - after[k];
          assertThat(tf)
              .as("%s: gradient of weight %d element %d", c.name(), j, k)
              .isCloseTo(fd, within(1e-4 + 1e-3 * Math.abs(fd)));
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theOutputShapeIsStaticSoFlattenAndDenseCanFollow(Case c) {
    try (Model m = model(c, true).model()) {
      NDArray y = m.predict(ArrayData.of(random(new Random(3), withBatch(3, c.inShape()))));
      assertThat(y.shape()).containsExactly(3, 1);
    }
  }

  @org.junit.jupiter.api.Test
  void aDilatedCausalConv1DTakesSequencesOfAnyLength() {
    Conv1D conv = Conv1D.builder(2, 3).padding("causal").dilationRate(2).name("c").build();
    KerasTensor in = Input.create(-1, 3);
    try (Model m = new Model(in, conv.apply(in))) {
      Random r = new Random(5);
      List<NDArray> w = List.of(random(r, 3, 3, 2), random(r, 2));
      m.setWeights(w);
      List<double[]> wd = w.stream().map(ConvLayersTest::doubles).toList();
      for (int steps : new int[] {4, 9}) {
        NDArray x = random(r, 2, steps, 3);
        T expected =
            ConvReference.bias(
                ConvReference.conv(
                    ConvReference.pad(T.of(x), 0, 0, 4, 0),
                    wd.get(0),
                    1,
                    3,
                    2,
                    i(1, 1),
                    "valid",
                    i(1, 2)),
                wd.get(1));
        float[] got = m.predict(ArrayData.of(x)).toFloatArray();
        for (int k = 0; k < got.length; k++)
          assertThat((double) got[k]).isCloseTo(expected.v[k], within(1e-4));
      }
    }
  }

  /** Keras' Masking(0.0): a step is masked where all its features are 0. */
  static final class ZeroMask extends Layer {
    ZeroMask() {
      super(new LayerProtocolTest.B());
    }

    @Override
    public long[] computeOutputShape(List<long[]> s) {
      return s.get(0);
    }

    @Override
    public org.tensorflow.Operand<org.tensorflow.types.TFloat32> call(
        jkeras.backend.CallContext ctx,
        List<org.tensorflow.Operand<org.tensorflow.types.TFloat32>> in) {
      return in.get(0);
    }

    @Override
    public List<org.tensorflow.Operand<org.tensorflow.types.TBool>> computeMasks(
        jkeras.backend.CallContext ctx,
        List<org.tensorflow.Operand<org.tensorflow.types.TFloat32>> in,
        int outputs) {
      var tf = ctx.tf();
      return List.of(tf.reduceAny(tf.math.notEqual(in.get(0), tf.constant(0f)), tf.constant(-1)));
    }
  }

  @org.junit.jupiter.api.Test
  void globalAveragePooling1DAveragesTheUnmaskedStepsAsKeras231() {
    // Keras 2.3.1, Masking(0.0) then GlobalAveragePooling1D on [[1, 2], [3, 4], [0, 0], [5, 6]]:
    // [[3, 4]] (the mean of the three unmasked steps), and no mask after it.
    KerasTensor in = Input.create(4, 2);
    KerasTensor pooled = new GlobalAveragePooling1D().apply(new ZeroMask().apply(in));
    try (Model m = new Model(in, new Dense(1).apply(pooled))) {
      m.setWeights(List.of(NDArray.of(new float[] {1, 10}, 2, 1), NDArray.of(new float[] {0}, 1)));
      NDArray x = NDArray.of(new float[] {1, 2, 3, 4, 0, 0, 5, 6}, 1, 4, 2);
      assertThat(m.predict(ArrayData.of(x)).toFloatArray()).containsExactly(3 + 40);
    }
  }

  @org.junit.jupiter.api.Test
  void aMaskedInputStopsTheLayersThatDoNotSupportMasking() {
    // Keras 2.3.1: "Layer c does not support masking, but was passed an input_mask: ..."
    for (Supplier<Layer> make :
        List.<Supplier<Layer>>of(
            () -> Conv1D.builder(2, 2).name("c").build(),
            () -> GlobalMaxPooling1D.builder().name("c").build(),
            () -> MaxPooling1D.builder().name("c").build())) {
      KerasTensor in = Input.create(4, 2);
      KerasTensor out = make.get().apply(new ZeroMask().apply(in));
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> {
                try (Model m = new Model(in, out)) {
                  m.predict(ArrayData.of(NDArray.zeros(1, 4, 2)));
                }
              })
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Layer c does not support masking, but was passed an input_mask");
    }
  }

  static double mse(double[] out, double[] target) {
    double s = 0;
    for (int k = 0; k < out.length; k++) s += (out[k] - target[k]) * (out[k] - target[k]);
    return s / out.length;
  }
}
