package jkeras.python.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jkeras.data.Batch;
import jkeras.data.NDArray;
import jkeras.layers.Dense;
import jkeras.models.Sequential;
import jkeras.optimizers.Adam;
import jkeras.python.PythonException;
import jkeras.python.PythonSource;
import jkeras.trainers.CompileOptions;
import jkeras.trainers.FitOptions;
import jkeras.trainers.adapters.DataAdapter;
import jkeras.trainers.adapters.DataAdapterProvider;
import jkeras.trainers.adapters.DataAdapters;
import jkeras.trainers.adapters.StreamAdapter;
import jkeras.utils.GeneratorExhaustedException;
import jkeras.utils.RngUtils;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A group of batches from the worker processes in one hand-over ({@link
 * ProcessEnqueuer#next(int)}): in order, also larger than {@code maxQueueSize}; a failure or the
 * generator's end inside a group releases the slots taken for it; and {@code fitGenerator} with
 * {@code steps_per_execution=4} over two worker processes trains as one step per execution does.
 */
@Tag("python")
@Tag("native")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GroupHandOverProcessTest extends WorkerProcessTest {
  private static long[] y(Batch b) {
    return ((NDArray) b.y()).toLongArray();
  }

  @Test
  void sequenceGroupsComeInOrderInOneHandOverEach() {
    try (ProcessEnqueuer e = sequenceEnqueuer(numbered(10, Map.of("delay", 0.005)))) {
      e.start(2, 3); // a group of 4 is larger than the queue
      e.beginEpoch(10);
      List<Long> seen = new ArrayList<>();
      for (int n : new int[] {4, 4, 2}) {
        List<Batch> group = e.next(n);
        assertThat(group).hasSize(n);
        for (Batch b : group) {
          seen.add(y(b)[0]);
          b.release();
        }
      }
      assertThat(seen).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
      assertThat(e.handOvers()).isEqualTo(3);
      assertThat(Fixtures.heldSlots(e)).isZero();
    }
  }

  @Test
  void generatorGroupsKeepTheDrawOrder() {
    try (ProcessEnqueuer e = generatorEnqueuer(gen(Map.of()))) {
      e.start(1, 3);
      List<Long> seen = new ArrayList<>();
      for (int g = 0; g < 2; g++) {
        for (Batch b : e.next(5)) {
          seen.add(y(b)[0]);
          b.release();
        }
      }
      assertThat(seen).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
      assertThat(e.handOvers()).isEqualTo(2);
    }
  }

  @Test
  void aFailureInsideASequenceGroupIsThrownAndStopsTheWorkers() {
    ProcessEnqueuer e = sequenceEnqueuer(numbered(10, Map.of("fail_at", 5)));
    e.start(2, 4);
    e.beginEpoch(10);
    e.next(4).forEach(Batch::release);
    assertThatThrownBy(() -> e.next(4))
        .isInstanceOf(PythonException.class)
        .hasMessageContaining("bad index 5");
    assertThat(e.isRunning()).isFalse();
  }

  @Test
  void theGeneratorsEndInsideAGroupReleasesItsSlotsAndIsExhaustion() {
    try (ProcessEnqueuer e = generatorEnqueuer(gen(Map.of("n", 6)))) {
      e.start(1, 10);
      e.next(4).forEach(Batch::release);
      assertThatThrownBy(() -> e.next(4)).isInstanceOf(GeneratorExhaustedException.class);
      // Items 4 and 5 were taken for the group and handed back.
      assertThat(Fixtures.heldSlots(e)).isZero();
    }
  }

  // ------------------------------------------------------------------ through fitGenerator

  private static final String ROWS =
      """
      import numpy as np
      from keras.utils import Sequence


      def batch(i):
          r = np.random.RandomState(i)
          return r.randn(8, 4).astype(np.float32), r.randint(0, 2, size=(8,)).astype(np.int64)


      class Rows(Sequence):
          def __len__(self):
              return 10

          def __getitem__(self, i):
              return batch(i)


      def same():
          while True:
              yield batch(7)
      """;

  /** A source the provider below serves through a ProcessEnqueuer it keeps. */
  private record Counted(PythonSource source, boolean sequence) {}

  private static Sequential model(int stepsPerExecution) {
    RngUtils.setRandomSeed(3L);
    try {
      Sequential m = new Sequential();
      m.add(Dense.builder(6).activation("relu").inputShape(4).build());
      m.add(Dense.builder(2).activation("softmax").build());
      m.compile(
          CompileOptions.builder()
              .optimizer(Adam.builder().learningRate(0.01).build())
              .loss("sparse_categorical_crossentropy")
              .stepsPerExecution(stepsPerExecution)
              .build());
      return m;
    } finally {
      RngUtils.setRandomSeed(null);
    }
  }

  private static FitOptions options(int workers) {
    return FitOptions.builder()
        .epochs(2)
        .stepsPerEpoch(10)
        .shuffle(false)
        .verbose(0)
        .workers(workers)
        .useMultiprocessing(workers > 0)
        .maxQueueSize(3)
        .build();
  }

  /**
   * The Sequence (every index once per epoch, in order) and a generator of one repeated batch (so
   * the two processes' interleaving does not matter): K=1's weights on the training thread, and six
   * hand-overs from the processes for 2 epochs of groups of 4, 4 and 2.
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void fitGeneratorWithGroupsOfFourOverTwoProcessesTrainsAsSingleSteps(boolean sequence)
      throws IOException {
    Path file = dir.resolve("rows.py");
    Files.writeString(file, ROWS);
    PythonSource source =
        sequence ? PythonSource.fromFile(file, "Rows") : PythonSource.fromFile(file, "same");
    List<ProcessEnqueuer> enqueuers = new ArrayList<>();
    DataAdapterProvider provider =
        (data, ctx) -> {
          if (!(data instanceof Counted c)) return null;
          ProcessEnqueuer e = new ProcessEnqueuer(env, c.source(), c.sequence(), false, 1);
          enqueuers.add(e);
          return StreamAdapter.enqueued(
              e,
              c.sequence() ? DataAdapter.Kind.SEQUENCE : DataAdapter.Kind.GENERATOR,
              c.sequence() ? e::size : null,
              ctx,
              null);
        };
    DataAdapters.register(provider);
    try (Sequential one = model(1);
        Sequential four = model(4)) {
      one.fitGenerator(source, options(0));
      four.fitGenerator(new Counted(source, sequence), options(2));
      List<NDArray> w1 = one.getWeights();
      List<NDArray> w4 = four.getWeights();
      for (int k = 0; k < w1.size(); k++) {
        float[] a = w1.get(k).toFloatArray();
        float[] b = w4.get(k).toFloatArray();
        for (int i = 0; i < a.length; i++) assertThat((double) b[i]).isCloseTo(a[i], within(1e-6));
      }
      assertThat(enqueuers).hasSize(1);
      assertThat(enqueuers.get(0).handOvers()).isEqualTo(6);
    } finally {
      DataAdapters.unregister(provider);
    }
  }
}
