package jkeras.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import jkeras.internal.Config;
import jkeras.internal.Errors;
import jkeras.utils.ConvUtils;

/**
 * The Keras configs of the convolution, pooling and resampling layers ({@code
 * keras.layers.convolutional} and {@code keras.layers.pooling}) for {@link Layers#deserialize},
 * Keras' module-level aliases included ({@code MaxPool2D = MaxPooling2D}, ...).
 */
final class ConvolutionalConfigs {
  private ConvolutionalConfigs() {}

  /** Registers every class name and alias. */
  static void registerAll(BiConsumer<String, Function<Map<String, Object>, Layer>> registry) {
    registry.accept("Conv1D", ConvolutionalConfigs::conv1d);
    registry.accept("Conv2D", ConvolutionalConfigs::conv2d);
    registry.accept("Conv2DTranspose", ConvolutionalConfigs::conv2dTranspose);
    registry.accept("SeparableConv2D", ConvolutionalConfigs::separableConv2d);
    registry.accept("DepthwiseConv2D", ConvolutionalConfigs::depthwiseConv2d);
    registry.accept("UpSampling1D", ConvolutionalConfigs::upSampling1d);
    registry.accept("UpSampling2D", ConvolutionalConfigs::upSampling2d);
    registry.accept("ZeroPadding1D", ConvolutionalConfigs::zeroPadding1d);
    registry.accept("ZeroPadding2D", ConvolutionalConfigs::zeroPadding2d);
    registry.accept("Cropping1D", ConvolutionalConfigs::cropping1d);
    registry.accept("Cropping2D", ConvolutionalConfigs::cropping2d);
    registry.accept("MaxPooling1D", c -> pooling("MaxPooling1D", MaxPooling1D.builder(), c));
    registry.accept(
        "AveragePooling1D", c -> pooling("AveragePooling1D", AveragePooling1D.builder(), c));
    registry.accept("MaxPooling2D", c -> pooling("MaxPooling2D", MaxPooling2D.builder(), c));
    registry.accept(
        "AveragePooling2D", c -> pooling("AveragePooling2D", AveragePooling2D.builder(), c));
    registry.accept(
        "GlobalMaxPooling1D", c -> global("GlobalMaxPooling1D", GlobalMaxPooling1D.builder(), c));
    registry.accept(
        "GlobalAveragePooling1D",
        c -> global("GlobalAveragePooling1D", GlobalAveragePooling1D.builder(), c));
    registry.accept(
        "GlobalMaxPooling2D", c -> global("GlobalMaxPooling2D", GlobalMaxPooling2D.builder(), c));
    registry.accept(
        "GlobalAveragePooling2D",
        c -> global("GlobalAveragePooling2D", GlobalAveragePooling2D.builder(), c));
    for (Map.Entry<String, String> alias : ALIASES.entrySet()) {
      String target = alias.getValue();
      registry.accept(alias.getKey(), c -> Layers.deserialize(target, c));
    }
  }

  /**
   * Keras 2.3.1's aliases, those {@code keras.layers} exports (so {@code layers.deserialize} knows
   * them): the same class under another name; the layer built is the aliased class.
   */
  static final Map<String, String> ALIASES =
      Map.ofEntries(
          Map.entry("Convolution1D", "Conv1D"),
          Map.entry("Convolution2D", "Conv2D"),
          Map.entry("Deconvolution2D", "Conv2DTranspose"),
          Map.entry("MaxPool1D", "MaxPooling1D"),
          Map.entry("AvgPool1D", "AveragePooling1D"),
          Map.entry("MaxPool2D", "MaxPooling2D"),
          Map.entry("AvgPool2D", "AveragePooling2D"),
          Map.entry("GlobalMaxPool1D", "GlobalMaxPooling1D"),
          Map.entry("GlobalAvgPool1D", "GlobalAveragePooling1D"),
          Map.entry("GlobalMaxPool2D", "GlobalMaxPooling2D"),
          Map.entry("GlobalAvgPool2D", "GlobalAveragePooling2D"));

  /** The keys of the convolutions with one kernel, in Keras 2.3.1's order. */
  private static final List<String> CONV_KEYS =
      BiasArgsBuilder.configKeys(
          List.of("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate"),
          "kernel",
          "bias");

