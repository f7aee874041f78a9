package jkeras.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import jkeras.data.DType;
import jkeras.data.NDArray;
import jkeras.models.Model;
import jkeras.regularizers.Regularizers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Layer configuration, naming, shape inference and deserialization; weights in a model. */
class LayersTest {

  @BeforeEach
  void resetNames() {
    Layer.resetNames();
  }

  @Nested
  class DefaultNames {
    static Stream<Arguments> prefixes() {
      return Stream.of(
          Arguments.of((Supplier<Layer>) () -> new Dense(2), "dense"),
          Arguments.of((Supplier<Layer>) () -> new Activation("relu"), "activation"),
          Arguments.of((Supplier<Layer>) () -> new Dropout(0.5), "dropout"),
          Arguments.of((Supplier<Layer>) Flatten::new, "flatten"),
          Arguments.of((Supplier<Layer>) () -> new Reshape(2, 3), "reshape"),
          Arguments.of((Supplier<Layer>) Concatenate::new, "concatenate"),
          Arguments.of((Supplier<Layer>) Add::new, "add"));
    }

    @ParameterizedTest
    @MethodSource("prefixes")
    void firstIsThePrefixThenNumbered(Supplier<Layer> make, String prefix) {
      // Keras 2.3.1 counts from 1 (K.get_uid); tf-keras would name the first one `prefix`.
      assertThat(make.get().name()).isEqualTo(prefix + "_1");
      assertThat(make.get().name()).isEqualTo(prefix + "_2");
      assertThat(make.get().name()).isEqualTo(prefix + "_3");
    }

    @Test
    void countersArePerPrefix() {
      assertThat(new Dense(1).name()).isEqualTo("dense_1");
      assertThat(new Dropout(0.1).name()).isEqualTo("dropout_1");
      assertThat(new Dense(1).name()).isEqualTo("dense_2");
    }

    @Test
    void explicitNamesDoNotConsumeTheCounter() {
      assertThat(Dense.builder(2).name("hidden").build().name()).isEqualTo("hidden");
      assertThat(new Dense(2).name()).isEqualTo("dense_1");
    }

    @Test
    void inputsAreNumberedFromOne() {
      assertThat(Input.create(3).layer().name()).isEqualTo("input_1");
      assertThat(Input.create(3).layer().name()).isEqualTo("input_2");
      assertThat(Input.create(new long[] {3}, "pixels").layer().name()).isEqualTo("pixels");
      assertThat(Input.create(3).layer().name()).isEqualTo("input_3");
    }

    @Test
    void resetNamesStartsNumberingAgain() {
      new Dense(1);
      new Dense(1);
      Layer.resetNames();
      assertThat(new Dense(1).name()).isEqualTo("dense_1");
    }
  }

  @Nested
  class ShapeInference {
    @Test
    void inputHasANoneBatchDimension() {
      KerasTensor in = Input.builder().shape(3).dtype("int32").name("ids").build();
      assertThat(in.shape()).containsExactly(-1, 3);
      assertThat(in.dtype()).isEqualTo(DType.INT32);
      assertThat(in.layer()).isInstanceOf(InputLayer.class);
      assertThat(in.inbound()).isEmpty();
    }

    @Test
    void denseReplacesTheLastAxis() {
      KerasTensor in = Input.create(3);
      Dense d = new Dense(4);
      KerasTensor out = d.apply(in);
      assertThat(out.shape()).containsExactly(-1, 4);
      assertThat(out.layer()).isSameAs(d);
      assertThat(out.inbound()).containsExactly(in);
      assertThat(d.built()).isTrue();
    }

    @Test
    void denseOnRank3ContractsTheLastAxis() {
      assertThat(new Dense(5).apply(Input.create(2, 3)).shape()).containsExactly(-1, 2, 5);
    }

    @Test
    void flattenMultipliesTheNonBatchAxes() {
      assertThat(new Flatten().apply(Input.create(2, 3, 4)).shape()).containsExactly(-1, 24);
    }

