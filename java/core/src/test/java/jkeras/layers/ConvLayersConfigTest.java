package jkeras.layers;

import static jkeras.layers.ConfigKeys.BASE;
import static jkeras.layers.ConfigKeys.BIAS_ONLY;
import static jkeras.layers.ConfigKeys.CONV_SPATIAL;
import static jkeras.layers.ConfigKeys.KERNEL_AND_BIAS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import jkeras.utils.ConvUtils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The convolution, pooling and resampling layers without TensorFlow: Keras 2.3.1's default names,
 * configs (keys in Keras' order, as its {@code get_config()} printed them), weights' names and
 * shapes, output shapes, argument errors and {@code Layers.deserialize} with Keras' aliases.
 */
class ConvLayersConfigTest {
  @BeforeEach
  void resetNames() {
    Layer.resetNames();
  }

  static final List<String> CONV =
      ConfigKeys.keys("filters", CONV_SPATIAL, "activation", "use_bias", KERNEL_AND_BIAS);

  static List<String> keys(List<String> own) {
    return ConfigKeys.keys(BASE, own);
  }

  /** Each layer with Keras' defaults: its Keras 2.3.1 name and config keys, in order. */
  static Stream<Arguments> layers() {
    List<String> separable =
        ConfigKeys.keys(
            "filters",
            CONV_SPATIAL,
            "activation",
            "use_bias",
            BIAS_ONLY,
            "depth_multiplier",
            "depthwise_initializer",
            "pointwise_initializer",
            "depthwise_regularizer",
            "pointwise_regularizer",
            "depthwise_constraint",
            "pointwise_constraint");
    List<String> depthwise =
        ConfigKeys.keys(
            CONV_SPATIAL,
            "activation",
            "use_bias",
            BIAS_ONLY,
            "depth_multiplier",
            "depthwise_initializer",
            "depthwise_regularizer",
            "depthwise_constraint");
    List<String> transpose = new ArrayList<>(CONV);
    transpose.add("output_padding");
    return Stream.of(
        Arguments.of((Supplier<Layer>) () -> new Conv1D(2, 3), "conv1d", CONV),
        Arguments.of((Supplier<Layer>) () -> new Conv2D(2, 3), "conv2d", CONV),
        Arguments.of(
            (Supplier<Layer>) () -> new Conv2DTranspose(2, 3), "conv2d_transpose", transpose),
        Arguments.of(
            (Supplier<Layer>) () -> new SeparableConv2D(2, 3), "separable_conv2d", separable),
        Arguments.of((Supplier<Layer>) () -> new DepthwiseConv2D(3), "depthwise_conv2d", depthwise),
        Arguments.of((Supplier<Layer>) UpSampling1D::new, "up_sampling1d", List.of("size")),
        Arguments.of(
            (Supplier<Layer>) UpSampling2D::new,
            "up_sampling2d",
            List.of("size", "data_format", "interpolation")),
        Arguments.of((Supplier<Layer>) ZeroPadding1D::new, "zero_padding1d", List.of("padding")),
        Arguments.of(
            (Supplier<Layer>) ZeroPadding2D::new,
            "zero_padding2d",
            List.of("padding", "data_format")),
        Arguments.of((Supplier<Layer>) Cropping1D::new, "cropping1d", List.of("cropping")),
        Arguments.of(
            (Supplier<Layer>) Cropping2D::new, "cropping2d", List.of("cropping", "data_format")),
        Arguments.of(
            (Supplier<Layer>) MaxPooling1D::new,
            "max_pooling1d",
            List.of("strides", "pool_size", "padding", "data_format")),
        Arguments.of(
            (Supplier<Layer>) AveragePooling1D::new,
            "average_pooling1d",
            List.of("strides", "pool_size", "padding", "data_format")),
        Arguments.of(
            (Supplier<Layer>) MaxPooling2D::new,
            "max_pooling2d",
            List.of("pool_size", "padding", "strides", "data_format")),
        Arguments.of(
            (Supplier<Layer>) AveragePooling2D::new,
            "average_pooling2d",
            List.of("pool_size", "padding", "strides", "data_format")),
        Arguments.of(
            (Supplier<Layer>) GlobalMaxPooling1D::new,
            "global_max_pooling1d",
            List.of("data_format")),
        Arguments.of(
            (Supplier<Layer>) GlobalAveragePooling1D::new,
            "global_average_pooling1d",
            List.of("data_format")),
        Arguments.of(
            (Supplier<Layer>) GlobalMaxPooling2D::new,
            "global_max_pooling2d",
            List.of("data_format")),
        Arguments.of(
            (Supplier<Layer>) GlobalAveragePooling2D::new,
            "global_average_pooling2d",
            List.of("data_format")));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("layers")
  void kerasNameAndConfigKeysInKerasOrder(Supplier<Layer> make, String prefix, List<String> own) {
    Layer l = make.get();
    assertThat(l.name()).isEqualTo(prefix + "_1");
    assertThat(make.get().name()).isEqualTo(prefix + "_2");
    assertThat(new ArrayList<>(l.getConfig().keySet())).containsExactlyElementsOf(keys(own));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("layers")
  void configRoundTripsThroughDeserialize(Supplier<Layer> make, String prefix, List<String> own) {
    Layer l = make.get();
    Layer again = Layers.deserialize(l.getClass().getSimpleName(), l.getConfig());
    assertThat(again).isInstanceOf(l.getClass());
    assertThat(again.getConfig()).isEqualTo(l.getConfig());
  }

  @Nested
  class Configs {
    @Test
    void conv2dConfigValuesAreKeras() {
      Map<String, Object> c =
          Conv2D.builder(2, 3)
              .strides(2, 1)
              .padding("SAME")
              .dilationRate(1)
              .activation("relu")
              .build()
              .getConfig();
      assertThat(c)
          .containsEntry("filters", 2)
          .containsEntry("kernel_size", List.of(3, 3))
          .containsEntry("strides", List.of(2, 1))
          .containsEntry("padding", "same")
          .containsEntry("data_format", "channels_last")
          .containsEntry("dilation_rate", List.of(1, 1))
          .containsEntry("activation", "relu")
          .containsEntry("use_bias", true)
          .containsEntry("kernel_regularizer", null)
          .containsEntry("kernel_constraint", null);
      assertThat(((Map<?, ?>) c.get("kernel_initializer")).get("class_name"))
          .isEqualTo("VarianceScaling");
    }

    @Test
    void tuplesOfOneAxisAreListsOfOne() {
      assertThat(new Conv1D(2, 3).getConfig())
          .containsEntry("kernel_size", List.of(3))
          .containsEntry("strides", List.of(1))
          .containsEntry("dilation_rate", List.of(1));
      assertThat(new MaxPooling1D().getConfig())
          .containsEntry("pool_size", List.of(2))
          .containsEntry("strides", List.of(2));
    }

    @Test
    void poolingStridesDefaultToThePoolSize() {
      assertThat(new MaxPooling2D(3, 2).getConfig())
          .containsEntry("pool_size", List.of(3, 2))
          .containsEntry("strides", List.of(3, 2));
      assertThat(MaxPooling2D.builder().poolSize(3).strides(1).build().getConfig())
          .containsEntry("strides", List.of(1, 1));
    }

    @Test
    void paddingAndCroppingAsKerasPairs() {
      assertThat(new ZeroPadding1D().getConfig()).containsEntry("padding", List.of(1, 1));
      assertThat(new ZeroPadding2D().getConfig())
          .containsEntry("padding", List.of(List.of(1, 1), List.of(1, 1)));
      assertThat(new ZeroPadding2D(1, 2).getConfig())
          .containsEntry("padding", List.of(List.of(1, 1), List.of(2, 2)));
      assertThat(new Cropping2D(1, 2, 3, 4).getConfig())
          .containsEntry("cropping", List.of(List.of(1, 2), List.of(3, 4)));
      assertThat(new Cropping2D().getConfig())
          .containsEntry("cropping", List.of(List.of(0, 0), List.of(0, 0)));
      assertThat(new Cropping1D().getConfig()).containsEntry("cropping", List.of(1, 1));
      assertThat(new UpSampling1D().getConfig()).containsEntry("size", 2);
      assertThat(new UpSampling2D().getConfig())
          .containsEntry("size", List.of(2, 2))
          .containsEntry("interpolation", "nearest");
    }

    @Test
    void outputPaddingIsNoneUnlessGiven() {
      assertThat(new Conv2DTranspose(2, 3).getConfig()).containsEntry("output_padding", null);
      assertThat(Conv2DTranspose.builder(2, 3).strides(2).outputPadding(1).build().getConfig())
          .containsEntry("output_padding", List.of(1, 1));
    }
  }

  @Nested
  class Weights {
    @Test
    void conv2dKernelIsHwio() {
      Conv2D c = Conv2D.builder(4, 3, 2).build();
      c.apply(Input.create(8, 8, 3));
      assertThat(c.weights()).extracting(w -> w.name()).containsExactly("kernel", "bias");
      assertThat(c.weights().get(0).shape()).containsExactly(3, 2, 3, 4);
      assertThat(c.weights().get(1).shape()).containsExactly(4);
      assertThat(c.countParams()).isEqualTo(3 * 2 * 3 * 4 + 4);
    }

    @Test
    void channelsFirstReadsTheChannelsOnAxisOne() {
      Conv2D c = Conv2D.builder(4, 3).dataFormat("channels_first").build();
      c.apply(Input.create(3, 8, 8));
      assertThat(c.weights().get(0).shape()).containsExactly(3, 3, 3, 4);
    }

    @Test
    void conv1dKernelIsWidthInOut() {
      Conv1D c = Conv1D.builder(4, 5).useBias(false).build();
      c.apply(Input.create(10, 2));
      assertThat(c.weights()).extracting(w -> w.name()).containsExactly("kernel");
      assertThat(c.weights().get(0).shape()).containsExactly(5, 2, 4);
    }

    @Test
    void transposeKernelIsRowsColsOutIn() {
      Conv2DTranspose c = new Conv2DTranspose(4, 3);
      c.apply(Input.create(5, 5, 2));
      assertThat(c.weights().get(0).shape()).containsExactly(3, 3, 4, 2);
    }

    @Test
    void separableHasDepthwiseThenPointwiseThenBias() {
      SeparableConv2D c = SeparableConv2D.builder(5, 3).depthMultiplier(2).build();
      c.apply(Input.create(8, 8, 3));
      assertThat(c.weights())
          .extracting(w -> w.name())
          .containsExactly("depthwise_kernel", "pointwise_kernel", "bias");
      assertThat(c.weights().get(0).shape()).containsExactly(3, 3, 3, 2);
      assertThat(c.weights().get(1).shape()).containsExactly(1, 1, 6, 5);
      assertThat(c.weights().get(2).shape()).containsExactly(5);
    }

    @Test
    void depthwiseBiasHasInputTimesMultiplierChannels() {
      DepthwiseConv2D c = DepthwiseConv2D.builder(3).depthMultiplier(2).build();
      KerasTensor out = c.apply(Input.create(8, 8, 3));
      assertThat(c.weights()).extracting(w -> w.name()).containsExactly("depthwise_kernel", "bias");
      assertThat(c.weights().get(0).shape()).containsExactly(3, 3, 3, 2);
      assertThat(c.weights().get(1).shape()).containsExactly(6);
      assertThat(out.shape()).containsExactly(-1, 6, 6, 6);
    }

    @Test
    void layersWithoutWeightsCountZeroBeforeBuild() {
      assertThat(new MaxPooling2D().countParams()).isZero();
      assertThat(new UpSampling2D().countParams()).isZero();
      assertThat(new GlobalAveragePooling1D().countParams()).isZero();
    }
  }

  @Nested
  class OutputShapes {
    long[] out(Layer l, long... in) {
      return l.apply(Input.create(in)).shape();
    }

    @Test
    void convOutputLengthAsKeras() {
      assertThat(out(new Conv2D(4, 3), 28, 28, 1)).containsExactly(-1, 26, 26, 4);
      assertThat(out(Conv2D.builder(4, 3).strides(2).padding("same").build(), 7, 8, 1))
          .containsExactly(-1, 4, 4, 4);
      assertThat(out(Conv2D.builder(4, 3).dilationRate(2).build(), 9, 9, 1))
          .containsExactly(-1, 5, 5, 4);
      assertThat(out(Conv2D.builder(4, 3).dataFormat("channels_first").build(), 1, 9, 7))
          .containsExactly(-1, 4, 7, 5);
      assertThat(out(Conv1D.builder(4, 3).padding("causal").build(), 10, 2))
          .containsExactly(-1, 10, 4);
      assertThat(out(new Conv1D(4, 3), -1, 2)).containsExactly(-1, -1, 4);
    }

    @Test
    void deconvLengthAsKeras() {
      assertThat(out(new Conv2DTranspose(2, 3), 4, 5, 1)).containsExactly(-1, 6, 7, 2);
      assertThat(out(Conv2DTranspose.builder(2, 3).strides(2).build(), 4, 5, 1))
          .containsExactly(-1, 9, 11, 2);
      assertThat(out(Conv2DTranspose.builder(2, 3).strides(2).padding("same").build(), 4, 5, 1))
          .containsExactly(-1, 8, 10, 2);
      assertThat(
              out(
                  Conv2DTranspose.builder(2, 3).strides(2).padding("same").outputPadding(1).build(),
                  4,
                  5,
                  1))
          .containsExactly(-1, 8, 10, 2);
      assertThat(out(Conv2DTranspose.builder(2, 3).dilationRate(2).build(), 4, 5, 1))
          .containsExactly(-1, 8, 9, 2);
    }

    @Test
    void poolingAndResamplingShapes() {
      assertThat(out(new MaxPooling2D(), 7, 7, 3)).containsExactly(-1, 3, 3, 3);
      assertThat(out(MaxPooling2D.builder().padding("same").build(), 7, 7, 3))
          .containsExactly(-1, 4, 4, 3);
      assertThat(out(new AveragePooling1D(), 7, 3)).containsExactly(-1, 3, 3);
      assertThat(out(new GlobalMaxPooling2D(), 7, 5, 3)).containsExactly(-1, 3);
      assertThat(
              out(GlobalAveragePooling2D.builder().dataFormat("channels_first").build(), 3, 5, 7))
          .containsExactly(-1, 3);
      assertThat(out(new GlobalAveragePooling1D(), -1, 4)).containsExactly(-1, 4);
      assertThat(out(new UpSampling2D(2, 3), 4, 5, 1)).containsExactly(-1, 8, 15, 1);
      assertThat(out(new UpSampling1D(3), 4, 2)).containsExactly(-1, 12, 2);
      assertThat(out(new ZeroPadding2D(1, 2, 3, 4), 4, 5, 1)).containsExactly(-1, 7, 12, 1);
      assertThat(out(new Cropping2D(1, 0, 2, 1), 4, 5, 1)).containsExactly(-1, 3, 2, 1);
      assertThat(out(new ZeroPadding1D(2), -1, 3)).containsExactly(-1, -1, 3);
      assertThat(out(new Cropping1D(1, 2), 6, 3)).containsExactly(-1, 3, 3);
    }

    @Test
    void aConvolutionTakesOtherSpatialSizesButNotOtherChannels() {
      // Keras' InputSpec(ndim=4, axes={-1: channels}): a fully convolutional layer is reusable.
      Conv2D c = Conv2D.builder(2, 3).name("c").build();
      c.apply(Input.create(8, 8, 3));
      assertThat(c.apply(Input.create(16, 10, 3)).shape()).containsExactly(-1, 14, 8, 2);
      assertThatThrownBy(() -> c.apply(Input.create(8, 8, 4)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "Input 0 is incompatible with layer c: expected axis -1 of input shape to have value"
                  + " 3 but got shape (None, 8, 8, 4)");
    }
  }

  @Nested
  class Errors {
    @Test
    void inputRankIsKerasInputSpec() {
      assertThatThrownBy(() -> Conv2D.builder(2, 3).name("c").build().apply(Input.create(8, 3)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Input 0 is incompatible with layer c: expected ndim=4, found ndim=3");
      assertThatThrownBy(
              () -> MaxPooling1D.builder().name("p").build().apply(Input.create(8, 8, 3)))
          .hasMessage("Input 0 is incompatible with layer p: expected ndim=3, found ndim=4");
    }

    @Test
    void channelsMustBeKnown() {
      assertThatThrownBy(() -> new Conv2D(2, 3).apply(Input.create(8, 8, -1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("The channel dimension of the inputs should be defined. Found `None`.");
    }

    @Test
    void tupleArgumentsHaveOneValueOrOnePerAxis() {
      assertThatThrownBy(() -> Conv2D.builder(2, 3, 3, 3))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "The `kernel_size` argument must be a tuple of 2 integers. Received: (3, 3, 3)");
      assertThatThrownBy(() -> MaxPooling1D.builder().strides(1, 2))
          .hasMessage("The `strides` argument must be a tuple of 1 integers. Received: (1, 2)");
    }

    @Test
    void paddingAndDataFormatAreKerasChoices() {
      assertThatThrownBy(() -> Conv2D.builder(2, 3).padding("full"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "The `padding` argument must be one of \"valid\", \"same\" (or \"causal\" for"
                  + " Conv1D). Received: full");
      assertThatThrownBy(() -> Conv2D.builder(2, 3).dataFormat("NHWC"))
          .hasMessage(
              "The `data_format` argument must be one of \"channels_first\", \"channels_last\"."
                  + " Received: NHWC");
      assertThatThrownBy(() -> Conv2D.builder(2, 3).padding("causal").build())
          .hasMessage("Invalid padding: causal");
      assertThatThrownBy(() -> MaxPooling1D.builder().padding("causal").build())
          .hasMessage("Invalid padding: causal");
    }

    @Test
    void causalNeedsChannelsLast() {
      assertThatThrownBy(
              () -> Conv1D.builder(2, 3).padding("causal").dataFormat("channels_first").build())
          .hasMessage(
              "When using causal padding in `Conv1D`, `data_format` must be \"channels_last\""
                  + " (temporal data).");
    }

    @Test
    void stridesAndDilationAreNotBothAboveOne() {
      assertThatThrownBy(() -> Conv2D.builder(2, 3).strides(2).dilationRate(2).build())
          .hasMessage(
              "`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received:"
                  + " strides=(2, 2) and dilation_rate=(2, 2)");
    }

    @Test
    void outputPaddingIsBelowTheStride() {
      assertThatThrownBy(() -> Conv2DTranspose.builder(2, 3).outputPadding(1).build())
          .hasMessage("Stride (1, 1) must be greater than output padding (1, 1)");
    }

    @Test
    void interpolationIsNearestOrBilinear() {
      assertThatThrownBy(() -> UpSampling2D.builder().interpolation("bicubic"))
          .hasMessage("interpolation should be one of \"nearest\" or \"bilinear\".");
    }

    @Test
    void filtersArePositive() {
      assertThatThrownBy(() -> Conv2D.builder(0, 3))
          .hasMessage("Expected `filters` to be a positive integer. Received: filters=0");
    }
  }

  @Nested
  class Deserialize {
    @Test
    void fromAKeras231Config() {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("name", "conv");
      c.put("filters", 8);
      c.put("kernel_size", List.of(3, 2));
      c.put("strides", 1);
      c.put("padding", "same");
      c.put("data_format", "channels_last");
      c.put("dilation_rate", List.of(1, 1));
      c.put("activation", "relu");
      c.put("use_bias", true);
      c.put(
          "kernel_initializer",
          Map.of(
              "class_name",
              "VarianceScaling",
              "config",
              Map.of("scale", 1.0, "mode", "fan_avg", "distribution", "uniform", "seed", 7)));
      c.put("bias_initializer", Map.of("class_name", "Zeros", "config", Map.of()));
      c.put("kernel_regularizer", null);
      c.put("activity_regularizer", null);
      c.put("kernel_constraint", null);
      c.put("bias_constraint", null);
      c.put("batch_input_shape", Arrays.asList(null, 28, 28, 1));
      Conv2D l = (Conv2D) Layers.deserialize("Conv2D", c);
      assertThat(l.name()).isEqualTo("conv");
      assertThat(l.kernelSize()).containsExactly(3, 2);
      assertThat(l.padding()).isEqualTo("same");
      assertThat(l.inputShape()).containsExactly(28, 28, 1);
      assertThat(l.activation().name()).isEqualTo("relu");
    }

    static Stream<Arguments> aliases() {
      return Stream.of(
          Arguments.of("Convolution1D", Map.of("filters", 2, "kernel_size", 3), Conv1D.class),
          Arguments.of("Convolution2D", Map.of("filters", 2, "kernel_size", 3), Conv2D.class),
          Arguments.of(
              "Deconvolution2D", Map.of("filters", 2, "kernel_size", 3), Conv2DTranspose.class),
          Arguments.of("MaxPool1D", Map.of(), MaxPooling1D.class),
          Arguments.of("AvgPool1D", Map.of(), AveragePooling1D.class),
          Arguments.of("MaxPool2D", Map.of("pool_size", List.of(2, 2)), MaxPooling2D.class),
          Arguments.of("AvgPool2D", Map.of(), AveragePooling2D.class),
          Arguments.of("GlobalMaxPool1D", Map.of(), GlobalMaxPooling1D.class),
          Arguments.of("GlobalAvgPool1D", Map.of(), GlobalAveragePooling1D.class),
          Arguments.of("GlobalMaxPool2D", Map.of(), GlobalMaxPooling2D.class),
          Arguments.of("GlobalAvgPool2D", Map.of(), GlobalAveragePooling2D.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("aliases")
    void kerasAliasesBuildTheAliasedClass(String alias, Map<String, Object> c, Class<?> type) {
      Layer l = Layers.deserialize(alias, c);
      assertThat(l).isExactlyInstanceOf(type);
      // Keras names an alias' layer after the class: MaxPool2D() is max_pooling2d_1.
      assertThat(l.name()).startsWith(Layer.toSnakeCase(type.getSimpleName()) + "_");
      assertThat(Layers.classNames()).contains(alias);
    }

    @Test
    void onlyTheAliasesKeras231Exports() {
      // keras.layers.convolutional defines these too, but keras.layers (and so deserialize) has
      // none of them in 2.3.1.
      assertThat(Layers.classNames())
          .doesNotContain("Deconv2D", "SeparableConvolution2D", "Convolution2DTranspose");
    }

    @Test
    void zeroPadding2DTakesAnIntTwoIntsOrTwoPairs() {
      assertThat(
              ((ZeroPadding2D) Layers.deserialize("ZeroPadding2D", Map.of("padding", 2))).padding())
          .isEqualTo(new int[][] {{2, 2}, {2, 2}});
      assertThat(
              ((ZeroPadding2D)
                      Layers.deserialize("ZeroPadding2D", Map.of("padding", List.of(1, 3))))
                  .padding())
          .isEqualTo(new int[][] {{1, 1}, {3, 3}});
      assertThat(
              ((Cropping2D)
                      Layers.deserialize(
                          "Cropping2D", Map.of("cropping", List.of(List.of(1, 2), List.of(3, 4)))))
                  .cropping())
          .isEqualTo(new int[][] {{1, 2}, {3, 4}});
      assertThatThrownBy(
              () -> Layers.deserialize("ZeroPadding2D", Map.of("padding", List.of(1, 2, 3))))
          .hasMessage("`padding` should have two elements. Found: [1, 2, 3]");
    }

    @Test
    void unknownKeysAreRejected() {
      assertThatThrownBy(
              () -> Layers.deserialize("MaxPooling2D", Map.of("pool_size", 2, "pool", 2)))
          .hasMessageContaining("Unknown argument `pool` for MaxPooling2D.");
    }
  }

  @Nested
  class KerasConvUtils {
    @Test
    void convOutputLength() {
      assertThat(ConvUtils.convOutputLength(28, 3, "valid", 1, 1)).isEqualTo(26);
      assertThat(ConvUtils.convOutputLength(7, 3, "same", 2, 1)).isEqualTo(4);
      assertThat(ConvUtils.convOutputLength(10, 3, "causal", 1, 4)).isEqualTo(10);
      assertThat(ConvUtils.convOutputLength(9, 3, "valid", 1, 2)).isEqualTo(5);
      assertThat(ConvUtils.convOutputLength(9, 3, "full", 2, 1)).isEqualTo(6);
      assertThat(ConvUtils.convOutputLength(-1, 3, "valid", 1, 1)).isEqualTo(-1);
    }

    @Test
    void deconvAndInputLength() {
      assertThat(ConvUtils.deconvLength(13, 2, 3, "valid", null, 1)).isEqualTo(27);
      assertThat(ConvUtils.deconvLength(4, 3, 2, "valid", null, 1)).isEqualTo(12);
      assertThat(ConvUtils.deconvLength(4, 2, 3, "same", 1, 1)).isEqualTo(8);
      assertThat(ConvUtils.deconvLength(4, 1, 3, "valid", null, 2)).isEqualTo(8);
      assertThat(ConvUtils.deconvLength(4, 2, 3, "full", null, 1)).isEqualTo(5);
      assertThat(ConvUtils.convInputLength(26, 3, "valid", 1)).isEqualTo(28);
      assertThat(ConvUtils.convInputLength(4, 3, "same", 2)).isEqualTo(7);
    }

    @Test
    void normalizeTuple() {
      assertThat(ConvUtils.normalizeTuple(new int[] {3}, 2, "k")).containsExactly(3, 3);
      assertThat(ConvUtils.normalizeTuple((Object) List.of(1, 2), 2, "k")).containsExactly(1, 2);
      assertThat(ConvUtils.normalizeTuple((Object) 4, 1, "k")).containsExactly(4);
      assertThatThrownBy(() -> ConvUtils.normalizeTuple((Object) "3", 2, "kernel_size"))
          .hasMessage("The `kernel_size` argument must be a tuple of 2 integers. Received: 3");
    }
  }
}
