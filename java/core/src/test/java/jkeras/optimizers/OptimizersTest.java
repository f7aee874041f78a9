package jkeras.optimizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Registry, configs and argument checks of the optimizers (no TensorFlow graph needed). */
class OptimizersTest {

  @Nested
  class Registry {
    @Test
    void listsTheKerasIdentifiersInOrder() {
      assertThat(Optimizers.identifiers())
          .containsExactly("sgd", "rmsprop", "adagrad", "adadelta", "adam", "adamax", "nadam");
    }

    @ParameterizedTest
    @ValueSource(strings = {"adam", "Adam", "ADAM"})
    void acceptsIdentifiersInAnyCaseAsKerasDoes(String id) {
      assertThat(Optimizers.get(id)).isInstanceOf(Adam.class);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
      "sgd, SGD",
      "RMSprop, RMSprop",
      "adagrad, Adagrad",
      "adadelta, Adadelta",
      "adamax, Adamax",
      "nadam, Nadam"
    })
    void resolvesEveryIdentifierToItsClass(String identifier, String className) {
      assertThat(Optimizers.get(identifier).getClass().getSimpleName()).isEqualTo(className);
    }

    @Test
    void resolvesAnIdentifierWithItsClassDefaults() {
      assertThat(((Adadelta) Optimizers.get("adadelta")).learningRate()).isEqualTo(1.0);
    }

    @Test
    void rejectsAnUnknownIdentifierListingTheValidOnes() {
      assertThatThrownBy(() -> Optimizers.get("adamw"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "Unknown optimizer: `adamw`. Expected one of "
                  + "[sgd, rmsprop, adagrad, adadelta, adam, adamax, nadam].");
    }

    @Test
    void passesOptimizerInstancesThrough() {
      Optimizer adam = new Adam();
      assertThat(Optimizers.get((Object) adam)).isSameAs(adam);
      assertThat(Optimizers.get((Object) "sgd")).isInstanceOf(SGD.class);
    }

    @Test
    void deserializesAClassNameAndConfigMap() {
      Optimizer o =
          Optimizers.get(
              (Object) Map.of("class_name", "SGD", "config", Map.of("lr", 0.1, "momentum", 0.9)));
      assertThat(o).isInstanceOf(SGD.class);
      assertThat(((SGD) o).learningRate()).isEqualTo(0.1);
      assertThat(((SGD) o).momentum()).isEqualTo(0.9);
    }

    @Test
    void serializeThenDeserializeGivesTheSameConfig() {
      Adam adam = Adam.builder().learningRate(0.02).amsgrad(true).clipnorm(1.0).build();
      Map<String, Object> serialized = Optimizers.serialize(adam);
      assertThat(serialized).containsEntry("class_name", "Adam");
      assertThat(Optimizers.deserialize(serialized).getConfig()).isEqualTo(adam.getConfig());
    }

    @Test
    void rejectsObjectsItCannotInterpret() {
      assertThatThrownBy(() -> Optimizers.get((Object) 42))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Could not interpret optimizer identifier: 42");
    }
  }

  static Stream<Arguments> defaultConfigs() {
    return Stream.of(
        Arguments.of(
            new SGD(),
            ordered("learning_rate", 0.01, "momentum", 0.0, "decay", 0.0, "nesterov", false)),
        Arguments.of(
            new RMSprop(),
            ordered("learning_rate", 0.001, "rho", 0.9, "decay", 0.0, "epsilon", 1e-7)),
        Arguments.of(new Adagrad(), ordered("learning_rate", 0.01, "decay", 0.0, "epsilon", 1e-7)),
        Arguments.of(
            new Adadelta(),
            ordered("learning_rate", 1.0, "rho", 0.95, "decay", 0.0, "epsilon", 1e-7)),
        Arguments.of(
            new Adam(),
            ordered(
                "learning_rate",
                0.001,
                "beta_1",
                0.9,
                "beta_2",
                0.999,
                "decay",
                0.0,
                "epsilon",
                1e-7,
                "amsgrad",
                false)),
        Arguments.of(
            new Adamax(),
            ordered(
                "learning_rate",
                0.002,
                "beta_1",
                0.9,
                "beta_2",
                0.999,
                "decay",
                0.0,
                "epsilon",
                1e-7)),
        Arguments.of(
            new Nadam(),
            ordered(
                "learning_rate",
                0.002,
                "beta_1",
                0.9,
                "beta_2",
                0.999,
                "epsilon",
                1e-7,
                "schedule_decay",
                0.004)));
  }

