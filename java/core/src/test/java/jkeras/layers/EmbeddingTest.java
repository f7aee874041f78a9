package jkeras.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jkeras.backend.Weight;
import jkeras.data.DType;
import jkeras.data.NDArray;
import jkeras.models.Model;
import jkeras.models.Sequential;
import jkeras.optimizers.SGD;
import jkeras.trainers.FitOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Keras 2.3.1's Embedding: arguments, config, shapes, lookups, masks and integer inputs. */
class EmbeddingTest {
  @BeforeEach
  void resetNames() {
    Layer.resetNames();
  }

  @Nested
  class Configuration {
    @Test
    void defaultsAndConfigKeysAreKeras231sInOrder() {
      Map<String, Object> c =
          ConfigKeys.assertNameAndKeys(
              new Embedding(10, 4),
              "embedding_1",
              List.of(
                  "name",
                  "trainable",
                  "batch_input_shape",
                  "dtype",
                  "input_dim",
                  "output_dim",
                  "embeddings_initializer",
                  "embeddings_regularizer",
                  "activity_regularizer",
                  "embeddings_constraint",
                  "mask_zero",
                  "input_length"));
      // Keras sets input_shape=(None,) (or (input_length,)) when none is given.
      assertThat(c.get("batch_input_shape")).isEqualTo(Arrays.asList(null, null));
      assertThat(c.get("dtype")).isEqualTo("float32");
      @SuppressWarnings("unchecked")
      Map<String, Object> init = (Map<String, Object>) c.get("embeddings_initializer");
      assertThat(init.get("class_name")).isEqualTo("RandomUniform");
      assertThat((Map<String, Object>) init.get("config"))
          .containsEntry("minval", -0.05)
          .containsEntry("maxval", 0.05)
          .containsEntry("seed", null);
      assertThat(c.get("mask_zero")).isEqualTo(false);
      assertThat(c.get("input_length")).isNull();
      Map<String, Object> withLength = Embedding.builder(10, 4).inputLength(7).build().getConfig();
      assertThat(withLength.get("batch_input_shape")).isEqualTo(Arrays.asList(null, 7L));
      assertThat(withLength.get("input_length")).isEqualTo(7L);
    }

    @Test
    void deserializesKeras231sConfigAndWritesItBack() {
      Map<String, Object> keras = new LinkedHashMap<>();
      keras.put("name", "emb");
      keras.put("trainable", true);
      keras.put("batch_input_shape", Arrays.asList(null, 5));
      keras.put("dtype", "float32");
      keras.put("input_dim", 20);
      keras.put("output_dim", 3);
      keras.put(
          "embeddings_initializer",
          Map.of(
              "class_name",
              "RandomUniform",
              "config",
              Map.of("minval", -0.05, "maxval", 0.05, "seed", 3)));
      keras.put("embeddings_regularizer", null);
      keras.put("activity_regularizer", null);
      keras.put("embeddings_constraint", null);
      keras.put("mask_zero", true);
      keras.put("input_length", 5);
      Embedding e = (Embedding) Layers.deserialize("Embedding", keras);
      assertThat(e.maskZero()).isTrue();
      Map<String, Object> back = e.getConfig();
      assertThat(back.keySet()).containsExactlyElementsOf(keras.keySet());
      assertThat(back.get("input_length")).isEqualTo(5L);
      assertThat(Layers.deserialize("Embedding", back).getConfig()).isEqualTo(back);
    }

    static Stream<Arguments> refused() {
      return Stream.of(
          Arguments.of(
              Map.of("input_dim", 0, "output_dim", 4),
              "Both `input_dim` and `output_dim` should be positive, Received input_dim = 0 and"
                  + " output_dim = 4"),
          Arguments.of(Map.of("output_dim", 4), "Expected `input_dim` to be a positive integer"));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void refusesBadArgumentsNamingThem(Map<String, Object> config, String message) {
      assertThatThrownBy(() -> Layers.deserialize("Embedding", config))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(message);
    }
  }