  private static int filters(Map<String, Object> c) {
    Object f = c.get("filters");
    if (!(f instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()))
      throw Errors.invalidArgument("filters", "a positive integer", f);
    return n.intValue();
  }

  private static int[] kernelSize(Map<String, Object> c, int rank) {
    if (c.get("kernel_size") == null)
      throw Errors.invalidArgument("kernel_size", "an integer or a tuple of integers", null);
    return ConvUtils.normalizeTuple(c.get("kernel_size"), rank, "kernel_size");
  }

  /** The keys every convolution shares, in Keras' names. */
  private static <B extends Conv.Builder<B>> B common(B b, Map<String, Object> c, int rank) {
    b.baseConfig(c);
    if (c.get("strides") != null)
      b.strides(ConvUtils.normalizeTuple(c.get("strides"), rank, "strides"));
    if (c.get("padding") != null) b.padding(Config.getString(c, "padding", "valid"));
    b.dataFormat(Config.getString(c, "data_format", null));
    if (c.get("dilation_rate") != null)
      b.dilationRate(ConvUtils.normalizeTuple(c.get("dilation_rate"), rank, "dilation_rate"));
    return b.readBiasArgs(c);
  }

  /** The keys of a convolution with one {@code kernel}. */
  private static <B extends Conv.KernelBuilder<B>> B kernel(B b, Map<String, Object> c) {
    b.kernel.readConfig(c);
    return b;
  }

  /** The keys of a convolution with a depthwise kernel. */
  private static <B extends Conv.DepthwiseBuilder<B>> B depthwise(B b, Map<String, Object> c) {
    b.depthMultiplier(Config.getInt(c, "depth_multiplier", 1));
    b.depthwise.readConfig(c);
    return b;
  }

  private static Layer conv1d(Map<String, Object> c) {
    Layers.check("Conv1D", c, CONV_KEYS.toArray(String[]::new));
    int[] k = kernelSize(c, 1);
    Conv1D.Builder b = kernel(common(Conv1D.builder(filters(c), k[0]), c, 1), c);
    return b.build();
  }

  private static Layer conv2d(Map<String, Object> c) {
    Layers.check("Conv2D", c, CONV_KEYS.toArray(String[]::new));
    Conv2D.Builder b = kernel(common(Conv2D.builder(filters(c), kernelSize(c, 2)), c, 2), c);
    return b.build();
  }

  private static Layer conv2dTranspose(Map<String, Object> c) {
    List<String> keys = new ArrayList<>(CONV_KEYS);
    keys.add("output_padding");
    Layers.check("Conv2DTranspose", c, keys.toArray(String[]::new));
    Conv2DTranspose.Builder b =
        kernel(common(Conv2DTranspose.builder(filters(c), kernelSize(c, 2)), c, 2), c);
    if (c.get("output_padding") != null)
      b.outputPadding(ConvUtils.normalizeTuple(c.get("output_padding"), 2, "output_padding"));
    return b.build();
  }

  private static Layer separableConv2d(Map<String, Object> c) {
    List<String> own =
        List.of(
            "filters",
            "kernel_size",
            "strides",
            "padding",
            "data_format",
            "dilation_rate",
            "depth_multiplier");
    Layers.check(
        "SeparableConv2D",
        c,
        BiasArgsBuilder.configKeys(own, "depthwise", "pointwise", "bias").toArray(String[]::new));
    SeparableConv2D.Builder b =
        depthwise(common(SeparableConv2D.builder(filters(c), kernelSize(c, 2)), c, 2), c);
    b.pointwise.readConfig(c);
    return b.build();
  }

  private static Layer depthwiseConv2d(Map<String, Object> c) {
    List<String> own =
        List.of(
            "kernel_size",
            "strides",
            "padding",
            "depth_multiplier",
            "data_format",
            "dilation_rate");
    Layers.check(
        "DepthwiseConv2D",
        c,
        BiasArgsBuilder.configKeys(own, "depthwise", "bias").toArray(String[]::new));
    return depthwise(common(DepthwiseConv2D.builder(kernelSize(c, 2)), c, 2), c).build();
  }