  /** A map of the given keys and values, in that order. */
  private static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2)
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    return m;
  }

  @ParameterizedTest
  @MethodSource("defaultConfigs")
  void defaultConfigHasKerasKeysValuesAndOrder(Optimizer optimizer, Map<String, Object> expected) {
    assertThat(optimizer.getConfig()).containsExactlyEntriesOf(expected);
  }

  @ParameterizedTest
  @MethodSource("defaultConfigs")
  void fromConfigOfGetConfigRoundTrips(Optimizer optimizer) {
    Optimizer copy = Optimizers.deserialize(Optimizers.serialize(optimizer));
    assertThat(copy).isNotSameAs(optimizer).hasSameClassAs(optimizer);
    assertThat(copy.getConfig()).isEqualTo(optimizer.getConfig());
  }

  @Test
  void clipArgumentsComeFirstAndOnlyWhenGiven() {
    SGD sgd = SGD.builder().learningRate(0.1).clipvalue(0.5).clipnorm(1.0).build();
    assertThat(sgd.getConfig().keySet())
        .containsExactly("clipnorm", "clipvalue", "learning_rate", "momentum", "decay", "nesterov");
    assertThat(sgd.getConfig()).contains(entry("clipnorm", 1.0), entry("clipvalue", 0.5));
    assertThat(new SGD().getConfig()).doesNotContainKeys("clipnorm", "clipvalue");
    assertThat(sgd.clipnorm()).hasValue(1.0);
    assertThat(new SGD().clipnorm()).isEmpty();
  }

  @Test
  void convenienceConstructorSetsOnlyTheLearningRate() {
    assertThat(new SGD(0.1).getConfig())
        .isEqualTo(Map.of("learning_rate", 0.1, "momentum", 0.0, "decay", 0.0, "nesterov", false));
    assertThat(new Adam(0.01).learningRate()).isEqualTo(0.01);
  }

  @Test
  void buildersSetEveryKerasArgument() {
    Adam adam =
        Adam.builder()
            .learningRate(1e-2)
            .beta1(0.8)
            .beta2(0.99)
            .epsilon(1e-3)
            .decay(0.1)
            .amsgrad(true)
            .build();
    assertThat(adam.getConfig())
        .containsExactly(
            entry("learning_rate", 1e-2),
            entry("beta_1", 0.8),
            entry("beta_2", 0.99),
            entry("decay", 0.1),
            entry("epsilon", 1e-3),
            entry("amsgrad", true));
    assertThat(Nadam.builder().scheduleDecay(0.01).build().scheduleDecay()).isEqualTo(0.01);
  }

  @Test
  void buildersTakeDecayAndEpsilonOnlyWhereKerasDoes() {
    Optimizer adam = Adam.builder().decay(0.1).epsilon(0.01).build();
    assertThat(adam.decay()).isEqualTo(0.1);
    assertThat(adam.epsilon()).isEqualTo(0.01);
    assertThat(Nadam.builder().epsilon(0.01).build().epsilon()).isEqualTo(0.01);
    assertThat(Stream.of(Nadam.Builder.class.getMethods()).map(Method::getName))
        .doesNotContain("decay");
    assertThat(Stream.of(SGD.Builder.class.getMethods()).map(Method::getName))
        .doesNotContain("epsilon");
    assertThatThrownBy(() -> Adagrad.builder().decay(-1))
        .hasMessage("Expected `decay` to be a float >= 0. Received: decay=-1.0");
  }

  @Nested
  class FromConfig {
    @Test
    void acceptsTheLegacyLrAlias() {
      assertThat(Adam.fromConfig(Map.of("lr", 0.05)).learningRate()).isEqualTo(0.05);
      assertThat(Nadam.fromConfig(Map.of("lr", 0.05)).learningRate()).isEqualTo(0.05);
      assertThat(RMSprop.fromConfig(Map.of("lr", 0.05, "rho", 0.8)).rho()).isEqualTo(0.8);
    }

    @Test
    void rejectsBothLrAndLearningRate() {
      assertThatThrownBy(() -> SGD.fromConfig(Map.of("lr", 0.1, "learning_rate", 0.2)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("both `learning_rate` and its legacy alias `lr`")
          .hasMessageContaining("Received: learning_rate=0.2, lr=0.1");
    }

    @Test
    void rejectsAnUnknownKeyListingTheValidOnes() {
      Map<String, Object> config = new LinkedHashMap<>();
      config.put("learning_rate", 1e-3);
      config.put("beta1", 0.9);
      assertThatThrownBy(() -> Adam.fromConfig(config))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "Unknown argument `beta1` for Adam. Expected one of [learning_rate, beta_1, beta_2,"
                  + " decay, epsilon, amsgrad, clipnorm, clipvalue, lr]. Received: beta1=0.9");
    }

    @Test
    void nadamRejectsDecayAsKeras231Does() {
      assertThatThrownBy(() -> Nadam.fromConfig(Map.of("decay", 0.1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Unknown argument `decay` for Nadam");
    }

    @Test
    void sgdHasNoEpsilon() {
      assertThatThrownBy(() -> SGD.fromConfig(Map.of("epsilon", 1e-7)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Unknown argument `epsilon` for SGD");
    }

    @Test
    void readsClipArguments() {
      Adagrad a = Adagrad.fromConfig(Map.of("clipnorm", 1, "clipvalue", 0.5, "decay", 0.01));
      assertThat(a.clipnorm()).hasValue(1.0);
      assertThat(a.clipvalue()).hasValue(0.5);
      assertThat(a.decay()).isEqualTo(0.01);
    }

    @Test
    void rejectsValuesOfTheWrongType() {
      assertThatThrownBy(() -> Adam.fromConfig(Map.of("amsgrad", "yes")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Expected `amsgrad` to be a boolean. Received: amsgrad=yes");
    }
  }

  @Test
  void rejectsNegativeHyperParameters() {
    assertThatThrownBy(() -> SGD.builder().learningRate(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Expected `learningRate` to be a float >= 0. Received: learningRate=-1.0");
    assertThatThrownBy(() -> Adam.builder().clipnorm(-0.5))
        .hasMessage("Expected `clipnorm` to be a float >= 0. Received: clipnorm=-0.5");
    assertThatThrownBy(() -> SGD.builder().momentum(Double.NaN))
        .hasMessageContaining("Received: momentum=NaN");
  }

  @Test
  void learningRateVariableIsNullBeforeTheUpdatesAreBuilt() {
    assertThat(new Adam().learningRateVariable()).isNull();
  }
}
