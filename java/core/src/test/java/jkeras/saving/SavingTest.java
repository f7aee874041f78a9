package jkeras.saving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jkeras.data.NDArray;
import jkeras.layers.BatchNormalization;
import jkeras.layers.Concatenate;
import jkeras.layers.Dense;
import jkeras.layers.Input;
import jkeras.layers.KerasTensor;
import jkeras.models.Model;
import jkeras.models.Models;
import jkeras.models.Sequential;
import jkeras.optimizers.Adam;
import jkeras.trainers.CompileOptions;
import jkeras.trainers.FitOptions;
import jkeras.utils.RngUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Model.save / Models.loadModel / saveWeights / loadWeights / toJson through the public API. */
@Tag("native")
class SavingTest {
  @TempDir Path dir;

  /** model() seeds the global generator: leave the tests run after these unseeded. */
  @AfterEach
  void clearSeed() {
    RngUtils.setRandomSeed(null);
  }

  static NDArray x() {
    float[] v = new float[32 * 4];
    for (int i = 0; i < v.length; i++) v[i] = (float) Math.sin(i * 0.37);
    return NDArray.of(v, 32, 4);
  }

  static NDArray y() {
    float[] v = new float[32 * 2];
    for (int i = 0; i < v.length; i++) v[i] = (float) Math.cos(i * 0.11);
    return NDArray.of(v, 32, 2);
  }

  static Sequential model() {
    RngUtils.setRandomSeed(3L);
    Sequential m =
        new Sequential(
            List.of(
                Dense.builder(8).activation("relu").inputShape(4).build(),
                BatchNormalization.builder().build(),
                Dense.builder(2).build()));
    m.compile(
        CompileOptions.builder()
            .optimizer(new Adam(0.01))
            .loss("mse")
            .metrics(List.of("mae"))
            .build());
    return m;
  }

