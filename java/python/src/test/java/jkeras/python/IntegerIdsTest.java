package jkeras.python;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import jkeras.callbacks.History;
import jkeras.data.NDArray;
import jkeras.layers.Dense;
import jkeras.layers.Embedding;
import jkeras.layers.Flatten;
import jkeras.layers.Input;
import jkeras.layers.KerasTensor;
import jkeras.layers.Layer;
import jkeras.models.Model;
import jkeras.optimizers.Adam;
import jkeras.trainers.FitOptions;
import jkeras.trainers.PredictOptions;
import jkeras.utils.RngUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** int32 ids from a Python generator into an int32 {@code Input} feeding an {@code Embedding}. */
@Tag("python")
@Tag("native")
class IntegerIdsTest {
  @BeforeEach
  void resetNames() {
    Layer.resetNames();
  }

  @ParameterizedTest(name = "workers={0}, use_multiprocessing={1}")
  @CsvSource({"0, false", "1, true"})
  void anEmbeddingTrainsOnInt32IdsFromAGenerator(int workers, boolean processes) {
    // Seeded weights and a learning rate the task is learnt at: at Adam's default rate four short
    // epochs moved the loss by less than its batch-to-batch noise, so the check was a coin flip.
    RngUtils.setRandomSeed(7L);
    KerasTensor ids = Input.builder().shape(5).dtype("int32").name("ids").build();
    KerasTensor h = new Flatten().apply(Embedding.builder(10, 4).build().apply(ids));
    KerasTensor out = Dense.builder(1).activation("sigmoid").build().apply(h);
    try (Model model = new Model(ids, out)) {
      model.compile(Adam.builder().learningRate(0.02).build(), "binary_crossentropy");
      History hist =
          model.fitGenerator(
              Fixtures.module("int_id_batches", 10),
              FitOptions.builder()
                  .stepsPerEpoch(20)
                  .epochs(4)
                  .verbose(0)
                  .workers(workers)
                  .useMultiprocessing(processes)
                  .build());
      List<Double> loss = hist.history().get("loss");
      assertThat(loss.get(3)).isLessThan(0.7 * loss.get(0));
    }
  }

  @AfterEach
  void clearSeed() {
    RngUtils.setRandomSeed(null);
  }

  @Test
  void idsAbove2To24ArriveExactly() {
    int vocab = (1 << 24) + 3;
    KerasTensor ids = Input.builder().shape(2).dtype("int32").name("ids").build();
    Embedding e = Embedding.builder(vocab, 1).embeddingsInitializer("zeros").build();
    try (Model model = new Model(ids, e.apply(ids))) {
      float[] table = new float[vocab];
      table[1 << 24] = 1f;
      table[(1 << 24) + 1] = 2f;
      e.setWeights(List.of(NDArray.of(table, vocab, 1)));
      NDArray p =
          model.predict(
              Fixtures.module("large_ids"),
              PredictOptions.builder().steps(1).workers(0).verbose(0).build());
      assertThat(p.toFloatArray()).containsExactly(2f, 1f);
    }
  }
}
