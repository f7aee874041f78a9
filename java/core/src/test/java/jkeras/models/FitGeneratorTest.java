package jkeras.models;

import static jkeras.models.ModelTestSupport.P;
import static jkeras.models.ModelTestSupport.TOL;
import static jkeras.models.ModelTestSupport.X8;
import static jkeras.models.ModelTestSupport.Y8;
import static jkeras.models.ModelTestSupport.assertParams;
import static jkeras.models.ModelTestSupport.dense;
import static jkeras.models.ModelTestSupport.flat;
import static jkeras.models.ModelTestSupport.mae;
import static jkeras.models.ModelTestSupport.mse;
import static jkeras.models.ModelTestSupport.ones;
import static jkeras.models.ModelTestSupport.paramsOf;
import static jkeras.models.ModelTestSupport.rows;
import static jkeras.models.ModelTestSupport.sgdMseStep;
import static jkeras.testing.Threads.sleep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import jkeras.callbacks.Callback;
import jkeras.callbacks.History;
import jkeras.callbacks.Logs;
import jkeras.data.Batch;
import jkeras.data.NDArray;
import jkeras.internal.Warnings;
import jkeras.layers.Dense;
import jkeras.layers.Layer;
import jkeras.models.ModelTestSupport.Params;
import jkeras.optimizers.SGD;
import jkeras.testing.Endless;
import jkeras.testing.HookRecorder;
import jkeras.testing.Stall;
import jkeras.trainers.EvaluateOptions;
import jkeras.trainers.FitOptions;
import jkeras.trainers.PredictOptions;
import jkeras.trainers.Scores;
import jkeras.utils.GeneratorExhaustedException;
import jkeras.utils.RngUtils;
import jkeras.utils.Sequence;
import jkeras.utils.SequenceEnqueuer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code fit}/{@code evaluate}/{@code predict} over a {@link Sequence} or an {@link Iterator}
 * (Keras 2.3.1's {@code fit_generator} family) through the public Model API. Ported from Keras
 * 2.3.1 tests/keras/engine/test_training.py (test_fit_generator, the dynamic-size Sequence tests,
 * test_validation_freq, test_sample_weights, test_warnings) and tests/test_multiprocessing.py (the
 * *_error tests). Exact draw counts use {@code workers=0}; with workers only bounds hold. Numbers
 * are checked against SGD steps computed by hand in double precision.
 */
@Tag("native")
class FitGeneratorTest {
  static final double LR = 0.05;

  static final double[][] VX = {{0.5, 0.5, 0.5}, {-1, 2, 0}, {2, 0, -1}, {1, 1, -2}, {0, -1, 1}};
  static final double[][] VY = {{1, 1}, {0, -1}, {2, 0}, {-1, 1}, {0.5, 0}};
  private Set<Thread> threadsBefore;

  @BeforeEach
  void setUp() {
    Layer.resetNames();
    threadsBefore = jkerasThreads();
  }

  @AfterEach
  void tearDown() {
    RngUtils.setRandomSeed(null);
    assertThat(newJkerasThreads()).as("jkeras- threads still alive").isEmpty();
  }

  static Set<Thread> jkerasThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("jkeras-") && t.isAlive())
        .collect(Collectors.toCollection(HashSet::new));
  }

  Set<Thread> newJkerasThreads() {
    Set<Thread> now = jkerasThreads();
    now.removeAll(threadsBefore);
    return now;
  }

  /** {@code x(3) -> Dense(2)} with weights {@code p}, compiled with SGD(LR) and mse. */
  static Sequential linear(Params p, String... metrics) {
    Sequential m =
        new Sequential(List.of(Dense.builder(p.b().length).inputShape(p.w().length).build()));
    m.setWeights(p.asWeights());
    m.compile(new SGD(LR), "mse", List.of((Object[]) metrics));
    return m;
  }

  static FitOptions.Builder quiet() {
    return FitOptions.builder().verbose(0);
  }

  /** Batches of {@code batchSize} consecutive rows (the last one shorter), with an index log. */
  static class ArraySequence extends Sequence {
    final double[][] x;
    final double[][] y;
    final double[] sw;
    final int batchSize;
    final List<Integer> log = new CopyOnWriteArrayList<>();
    final AtomicInteger epochEnds = new AtomicInteger();

    ArraySequence(double[][] x, double[][] y, double[] sw, int batchSize) {
      this.x = x;
      this.y = y;
      this.sw = sw;
      this.batchSize = batchSize;
    }

    ArraySequence(double[][] x, double[][] y, int batchSize) {
      this(x, y, null, batchSize);
    }

    @Override
    public int size() {
      return (x.length + batchSize - 1) / batchSize;
    }

    @Override
    public Batch get(int index) {
      log.add(index);
      int from = index * batchSize;
      int to = Math.min(x.length, from + batchSize);
      NDArray bx = NDArray.of(rows(x, from, to));
      NDArray by = NDArray.of(rows(y, from, to));
      if (sw == null) return Batch.of(bx, by);
      return Batch.of(bx, by, NDArray.of(java.util.Arrays.copyOfRange(sw, from, to)));
    }

    @Override
    public void onEpochEnd() {
      epochEnds.incrementAndGet();
    }
  }

  /** Records the hooks that matter here. */
  static final class Recorder extends HookRecorder {
    final List<String> events = Collections.synchronizedList(new ArrayList<>());
    final List<Integer> trainBatches = new ArrayList<>();
    final List<Object> stepsAtEpochBegin = new ArrayList<>();
    int testBegins;
    boolean trainEnded;

    @Override
    protected void hook(String name, Integer index, Logs logs) {
      switch (name) {
        case "on_train_begin", "on_epoch_end" -> events.add(label(name, index));
        case "on_epoch_begin" -> {
          events.add(label(name, index));
          stepsAtEpochBegin.add(params().get("steps"));
        }
        case "on_train_batch_begin" -> trainBatches.add(index);
        case "on_test_begin" -> testBegins++;
        case "on_train_end" -> {
          trainEnded = true;
          events.add(label(name, index));
        }
        default -> {}
      }
    }
  }

  /**
   * Keras fit_generator by hand: SGD over {@code bs}-row batches in order, epoch and val losses.
   */
  record HandRun(Params p, List<Double> loss, List<Double> valLoss) {}

  static HandRun handFit(Params p0, int bs, int epochs, int valBs) {
    Params p = p0.copy();
    List<Double> losses = new ArrayList<>();
    List<Double> vals = new ArrayList<>();
    for (int e = 0; e < epochs; e++) {
      double total = 0;
      for (int from = 0; from < X8.length; from += bs) {
        int to = Math.min(X8.length, from + bs);
        double[][] bx = rows(X8, from, to);
        double[][] by = rows(Y8, from, to);
        total += mse(dense(bx, p), by) * (to - from);
        p = sgdMseStep(p, bx, by, ones(to - from), LR);
      }
      losses.add(total / X8.length);
      vals.add(batchWeightedMse(p, VX, VY, valBs));
    }
    return new HandRun(p, losses, vals);
  }

  /** The sample-weighted mean over batches of the per-batch mse (Keras' evaluate averaging). */
  static double batchWeightedMse(Params p, double[][] x, double[][] y, int bs) {
    double total = 0;
    for (int from = 0; from < x.length; from += bs) {
      int to = Math.min(x.length, from + bs);
      total += mse(dense(rows(x, from, to), p), rows(y, from, to)) * (to - from);
    }
    return total / x.length;
  }

  static List<Throwable> causes(Throwable t) {
    List<Throwable> out = new ArrayList<>();
    for (Throwable c = t; c != null && !out.contains(c); c = c.getCause()) out.add(c);
    return out;
  }

  // ------------------------------------------------------------------ how much is drawn

  @Nested
  class Draws {
    @Test
    void workersZeroDrawsExactlyTheStepsAndValidationSteps() {
      Endless<Batch> train = Endless.cycle(new ArraySequence(X8, Y8, 2));
      Endless<Batch> val = Endless.cycle(new ArraySequence(VX, VY, 2));
      try (Sequential m = linear(P)) {
        History h =
            m.fit(
                train,
                quiet()
                    .workers(0)
                    .epochs(3)
                    .stepsPerEpoch(2)
                    .validationData(val)
                    .validationSteps(1)
                    .build());
        assertThat(train.drawn()).isEqualTo(3 * 2);
        assertThat(val.drawn()).isEqualTo(3 * 1);
        assertThat(h.history()).containsKeys("loss", "val_loss");
        assertThat(h.epoch()).containsExactly(0, 1, 2);
      }
    }

    @Test
    void validationFreqSkipsTheDrawsOfSkippedValidations() {
      Endless<Batch> train = Endless.cycle(new ArraySequence(X8, Y8, 2));
      Endless<Batch> val = Endless.cycle(new ArraySequence(VX, VY, 2));
      Recorder r = new Recorder();
      try (Sequential m = linear(P)) {
        m.fitGenerator(
            train,
            quiet()
                .workers(0)
                .epochs(4)
                .stepsPerEpoch(2)
                .validationData(val)
                .validationSteps(2)
                .validationFreq(2)
                .callbacks(r)
                .build());
      }
      assertThat(r.testBegins).isEqualTo(2);
      assertThat(val.drawn()).isEqualTo(2 * 2);
      assertThat(train.drawn()).isEqualTo(4 * 2);
    }

    @Test
    void validationFreqListWithArrayValidation() {
      // Keras test_validation_freq, training_generator part: [4, 2, 2, 1] over 4 epochs -> 3 runs.
      Recorder r = new Recorder();
      try (Sequential m = linear(P)) {
        m.fitGenerator(
            Endless.cycle(new ArraySequence(X8, Y8, 2)),
            quiet()
                .workers(0)
                .epochs(4)
                .stepsPerEpoch(5)
                .validationData(NDArray.of(VX), NDArray.of(VY))
                .validationFreq(List.of(4, 2, 2, 1))
                .callbacks(r)
                .build());
      }
      assertThat(r.testBegins).isEqualTo(3);
    }

    @Test
    void nothingIsDrawnAfterAStop() {
      Endless<Batch> train = Endless.cycle(new ArraySequence(X8, Y8, 2));
      Endless<Batch> val = Endless.cycle(new ArraySequence(VX, VY, 2));
      Callback stopper =
          new Callback() {
            int epoch;

            @Override
            public void onEpochBegin(int e, Logs logs) {
              epoch = e;
            }

            @Override
            public void onTrainBatchEnd(int batch, Logs logs) {
              if (epoch == 1 && batch == 0) model().setStopTraining(true);
            }
          };
      try (Sequential m = linear(P)) {
        History h =
            m.fit(
                train,
                quiet()
                    .workers(0)
                    .epochs(5)
                    .stepsPerEpoch(2)
                    .validationData(val)
                    .validationSteps(1)
                    .callbacks(stopper)
                    .build());
        // Epoch 0: 2 batches + 1 validation; epoch 1: 1 batch, then the stop skips its validation.
        assertThat(train.drawn()).isEqualTo(3);
        assertThat(val.drawn()).isEqualTo(1);
        assertThat(h.epoch()).containsExactly(0, 1);
        assertThat(h.history().get("val_loss")).hasSize(1);
      }
    }

    @Test
    void workersDrawWithinTheQueueBoundAndStopWithFit() {
      // Keras test_fit_generator: 3 epochs x 2 steps, max_queue_size=2, workers=2,
      // validation_steps=1.
      int queue = 2;
      int workers = 2;
      Endless<Batch> train = Endless.cycle(new ArraySequence(X8, Y8, 2));
      Endless<Batch> val = Endless.cycle(new ArraySequence(VX, VY, 2));
      try (Sequential m = linear(P)) {
        m.fit(
            train,
            quiet()
                .workers(workers)
                .maxQueueSize(queue)
                .epochs(3)
                .stepsPerEpoch(2)
                .validationData(val)
                .validationSteps(1)
                .build());
      }
      assertThat(train.drawn()).isBetween(6, 6 + queue + workers);
      assertThat(val.drawn()).isBetween(3, 3 + queue + workers);
      int t = train.drawn();
      int v = val.drawn();
      sleep(100);
      assertThat(train.drawn()).isEqualTo(t);
      assertThat(val.drawn()).isEqualTo(v);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void sequenceStreamContinuesAcrossEpochsWhenStepsAreFewerThanSize(int workers) {
      // Keras 2: epoch 2 starts at index steps_per_epoch, not at 0.
      ArraySequence seq = new ArraySequence(X8, Y8, 2);
      try (Sequential m = linear(P)) {
        m.fit(seq, quiet().workers(workers).shuffle(false).epochs(3).stepsPerEpoch(3).build());
      }
      List<Integer> expected = List.of(0, 1, 2, 3, 0, 1, 2, 3, 0);
      if (workers <= 1) {
        assertThat(seq.log).isEqualTo(expected);
      } else {
        assertThat(seq.log).containsExactlyInAnyOrderElementsOf(expected);
      }
      assertThat(seq.epochEnds.get()).isEqualTo(3);
    }

    @Test
    void javaGeneratorWithMultiprocessingIsNotDuplicatedAndSequencesDoNotWarn() throws Exception {
      // Keras test_warnings: the duplicate-data warning is about forked Python generators; Java
      // sources run on threads, so every item is drawn once.
      List<String> warnings = new CopyOnWriteArrayList<>();
      Set<Integer> seen = Collections.synchronizedSet(new HashSet<>());
      AtomicInteger n = new AtomicInteger();
      Iterator<Batch> gen =
          new Endless<>(
              i -> {
                n.incrementAndGet();
                seen.add(i);
                return Batch.of(NDArray.of(rows(X8, 0, 2)), NDArray.of(rows(Y8, 0, 2)));
              });
      try (AutoCloseable l = Warnings.listen(warnings::add);
          Sequential m = linear(P)) {
        m.fit(gen, quiet().workers(2).useMultiprocessing(true).stepsPerEpoch(4).epochs(2).build());
        assertThat(seen).hasSize(n.get());
        m.fit(
            new ArraySequence(X8, Y8, 2),
            quiet().workers(2).useMultiprocessing(true).epochs(2).build());
      }
      assertThat(warnings).isEmpty();
    }
  }

  // ------------------------------------------------------------------ Sequence epochs

  @Nested
  class SequenceEpochs {
    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void onEpochEndRunsOncePerEpochAfterTheEpochCallbacks(int workers) {
      Recorder r = new Recorder();
      ArraySequence seq =
          new ArraySequence(X8, Y8, 3) {
            @Override
            public void onEpochEnd() {
              super.onEpochEnd();
              r.events.add("sequence.onEpochEnd");
            }
          };
      try (Sequential m = linear(P)) {
        m.fit(seq, quiet().workers(workers).epochs(3).callbacks(r).build());
      }
      assertThat(r.events)
          .containsExactly(
              "train_begin",
              "epoch_begin 0",
              "epoch_end 0",
              "sequence.onEpochEnd",
              "epoch_begin 1",
              "epoch_end 1",
              "sequence.onEpochEnd",
              "epoch_begin 2",
              "epoch_end 2",
              "sequence.onEpochEnd",
              "train_end");
      assertThat(seq.epochEnds.get()).isEqualTo(3);
      assertThat(r.trainBatches).isEqualTo(List.of(0, 1, 2, 0, 1, 2, 0, 1, 2));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void stateSetInOnEpochEndIsSeenByEveryFetchOfTheNextEpoch(int workers) {
      // Every get() records the epoch counter it sees and returns a batch whose x encodes it.
      List<int[]> fetches = new CopyOnWriteArrayList<>();
      Sequence seq =
          new Sequence() {
            int epoch; // plain field: the enqueuer must publish onEpochEnd's write to its workers

            @Override
            public int size() {
              return 6;
            }

            @Override
            public Batch get(int index) {
              int e = epoch;
              fetches.add(new int[] {e, index});
              sleep(index % 3);
              double[][] x = {{e, index, 1}};
              return Batch.of(NDArray.of(x), NDArray.of(new double[][] {{e, -e}}));
            }

            @Override
            public void onEpochEnd() {
              epoch++;
            }
          };
      try (Sequential m = linear(P)) {
        m.fit(seq, quiet().workers(workers).shuffle(false).epochs(4).build());
      }
      assertThat(fetches).hasSize(4 * 6);
      for (int e = 0; e < 4; e++) {
        int ep = e;
        List<Integer> indices = fetches.stream().filter(f -> f[0] == ep).map(f -> f[1]).toList();
        assertThat(indices)
            .as("indices fetched seeing epoch %d", e)
            .containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
      }
    }

    /** Keras' IncreaseBatchSizeRandomSequence: batch size grows after each epoch, len shrinks. */
    final class IncreaseBatchSize extends Sequence {
      volatile int batchSize;
      final int length;
      final java.util.Random rnd = new java.util.Random(3);

      IncreaseBatchSize(int batchSize, int length) {
        this.batchSize = batchSize;
        this.length = length;
      }

      @Override
      public int size() {
        return (length + batchSize - 1) / batchSize;
      }

      @Override
      public synchronized Batch get(int index) {
        if (index >= size())
          throw new IndexOutOfBoundsException("index " + index + " >= len " + size());
        double[][] x = new double[batchSize][3];
        double[][] y = new double[batchSize][2];
        for (double[] r : x) for (int j = 0; j < 3; j++) r[j] = rnd.nextDouble();
        for (double[] r : y) for (int j = 0; j < 2; j++) r[j] = rnd.nextDouble();
        return Batch.of(NDArray.of(x), NDArray.of(y));
      }

      @Override
      public void onEpochEnd() {
        batchSize += 2;
      }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void sizeIsReadAgainEachEpochAndStepsParamFollows(int workers) {
      // Keras test_fit_generator_dynamic_size_sequence_{with_workers,main_thread}.
      Recorder r = new Recorder();
      try (Sequential m = linear(P)) {
        History h =
            m.fit(
                new IncreaseBatchSize(3, 20),
                quiet().workers(workers).maxQueueSize(1).epochs(5).callbacks(r).build());
        assertThat(h.epoch()).containsExactly(0, 1, 2, 3, 4);
      }
      assertThat(r.trainBatches)
          .isEqualTo(
              List.of(
                  0, 1, 2, 3, 4, 5, 6, // ceil(20 / 3) = 7
                  0, 1, 2, 3, // ceil(20 / 5) = 4
                  0, 1, 2, // ceil(20 / 7) = 3
                  0, 1, 2, // ceil(20 / 9) = 3
                  0, 1)); // ceil(20 / 11) = 2
      assertThat(r.stepsAtEpochBegin).containsExactly(7, 4, 3, 3, 2);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void growingSequenceIsReadAgainEachEpoch(int workers) {
      AtomicInteger epochs = new AtomicInteger();
      List<Integer> log = new CopyOnWriteArrayList<>();
      Sequence seq =
          new Sequence() {
            @Override
            public int size() {
              return 2 + epochs.get();
            }

            @Override
            public Batch get(int index) {
              if (index >= size()) throw new IndexOutOfBoundsException(index + " >= " + size());
              log.add(index);
              return Batch.of(
                  NDArray.of(rows(X8, index, index + 1)), NDArray.of(rows(Y8, index, index + 1)));
            }

            @Override
            public void onEpochEnd() {
              epochs.incrementAndGet();
            }
          };
      Recorder r = new Recorder();
      try (Sequential m = linear(P)) {
        m.fit(seq, quiet().workers(workers).shuffle(false).epochs(3).callbacks(r).build());
      }
      assertThat(r.stepsAtEpochBegin).containsExactly(2, 3, 4);
      assertThat(log).containsExactlyInAnyOrder(0, 1, 0, 1, 2, 0, 1, 2, 3);
      if (workers == 0) assertThat(log).containsExactly(0, 1, 0, 1, 2, 0, 1, 2, 3);
    }

    /** Runs a shuffled fit of 3 epochs over a 6-batch Sequence; returns the indices per epoch. */
    private List<List<Integer>> shuffledFit(int workers, Params[] finalWeights) {
      ArraySequence seq =
          new ArraySequence(X8, Y8, 1) {
            @Override
            public int size() {
              return 6;
            }
          };
      List<List<Integer>> perEpoch = new ArrayList<>();
      Callback split =
          new Callback() {
            int from;

            @Override
            public void onEpochEnd(int epoch, Logs logs) {
              List<Integer> all = List.copyOf(seq.log);
              perEpoch.add(all.subList(from, all.size()));
              from = all.size();
            }
          };
      try (Sequential m = linear(P)) {
        m.fit(seq, quiet().workers(workers).shuffle(true).epochs(3).callbacks(split).build());
        finalWeights[0] = paramsOf(m.getLayer(0));
      }
      return perEpoch;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void shuffledOrderIsAPermutationPerEpochAndFollowsTheGlobalSeed(int workers) {
      Params[] w1 = new Params[1];
      Params[] w2 = new Params[1];
      RngUtils.setRandomSeed(11L);
      List<List<Integer>> a = shuffledFit(workers, w1);
      RngUtils.setRandomSeed(11L);
      List<List<Integer>> b = shuffledFit(workers, w2);
      assertThat(a).hasSize(3);
      for (List<Integer> epoch : a) assertThat(epoch).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
      if (workers <= 1) {
        // With one fetching thread the fetch order is the training order.
        assertThat(a).isEqualTo(b);
        assertThat(a).anySatisfy(e -> assertThat(e).isNotEqualTo(List.of(0, 1, 2, 3, 4, 5)));
      }
      // The training order shows in the weights: same seed, same weights.
      assertThat(flat(w1[0].w())).containsExactly(flat(w2[0].w()), within(1e-7));
      assertThat(w1[0].b()).containsExactly(w2[0].b(), within(1e-7));
    }
  }

  // ------------------------------------------------------------------ errors

  static final class Boom extends RuntimeException {
    Boom(String m) {
      super(m);
    }
  }

  @Nested
  class Errors {
    void assertFailsWith(Throwable thrown, Throwable expected) {
      assertThat(thrown).isNotNull();
      assertThat(causes(thrown)).as("exception chain of %s", thrown).contains(expected);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void sequenceFailureStopsFitWithoutOnTrainEnd(int workers) {
      Boom boom = new Boom("index 2 is broken");
      ArraySequence seq =
          new ArraySequence(X8, Y8, 2) {
            @Override
            public Batch get(int index) {
              if (index == 2) throw boom;
              return super.get(index);
            }
          };
      Recorder r = new Recorder();
      Throwable thrown = null;
      try (Sequential m = linear(P)) {
        m.fit(seq, quiet().workers(workers).shuffle(false).epochs(2).callbacks(r).build());
      } catch (Throwable t) {
        thrown = t;
      }
      assertFailsWith(thrown, boom);
      assertThat(r.trainEnded).isFalse();
      assertThat(r.trainBatches).containsExactly(0, 1);
      assertThat(r.events).doesNotContain("epoch_end 0");
      assertThat(newJkerasThreads()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void generatorFailureStopsFitEvaluateAndPredict(int workers) {
      // Keras test_multiprocessing_{fit,evaluate,predict}_error: 3 good batches, then an error.
      Function<Boom, Iterator<Batch>> failing =
          boom ->
              new Endless<>(
                  i -> {
                    if (i >= 3) throw boom;
                    return Batch.of(NDArray.of(rows(X8, 0, 2)), NDArray.of(rows(Y8, 0, 2)));
                  });
      Recorder r = new Recorder();
      try (Sequential m = linear(P)) {
        Boom b1 = new Boom("fit");
        Throwable t1 =
            catchThrowable(
                () ->
                    m.fit(
                        failing.apply(b1),
                        quiet()
                            .workers(workers)
                            .maxQueueSize(1)
                            .stepsPerEpoch(4)
                            .callbacks(r)
                            .build()));
        assertFailsWith(t1, b1);
        assertThat(r.trainEnded).isFalse();
        if (workers <= 1) {
          assertThat(r.trainBatches).containsExactly(0, 1, 2);
        } else {
          // Several workers queue what they drew concurrently: the failure may overtake good items.
          assertThat(List.of(0, 1, 2)).startsWith(r.trainBatches.toArray(Integer[]::new));
        }
        assertThat(newJkerasThreads()).isEmpty();

        Boom b2 = new Boom("evaluate");
        assertFailsWith(
            catchThrowable(
                () ->
                    m.evaluate(
                        failing.apply(b2),
                        EvaluateOptions.builder().verbose(0).workers(workers).steps(4).build())),
            b2);
        assertThat(newJkerasThreads()).isEmpty();

        Boom b3 = new Boom("predict");
        assertFailsWith(
            catchThrowable(
                () ->
                    m.predict(
                        failing.apply(b3),
                        PredictOptions.builder().workers(workers).steps(4).build())),
            b3);
        assertThat(newJkerasThreads()).isEmpty();
      }
    }

    Throwable catchThrowable(Runnable r) {
      try {
        r.run();
        return null;
      } catch (Throwable t) {
        return t;
      }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void exhaustedGeneratorThrowsWithoutOnTrainEnd(int workers) {
      Iterator<Batch> three =
          new ArraySequence(X8, Y8, 3) {
            Iterator<Batch> it() {
              return IntStream.range(0, 3).mapToObj(this::get).iterator();
            }
          }.it();
      Recorder r = new Recorder();
      try (Sequential m = linear(P)) {
        assertThatThrownBy(
                () ->
                    m.fit(
                        three,
                        quiet().workers(workers).stepsPerEpoch(2).epochs(2).callbacks(r).build()))
            .isInstanceOf(GeneratorExhaustedException.class);
      }
      assertThat(r.trainEnded).isFalse();
      assertThat(r.trainBatches).containsExactly(0, 1, 0);
      assertThat(newJkerasThreads()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"x only", "string", "null"})
    void badGeneratorItemsAreKerasTupleErrors(String kind) {
      Object item =
          switch (kind) {
            case "x only" -> new Object[] {NDArray.of(rows(X8, 0, 2))};
            case "string" -> "not a batch";
            default -> null;
          };
      for (int workers : new int[] {0, 1}) {
        Iterator<Object> gen = new Endless<>(i -> item);
        try (Sequential m = linear(P)) {
          assertThatThrownBy(() -> m.fit(gen, quiet().workers(workers).stepsPerEpoch(2).build()))
              .as("workers=%d", workers)
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessageStartingWith(
                  "Output of generator should be a tuple `(x, y, sample_weight)` or `(x, y)`. Found: ");
        }
        assertThat(newJkerasThreads()).isEmpty();
      }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void sequenceReturningNullIsAKerasTupleError(int workers) {
      Sequence seq =
          new ArraySequence(X8, Y8, 4) {
            @Override
            public Batch get(int index) {
              return null;
            }
          };
      try (Sequential m = linear(P)) {
        assertThatThrownBy(() -> m.fit(seq, quiet().workers(workers).build()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("Output of generator should be a tuple");
      }
    }

    @Test
    void argumentErrorsUseKerasMessages() {
      try (Sequential m = linear(P)) {
        Endless<Batch> gen = Endless.cycle(new ArraySequence(X8, Y8, 2));
        assertThatThrownBy(() -> m.fit(gen, quiet().build()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage(
                "`steps_per_epoch=None` is only valid for a generator based on the `keras.utils.Sequence` class."
                    + " Please specify `steps_per_epoch` or use the `keras.utils.Sequence` class.");
        assertThatThrownBy(
                () ->
                    m.fitGenerator(
                        gen,
                        quiet()
                            .stepsPerEpoch(2)
                            .validationData(Endless.cycle(new ArraySequence(VX, VY, 2)))
                            .build()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage(
                "`validation_steps=None` is only valid for a generator based on the `keras.utils.Sequence` class."
                    + " Please specify `validation_steps` or use the `keras.utils.Sequence` class.");
        ArraySequence seq = new ArraySequence(X8, Y8, 2);
        assertThatThrownBy(() -> m.fit(seq, quiet().sampleWeight(NDArray.of(ones(8))).build()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage(
                "`sample_weight` argument is not supported when data isa generator or Sequence instance."
                    + " Instead pass sample weights as the third element of the generator.");
        assertThatThrownBy(() -> m.fit(seq, quiet().validationSplit(0.25).build()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage(
                "If your data is in the form of a Python generator, you cannot use `validation_split`.");
        assertThatThrownBy(() -> m.fit(gen, quiet().stepsPerEpoch(null).batchSize(4).build()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage(
                "The `batch_size` argument must not be specified when using a generator or Sequence as an input.");
        assertThatThrownBy(() -> m.evaluate(gen, EvaluateOptions.builder().verbose(0).build()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage(
                "`steps=None` is only valid for a generator based on the `keras.utils.Sequence` class."
                    + " Please specify `steps` or use the `keras.utils.Sequence` class.");
        assertThatThrownBy(() -> m.predict(gen, PredictOptions.defaults()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage(
                "`steps=None` is only valid for a generator based on the `keras.utils.Sequence` class."
                    + " Please specify `steps` or use the `keras.utils.Sequence` class.");
        // Nothing was drawn by the rejected calls.
        assertThat(gen.drawn()).isZero();
        assertThat(seq.log).isEmpty();
      }
    }

    @Test
    void interruptingTheTrainingThreadStopsEverything() throws Exception {
      Sequence slow =
          new ArraySequence(X8, Y8, 2) {
            @Override
            public int size() {
              return 1000;
            }

            @Override
            public Batch get(int index) {
              sleep(5);
              return super.get(index % 4);
            }
          };
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      AtomicReference<Boolean> flag = new AtomicReference<>();
      Recorder r = new Recorder();
      try (Sequential m = linear(P)) {
        m.predict(NDArray.of(X8)); // builds the graph on this thread first
        Thread trainer =
            new Thread(
                () -> {
                  try {
                    m.fit(slow, quiet().workers(2).epochs(3).callbacks(r).build());
                  } catch (Throwable t) {
                    thrown.set(t);
                  }
                  flag.set(Thread.currentThread().isInterrupted());
                },
                "fit-trainer");
        trainer.start();
        sleep(300);
        trainer.interrupt();
        trainer.join(10_000);
        assertThat(trainer.isAlive()).isFalse();
      }
      assertThat(thrown.get()).isNotNull();
      assertThat(causes(thrown.get())).anyMatch(t -> t instanceof InterruptedException);
      assertThat(flag.get()).as("interrupt flag kept").isTrue();
      assertThat(r.trainEnded).isFalse();
      assertThat(newJkerasThreads()).isEmpty();
    }
  }

  // ------------------------------------------------------------------ stalls

  @Nested
  class Stalls {
    @ParameterizedTest(name = "sequence={0}")
    @ValueSource(booleans = {true, false})
    void aSlowBatchWarnsAfterTheFetchTimeoutAndIsStillTrainedInOrder(boolean sequence)
        throws Exception {
      ArraySequence fast = new ArraySequence(X8, Y8, 2);
      // Index 2 is held for two warnings in each epoch (not for a fixed time, which raced them);
      // a generator's draws ahead of the last step are not held.
      Stall stall = new Stall(2, 2);
      ArraySequence slow =
          new ArraySequence(X8, Y8, 2) {
            @Override
            public Batch get(int index) {
              if (index == 2) stall.hold();
              return super.get(index);
            }
          };
      SequenceEnqueuer.setDefaultFetchTimeout(0.25);
      try (AutoCloseable l = Warnings.listen(stall::warned);
          Sequential reference = linear(P);
          Sequential m = linear(P)) {
        FitOptions o = quiet().workers(2).stepsPerEpoch(4).epochs(2).shuffle(false).build();
        if (sequence) {
          reference.fit(fast, quiet().epochs(2).shuffle(false).build());
          m.fit(slow, o);
        } else {
          reference.fit(Endless.cycle(fast), quiet().stepsPerEpoch(4).epochs(2).build());
          m.fit(Endless.cycle(slow), o);
        }
        // Nothing dropped or fetched twice: the same steps as workers=0 on the fast source.
        assertParams(m, paramsOf(reference), TOL);
      } finally {
        SequenceEnqueuer.setDefaultFetchTimeout(null);
      }
      String keras =
          sequence
              ? "The input 2 could not be retrieved. It could be because a worker has died."
              : "An input could not be retrieved. It could be because a worker has died.";
      assertThat(stall.all())
          .allSatisfy(w -> assertThat(w).contains(" could not be retrieved. It could be because"));
      // Index 2 is drawn once per epoch: two stalls of two warnings.
      assertThat(stall.whileHeld())
          .hasSize(4)
          .allSatisfy(
              w ->
                  assertThat(w)
                      .startsWith(
                          keras
                              + " No batch came for 0.25 s (fetch_timeout); still waiting,"
                              + " nothing is dropped. Worker threads: jkeras-worker-")
                      .contains(sequence ? "fetching index 2 for " : "in next() for item ")
                      .contains("at jkeras.testing.Stall.hold("));
    }
  }

  // ------------------------------------------------------------------ numbers

  /** A fit's history and the final weights. */
  record Fitted(History history, Params params) {}

  /**
   * {@link #linear} fit on {@code X8, Y8} as a Sequence of batches of 3, three unshuffled epochs
   * with {@code workers} (a queue of 2), validated on {@code VX, VY} in batches of {@code
   * validationBatch}; through the legacy {@code fitGenerator} when {@code legacy}.
   */
  static Fitted fitSequence(boolean legacy, int workers, int validationBatch) {
    try (Sequential m = linear(P)) {
      FitOptions options =
          quiet()
              .workers(workers)
              .maxQueueSize(2)
              .shuffle(false)
              .epochs(3)
              .validationData(new ArraySequence(VX, VY, validationBatch))
              .build();
      ArraySequence data = new ArraySequence(X8, Y8, 3);
      History h = legacy ? m.fitGenerator(data, options) : m.fit(data, options);
      return new Fitted(h, paramsOf(m.getLayer(0)));
    }
  }

  @Nested
  class Results {
    @Test
    void sequenceWithWorkersZeroEqualsArrayFitAndHandSgd() {
      HandRun hand = handFit(P, 3, 3, 3);
      Fitted seq = fitSequence(true, 0, 3);
      History hs = seq.history();
      Params ps = seq.params();
      History ha;
      try (Sequential m = linear(P)) {
        ha =
            m.fit(
                NDArray.of(X8),
                NDArray.of(Y8),
                quiet()
                    .batchSize(3)
                    .shuffle(false)
                    .epochs(3)
                    .validationData(NDArray.of(VX), NDArray.of(VY))
                    .build());
        assertThat(flat(paramsOf(m.getLayer(0)).w())).containsExactly(flat(ps.w()), within(1e-6));
      }
      for (int e = 0; e < 3; e++) {
        assertThat(hs.history().get("loss").get(e))
            .isCloseTo(ha.history().get("loss").get(e), within(1e-6));
        assertThat(hs.history().get("val_loss").get(e))
            .isCloseTo(ha.history().get("val_loss").get(e), within(1e-6));
        assertThat(hs.history().get("loss").get(e)).isCloseTo(hand.loss().get(e), within(TOL));
        assertThat(hs.history().get("val_loss").get(e))
            .isCloseTo(hand.valLoss().get(e), within(TOL));
      }
      assertThat(flat(ps.w())).containsExactly(flat(hand.p().w()), within(TOL));
      assertThat(ps.b()).containsExactly(hand.p().b(), within(TOL));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void sequenceWithWorkersGivesTheSameResultsAsWorkersZero(int workers) {
      Fitted w0 = fitSequence(false, 0, 2);
      Fitted w = fitSequence(false, workers, 2);
      for (String k : List.of("loss", "val_loss")) {
        assertThat(w.history().history().get(k)).hasSize(3);
        for (int e = 0; e < 3; e++)
          assertThat(w.history().history().get(k).get(e))
              .isCloseTo(w0.history().history().get(k).get(e), within(1e-7));
      }
      assertThat(flat(w.params().w())).containsExactly(flat(w0.params().w()), within(1e-7));
      assertThat(w.params().b()).containsExactly(w0.params().b(), within(1e-7));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void evaluateOverASequenceIsTheSampleWeightedMeanOverBatches(int workers) {
      // Batches of 3, 3, 2: the loss is weighted by batch size (not Keras 2.3.1's last-batch bug).
      double expectedLoss = batchWeightedMse(P, X8, Y8, 3);
      double expectedMae = mae(dense(X8, P), Y8);
      double unweighted =
          (mse(dense(rows(X8, 0, 3), P), rows(Y8, 0, 3))
                  + mse(dense(rows(X8, 3, 6), P), rows(Y8, 3, 6))
                  + mse(dense(rows(X8, 6, 8), P), rows(Y8, 6, 8)))
              / 3;
      double lastBatch = mse(dense(rows(X8, 6, 8), P), rows(Y8, 6, 8));
      assertThat(expectedLoss)
          .isNotCloseTo(unweighted, within(1e-3))
          .isNotCloseTo(lastBatch, within(1e-3));
      try (Sequential m = linear(P, "mae")) {
        Scores s =
            m.evaluate(
                new ArraySequence(X8, Y8, 3),
                EvaluateOptions.builder().verbose(0).workers(workers).build());
        Scores a =
            m.evaluate(
                NDArray.of(X8),
                NDArray.of(Y8),
                EvaluateOptions.builder().verbose(0).batchSize(3).build());
        assertThat(s.names()).containsExactly("loss", "mae");
        assertThat(s.get(0)).isCloseTo(expectedLoss, within(TOL)).isCloseTo(a.get(0), within(1e-6));
        assertThat(s.get(1)).isCloseTo(expectedMae, within(TOL)).isCloseTo(a.get(1), within(1e-6));
        // Through a generator with explicit steps, the same.
        Scores g =
            m.evaluateGenerator(
                Endless.cycle(new ArraySequence(X8, Y8, 3)),
                EvaluateOptions.builder().verbose(0).workers(workers).steps(3).build());
        assertThat(g.get(0)).isCloseTo(expectedLoss, within(TOL));
        assertParams(m.getLayer(0), P, 1e-7); // evaluation does not train
      }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void predictOverASequenceEqualsPredictOnArrays(int workers) {
      Sequence inputsOnly =
          new ArraySequence(X8, Y8, 3) {
            @Override
            public Batch get(int index) {
              return Batch.ofInputs(super.get(index).x());
            }
          };
      try (Sequential m = linear(P)) {
        NDArray s = m.predict(inputsOnly, PredictOptions.builder().workers(workers).build());
        // A generator keeps its order with one worker only (Keras: not guaranteed with several).
        NDArray g =
            m.predictGenerator(
                Endless.cycle(new ArraySequence(X8, Y8, 3)),
                PredictOptions.builder().workers(Math.min(workers, 1)).steps(3).build());
        NDArray a = m.predict(NDArray.of(X8), PredictOptions.builder().batchSize(3).build());
        assertThat(s.shape()).containsExactly(8, 2);
        double[] hand = flat(dense(X8, P));
        assertThat(s.toDoubleArray())
            .containsExactly(hand, within(TOL))
            .containsExactly(a.toDoubleArray(), within(1e-6));
        assertThat(g.toDoubleArray()).containsExactly(hand, within(TOL));
      }
    }

    static final double[][] X4 = {{1, 2, 3}, {-1, 0.5, 2}, {0.5, -1, 0}, {3, -2, 1}};
    static final double[][] Y01 = {{0}, {1}, {1}, {0}};
    static final Params P1 = new Params(new double[][] {{0.2}, {-0.1}, {0.3}}, new double[] {0.1});

    /**
     * Two SGD steps on the same 4-sample batch weighted by {@code w}; returns [loss epoch, params].
     */
    static Object[] twoSteps(double[] w) {
      Params p = P1.copy();
      double l1 = mse(dense(X4, p), Y01, w);
      p = sgdMseStep(p, X4, Y01, w, LR);
      double l2 = mse(dense(X4, p), Y01, w);
      p = sgdMseStep(p, X4, Y01, w, LR);
      return new Object[] {(l1 + l2) / 2, p};
    }

    Iterator<Batch> repeat(double[] sw) {
      Batch b =
          sw == null
              ? Batch.of(NDArray.of(X4), NDArray.of(Y01))
              : Batch.of(NDArray.of(X4), NDArray.of(Y01), NDArray.of(sw));
      return new Endless<>(i -> b);
    }

    @Test
    void classWeightWeighsTrainingBatchesButNotValidation() {
      double[] cw = {1, 3, 3, 1};
      Object[] expected = twoSteps(cw);
      try (Sequential m = linear(P1)) {
        History h =
            m.fit(
                repeat(null),
                quiet()
                    .workers(0)
                    .stepsPerEpoch(2)
                    .classWeight(Map.of(0, 1.0, 1, 3.0))
                    .validationData(repeat(null))
                    .validationSteps(1)
                    .build());
        assertThat(h.history().get("loss").get(0)).isCloseTo((double) expected[0], within(TOL));
        assertParams(m.getLayer(0), (Params) expected[1], TOL);
        double unweightedVal = mse(dense(X4, (Params) expected[1]), Y01);
        assertThat(h.history().get("val_loss").get(0)).isCloseTo(unweightedVal, within(TOL));
      }
    }

    @Test
    void sampleWeightsFromTheBatchesWeighTrainingAndValidation() {
      double[] sw = {1, 0.5, 2, 0};
      Object[] expected = twoSteps(sw);
      try (Sequential m = linear(P1)) {
        History h =
            m.fit(
                repeat(sw),
                quiet()
                    .workers(0)
                    .stepsPerEpoch(2)
                    .validationData(repeat(sw))
                    .validationSteps(1)
                    .build());
        assertThat(h.history().get("loss").get(0)).isCloseTo((double) expected[0], within(TOL));
        assertParams(m.getLayer(0), (Params) expected[1], TOL);
        assertThat(h.history().get("val_loss").get(0))
            .isCloseTo(mse(dense(X4, (Params) expected[1]), Y01, sw), within(TOL));
      }
    }

    @Test
    void classWeightAndSampleWeightsMultiply() {
      // Keras 2.3.1 test_sample_weights: both given -> sample_weight * class weight of the sample.
      double[] sw = {1, 0.5, 2, 0.25};
      double[] both = {1 * 0.5, 0.5 * 2, 2 * 2, 0.25 * 0.5};
      Object[] expected = twoSteps(both);
      assertThat((double) expected[0]).isNotCloseTo((double) twoSteps(sw)[0], within(1e-3));
      try (Sequential m = linear(P1)) {
        History h =
            m.fit(
                repeat(sw),
                quiet().workers(0).stepsPerEpoch(2).classWeight(Map.of(0, 0.5, 1, 2.0)).build());
        assertThat(h.history().get("loss").get(0)).isCloseTo((double) expected[0], within(TOL));
        assertParams(m.getLayer(0), (Params) expected[1], TOL);
      }
    }
  }
}
