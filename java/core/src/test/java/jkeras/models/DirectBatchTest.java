package jkeras.models;

import static jkeras.models.FitGeneratorTest.LR;
import static jkeras.models.FitGeneratorTest.linear;
import static jkeras.models.ModelTestSupport.P;
import static jkeras.models.ModelTestSupport.TOL;
import static jkeras.models.ModelTestSupport.X8;
import static jkeras.models.ModelTestSupport.Y8;
import static jkeras.models.ModelTestSupport.assertParams;
import static jkeras.models.ModelTestSupport.dense;
import static jkeras.models.ModelTestSupport.flat;
import static jkeras.models.ModelTestSupport.mse;
import static jkeras.models.ModelTestSupport.ones;
import static jkeras.models.ModelTestSupport.paramsOf;
import static jkeras.models.ModelTestSupport.rows;
import static jkeras.models.ModelTestSupport.sgdMseStep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import jkeras.callbacks.Callback;
import jkeras.callbacks.History;
import jkeras.callbacks.Logs;
import jkeras.data.Batch;
import jkeras.data.DType;
import jkeras.data.NDArray;
import jkeras.layers.Layer;
import jkeras.models.ModelTestSupport.Params;
import jkeras.testing.Endless;
import jkeras.trainers.EvaluateOptions;
import jkeras.trainers.FitOptions;
import jkeras.trainers.PredictOptions;
import jkeras.trainers.Scores;
import jkeras.utils.Sequence;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Arrays in direct memory ({@link NDArray#wrapDirect}) through the feed path, and the release of
 * batches that carry a release action ({@link Batch#release()}): once per batch, after the step
 * that fed it, also when the step or the data fail.
 */
@Tag("native")
class DirectBatchTest {
  @BeforeEach
  void setUp() {
    Layer.resetNames();
  }

  /** float32 values of {@code rows} in a fresh (writable) direct buffer. */
  static ByteBuffer f32Buffer(double[][] rows) {
    int cols = rows.length == 0 ? 0 : rows[0].length;
    ByteBuffer b = ByteBuffer.allocateDirect(rows.length * cols * 4).order(ByteOrder.nativeOrder());
    for (double[] r : rows) for (double v : r) b.putFloat((float) v);
    return b.flip();
  }

  static NDArray directF32(double[][] rows) {
    return NDArray.wrapDirect(
        f32Buffer(rows), DType.FLOAT32, rows.length, rows.length == 0 ? 0 : rows[0].length);
  }

  /** float64 values in a fresh direct buffer. */
  static NDArray directF64(double[][] rows) {
    ByteBuffer b =
        ByteBuffer.allocateDirect(rows.length * rows[0].length * 8).order(ByteOrder.nativeOrder());
    for (double[] r : rows) for (double v : r) b.putDouble(v);
    return NDArray.wrapDirect(b.flip(), DType.FLOAT64, rows.length, rows[0].length);
  }

  @Nested
  class Feed {
    @Test
    void predictOnADirectArrayEqualsPredictOnTheHeapArrayAndTheHandFormula() {
      try (Sequential m = linear(P)) {
        NDArray heap = m.predict(NDArray.of(X8));
        NDArray direct = m.predict(directF32(X8));
        NDArray direct64 = m.predict(directF64(X8));
        assertThat(direct).isEqualTo(heap);
        assertThat(direct64).isEqualTo(heap);
        assertThat(direct.toDoubleArray()).containsExactly(flat(dense(X8, P)), within(TOL));
        assertThat(m.predictOnBatch(directF32(X8))).isEqualTo(heap);
      }
    }

    @Test
    void fitOnDirectArraysEqualsFitOnHeapArrays() {
      Params heap;
      try (Sequential m = linear(P)) {
        m.fit(
            NDArray.of(X8),
            NDArray.of(Y8),
            FitOptions.builder().verbose(0).batchSize(3).shuffle(false).epochs(2).build());
        heap = paramsOf(m.getLayer(0));
      }
      try (Sequential m = linear(P)) {
        NDArray y = directF32(Y8);
        m.fit(
            directF32(X8),
            y,
            FitOptions.builder().verbose(0).batchSize(3).shuffle(true).epochs(1).build());
        m.setWeights(P.asWeights());
        m.fit(
            directF32(X8),
            y,
            FitOptions.builder().verbose(0).batchSize(3).shuffle(false).epochs(2).build());
        assertParams(m.getLayer(0), heap, 1e-7);
        Params direct = paramsOf(m.getLayer(0));
        Scores s = m.evaluate(directF32(X8), y);
        assertThat(s.get(0)).isCloseTo(mse(dense(X8, direct), Y8), within(TOL));
      }
    }

    @Test
    void oneDimensionalDirectTargetsAndInt64TargetsAreFedAsFloats() {
      // x(3) -> Dense(1): 1-D targets are reshaped to (n, 1) as views; int64 targets are converted.
      double[][] y1 = new double[X8.length][1];
      long[] labels = new long[X8.length];
      ByteBuffer lb = ByteBuffer.allocateDirect(X8.length * 8).order(ByteOrder.nativeOrder());
      ByteBuffer fb = ByteBuffer.allocateDirect(X8.length * 4).order(ByteOrder.nativeOrder());
      for (int i = 0; i < X8.length; i++) {
        labels[i] = i % 3;
        y1[i][0] = labels[i];
        lb.putLong(i * 8, labels[i]);
        fb.putFloat(i * 4, labels[i]);
      }
      Params p1 = new Params(new double[][] {{0.1}, {0.2}, {-0.3}}, new double[] {0.05});
      for (NDArray y :
          List.of(
              NDArray.wrapDirect(lb, DType.INT64, X8.length),
              NDArray.wrapDirect(fb, DType.FLOAT32, X8.length))) {
        try (Sequential m = linear(p1)) {
          Scores s = m.evaluate(directF32(X8), y);
          assertThat(s.get(0)).isCloseTo(mse(dense(X8, p1), y1), within(TOL));
        }
      }
    }
  }

  // ------------------------------------------------------------------ release

  /**
   * Batches of {@code bs} rows in fresh direct buffers; each release is counted per batch and
   * overwrites the buffers with NaN, so a read after release would poison the results.
   */
  static final class DirectSequence extends Sequence {
    final int bs;
    final int badAt;
    final List<AtomicInteger> releases = new CopyOnWriteArrayList<>();

    DirectSequence(int bs, int badAt) {
      this.bs = bs;
      this.badAt = badAt;
    }

    @Override
    public int size() {
      return (X8.length + bs - 1) / bs;
    }

    @Override
    public Batch get(int index) {
      int from = index * bs;
      int to = Math.min(X8.length, from + bs);
      double[][] x = rows(X8, from, to);
      if (index == badAt) x = new double[to - from][4]; // wrong width: Keras' shape error
      ByteBuffer xb = f32Buffer(x);
      ByteBuffer yb = f32Buffer(rows(Y8, from, to));
      NDArray bx = NDArray.wrapDirect(xb, DType.FLOAT32, x.length, x[0].length);
      NDArray by = NDArray.wrapDirect(yb, DType.FLOAT32, to - from, Y8[0].length);
      AtomicInteger count = new AtomicInteger();
      releases.add(count);
      return Batch.of(bx, by)
          .withRelease(
              () -> {
                count.incrementAndGet();
                poison(xb);
                poison(yb);
              });
    }

    /** Every batch made so far was released exactly once. */
    void assertAllReleasedOnce() {
      assertThat(releases).isNotEmpty();
      assertThat(releases)
          .allSatisfy(c -> assertThat(c.get()).as("releases of a batch").isEqualTo(1));
    }
  }

  /** NaN over the owner's buffer, as a bridge reusing it would overwrite it. */
  static void poison(ByteBuffer owned) {
    for (int i = 0; i + 4 <= owned.capacity(); i += 4) owned.putFloat(i, Float.NaN);
  }

  /** Keras fit_generator by hand over 3-row batches in order. */
  static Params handFit(int epochs) {
    Params p = P.copy();
    for (int e = 0; e < epochs; e++) {
      for (int from = 0; from < X8.length; from += 3) {
        int to = Math.min(X8.length, from + 3);
        p = sgdMseStep(p, rows(X8, from, to), rows(Y8, from, to), ones(to - from), LR);
      }
    }
    return p;
  }

  @Nested
  class Release {
    @ParameterizedTest(name = "workers={0}")
    @ValueSource(ints = {0, 1, 2})
    void fitReleasesEachSequenceBatchOnceAfterItsStep(int workers) {
      DirectSequence seq = new DirectSequence(3, -1);
      try (Sequential m = linear(P)) {
        History h =
            m.fit(
                seq,
                FitOptions.builder()
                    .verbose(0)
                    .workers(workers)
                    .maxQueueSize(2)
                    .shuffle(false)
                    .epochs(2)
                    .build());
        Params hand = handFit(2);
        assertThat(h.history().get("loss")).allSatisfy(l -> assertThat(l).isFinite());
        assertParams(m.getLayer(0), hand);
      }
      assertThat(seq.releases).hasSize(6);
      seq.assertAllReleasedOnce();
    }

    @ParameterizedTest(name = "workers={0}")
    @ValueSource(ints = {0, 1, 2})
    void generatorBatchesDrawnAheadAreReleasedWhenFitStops(int workers) {
      DirectSequence seq = new DirectSequence(3, -1);
      try (Sequential m = linear(P)) {
        m.fit(
            Endless.cycle(seq),
            FitOptions.builder()
                .verbose(0)
                .workers(workers)
                .maxQueueSize(3)
                .stepsPerEpoch(3)
                .epochs(2)
                .build());
        if (workers == 0) {
          Params hand = handFit(2);
          assertThat(flat(paramsOf(m.getLayer(0)).w()))
              .containsExactly(flat(hand.w()), within(TOL));
        }
      }
      assertThat(seq.releases.size()).isGreaterThanOrEqualTo(6);
      seq.assertAllReleasedOnce();
    }

    @ParameterizedTest(name = "workers={0}")
    @ValueSource(ints = {0, 1, 2})
    void evaluateAndPredictReleaseEachBatchOnce(int workers) {
      DirectSequence seq = new DirectSequence(3, -1);
      try (Sequential m = linear(P)) {
        Scores s =
            m.evaluate(
                seq, EvaluateOptions.builder().verbose(0).workers(workers).maxQueueSize(2).build());
        assertThat(s.get(0))
            .isCloseTo(FitGeneratorTest.batchWeightedMse(P, X8, Y8, 3), within(TOL));
        NDArray p =
            m.predict(
                seq, PredictOptions.builder().verbose(0).workers(workers).maxQueueSize(2).build());
        assertThat(p.toDoubleArray()).containsExactly(flat(dense(X8, P)), within(TOL));
        DirectSequence gen = new DirectSequence(3, -1);
        m.predict(
            Endless.cycle(gen),
            PredictOptions.builder().verbose(0).workers(workers).maxQueueSize(2).steps(3).build());
        gen.assertAllReleasedOnce();
      }
      assertThat(seq.releases).hasSize(6);
      seq.assertAllReleasedOnce();
    }

    @ParameterizedTest(name = "workers={0}")
    @ValueSource(ints = {0, 1, 2})
    void aBatchFailingItsShapeCheckIsReleasedLikeTheOthers(int workers) {
      DirectSequence fit = new DirectSequence(3, 1);
      DirectSequence eval = new DirectSequence(3, 1);
      DirectSequence pred = new DirectSequence(3, 1);
      try (Sequential m = linear(P)) {
        assertThatThrownBy(
                () ->
                    m.fit(
                        fit,
                        FitOptions.builder()
                            .verbose(0)
                            .workers(workers)
                            .maxQueueSize(2)
                            .shuffle(false)
                            .build()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("to have shape (3,) but got array with shape (4,)");
        assertThatThrownBy(
                () ->
                    m.evaluate(
                        eval,
                        EvaluateOptions.builder()
                            .verbose(0)
                            .workers(workers)
                            .maxQueueSize(2)
                            .build()))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                () ->
                    m.predict(
                        pred,
                        PredictOptions.builder()
                            .verbose(0)
                            .workers(workers)
                            .maxQueueSize(2)
                            .build()))
            .isInstanceOf(IllegalArgumentException.class);
      }
      for (DirectSequence s : List.of(fit, eval, pred)) s.assertAllReleasedOnce();
    }

    @ParameterizedTest(name = "workers={0}")
    @ValueSource(ints = {0, 1, 2})
    void aCallbackFailingDuringAStepStillReleasesItsBatch(int workers) {
      DirectSequence seq = new DirectSequence(3, -1);
      Callback boom =
          new Callback() {
            @Override
            public void onTrainBatchBegin(int batch, Logs logs) {
              if (batch == 1) throw new IllegalStateException("boom");
            }
          };
      try (Sequential m = linear(P)) {
        assertThatThrownBy(
                () ->
                    m.fit(
                        seq,
                        FitOptions.builder()
                            .verbose(0)
                            .workers(workers)
                            .maxQueueSize(2)
                            .shuffle(false)
                            .callbacks(List.of(boom))
                            .build()))
            .hasMessage("boom");
      }
      seq.assertAllReleasedOnce();
    }
  }
}