  private static <B extends Pooling.Builder<B>> Layer pooling(
      String className, B b, Map<String, Object> c) {
    Layers.check(className, c, "pool_size", "strides", "padding", "data_format");
    b.baseConfig(c);
    if (c.get("pool_size") != null)
      b.poolSize(ConvUtils.normalizeTuple(c.get("pool_size"), b.rank, "pool_size"));
    if (c.get("strides") != null)
      b.strides(ConvUtils.normalizeTuple(c.get("strides"), b.rank, "strides"));
    if (c.get("padding") != null) b.padding(Config.getString(c, "padding", "valid"));
    b.dataFormat(Config.getString(c, "data_format", null));
    return b.build();
  }

  private static <B extends GlobalPooling.Builder<B>> Layer global(
      String className, B b, Map<String, Object> c) {
    Layers.check(className, c, "data_format");
    b.baseConfig(c);
    b.dataFormat(Config.getString(c, "data_format", null));
    return b.build();
  }

  private static Layer upSampling1d(Map<String, Object> c) {
    Layers.check("UpSampling1D", c, "size");
    UpSampling1D.Builder b = UpSampling1D.builder().baseConfig(c);
    if (c.get("size") != null) b.size(ConvUtils.normalizeTuple(c.get("size"), 1, "size")[0]);
    return b.build();
  }

  private static Layer upSampling2d(Map<String, Object> c) {
    Layers.check("UpSampling2D", c, "size", "data_format", "interpolation");
    UpSampling2D.Builder b = UpSampling2D.builder().baseConfig(c);
    if (c.get("size") != null) b.size(ConvUtils.normalizeTuple(c.get("size"), 2, "size"));
    b.dataFormat(Config.getString(c, "data_format", null));
    if (c.get("interpolation") != null) b.interpolation(Config.getString(c, "interpolation", null));
    return b.build();
  }

  private static Layer zeroPadding1d(Map<String, Object> c) {
    return margins1d("ZeroPadding1D", "padding", c, ZeroPadding1D.builder(), (b, p) -> b.padding(p))
        .build();
  }

  private static Layer cropping1d(Map<String, Object> c) {
    return margins1d("Cropping1D", "cropping", c, Cropping1D.builder(), (b, p) -> b.cropping(p))
        .build();
  }

  private static Layer zeroPadding2d(Map<String, Object> c) {
    return margins2d("ZeroPadding2D", "padding", c, ZeroPadding2D.builder(), (b, p) -> b.padding(p))
        .build();
  }

  private static Layer cropping2d(Map<String, Object> c) {
    return margins2d("Cropping2D", "cropping", c, Cropping2D.builder(), (b, p) -> b.cropping(p))
        .build();
  }

  /** ZeroPadding1D's or Cropping1D's config: {@code key}, one count or (start, end). */
  private static <B extends Layer.Builder<B>> B margins1d(
      String className, String key, Map<String, Object> c, B b, BiConsumer<B, int[]> set) {
    Layers.check(className, c, key);
    b.baseConfig(c);
    if (c.get(key) != null) set.accept(b, ConvUtils.normalizeTuple(c.get(key), 2, key));
    return b;
  }

  /** ZeroPadding2D's or Cropping2D's config: {@code key} (see {@link #pairs}), data_format. */
  private static <B extends SpatialLayer.Builder<B>> B margins2d(
      String className, String key, Map<String, Object> c, B b, BiConsumer<B, int[][]> set) {
    Layers.check(className, c, key, "data_format");
    b.baseConfig(c);
    if (c.get(key) != null) set.accept(b, pairs(c.get(key), key));
    b.dataFormat(Config.getString(c, "data_format", null));
    return b;
  }

  /** Keras' ZeroPadding2D/Cropping2D argument: an int, 2 ints (symmetric), or 2 pairs of ints. */
  private static int[][] pairs(Object v, String name) {
    if (v instanceof Number) {
      int n = ConvUtils.normalizeTuple(v, 1, name)[0];
      return new int[][] {{n, n}, {n, n}};
    }
    if (v instanceof List<?> l) {
      if (l.size() != 2)
        throw new IllegalArgumentException("`" + name + "` should have two elements. Found: " + v);
      return new int[][] {
        ConvUtils.normalizeTuple(l.get(0), 2, "1st entry of " + name),
        ConvUtils.normalizeTuple(l.get(1), 2, "2nd entry of " + name)
      };
    }
    throw new IllegalArgumentException(
        "`"
            + name
            + "` should be either an int, a tuple of 2 ints (symmetric_height, symmetric_width),"
            + " or a tuple of 2 tuples of 2 ints ((top, bottom), (left, right)). Found: "
            + v);
  }
}
