package jkeras.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jkeras.backend.Weight;
import jkeras.internal.PyRepr;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The recurrent layers' and wrappers' Keras 2.3.1 surface without running TensorFlow: configs
 * (round trips of configs Keras 2.3.1 wrote), default names, output shapes, weights, and the errors
 * for arguments and inputs they refuse.
 */
class RecurrentConfigTest {
  @BeforeEach
  void resetNames() {
    Layer.resetNames();
  }

  static Stream<Arguments> keras231Configs() throws IOException {
    List<Arguments> out = new ArrayList<>();
    try (InputStream in =
        RecurrentConfigTest.class.getResourceAsStream("keras231-recurrent-configs.tsv")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) continue;
        String[] parts = line.split("\t", 2);
        out.add(Arguments.of(parts[0], parts[1]));
      }
    }
    return out.stream();
  }

  /** A config Keras 2.3.1 wrote builds the layer, whose config is the same: keys, order, values. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("keras231Configs")
  @SuppressWarnings("unchecked")
  void keras231ConfigsRoundTrip(String className, String json) {
    Map<String, Object> config = (Map<String, Object>) MiniJson.parse(json);
    Layer layer = Layers.deserialize(className, new LinkedHashMap<>(config));
    assertThat(PyRepr.repr(layer.getConfig())).isEqualTo(PyRepr.repr(config));
    assertThat(PyRepr.repr(Layers.deserialize(className, layer.getConfig()).getConfig()))
        .isEqualTo(PyRepr.repr(config));
  }

  @Test
  void defaultConfigsHaveKeras231KeysInOrder() {
    assertThat(new LSTM(4).getConfig().keySet())
        .containsExactly(
            "name",
            "trainable",
            "dtype",
            "return_sequences",
            "return_state",
            "go_backwards",
            "stateful",
            "unroll",
            "units",
            "activation",
            "recurrent_activation",
            "use_bias",
            "kernel_initializer",
            "recurrent_initializer",
            "bias_initializer",
            "unit_forget_bias",
            "kernel_regularizer",
            "recurrent_regularizer",
            "bias_regularizer",
            "activity_regularizer",
            "kernel_constraint",
            "recurrent_constraint",
            "bias_constraint",
            "dropout",
            "recurrent_dropout",
            "implementation");
    Map<String, Object> gru = new GRU(4).getConfig();
    assertThat(gru.get("recurrent_activation")).isEqualTo("sigmoid");
    assertThat(gru.get("reset_after")).isEqualTo(false);
    assertThat(gru.get("implementation")).isEqualTo(2);
    assertThat(new ArrayList<>(gru.keySet()).subList(24, 26))
        .containsExactly("implementation", "reset_after");
    assertThat(new SimpleRNN(4).getConfig()).doesNotContainKey("implementation");
    assertThat(PyRepr.repr(new LSTM(4).getConfig().get("recurrent_initializer")))
        .isEqualTo("{'class_name': 'Orthogonal', 'config': {'gain': 1.0, 'seed': None}}");
  }

  @Test
  void defaultNamesFollowKeras231() {
    assertThat(new SimpleRNN(2).name()).isEqualTo("simple_rnn_1");
    assertThat(new GRU(2).name()).isEqualTo("gru_1");
    LSTM lstm = new LSTM(2);
    assertThat(lstm.name()).isEqualTo("lstm_1");
    Bidirectional bi = Bidirectional.builder(lstm).build();
    assertThat(bi.name()).isEqualTo("bidirectional_1");
    assertThat(bi.forwardLayer().name()).isEqualTo("forward_lstm_1");
    assertThat(bi.backwardLayer().name()).isEqualTo("backward_lstm_1");
    assertThat(bi.backwardLayer().goBackwards()).isTrue();
    assertThat(new TimeDistributed(new Dense(2)).name()).isEqualTo("time_distributed_1");
    assertThat(new Masking().name()).isEqualTo("masking_1");
  }

  @Nested
  class Shapes {
    KerasTensor x = Input.create(new long[] {5, 3}, "x");

    List<long[]> shapes(Layer l, List<KerasTensor> in) {
      return l.applyOutputs(in).stream().map(KerasTensor::shape).toList();
    }

    @Test
    void recurrentOutputsAreTheLastStepOrTheSequenceThenTheStates() {
      assertThat(new LSTM(4).apply(x).shape()).containsExactly(-1, 4);
      assertThat(SimpleRNN.builder(4).returnSequences(true).build().apply(x).shape())
          .containsExactly(-1, 5, 4);
      assertThat(shapes(LSTM.builder(4).returnState(true).build(), List.of(x)))
          .containsExactly(new long[] {-1, 4}, new long[] {-1, 4}, new long[] {-1, 4});
      assertThat(shapes(GRU.builder(4).returnState(true).build(), List.of(x))).hasSize(2);
    }

    @Test
    void bidirectionalMergesOrKeepsBothAndAppendsEachDirectionsStates() {
      assertThat(Bidirectional.builder(new LSTM(4)).build().apply(x).shape())
          .containsExactly(-1, 8);
      assertThat(
              Bidirectional.builder(LSTM.builder(4).returnSequences(true).build())
                  .mergeMode("sum")
                  .build()
                  .apply(x)
                  .shape())
          .containsExactly(-1, 5, 4);
      assertThat(
              shapes(
                  Bidirectional.builder(LSTM.builder(4).returnState(true).build())
                      .mergeMode(null)
                      .build(),
                  List.of(x)))
          .hasSize(6);
      assertThat(
              shapes(
                  Bidirectional.builder(GRU.builder(4).returnState(true).build()).build(),
                  List.of(x)))
          .containsExactly(new long[] {-1, 8}, new long[] {-1, 4}, new long[] {-1, 4});
    }

    @Test
    void timeDistributedKeepsTheTimeAxis() {
      assertThat(new TimeDistributed(new Dense(2)).apply(x).shape()).containsExactly(-1, 5, 2);
      KerasTensor x4 = Input.create(new long[] {6, 5, 3}, "x4");
      assertThat(new TimeDistributed(new LSTM(7)).apply(x4).shape()).containsExactly(-1, 6, 7);
    }

    @Test
    void theTimeAxisMustBeKnown() {
      KerasTensor free = Input.create(new long[] {-1, 3}, "free");
      assertThatThrownBy(() -> new LSTM(4).apply(free))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("unrolled over the timesteps, so their number must be known")
          .hasMessageContaining("(None, None, 3)");
    }

    @Test
    void inputsMustBeSequences() {
      KerasTensor flat = Input.create(new long[] {3}, "flat");
      assertThatThrownBy(() -> new GRU(4).apply(flat))
          .hasMessage("Input 0 is incompatible with layer gru_1: expected ndim=3, found ndim=2");
      assertThatThrownBy(() -> new TimeDistributed(new Dense(2)).apply(flat))
          .hasMessageContaining("should be passed an `input_shape` with at least 3 dimensions");
      LSTM lstm = new LSTM(4);
      lstm.apply(x);
      assertThatThrownBy(() -> lstm.apply(Input.create(new long[] {5, 2}, "other")))
          .hasMessage(
              "Input 0 is incompatible with layer lstm_1: expected shape=(None, None, 3), found"
                  + " shape=(None, 5, 2)");
    }

    @Test
    void initialStatesMustMatchTheCell() {
      KerasTensor h = Input.create(new long[] {4}, "h");
      assertThatThrownBy(() -> new LSTM(4).applyOutputs(List.of(x, h)))
          .hasMessage("Layer has 2 states but was passed 1 initial states.");
      KerasTensor wrong = Input.create(new long[] {3}, "wrong");
      assertThatThrownBy(() -> new GRU(4).applyOutputs(List.of(x, wrong)))
          .hasMessageContaining("An `initial_state` was passed that is not compatible");
      assertThatThrownBy(
              () -> Bidirectional.builder(new GRU(4)).build().applyOutputs(List.of(x, h)))
          .hasMessageContaining("When passing `initial_state` to a Bidirectional RNN");
    }
  }

  @Nested
  class Weights {
    KerasTensor x = Input.create(new long[] {5, 3}, "x");

    List<String> names(Layer l) {
      return l.weights().stream().map(Weight::name).toList();
    }

    List<List<Long>> shapes(Layer l) {
      List<List<Long>> out = new ArrayList<>();
      for (Weight w : l.weights()) {
        List<Long> s = new ArrayList<>();
        for (long d : w.shape()) s.add(d);
        out.add(s);
      }
      return out;
    }

    @Test
    void kernelsHoldTheGatesSideBySideAsKerasDoes() {
      LSTM lstm = new LSTM(4);
      lstm.apply(x);
      assertThat(names(lstm)).containsExactly("kernel", "recurrent_kernel", "bias");
      assertThat(shapes(lstm)).containsExactly(List.of(3L, 16L), List.of(4L, 16L), List.of(16L));
      assertThat(lstm.countParams()).isEqualTo(128);
      GRU gru = new GRU(4);
      gru.apply(x);
      assertThat(shapes(gru)).containsExactly(List.of(3L, 12L), List.of(4L, 12L), List.of(12L));
      GRU cudnnLayout = GRU.builder(4).resetAfter(true).build();
      cudnnLayout.apply(x);
      assertThat(shapes(cudnnLayout).get(2)).containsExactly(2L, 12L);
      SimpleRNN rnn = SimpleRNN.builder(4).useBias(false).build();
      rnn.apply(x);
      assertThat(names(rnn)).containsExactly("kernel", "recurrent_kernel");
    }

    @Test
    void bidirectionalHasTheForwardThenTheBackwardWeights() {
      Bidirectional bi = Bidirectional.builder(new LSTM(4)).build();
      bi.apply(x);
      assertThat(bi.weights().stream().map(Weight::path).toList())
          .containsExactly(
              "bidirectional_1/forward_lstm_1/kernel",
              "bidirectional_1/forward_lstm_1/recurrent_kernel",
              "bidirectional_1/forward_lstm_1/bias",
              "bidirectional_1/backward_lstm_1/kernel",
              "bidirectional_1/backward_lstm_1/recurrent_kernel",
              "bidirectional_1/backward_lstm_1/bias");
      assertThat(bi.countParams()).isEqualTo(256);
      Bidirectional frozen = Bidirectional.builder(new GRU(2)).trainable(false).build();
      frozen.apply(x);
      assertThat(frozen.trainableWeights()).isEmpty();
      assertThat(frozen.nonTrainableWeights()).hasSize(6);
    }

    @Test
    void timeDistributedHasTheWrappedLayersWeightsAndItsTrainable() {
      TimeDistributed td = new TimeDistributed(new Dense(2));
      td.apply(x);
      assertThat(td.weights().stream().map(Weight::path).toList())
          .containsExactly("time_distributed_1/kernel", "time_distributed_1/bias");
      assertThat(td.countParams()).isEqualTo(8);
      TimeDistributed frozen = TimeDistributed.builder(new Dense(2)).trainable(false).build();
      frozen.apply(x);
      assertThat(frozen.trainableWeights()).isEmpty();
      assertThat(frozen.layer().trainable()).isFalse();
    }
  }

  @Nested
  class Arguments_ {
    @Test
    void statefulIsRefusedClearly() {
      assertThatThrownBy(() -> LSTM.builder(4).stateful(true))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("Expected `stateful` to be False: stateful recurrent layers")
          .hasMessageEndingWith("Received: stateful=True");
      Map<String, Object> c = new GRU(3).getConfig();
      c.put("stateful", true);
      assertThatThrownBy(() -> Layers.deserialize("GRU", c))
          .hasMessageContaining("stateful recurrent layers");
    }

    @Test
    void constraintsGoToTheirWeightsAndBackToTheConfig() {
      Map<String, Object> c = new LSTM(3).getConfig();
      c.put("recurrent_constraint", Map.of("class_name", "NonNeg", "config", Map.of()));
      c.put("bias_constraint", Map.of("class_name", "MaxNorm", "config", Map.of("max_value", 2.0)));
      LSTM lstm = (LSTM) Layers.deserialize("LSTM", c);
      lstm.apply(Input.create(new long[] {4, 2}, "x"));
      assertThat(lstm.weights().get(0).constraint()).isNull();
      assertThat(lstm.weights().get(1).constraint().className()).isEqualTo("NonNeg");
      assertThat(lstm.weights().get(2).constraint().className()).isEqualTo("MaxNorm");
      assertThat(PyRepr.repr(lstm.getConfig().get("recurrent_constraint")))
          .isEqualTo("{'class_name': 'NonNeg', 'config': {}}");
    }

    @Test
    void unknownKeysListTheValidOnes() {
      Map<String, Object> c = new SimpleRNN(3).getConfig();
      c.put("reset_after", true);
      assertThatThrownBy(() -> Layers.deserialize("SimpleRNN", c))
          .hasMessageStartingWith("Unknown argument `reset_after` for SimpleRNN. Expected one of");
    }

    @Test
    void argumentsAreCheckedAsKerasDoes() {
      assertThatThrownBy(() -> LSTM.builder(0))
          .hasMessage("Expected `units` to be a positive integer. Received: units=0");
      assertThatThrownBy(() -> GRU.builder(3).implementation(3))
          .hasMessage("Expected `implementation` to be 1 or 2. Received: implementation=3");
      assertThatThrownBy(() -> Bidirectional.builder(new LSTM(2)).mergeMode("max"))
          .hasMessage(
              "Invalid merge mode. Merge mode should be one of {\"sum\", \"mul\", \"ave\","
                  + " \"concat\", None}");
      // Keras clamps the rates into [0, 1] and reads implementation=0 as 1.
      assertThat(LSTM.builder(2).dropout(1.5).recurrentDropout(-1).build().dropout())
          .isEqualTo(1.0);
      Map<String, Object> c = new LSTM(2).getConfig();
      c.put("implementation", 0);
      assertThat(((LSTM) Layers.deserialize("LSTM", c)).implementation()).isEqualTo(1);
    }

    @Test
    void bidirectionalWrapsRecurrentLayersOnly() {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("name", "bi");
      c.put("layer", Map.of("class_name", "Dense", "config", new Dense(2).getConfig()));
      c.put("merge_mode", "concat");
      assertThatThrownBy(() -> Layers.deserialize("Bidirectional", c))
          .hasMessageStartingWith("Expected `layer` to be a recurrent layer");
    }
  }
}