  static FitOptions epochs(int n) {
    return FitOptions.builder().epochs(n).batchSize(8).shuffle(false).verbose(0).build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"m.h5", "m.keras"})
  void trainingResumesExactlyAfterSaveAndLoad(String file) throws Exception {
    List<Double> uninterrupted;
    try (Sequential m = model()) {
      uninterrupted = m.fit(x(), y(), epochs(4)).history().get("loss");
    }
    List<Double> resumed = new ArrayList<>();
    Path p = dir.resolve(file);
    try (Sequential m = model()) {
      resumed.addAll(m.fit(x(), y(), epochs(2)).history().get("loss"));
      m.save(p);
    }
    try (Model m = Models.loadModel(p)) {
      assertThat(m.compiled()).isTrue();
      assertThat(m.optimizer().className()).isEqualTo("Adam");
      resumed.addAll(m.fit(x(), y(), epochs(2)).history().get("loss"));
    }
    assertThat(resumed).isEqualTo(uninterrupted);
  }

  @Test
  void weightsRoundTripAndPredictionsMatch() throws Exception {
    Path p = dir.resolve("w.h5");
    NDArray before;
    try (Sequential m = model()) {
      m.fit(x(), y(), epochs(1));
      before = m.predict(x());
      m.saveWeights(p);
    }
    try (Sequential m = model()) {
      m.loadWeights(p);
      assertThat(m.predict(x()).floatsView()).containsExactly(before.floatsView());
    }
  }

  @Test
  void jsonRoundTripsAFunctionalModel() {
    KerasTensor a = Input.create(new long[] {3}, "a");
    KerasTensor b = Input.create(new long[] {2}, "b");
    Dense shared = Dense.builder(4).name("shared").build();
    KerasTensor h = new Concatenate().apply(List.of(a, b));
    KerasTensor out =
        Dense.builder(1)
            .name("out")
            .build()
            .apply(shared.apply(Dense.builder(4).name("pre").build().apply(h)));
    try (Model m = new Model(List.of(a, b), List.of(out), "two_inputs")) {
      String json = m.toJson();
      try (Model back = Models.modelFromJson(json)) {
        assertThat(back.toJson()).isEqualTo(json);
        assertThat(back.name()).isEqualTo("two_inputs");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"nested.h5", "nested.keras"})
  void aSharedNestedModelRoundTrips(String file) throws Exception {
    KerasTensor left = Input.create(new long[] {4}, "left");
    KerasTensor right = Input.create(new long[] {4}, "right");
    Path p = dir.resolve(file);
    NDArray before;
    List<NDArray> xs = List.of(x(), x().multiply(0.5));
    Sequential encoder = new Sequential("encoder");
    encoder.add(Dense.builder(3).inputShape(4).name("enc").build());
    try (encoder;
        Model m =
            new Model(
                List.of(left, right),
                List.of(
                    new jkeras.layers.Subtract()
                        .apply(List.of(encoder.apply(left), encoder.apply(right)))),
                "siamese")) {
      before = m.predict(jkeras.data.ArrayData.of(xs));
      m.save(p);
    }
    try (Model back = Models.loadModel(p)) {
      assertThat(back.getLayer("encoder")).isInstanceOf(Sequential.class);
      assertThat(back.predict(jkeras.data.ArrayData.of(xs)).floatsView())
          .containsExactly(before.floatsView());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"rnn.h5", "rnn.keras"})
  void recurrentLayersRoundTripAndResume(String file) throws Exception {
    float[] v = new float[8 * 5 * 3];
    for (int i = 0; i < v.length; i++) v[i] = (float) Math.sin(i * 0.21);
    NDArray x = NDArray.of(v, 8, 5, 3);
    NDArray y = NDArray.of(java.util.Arrays.copyOf(v, 8 * 2), 8, 2);
    java.util.function.Supplier<Sequential> build =
        () -> {
          RngUtils.setRandomSeed(5L);
          Sequential m = new Sequential();
          m.add(
              jkeras.layers.Bidirectional.builder(
                      jkeras.layers.LSTM.builder(4).returnSequences(true).build())
                  .inputShape(5, 3)
                  .build());
          m.add(jkeras.layers.TimeDistributed.builder(Dense.builder(3).build()).build());
          m.add(jkeras.layers.GRU.builder(3).returnSequences(true).build());
          m.add(jkeras.layers.SimpleRNN.builder(2).build());
          m.compile(CompileOptions.builder().optimizer(new Adam(0.01)).loss("mse").build());
          return m;
        };
    FitOptions twice =
        FitOptions.builder().epochs(2).batchSize(4).shuffle(false).verbose(0).build();
    FitOptions four = FitOptions.builder().epochs(4).batchSize(4).shuffle(false).verbose(0).build();
    List<Double> uninterrupted;
    try (Sequential m = build.get()) {
      uninterrupted = m.fit(x, y, four).history().get("loss");
    }
    List<Double> resumed = new ArrayList<>();
    Path p = dir.resolve(file);
    try (Sequential m = build.get()) {
      resumed.addAll(m.fit(x, y, twice).history().get("loss"));
      m.save(p);
    }
    try (Model m = Models.loadModel(p)) {
      resumed.addAll(m.fit(x, y, twice).history().get("loss"));
    }
    assertThat(resumed).isEqualTo(uninterrupted);
  }

  @Test
  void readsKeras3AndTfKerasConfigs() {
    String keras3 =
        "{\"module\": \"keras\", \"class_name\": \"Functional\", \"config\": {\"name\": \"f\", \"trainable\": true,"
            + " \"layers\": [{\"module\": \"keras.layers\", \"class_name\": \"InputLayer\", \"config\": {\"batch_shape\": [null, 3],"
            + " \"dtype\": \"float32\", \"sparse\": false, \"ragged\": false, \"name\": \"in\", \"optional\": false}, \"registered_name\": null, \"name\": \"in\", \"inbound_nodes\": []},"
            + " {\"module\": \"keras.layers\", \"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"trainable\": true,"
            + " \"dtype\": {\"module\": \"keras\", \"class_name\": \"DTypePolicy\", \"config\": {\"name\": \"float32\"}, \"registered_name\": null},"
            + " \"units\": 2, \"activation\": \"linear\", \"use_bias\": true, \"kernel_initializer\": {\"module\": \"keras.initializers\","
            + " \"class_name\": \"GlorotUniform\", \"config\": {\"seed\": null}, \"registered_name\": null}, \"bias_initializer\":"
            + " {\"module\": \"keras.initializers\", \"class_name\": \"Zeros\", \"config\": {}, \"registered_name\": null},"
            + " \"kernel_regularizer\": {\"module\": \"keras.regularizers\", \"class_name\": \"L2\", \"config\": {\"l2\": 0.01}, \"registered_name\": null},"
            + " \"bias_regularizer\": null, \"kernel_constraint\": null, \"bias_constraint\": null, \"quantization_config\": null},"
            + " \"registered_name\": null, \"build_config\": {\"input_shape\": [null, 3]}, \"name\": \"d\", \"inbound_nodes\": [{\"args\":"
            + " [{\"class_name\": \"__keras_tensor__\", \"config\": {\"shape\": [null, 3], \"dtype\": \"float32\", \"keras_history\": [\"in\", 0, 0]}}],"
            + " \"kwargs\": {}}]}], \"input_layers\": [\"in\", 0, 0], \"output_layers\": [\"d\", 0, 0]}, \"registered_name\": null}";
    try (Model m = Models.modelFromJson(keras3)) {
      assertThat(m.layers()).hasSize(2);
      assertThat(m.getLayer("d").getConfig()).containsEntry("units", 2);
    }
    String keras21 =
        "{\"class_name\": \"Sequential\", \"config\": [{\"class_name\": \"Dense\", \"config\": {\"name\": \"d1\", \"units\": 3, \"batch_input_shape\": [null, 5]}}]}";
    try (Model m = Models.modelFromJson(keras21)) {
      assertThat(m.layers()).hasSize(1);
      assertThat(m.countParams()).isEqualTo(18);
    }
  }

  @Test
  void aFailedLoadChangesNoWeight() throws Exception {
    Path p = dir.resolve("small.h5");
    try (Sequential small =
        new Sequential(
            List.of(
                Dense.builder(8).inputShape(4).build(),
                BatchNormalization.builder().build(),
                Dense.builder(3).build()))) {
      small.saveWeights(p);
    }
    try (Sequential m = model()) {
      List<NDArray> before = m.getWeights();
      assertThatThrownBy(() -> m.loadWeights(p))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("has shape (8, 2)")
          .hasMessageContaining("(8, 3)");
      List<NDArray> after = m.getWeights();
      for (int i = 0; i < before.size(); i++)
        assertThat(after.get(i).floatsView()).containsExactly(before.get(i).floatsView());
    }
  }

  @Test
  void byNameWeightCountMismatchHasKerasMessage() throws Exception {
    Path p = dir.resolve("bias.h5");
    try (Sequential saved =
        new Sequential(List.of(Dense.builder(2).name("d").inputShape(3).build()))) {
      saved.saveWeights(p);
    }
    try (Sequential m =
        new Sequential(List.of(Dense.builder(2).name("d").useBias(false).inputShape(3).build()))) {
      assertThatThrownBy(() -> m.loadWeights(p, true, false))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "Layer #0 (named \"d\") expects 1 weight(s), but the saved weights have 2"
                  + " element(s).");
    }
  }

  @Test
  void layerCountMismatchNamesBothCounts() throws Exception {
    Path p = dir.resolve("one.h5");
    try (Sequential one = new Sequential(List.of(Dense.builder(2).inputShape(4).build()))) {
      one.saveWeights(p);
    }
    try (Sequential m = model()) {
      assertThatThrownBy(() -> m.loadWeights(p))
          .hasMessageContaining("containing 1 layers into a model with 3 layers");
    }
  }

  @Test
  void truncatedAndForeignFilesFailClearly() throws Exception {
    Path good = dir.resolve("m.h5");
    try (Sequential m = model()) {
      m.save(good);
    }
    byte[] bytes = Files.readAllBytes(good);
    Path cut = dir.resolve("cut.h5");
    Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 3));
    assertThatThrownBy(() -> Models.loadModel(cut))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("truncated or damaged");
    Path text = dir.resolve("notes.h5");
    Files.writeString(text, "hello");
    assertThatThrownBy(() -> Models.loadModel(text)).hasMessageContaining("Not a Keras file");
  }

  @Test
  void aCustomLossLoadsWhenRegisteredAndSaysHowOtherwise() throws Exception {
    jkeras.losses.Loss halfMae =
        jkeras.losses.Losses.custom(
            "saving_half_mae",
            (tf, t, p) ->
                tf.math.mul(
                    jkeras.losses.Losses.meanAbsoluteError(tf, t, p.value()), tf.constant(0.5f)));
    Path p = dir.resolve("custom.h5");
    List<Double> uninterrupted;
    try (Sequential m = model()) {
      m.compile(CompileOptions.builder().optimizer(new Adam(0.01)).loss(halfMae).build());
      uninterrupted = m.fit(x(), y(), epochs(2)).history().get("loss");
    }
    try (Sequential m = model()) {
      m.compile(CompileOptions.builder().optimizer(new Adam(0.01)).loss(halfMae).build());
      m.fit(x(), y(), epochs(1));
      m.save(p);
    }
    assertThatThrownBy(() -> Models.loadModel(p))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("saving_half_mae")
        .hasMessageContaining("CustomObjects.register");
    try (Model m = Models.loadModel(p, Map.of("saving_half_mae", halfMae), true)) {
      assertThat(m.fit(x(), y(), epochs(1)).history().get("loss"))
          .containsExactly(uninterrupted.get(1));
    }
  }

  @Test
  void unknownLayerClassSaysHowToRegister() {
    String json =
        "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"s\", \"layers\": [{\"class_name\": \"MyLayer\", \"config\": {\"name\": \"x\", \"batch_input_shape\": [null, 2]}}]}}";
    assertThatThrownBy(() -> Models.modelFromJson(json))
        .hasMessageContaining("Unknown layer: `MyLayer`")
        .hasMessageContaining("Layers.register(\"MyLayer\"");
  }

  @Test
  void customObjectsResolveALayerByName() {
    String json =
        "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"s\", \"layers\": [{\"class_name\": \"MyDense\", \"config\": {\"name\": \"x\", \"units\": 3, \"batch_input_shape\": [null, 2]}}]}}";
    java.util.function.Function<Map<String, Object>, jkeras.layers.Layer> f =
        c -> Dense.builder(((Number) c.get("units")).intValue()).baseConfig(c).build();
    try (Model m = Models.modelFromJson(json, Map.of("MyDense", f))) {
      assertThat(m.countParams()).isEqualTo(9);
    }
  }
}
