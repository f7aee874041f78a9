package jkeras.trainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import jkeras.data.Batch;
import jkeras.data.NDArray;
import jkeras.layers.Dense;
import jkeras.models.Sequential;
import jkeras.testing.Endless;
import jkeras.testing.Stdout;
import jkeras.trainers.adapters.AdapterContext;
import jkeras.trainers.adapters.DataAdapter;
import jkeras.trainers.adapters.DataAdapterProvider;
import jkeras.trainers.adapters.DataAdapters;
import jkeras.trainers.adapters.StreamAdapter;
import jkeras.utils.Sequence;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("native")
class TrainerTest {
  static final NDArray X = NDArray.of(new float[][] {{1, 2}, {3, 4}, {5, 6}, {7, 8}});
  static final NDArray Y = NDArray.of(new float[][] {{1}, {0}, {1}, {0}});

  static Sequential model() {
    Sequential m = new Sequential(List.of(Dense.builder(1).inputShape(2).build()));
    m.compile("sgd", "mse");
    return m;
  }

  /** Two batches of two samples. */
  static final class TwoBatches extends Sequence {
    @Override
    public int size() {
      return 2;
    }

    @Override
    public Batch get(int i) {
      return Batch.of(X.slice(2L * i, 2L * i + 2), Y.slice(2L * i, 2L * i + 2));
    }
  }

  @Nested
  class Verbosity {
    @Test
    void evaluateGeneratorIsSilentByDefaultAsKeras231() {
      try (Sequential m = model()) {
        String out =
            Stdout.capture(() -> m.evaluateGenerator(new TwoBatches(), EvaluateOptions.defaults()));
        assertThat(out).isEmpty();
      }
    }

    @Test
    void evaluateOnASequenceDrawsABarByDefaultAsKerasEvaluate() {
      try (Sequential m = model()) {
        String out = Stdout.capture(() -> m.evaluate(new TwoBatches(), EvaluateOptions.defaults()));
        assertThat(out).contains("2/2 [==============================]");
      }
    }

    @Test
    void anExplicitVerboseWinsOverTheMethodDefault() {
      try (Sequential m = model()) {
        String out =
            Stdout.capture(
                () ->
                    m.evaluateGenerator(
                        new TwoBatches(), EvaluateOptions.builder().verbose(1).build()));
        assertThat(out).contains("2/2 [");
      }
    }
  }

  @Nested
  class GeneratorOutput {
    /** A generator whose every item is a tuple of one array, not {@code (x, y)}. */
    final Iterator<Object> onlyX = new Endless<>(i -> new Object[] {X});

