package jkeras.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import jkeras.data.Batch;
import jkeras.data.NDArray;
import jkeras.layers.Dense;
import jkeras.optimizers.Adam;
import jkeras.trainers.CompileOptions;
import jkeras.trainers.FitOptions;
import jkeras.trainers.adapters.DataAdapter;
import jkeras.trainers.adapters.DataAdapterProvider;
import jkeras.trainers.adapters.DataAdapters;
import jkeras.trainers.adapters.StreamAdapter;
import jkeras.utils.GeneratorEnqueuer;
import jkeras.utils.GeneratorExhaustedException;
import jkeras.utils.OrderedEnqueuer;
import jkeras.utils.RngUtils;
import jkeras.utils.Sequence;
import jkeras.utils.SequenceEnqueuer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code fitGenerator} with {@code steps_per_execution=4} over a Sequence and a generator, on the
 * training thread and on worker threads: the weights of one step per execution (1e-6), every
 * Sequence index once per epoch in order, each group of batches taken from the queue in one
 * hand-over, and a failure or the generator's end inside a group releasing what was drawn.
 */
@Tag("native")
class StepsPerExecutionHandOverTest {
  private static final int BATCHES = 10; // groups of 4, 4 and 2

  /** A stream the test provider below serves through an enqueuer it keeps, to count hand-overs. */
  private record Counted(Object data) {}

  private final List<SequenceEnqueuer> enqueuers = new ArrayList<>();
  private final DataAdapterProvider provider =
      (data, ctx) -> {
        if (!(data instanceof Counted c)) return null;
        SequenceEnqueuer e =
            c.data() instanceof Sequence s
                ? new OrderedEnqueuer(s, false, false)
                : new GeneratorEnqueuer((Iterator<?>) c.data());
        enqueuers.add(e);
        return StreamAdapter.enqueued(
            e,
            c.data() instanceof Sequence ? DataAdapter.Kind.SEQUENCE : DataAdapter.Kind.GENERATOR,
            c.data() instanceof Sequence s ? s::size : null,
            ctx,
            null);
      };

  @BeforeEach
  void register() {
    DataAdapters.register(provider);
  }

  @AfterEach
  void unregister() {
    DataAdapters.unregister(provider);
  }

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

  /** Batch {@code i} of 8 rows, the same bits every time; releases are counted. */
  private static Batch batch(int i, AtomicInteger released) {
    Random r = new Random(i);
    float[] x = new float[8 * 4];
    int[] y = new int[8];
    for (int k = 0; k < x.length; k++) x[k] = (float) r.nextGaussian();
    for (int k = 0; k < y.length; k++) y[k] = r.nextInt(2);
    return Batch.of(NDArray.of(x, 8, 4), NDArray.ofInts(y, 8))
        .withRelease(released::incrementAndGet);
  }

  /** The batches of the source as a Sequence (indices recorded) or as an endless generator. */
  private static final class Source {
    final List<Integer> indices = new ArrayList<>();
    final AtomicInteger drawn = new AtomicInteger();
    final AtomicInteger released = new AtomicInteger();
    final int failAt;
    final int end;

    Source(int failAt, int end) {
      this.failAt = failAt;
      this.end = end;
    }

    Batch item(int i) {
      if (i == failAt) throw new IllegalStateException("batch " + i + " failed");
      drawn.incrementAndGet();
      return batch(i % BATCHES, released);
    }

    Object as(String kind) {
      if (kind.equals("sequence")) {
        return new Sequence() {
          @Override
          public int size() {
            return BATCHES;
          }

          @Override
          public Batch get(int index) {
            synchronized (indices) {
              indices.add(index);
            }
            return item(index);
          }
        };
      }
      return new Iterator<Batch>() {
        private int i;

        @Override
        public boolean hasNext() {
          return i < end;
        }

        @Override
        public Batch next() {
          return item(i++);
        }
      };
    }
  }

  private static FitOptions options(int workers) {
    return FitOptions.builder()
        .epochs(2)
        .stepsPerEpoch(BATCHES)
        .shuffle(false)
        .verbose(0)
        .workers(workers)
        .maxQueueSize(3)
        .build();
  }

  private static void assertSameWeights(Sequential a, Sequential b) {
    List<NDArray> wa = a.getWeights();
    List<NDArray> wb = b.getWeights();
    for (int k = 0; k < wa.size(); k++) {
      float[] x = wa.get(k).toFloatArray();
      float[] y = wb.get(k).toFloatArray();
      for (int i = 0; i < x.length; i++) assertThat((double) y[i]).isCloseTo(x[i], within(1e-6));
    }
  }

  @ParameterizedTest
  @CsvSource({"sequence, 0", "sequence, 2", "generator, 0", "generator, 2"})
  void groupsOfFourTrainAsSingleStepsAndComeInOneHandOverEach(String kind, int workers) {
    Source single = new Source(-1, Integer.MAX_VALUE);
    Source grouped = new Source(-1, Integer.MAX_VALUE);
    try (Sequential one = model(1);
        Sequential four = model(4)) {
      one.fitGenerator(single.as(kind), options(0));
      Object data = grouped.as(kind);
      four.fitGenerator(workers == 0 ? data : new Counted(data), options(workers));
      assertSameWeights(one, four);
      if (kind.equals("sequence")) {
        // Every index once per epoch (two workers call get() in any order; the weights above show
        // the batches were trained in index order).
        assertThat(grouped.indices).hasSize(2 * BATCHES);
        for (int e = 0; e < 2; e++) {
          assertThat(grouped.indices.subList(e * BATCHES, (e + 1) * BATCHES))
              .containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        }
      }
      // Every batch drawn was released after its step (the generator's extra ones when stopped).
      assertThat(grouped.released.get()).isEqualTo(grouped.drawn.get());
      if (workers > 0) {
        // 2 epochs of groups of 4, 4 and 2: six hand-overs, not twenty.
        assertThat(enqueuers).hasSize(1);
        assertThat(enqueuers.get(0).handOvers()).isEqualTo(6);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 2})
  void aFailureInsideAGroupStopsFitAndReleasesTheGroupsBatches(int workers) {
    for (String kind : List.of("sequence", "generator")) {
      Source s = new Source(6, Integer.MAX_VALUE);
      try (Sequential four = model(4);
          Sequential one = model(1)) {
        Object data = s.as(kind);
        assertThatThrownBy(
                () -> four.fitGenerator(workers == 0 ? data : new Counted(data), options(workers)))
            .as(kind)
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("batch 6 failed");
        assertThat(s.released.get()).as(kind).isEqualTo(s.drawn.get());
        // The first group of 4 was trained, the failed one not.
        Source firstFour = new Source(-1, 4);
        one.fitGenerator(
            firstFour.as("generator"),
            FitOptions.builder().epochs(1).stepsPerEpoch(4).verbose(0).shuffle(false).build());
        assertSameWeights(one, four);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 2})
  void aGeneratorEndingInsideAGroupIsExhaustionAfterReleasingItsBatches(int workers) {
    Source s = new Source(-1, 6);
    try (Sequential four = model(4)) {
      Object data = s.as("generator");
      assertThatThrownBy(
              () -> four.fitGenerator(workers == 0 ? data : new Counted(data), options(workers)))
          .isInstanceOf(GeneratorExhaustedException.class);
      assertThat(s.drawn.get()).isEqualTo(6);
      assertThat(s.released.get()).isEqualTo(6);
    }
  }
}