    @Test
    void flattenNeedsKnownDimensions() {
      assertThatThrownBy(() -> new Flatten().apply(Input.create(-1, 3)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(
              "The shape of the input to \"Flatten\" is not fully defined (got (None, 3))");
    }

    @Test
    void reshapeInfersTheUnknownDimension() {
      assertThat(new Reshape(-1, 2).apply(Input.create(6)).shape()).containsExactly(-1, 3, 2);
      assertThat(new Reshape(3, 2).apply(Input.create(6)).shape()).containsExactly(-1, 3, 2);
    }

    @Test
    void reshapeKeepsTheTotalSize() {
      assertThatThrownBy(() -> new Reshape(4, 2).apply(Input.create(6)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(
              "total size of new array must be unchanged, input_shape = [6], output_shape = [4,"
                  + " 2]");
    }

    @Test
    void concatenateSumsTheAxis() {
      KerasTensor out = new Concatenate().apply(List.of(Input.create(2), Input.create(3)));
      assertThat(out.shape()).containsExactly(-1, 5);
      KerasTensor rows = new Concatenate(1).apply(List.of(Input.create(2, 4), Input.create(3, 4)));
      assertThat(rows.shape()).containsExactly(-1, 5, 4);
    }

    @Test
    void concatenateNeedsMatchingOtherAxes() {
      assertThatThrownBy(
              () -> new Concatenate().apply(List.of(Input.create(2, 4), Input.create(3, 4))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(
              "A `Concatenate` layer requires inputs with matching shapes except for the concat"
                  + " axis");
    }

    @Test
    void mergeLayersNeedTwoInputs() {
      assertThatThrownBy(() -> new Concatenate().apply(Input.create(2)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("should be called on a list of at least 2 inputs");
      assertThatThrownBy(() -> new Add().apply(Input.create(2)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(
              "A merge layer should be called on a list of at least 2 inputs. Got 1 inputs.");
    }

    @Test
    void addNeedsEqualShapes() {
      assertThat(new Add().apply(List.of(Input.create(3), Input.create(3))).shape())
          .containsExactly(-1, 3);
      assertThatThrownBy(() -> new Add().apply(List.of(Input.create(3), Input.create(4))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Operands could not be broadcast together with shapes (3,) (4,)");
    }

    @Test
    void singleInputLayersRejectLists() {
      assertThatThrownBy(() -> new Dense(2).apply(List.of(Input.create(2), Input.create(2))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("expects 1 inputs, but it received 2 input tensors");
    }

    @Test
    void denseNeedsRankTwo() {
      assertThatThrownBy(() -> new Dense(2).apply(Input.create(new long[0])))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("expected min_ndim=2, found ndim=1");
    }

    @Test
    void aBuiltDenseRejectsAnotherInputSize() {
      Dense d = Dense.builder(2).name("d").build();
      d.apply(Input.create(3));
      assertThatThrownBy(() -> d.apply(Input.create(4)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Input 0 is incompatible with layer d");
    }

    @Test
    void activationAndDropoutKeepTheShape() {
      assertThat(new Activation("tanh").apply(Input.create(2, 3)).shape())
          .containsExactly(-1, 2, 3);
      assertThat(new Dropout(0.3).apply(Input.create(7)).shape()).containsExactly(-1, 7);
    }
  }

  @Nested
  class Parameters {
    @Test
    void denseCountsKernelAndBias() {
      Dense d = new Dense(4);
      d.apply(Input.create(3));
      assertThat(d.countParams()).isEqualTo(3 * 4 + 4);
      Dense noBias = Dense.builder(4).useBias(false).build();
      noBias.apply(Input.create(3));
      assertThat(noBias.countParams()).isEqualTo(12);
    }

    @Test
    void weightsAreKernelThenBias() {
      Dense d = new Dense(4);
      d.apply(Input.create(3));
      assertThat(d.weights()).extracting(w -> w.name()).containsExactly("kernel", "bias");
      assertThat(d.weights().get(0).shape()).containsExactly(3, 4);
      assertThat(d.weights().get(1).shape()).containsExactly(4);
      assertThat(d.trainableWeights()).hasSize(2);
      assertThat(d.nonTrainableWeights()).isEmpty();
    }

    @Test
    void frozenLayerWeightsAreNonTrainable() {
      Dense d = Dense.builder(4).trainable(false).build();
      d.apply(Input.create(3));
      assertThat(d.trainable()).isFalse();
      assertThat(d.trainableWeights()).isEmpty();
      assertThat(d.nonTrainableWeights())
          .extracting(w -> w.name())
          .containsExactly("kernel", "bias");
    }

    @Test
    void unbuiltDenseCannotCountParams() {
      Dense d = Dense.builder(2).name("d").build();
      assertThatThrownBy(d::countParams)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(
              "You tried to call `count_params` on d, but the layer isn't built.");
    }

    @Test
    void weightFreeLayersCountZeroBeforeBuild() {
      assertThat(new Flatten().countParams()).isZero();
      assertThat(new Dropout(0.2).countParams()).isZero();
      assertThat(new Activation("relu").countParams()).isZero();
    }

    @Test
    void weightsNeedAModel() {
      Dense d = Dense.builder(2).name("d").build();
      d.apply(Input.create(3));
      assertThatThrownBy(d::getWeights)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("The weights of layer `d` exist once it is part of a built model");
    }
  }

  @Nested
  class Arguments_ {
    @Test
    void unitsMustBePositive() {
      assertThatThrownBy(() -> Dense.builder(0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Expected `units` to be a positive integer. Received: units=0");
    }

    @Test
    void dropoutRateMustBeInUnitInterval() {
      assertThatThrownBy(() -> new Dropout(1.0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Expected `rate` to be a float in [0, 1). Received: rate=1.0");
      assertThatThrownBy(() -> new Dropout(-0.1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unknownActivationListsValidNames() {
      assertThatThrownBy(() -> Dense.builder(2).activation("relux"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Unknown activation function: `relux`. Expected one of [")
          .hasMessageContaining("relu")
          .hasMessageContaining("softmax");
    }

    @Test
    void inputShapeMustBePositive() {
      assertThatThrownBy(() -> Dense.builder(2).inputShape(0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Expected `inputShape` to be positive dimensions or -1 for None");
      assertThatThrownBy(() -> Input.create(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void inputNeedsAShape() {
      assertThatThrownBy(() -> Input.builder().build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(
              "Please provide to Input either a `shape` or a `batch_shape` argument.");
    }

    @Test
    void unknownDtypeIsRejected() {
      assertThatThrownBy(() -> Dense.builder(2).dtype("float8"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Unknown dtype: `float8`");
    }
  }

  @Nested
  class Configs {
    @Test
    void denseConfigHasKerasKeysInOrder() {
      Map<String, Object> c =
          Dense.builder(3)
              .name("d")
              .activation("relu")
              .inputShape(5)
              .kernelRegularizer(Regularizers.l2(0.01))
              .build()
              .getConfig();
      assertThat(new ArrayList<>(c.keySet()))
          .containsSubsequence(
              "name",
              "trainable",
              "batch_input_shape",
              "dtype",
              "units",
              "activation",
              "use_bias",
              "kernel_initializer",
              "bias_initializer",
              "kernel_regularizer",
              "bias_regularizer");
      assertThat(c.get("name")).isEqualTo("d");
      assertThat(c.get("trainable")).isEqualTo(true);
      assertThat(c.get("batch_input_shape")).isEqualTo(Arrays.asList(null, 5L));
      assertThat(c.get("dtype")).isEqualTo("float32");
      assertThat(c.get("units")).isEqualTo(3);
      assertThat(c.get("activation")).isEqualTo("relu");
      assertThat(c.get("use_bias")).isEqualTo(true);
      assertThat(((Map<?, ?>) c.get("kernel_initializer")).get("class_name"))
          .isEqualTo("VarianceScaling");
      assertThat(((Map<?, ?>) c.get("bias_initializer")).get("class_name")).isEqualTo("Zeros");
      assertThat(c.get("bias_regularizer")).isNull();
    }

    @Test
    void defaultActivationIsLinear() {
      assertThat(new Dense(2).getConfig().get("activation")).isEqualTo("linear");
      assertThat(Dense.ACTIVATION_DEFAULT).isEqualTo("linear");
      assertThat(Concatenate.AXIS_DEFAULT).isEqualTo(-1);
    }

    @Test
    void dropoutAndConcatenateConfigs() {
      Map<String, Object> d = Dropout.builder(0.25).seed(7L).name("drop").build().getConfig();
      assertThat(d)
          .containsEntry("rate", 0.25)
          .containsEntry("seed", 7L)
          .containsEntry("noise_shape", null);
      assertThat(new Concatenate(1).getConfig()).containsEntry("axis", 1);
      assertThat(new Reshape(2, -1).getConfig()).containsEntry("target_shape", List.of(2L, -1L));
    }
  }

  @Nested
  class Deserialize {
    @Test
    void denseFromKerasConfig() {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("name", "hidden");
      c.put("units", 3);
      c.put("activation", "relu");
      c.put("use_bias", false);
      c.put("trainable", false);
      c.put("batch_input_shape", Arrays.asList(null, 4));
      Layer l = Layers.deserialize("Dense", c);
      assertThat(l).isInstanceOf(Dense.class);
      Dense d = (Dense) l;
      assertThat(d.name()).isEqualTo("hidden");
      assertThat(d.units()).isEqualTo(3);
      assertThat(d.activation().name()).isEqualTo("relu");
      assertThat(d.trainable()).isFalse();
      assertThat(d.inputShape()).containsExactly(4);
      assertThat(d.getConfig()).containsEntry("use_bias", false);
    }

    @Test
    void denseConfigRoundTrips() {
      Dense d =
          Dense.builder(3)
              .name("d")
              .activation("tanh")
              .kernelRegularizer(Regularizers.l2(0.01))
              .build();
      Layer again = Layers.deserialize("Dense", d.getConfig());
      assertThat(again.getConfig()).isEqualTo(d.getConfig());
    }

    static Stream<Arguments> otherLayers() {
      return Stream.of(
          Arguments.of(
              "Activation", Map.of("activation", "sigmoid", "name", "act"), Activation.class),
          Arguments.of("Dropout", Map.of("rate", 0.5, "name", "drop"), Dropout.class),
          Arguments.of(
              "Flatten", Map.of("name", "flat", "data_format", "channels_last"), Flatten.class),
          Arguments.of(
              "Reshape", Map.of("target_shape", List.of(2, 3), "name", "rs"), Reshape.class),
          Arguments.of("Concatenate", Map.of("axis", -1, "name", "cat"), Concatenate.class),
          Arguments.of("Add", Map.of("name", "sum"), Add.class));
    }

    @ParameterizedTest
    @MethodSource("otherLayers")
    void everyKnownClass(String className, Map<String, Object> config, Class<?> type) {
      Layer l = Layers.deserialize(className, config);
      assertThat(l).isInstanceOf(type);
      assertThat(l.name()).isEqualTo(config.get("name"));
    }

    @Test
    void dropoutRateFromConfig() {
      Dropout d = (Dropout) Layers.deserialize("Dropout", Map.of("rate", 0.3));
      assertThat(d.rate()).isEqualTo(0.3);
    }

    @Test
    void unknownKeyListsTheValidOnes() {
      assertThatThrownBy(() -> Layers.deserialize("Dense", Map.of("units", 2, "unit", 3)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Unknown argument `unit` for Dense. Expected one of [")
          .hasMessageContaining("units");
    }

    @Test
    void unknownClassListsTheKnownOnes() {
      assertThatThrownBy(() -> Layers.deserialize("NoSuchLayer", Map.of()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith(
              "Unknown layer: `NoSuchLayer`. Expected one of " + Layers.classNames() + ".")
          .hasMessageContaining("Layers.register(\"NoSuchLayer\"");
      assertThat(Layers.classNames()).contains("Activation", "Add", "Dense").isSorted();
    }

    static Stream<Arguments> formerlyUnsupportedKeys() {
      Map<String, Object> maxNorm =
          Map.of("class_name", "MaxNorm", "config", Map.of("max_value", 2.0, "axis", 0));
      Map<String, Object> l1 = Map.of("class_name", "L1L2", "config", Map.of("l1", 0.5, "l2", 0.0));
      return Stream.of(
          Arguments.of("Dense", "activity_regularizer", l1),
          Arguments.of("Dense", "kernel_constraint", maxNorm),
          Arguments.of("Dense", "bias_constraint", maxNorm),
          Arguments.of("Dropout", "noise_shape", Arrays.asList(null, 1)),
          Arguments.of("Flatten", "data_format", "channels_first"));
    }

    @ParameterizedTest(name = "{0}.{1}")
    @MethodSource("formerlyUnsupportedKeys")
    void readsAndWritesBackEveryKerasKey(String className, String key, Object value) {
      Map<String, Object> config = new LinkedHashMap<>();
      if (className.equals("Dense")) config.put("units", 2);
      if (className.equals("Dropout")) config.put("rate", 0.5);
      config.put(key, value);
      assertThat(Layers.deserialize(className, config).getConfig().get(key)).isEqualTo(value);
    }

    @Test
    void acceptsFlattenChannelsLast() {
      assertThat(Layers.deserialize("Flatten", Map.of("data_format", "channels_last")))
          .isInstanceOf(Flatten.class);
    }

    @Test
    void denseNeedsUnits() {
      assertThatThrownBy(() -> Layers.deserialize("Dense", Map.of("name", "d")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Expected `units` to be a positive integer. Received: units=null");
    }
  }

  @Nested
  @Tag("native")
  class WeightsInAModel {
    @Test
    void layerWeightsAreReadableAndWritableOnceInAModel() {
      KerasTensor in = Input.create(3);
      Dense d = Dense.builder(2).name("d").build();
      try (Model m = new Model(in, d.apply(in))) {
        List<NDArray> w = d.getWeights();
        assertThat(w).hasSize(2);
        assertThat(w.get(0).shape()).containsExactly(3, 2);
        assertThat(w.get(1)).isEqualTo(NDArray.zeros(2));
        NDArray k = NDArray.of(new double[][] {{1, 2}, {3, 4}, {5, 6}});
        NDArray b = NDArray.of(new float[] {0.5f, -0.5f});
        d.setWeights(List.of(k, b));
        assertThat(d.getWeights()).containsExactly(k, b);
        assertThat(m.getWeights()).containsExactly(k, b);
      }
    }

    @Test
    void glorotUniformKernelStaysWithinItsLimit() {
      KerasTensor in = Input.create(30);
      Dense d = new Dense(20);
      try (Model m = new Model(in, d.apply(in))) {
        double limit = Math.sqrt(6.0 / (30 + 20));
        double[] k = d.getWeights().get(0).toDoubleArray();
        assertThat(Arrays.stream(k).map(Math::abs).max().orElseThrow()).isLessThanOrEqualTo(limit);
        assertThat(Arrays.stream(k).distinct().count()).isGreaterThan(500);
      }
    }

    @Test
    void setWeightsChecksCountAndShapes() {
      KerasTensor in = Input.create(3);
      Dense d = Dense.builder(2).name("d").build();
      try (Model m = new Model(in, d.apply(in))) {
        assertThatThrownBy(() -> d.setWeights(List.of(NDArray.zeros(3, 2))))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(
                "You called `set_weights(weights)` on layer \"d\" with a weight list of length 1,"
                    + " but the layer was expecting 2 weights.");
        assertThatThrownBy(() -> d.setWeights(List.of(NDArray.zeros(2, 3), NDArray.zeros(2))))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(
                "Layer weight shape (3, 2) not compatible with provided weight shape (2, 3)");
      }
    }
  }
}