    @Test
    void anItemThatIsNoTupleIsShownAsPythonShowsItWithShapesAndDtypes() {
      try (Sequential m = model()) {
        assertThatThrownBy(
                () ->
                    m.fitGenerator(
                        onlyX, FitOptions.builder().verbose(0).stepsPerEpoch(1).workers(0).build()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith(
                "Output of generator should be a tuple `(x, y, sample_weight)` or `(x, y)`. Found: (array(shape=[4, 2], dtype=float32")
            .hasMessageNotContaining("[Ljava.lang.Object;");
      }
    }

    @Test
    void theEvaluationPathUsesItsOwnKerasText() {
      try (Sequential m = model()) {
        assertThatThrownBy(
                () ->
                    m.evaluateGenerator(
                        onlyX, EvaluateOptions.builder().steps(1).workers(0).build()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith(
                "Output of generator should be a tuple (x, y, sample_weight) or (x, y). Found: (array(");
      }
    }

    @Test
    void predictTakesInputsOnly() {
      try (Sequential m = model()) {
        NDArray p = m.predict(onlyX, PredictOptions.builder().steps(2).workers(0).build());
        assertThat(p.shape()).containsExactly(8, 1);
      }
    }
  }

  @Nested
  class AdapterRegistry {
    /** An input kind core does not know: a list of batches, served as a generator. */
    record Batches(List<Batch> batches) {}

    final DataAdapterProvider provider =
        (data, ctx) ->
            data instanceof Batches b
                ? StreamAdapter.owning(b.batches().iterator(), ctx, null)
                : null;

    @Test
    void aRegisteredProviderServesANewKindOfInputWithoutTouchingModelOrLoop() {
      List<Batch> batches = new ArrayList<>();
      for (int i = 0; i < 4; i++) batches.add(Batch.of(X, Y));
      DataAdapters.register(provider);
      try (Sequential m = model()) {
        var h =
            m.fit(
                new Batches(batches),
                FitOptions.builder().verbose(0).stepsPerEpoch(2).epochs(2).workers(0).build());
        assertThat(h.history().get("loss")).hasSize(2);
      } finally {
        DataAdapters.unregister(provider);
      }
    }

    @Test
    void anInputNoAdapterTakesIsNamedInTheError() {
      try (Sequential m = model()) {
        assertThatThrownBy(
                () ->
                    m.fit(List.of(1, 2), FitOptions.builder().verbose(0).stepsPerEpoch(1).build()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("Expected `x` to be arrays")
            .hasMessageEndingWith("Received: x=java.util.ImmutableCollections$List12");
      }
    }

    @Test
    void theContextCarriesTheCallsDataArguments() {
      List<AdapterContext> seen = new ArrayList<>();
      DataAdapterProvider spy =
          (data, ctx) -> {
            if (data instanceof TwoBatches) seen.add(ctx);
            return null;
          };
      DataAdapters.register(spy);
      try (Sequential m = model()) {
        m.fit(
            new TwoBatches(),
            FitOptions.builder()
                .verbose(0)
                .workers(2)
                .maxQueueSize(3)
                .shuffle(false)
                .classWeight(Map.of(0, 1.0, 1, 2.0))
                .validationData(new TwoBatches())
                .build());
      } finally {
        DataAdapters.unregister(spy);
      }
      assertThat(seen).hasSize(2);
      assertThat(seen.get(0).role()).isEqualTo(AdapterContext.Role.TRAIN);
      assertThat(seen.get(0).workers()).isEqualTo(2);
      assertThat(seen.get(0).maxQueueSize()).isEqualTo(3);
      assertThat(seen.get(0).classWeight()).containsEntry(1, 2.0);
      assertThat(seen.get(1).role()).isEqualTo(AdapterContext.Role.EVALUATE);
      assertThat(seen.get(1).classWeight()).isNull();
      DataAdapter unused = null;
      assertThat(unused).isNull();
    }
  }

  @Nested
  class KerasKeywords {
    @Test
    void fitOptionsFromConfigTakesKerasNames() {
      FitOptions o =
          FitOptions.fromConfig(
              Map.of(
                  "epochs",
                  3,
                  "batch_size",
                  8.0,
                  "validation_split",
                  0.25,
                  "shuffle",
                  false,
                  "max_queue_size",
                  4,
                  "verbose",
                  true));
      assertThat(o.epochs()).isEqualTo(3);
      assertThat(o.batchSize()).isEqualTo(8);
      assertThat(o.validationSplit()).isEqualTo(0.25);
      assertThat(o.shuffle()).isFalse();
      assertThat(o.maxQueueSize()).isEqualTo(4);
      assertThat(o.verbose()).isEqualTo(1);
    }

    @Test
    void anUnknownKeywordListsTheOnesTheMethodTakes() {
      assertThatThrownBy(() -> PredictOptions.fromConfig(Map.of("epochs", 2)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "Unknown argument `epochs` for predict. Expected one of [batch_size, verbose, callbacks,"
                  + " max_queue_size, workers, use_multiprocessing, steps]. Received: epochs=2");
    }

    @Test
    void keywordValuesOfTheWrongTypeNameTheArgument() {
      assertThatThrownBy(() -> EvaluateOptions.fromConfig(Map.of("steps", "two")))
          .hasMessage(
              "Expected `steps` to be an integer. Received: steps='two' (java.lang.String)");
    }
  }
}