  @Nested
  class Shapes {
    @Test
    void appendsOutputDimToTheIdsShape() {
      assertThat(new Embedding(10, 4).apply(Input.create(-1)).shape()).containsExactly(-1, -1, 4);
      assertThat(new Embedding(10, 4).apply(Input.create(3, 2)).shape())
          .containsExactly(-1, 3, 2, 4);
    }

    @Test
    void inputLengthFillsUnknownLengths() {
      assertThat(Embedding.builder(10, 4).inputLength(6).build().apply(Input.create(-1)).shape())
          .containsExactly(-1, 6, 4);
      assertThat(
              Embedding.builder(10, 4)
                  .inputLengths(-1, 2)
                  .build()
                  .apply(Input.create(5, -1))
                  .shape())
          .containsExactly(-1, 5, 2, 4);
    }

    @Test
    void anInputLengthThatDoesNotFitIsKerasError() {
      assertThatThrownBy(
              () -> Embedding.builder(10, 4).inputLength(6).build().apply(Input.create(5)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("\"input_length\" is 6, but received input has shape (None, 5)");
      assertThatThrownBy(
              () -> Embedding.builder(10, 4).inputLength(6).build().apply(Input.create(6, 2)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("\"input_length\" is 6, but received input has shape (None, 6, 2)");
    }

    @Test
    void theTableIsOneWeightNamedEmbeddings() {
      Embedding e = new Embedding(10, 4);
      e.apply(Input.create(3));
      assertThat(e.weights()).extracting(Weight::name).containsExactly("embeddings");
      assertThat(e.weights().get(0).shape()).containsExactly(10, 4);
      assertThat(e.countParams()).isEqualTo(40);
    }

    @Test
    void startsASequentialModelWithAnInt32Input() {
      Sequential m = new Sequential(List.of(Embedding.builder(10, 4).inputLength(3).build()));
      assertThat(m.inputs().get(0).dtype()).isEqualTo(DType.INT32);
      assertThat(m.inputs().get(0).shape()).containsExactly(-1, 3);
      m.close();
    }
  }

  @Nested
  @Tag("native")
  class Lookups {
    /** Row i of a 6x2 table is (i, 10 i). */
    List<NDArray> table() {
      float[] t = new float[12];
      for (int i = 0; i < 6; i++) {
        t[2 * i] = i;
        t[2 * i + 1] = 10 * i;
      }
      return List.of(NDArray.of(t, 6, 2));
    }

    @ParameterizedTest
    @MethodSource("jkeras.layers.EmbeddingTest#inputDtypes")
    void looksUpRowsOfIdsOfAnyInputDtype(String dtype, NDArray ids) {
      KerasTensor in = Input.builder().shape(3).dtype(dtype).build();
      Embedding e = new Embedding(6, 2);
      try (Model m = new Model(in, e.apply(in))) {
        e.setWeights(table());
        NDArray out = m.predict(ids);
        assertThat(out.shape()).containsExactly(2, 3, 2);
        assertThat(out.toFloatArray()).containsExactly(1, 10, 5, 50, 0, 0, 3, 30, 3, 30, 2, 20);
      }
    }

    @Test
    void maskZeroMasksPaddingForTheLayersAfterAndTheLoss() {
      KerasTensor in = Input.builder().shape(3).dtype("int32").build();
      Embedding e = Embedding.builder(6, 2).maskZero(true).build();
      KerasTensor out = e.apply(in);
      try (Model m = new Model(in, out)) {
        e.setWeights(table());
        m.compile(new SGD(0.0), "mse");
        NDArray ids = NDArray.ofInts(new int[] {1, 0, 2}, 1, 3);
        NDArray y = NDArray.of(new float[6], 1, 3, 2);
        // Steps (1, 10), masked, (2, 20): squared errors 101 and 404 over 3 steps of 2 features.
        double perStep = (101 / 2.0 + 404 / 2.0);
        assertThat(m.testOnBatch(ids, y).scalar()).isCloseTo(perStep / 3, within(1e-4));
      }
    }

    @Test
    void aMaskReachingALayerWithoutMaskingIsKerasError() {
      KerasTensor in = Input.builder().shape(3).dtype("int32").build();
      KerasTensor flat =
          Flatten.builder()
              .name("flat")
              .build()
              .apply(Embedding.builder(6, 2).maskZero(true).build().apply(in));
      assertThatThrownBy(() -> new Model(in, flat).close())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith(
              "Layer flat does not support masking, but was passed an input_mask: ");
    }

    @Test
    void trainsOnlyTheRowsItSees() {
      Sequential m =
          new Sequential(
              List.of(
                  Embedding.builder(6, 2).inputLength(2).build(),
                  new Flatten(),
                  Dense.builder(1).build()));
      try (m) {
        m.getLayer(0).setWeights(table());
        m.compile(new SGD(0.01), "mse");
        NDArray ids = NDArray.ofInts(new int[] {1, 2, 2, 3}, 2, 2);
        NDArray y = NDArray.of(new float[] {1, -1}, 2, 1);
        m.fit(ids, y, FitOptions.builder().epochs(2).verbose(0).build());
        float[] after = m.getLayer(0).getWeights().get(0).toFloatArray();
        float[] before = table().get(0).toFloatArray();
        for (int row : new int[] {0, 4, 5}) {
          assertThat(after[2 * row]).isEqualTo(before[2 * row]);
          assertThat(after[2 * row + 1]).isEqualTo(before[2 * row + 1]);
        }
        assertThat(after[2]).isNotEqualTo(before[2]);
      }
    }

    @Test
    void anIdOutsideTheTableFailsTheStepWithTensorFlowsMessage() {
      KerasTensor in = Input.builder().shape(2).dtype("int32").build();
      try (Model m = new Model(in, new Embedding(6, 2).apply(in))) {
        assertThatThrownBy(() -> m.predict(NDArray.ofInts(new int[] {1, 6}, 1, 2)))
            .hasMessageContaining("indices[0,1] = 6 is not in [0, 6)");
      }
    }

    @Test
    void idsAbove2To24AreExactThroughAnIntegerInput() {
      int vocab = (1 << 24) + 3;
      KerasTensor in = Input.builder().shape(2).dtype("int32").build();
      Embedding e = Embedding.builder(vocab, 1).embeddingsInitializer("zeros").build();
      try (Model m = new Model(in, e.apply(in))) {
        float[] t = new float[vocab];
        t[1 << 24] = 1f;
        t[(1 << 24) + 1] = 2f;
        e.setWeights(List.of(NDArray.of(t, vocab, 1)));
        // As float32 both ids would be 16777216 (row value 1).
        NDArray out = m.predict(NDArray.ofInts(new int[] {(1 << 24) + 1, 1 << 24}, 1, 2));
        assertThat(out.toFloatArray()).containsExactly(2f, 1f);
      }
    }

    @Test
    void aTableBeyond2To24BehindAFloatInputIsRefused() {
      KerasTensor in = Input.create(2);
      KerasTensor out =
          Embedding.builder((1 << 24) + 1, 1)
              .name("big")
              .embeddingsInitializer("zeros")
              .build()
              .apply(in);
      assertThatThrownBy(() -> new Model(in, out).close())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(
              "Embedding `big` has input_dim=16777217, but its input is float32, which holds"
                  + " integer ids exactly only up to 2^24");
    }
  }

  static Stream<Arguments> inputDtypes() {
    int[] ids = {1, 5, 0, 3, 3, 2};
    long[] longs = Arrays.stream(ids).asLongStream().toArray();
    float[] floats = new float[ids.length];
    for (int i = 0; i < ids.length; i++) floats[i] = ids[i] + 0.25f; // Keras' cast truncates
    return Stream.of(
        Arguments.of("int32", NDArray.ofInts(ids, 2, 3)),
        Arguments.of("int64", NDArray.ofLongs(longs, 2, 3)),
        Arguments.of("float32", NDArray.of(floats, 2, 3)),
        Arguments.of("float32", NDArray.ofInts(ids, 2, 3)));
  }
}
