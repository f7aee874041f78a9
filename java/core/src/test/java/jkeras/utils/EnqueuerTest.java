package jkeras.utils;

import static jkeras.testing.Threads.sleep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import jkeras.data.Batch;
import jkeras.data.NDArray;
import jkeras.testing.Endless;
import jkeras.testing.Sequences;
import jkeras.testing.Stall;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The enqueuers on their own, ported from Keras 2.3.1's tests/keras/utils/data_utils_test.py
 * (ordered/threads, on_epoch_end, changing length, fail, finite generator) plus the bounds jkeras
 * promises: a generator is drawn at most {@code maxQueueSize + workers} batches ahead of the
 * consumer and never entered by two threads at once; a Sequence is fetched at most {@code
 * maxQueueSize + 1} ahead, never past the released epoch. No model, no TensorFlow.
 */
class EnqueuerTest {
  private Set<Thread> threadsBefore;

  @BeforeEach
  void rememberThreads() {
    threadsBefore = jkerasThreads();
  }

  @AfterEach
  void noThreadLeft() {
    RngUtils.setRandomSeed(null);
    Set<Thread> left = jkerasThreads();
    left.removeAll(threadsBefore);
    assertThat(left).as("jkeras- threads still alive after the test").isEmpty();
  }

  static Set<Thread> jkerasThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("jkeras-") && t.isAlive())
        .collect(Collectors.toCollection(HashSet::new));
  }

  /** A one-sample batch whose x and y hold {@code v}. */
  static Batch batch(double v) {
    return Batch.of(NDArray.of(new double[] {v}, 1, 1), NDArray.of(new double[] {v}, 1, 1));
  }

  static double value(Batch b) {
    return ((NDArray) b.x()).getDouble(0, 0);
  }

  /**
   * Waits until {@code value} reaches {@code target}; returns the last value seen. The 60 s only
   * guard a hang: every caller's target is reached within milliseconds on a quiet machine.
   */
  static long awaitAtLeast(java.util.function.LongSupplier value, long target) {
    long deadline = System.nanoTime() + 60_000_000_000L;
    long v;
    while ((v = value.getAsLong()) < target && System.nanoTime() < deadline) sleep(5);
    return v;
  }

  /** An endless counter 0, 1, 2, ... that records how often next() was entered. */
  static final class Counter implements Iterator<Batch> {
    final AtomicInteger entered = new AtomicInteger();
    final AtomicInteger inside = new AtomicInteger();
    final AtomicInteger overlaps = new AtomicInteger();
    final long nanosInside;

    Counter(long nanosInside) {
      this.nanosInside = nanosInside;
    }

    @Override
    public boolean hasNext() {
      return true;
    }

    @Override
    public Batch next() {
      if (inside.incrementAndGet() != 1) overlaps.incrementAndGet();
      try {
        int v = entered.getAndIncrement();
        if (nanosInside > 0) {
          long end = System.nanoTime() + nanosInside;
          while (System.nanoTime() < end) Thread.onSpinWait();
        }
        return batch(v);
      } finally {
        inside.decrementAndGet();
      }
    }
  }

  /**
   * Keras' DummySequence: batch {@code i} holds {@code i * inner}; {@code onEpochEnd} multiplies
   * {@code inner} by 5. Fetches take a few index-dependent milliseconds so that with several
   * workers later indices often finish first. {@code inner} is a plain field on purpose: the
   * enqueuer must make the consumer's write visible to the workers.
   */
  static class DummySequence extends Sequence {
    double inner = 1;
    int length;
    final AtomicInteger fetched = new AtomicInteger();
    final AtomicInteger epochEnds = new AtomicInteger();
    final boolean halveOnEpochEnd;

    DummySequence(int length, boolean halveOnEpochEnd) {
      this.length = length;
      this.halveOnEpochEnd = halveOnEpochEnd;
    }

    @Override
    public int size() {
      return length;
    }

    @Override
    public Batch get(int index) {
      if (index >= length)
        throw new IndexOutOfBoundsException("index " + index + " >= size " + length);
      fetched.incrementAndGet();
      sleep((index * 7L) % 4);
      return batch(index * inner);
    }

    @Override
    public void onEpochEnd() {
      epochEnds.incrementAndGet();
      inner *= 5;
      if (halveOnEpochEnd) length = (length + 1) / 2;
    }
  }

  static List<Double> take(Iterator<Batch> it, int n) {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(value(it.next()));
    return out;
  }

  static List<Double> range(int n, double scale) {
    return IntStream.range(0, n).mapToObj(i -> i * scale).toList();
  }

  // ------------------------------------------------------------------ GeneratorEnqueuer

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 4})
  void generatorIsDrawnAtMostQueueSizePlusWorkersAhead(int workers) {
    int queue = 3;
    Counter gen = new Counter(0);
    try (GeneratorEnqueuer e = new GeneratorEnqueuer(gen, false)) {
      e.start(workers, queue);
      int consumed = 0;
      for (int step = 0; step < 25; step++) {
        e.next();
        consumed++;
        sleep(2);
        assertThat(e.drawn())
            .as("drawn() at step %d", step)
            .isLessThanOrEqualTo(consumed + queue + workers);
        assertThat(gen.entered.get())
            .as("next() calls at step %d", step)
            .isLessThanOrEqualTo(consumed + queue + workers);
      }
      // A stalled consumer: the workers fill the queue and stop there.
      awaitAtLeast(e::drawn, consumed + queue + workers);
      sleep(100);
      assertThat(e.drawn()).isBetween((long) consumed + queue, (long) consumed + queue + workers);
      assertThat(e.drawn()).isLessThanOrEqualTo(consumed + queue + workers);
    }
  }

  @Test
  void generatorIsNeverEnteredByTwoThreadsAtOnce() {
    Counter gen = new Counter(200_000);
    List<Double> got;
    try (GeneratorEnqueuer e = new GeneratorEnqueuer(gen, false)) {
      e.start(4, 10);
      got = take(e.get(), 80);
    }
    assertThat(gen.overlaps.get()).as("re-entrant next() calls").isZero();
    // Nothing duplicated, nothing lost before what was drawn (order across threads may vary).
    assertThat(new HashSet<>(got)).hasSize(80);
    assertThat(got).allSatisfy(v -> assertThat(v).isBetween(0.0, 80.0 + 10 + 4));
  }

  @Test
  void oneWorkerKeepsTheGeneratorsOrder() {
    try (GeneratorEnqueuer e = new GeneratorEnqueuer(new Counter(0))) {
      e.start(1, 5);
      assertThat(take(e.get(), 100)).isEqualTo(range(100, 1));
    }
  }

  @Test
  void finiteGeneratorYieldsEveryItemThenReportsExhaustion() {
    // Keras test_finite_generator_enqueuer_threads: workers=3, queue 10, 100 items.
    Iterator<Batch> finite = IntStream.range(0, 100).mapToObj(EnqueuerTest::batch).iterator();
    try (GeneratorEnqueuer e = new GeneratorEnqueuer(finite, false)) {
      e.start(3, 10);
      List<Double> acc = new ArrayList<>();
      Iterator<Batch> it = e.get();
      while (it.hasNext()) acc.add(value(it.next()));
      assertThat(acc).containsExactlyInAnyOrderElementsOf(range(100, 1));
      assertThatThrownBy(e::next).isInstanceOf(GeneratorExhaustedException.class);
      assertThatThrownBy(it::next).isInstanceOf(GeneratorExhaustedException.class);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3})
  void generatorFailureIsRethrownAsItIsAndStopsTheWorkers(int workers) {
    // Keras test_generator_enqueuer_fail_threads: the original exception type reaches the consumer.
    IndexOutOfBoundsException boom = new IndexOutOfBoundsException("5 is not present");
    Iterator<Batch> gen =
        new Endless<>(
            i -> {
              if (i >= 5) throw boom;
              return batch(i);
            });
    GeneratorEnqueuer e = new GeneratorEnqueuer(gen, false);
    e.start(workers, 10);
    List<Thread> threads = e.threads();
    assertThat(threads).hasSize(workers);
    List<Double> good = new ArrayList<>();
    Throwable thrown = null;
    for (int i = 0; i < 10 && thrown == null; i++) {
      try {
        good.add(value(e.next()));
      } catch (RuntimeException ex) {
        thrown = ex;
      }
    }
    assertThat(thrown).isSameAs(boom);
    assertThat(good).hasSizeLessThanOrEqualTo(5);
    if (workers == 1) assertThat(good).isEqualTo(range(5, 1));
    assertThat(e.isRunning()).isFalse();
    assertThat(threads).noneMatch(Thread::isAlive);
  }

  @Test
  void nullItemIsKerasTupleError() {
    Iterator<Object> gen = new Endless<>(i -> null);
    try (GeneratorEnqueuer e = new GeneratorEnqueuer(gen)) {
      e.start(1, 2);
      assertThatThrownBy(e::next)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith(
              "Output of generator should be a tuple `(x, y, sample_weight)` or `(x, y)`. Found: None");
    }
  }

  @Test
  void interruptedConsumerStopsTheWorkersAndKeepsItsInterruptFlag() throws Exception {
    // The generator blocks in an interruptible sleep; the consumer waits in next().
    Iterator<Batch> slow =
        new Endless<>(
            i -> {
              try {
                Thread.sleep(20_000);
              } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", ex);
              }
              return batch(0);
            });
    GeneratorEnqueuer e = new GeneratorEnqueuer(slow);
    e.start(2, 2);
    List<Thread> workers = e.threads();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicReference<Boolean> flag = new AtomicReference<>();
    Thread consumer =
        new Thread(
            () -> {
              try {
                e.next();
              } catch (Throwable t) {
                thrown.set(t);
              }
              flag.set(Thread.currentThread().isInterrupted());
            });
    consumer.start();
    sleep(150);
    consumer.interrupt();
    consumer.join(10_000);
    assertThat(consumer.isAlive()).isFalse();
    assertThat(thrown.get())
        .isInstanceOf(IllegalStateException.class)
        .hasCauseInstanceOf(InterruptedException.class);
    assertThat(flag.get()).isTrue();
    assertThat(e.isRunning()).isFalse();
    assertThat(workers).noneMatch(Thread::isAlive);
  }

  // ------------------------------------------------------------------ OrderedEnqueuer

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 4})
  void sequenceComesOutInOrderAndOnEpochEndChangesTheNextPass(int workers) {
    // Keras test_ordered_enqueuer_threads and test_on_epoch_end_threads.
    DummySequence seq = new DummySequence(20, false);
    try (OrderedEnqueuer e = new OrderedEnqueuer(seq, false, false)) {
      e.start(workers, 10);
      Iterator<Batch> it = e.get();
      assertThat(take(it, 20)).isEqualTo(range(20, 1));
      assertThat(seq.epochEnds.get()).isZero();
      assertThat(take(it, 20)).isEqualTo(range(20, 5));
      assertThat(take(it, 20)).isEqualTo(range(20, 25));
      assertThat(seq.epochEnds.get()).isEqualTo(2);
      it.next();
      assertThat(seq.epochEnds.get()).isEqualTo(3);
      // Exactly once per pass: no index fetched twice, none skipped.
      assertThat(seq.fetched.get()).isBetween(61, 61 + 10 + 1);
    }
  }

  @Test
  void sequenceLengthIsReadAgainAtEachPass() {
    // Keras test_on_epoch_end_threads_sequence_change_length (halving instead of 100 -> 50).
    DummySequence seq = new DummySequence(20, true);
    try (OrderedEnqueuer e = new OrderedEnqueuer(seq, false, false)) {
      e.start(3, 10);
      Iterator<Batch> it = e.get();
      assertThat(take(it, 20)).isEqualTo(range(20, 1));
      assertThat(take(it, 10)).isEqualTo(range(10, 5));
      assertThat(take(it, 5)).isEqualTo(range(5, 25));
      assertThat(seq.size()).isEqualTo(5);
    }
  }

  @Test
  void shuffledPassesArePermutationsReproducibleFromTheSeed() {
    List<List<Double>> a = shuffledPasses(123L, 3);
    List<List<Double>> b = shuffledPasses(123L, 3);
    assertThat(a).isEqualTo(b);
    for (List<Double> pass : a) assertThat(pass).containsExactlyInAnyOrderElementsOf(range(12, 1));
    // The order changes from pass to pass and is not the identity (fixed seed: deterministic).
    assertThat(a.get(0)).isNotEqualTo(range(12, 1));
    assertThat(a.get(0)).isNotEqualTo(a.get(1));
    assertThat(shuffledPasses(124L, 1).get(0)).isNotEqualTo(a.get(0));
  }

  @Test
  void shuffledOrderFollowsTheGlobalSeed() {
    RngUtils.setRandomSeed(42L);
    List<List<Double>> a = shuffledPasses(null, 2);
    RngUtils.setRandomSeed(42L);
    List<List<Double>> b = shuffledPasses(null, 2);
    assertThat(a).isEqualTo(b);
    assertThat(a.get(0))
        .containsExactlyInAnyOrderElementsOf(range(12, 1))
        .isNotEqualTo(range(12, 1));
  }

  /** {@code passes} passes of a 12-batch sequence with shuffle on, workers=2. */
  private static List<List<Double>> shuffledPasses(Long seed, int passes) {
    Sequence seq =
        Sequences.of(
            12,
            index -> {
              sleep(index % 3);
              return batch(index);
            });
    OrderedEnqueuer e =
        seed == null
            ? new OrderedEnqueuer(seq, false, true)
            : new OrderedEnqueuer(seq, false, true, seed);
    try (e) {
      e.start(2, 4);
      Iterator<Batch> it = e.get();
      List<List<Double>> out = new ArrayList<>();
      for (int p = 0; p < passes; p++) out.add(take(it, 12));
      return out;
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3})
  void sequenceFailureIsRethrownAsItIsAndStopsTheWorkers(int workers) {
    // Keras test_ordered_enqueuer_fail_threads: FaultSequence raises IndexError.
    Sequence fault =
        Sequences.of(
            100,
            index -> {
              throw new IndexOutOfBoundsException(index + " is not present");
            });
    OrderedEnqueuer e = new OrderedEnqueuer(fault);
    e.start(workers, 10);
    List<Thread> threads = e.threads();
    assertThatThrownBy(() -> e.get().next())
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessage("0 is not present");
    assertThat(e.isRunning()).isFalse();
    assertThat(threads).noneMatch(Thread::isAlive);
  }

  @Test
  void nothingBeyondTheReleasedEpochIsFetched() {
    DummySequence seq = new DummySequence(10, false);
    try (OrderedEnqueuer e = new OrderedEnqueuer(seq, false, false)) {
      e.start(2, 10);
      e.beginEpoch(4);
      awaitAtLeast(seq.fetched::get, 4);
      sleep(100);
      assertThat(seq.fetched.get()).isEqualTo(4);
      List<Double> first = new ArrayList<>();
      for (int i = 0; i < 4; i++) first.add(value(e.next()));
      assertThat(first).isEqualTo(range(4, 1));
      assertThatThrownBy(e::next)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("beginEpoch");
      e.endEpoch();
      assertThat(seq.epochEnds.get()).isEqualTo(1);
      // The stream goes on where it stopped (Keras 2), with the state set by onEpochEnd.
      e.beginEpoch(3);
      List<Double> next = new ArrayList<>();
      for (int i = 0; i < 3; i++) next.add(value(e.next()));
      assertThat(next).containsExactly(4 * 5.0, 5 * 5.0, 6 * 5.0);
      sleep(100);
      assertThat(seq.fetched.get()).isEqualTo(7);
    }
  }

  @Test
  void sequenceIsFetchedAtMostQueueSizePlusOneAhead() {
    int queue = 2;
    AtomicInteger started = new AtomicInteger();
    Sequence seq =
        Sequences.of(
            100,
            index -> {
              started.incrementAndGet();
              return batch(index);
            });
    try (OrderedEnqueuer e = new OrderedEnqueuer(seq)) {
      e.start(3, queue);
      e.beginEpoch(60);
      int consumed = 0;
      for (int step = 0; step < 20; step++) {
        assertThat(value(e.next())).isEqualTo(step);
        consumed++;
        sleep(2);
        assertThat(started.get())
            .as("fetches at step %d", step)
            .isLessThanOrEqualTo(consumed + queue + 1);
      }
      awaitAtLeast(started::get, consumed + queue + 1);
      sleep(100);
      assertThat(started.get()).isBetween(consumed + queue, consumed + queue + 1);
    }
  }

  @Test
  void workerLifecycleHooksRunOnEveryThreadThatTouchesTheSource() {
    Set<Thread> startedThreads = ConcurrentHashMap.newKeySet();
    List<String> violations = new CopyOnWriteArrayList<>();
    AtomicInteger stopped = new AtomicInteger();
    class Tracked extends Sequence implements WorkerLifecycle {
      private void check() {
        if (!startedThreads.contains(Thread.currentThread()))
          violations.add(Thread.currentThread().getName());
      }

      @Override
      public int size() {
        check();
        return 8;
      }

      @Override
      public Batch get(int index) {
        check();
        return batch(index);
      }

      @Override
      public void workerStarted() {
        startedThreads.add(Thread.currentThread());
      }

      @Override
      public void workerStopped() {
        if (startedThreads.contains(Thread.currentThread())) stopped.incrementAndGet();
      }
    }
    OrderedEnqueuer e = new OrderedEnqueuer(new Tracked());
    e.start(3, 4);
    e.beginEpoch(8);
    for (int i = 0; i < 8; i++) e.next();
    List<Thread> threads = e.threads();
    e.stop();
    assertThat(violations).isEmpty();
    assertThat(startedThreads).hasSameSizeAs(threads).containsAll(threads);
    assertThat(stopped.get()).isEqualTo(threads.size());
  }

  // ------------------------------------------------------------------ lifecycle

  @Test
  void startChecksItsArgumentsAndState() {
    GeneratorEnqueuer g = new GeneratorEnqueuer(new Counter(0));
    assertThatThrownBy(() -> g.start(0, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("workers");
    assertThatThrownBy(() -> g.start(1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxQueueSize");
    assertThatThrownBy(g::next).isInstanceOf(IllegalStateException.class);
    OrderedEnqueuer o = new OrderedEnqueuer(new DummySequence(3, false));
    assertThatThrownBy(() -> o.beginEpoch(1)).isInstanceOf(IllegalStateException.class);
    g.start(2, 2);
    assertThatThrownBy(() -> g.start(2, 2)).isInstanceOf(IllegalStateException.class);
    List<Thread> threads = g.threads();
    g.stop();
    g.stop();
    assertThat(g.isRunning()).isFalse();
    assertThat(threads).hasSize(2).noneMatch(Thread::isAlive);
    assertThat(Collections.disjoint(jkerasThreads(), threads)).isTrue();
  }

  // ------------------------------------------------------------------ fetch timeout

  /** Keras' sentence in every stall warning, whatever input it was about. */
  static final String STALL_PREFIX =
      "could not be retrieved. It could be because a worker has died.";

  /** A Sequence of {@code n} batches whose index {@code slow} is held by {@code stall}. */
  static final class SlowAt extends Sequence {
    final int n;
    final int slow;
    final Stall stall;

    SlowAt(int n, int slow, Stall stall) {
      this.n = n;
      this.slow = slow;
      this.stall = stall;
    }

    @Override
    public int size() {
      return n;
    }

    @Override
    public Batch get(int index) {
      if (index == slow) stall.hold();
      return batch(index);
    }
  }

  @Test
  void aSlowSequenceIndexWarnsWithKerasTextAndTheThreadsAndIsStillDelivered() throws Exception {
    Stall stall = new Stall(3, 1);
    try (AutoCloseable l = jkeras.internal.Warnings.listen(stall::warned);
        OrderedEnqueuer e = new OrderedEnqueuer(new SlowAt(6, 2, stall), false, false)) {
      assertThat(e.fetchTimeout()).isEqualTo(SequenceEnqueuer.FETCH_TIMEOUT_DEFAULT);
      e.setFetchTimeout(0.3);
      e.start(2, 3);
      e.beginEpoch(6);
      List<Double> got = new ArrayList<>();
      for (int i = 0; i < 6; i++) got.add(value(e.next()));
      assertThat(got).isEqualTo(range(6, 1));
    }
    assertThat(stall.all()).allSatisfy(w -> assertThat(w).contains(STALL_PREFIX));
    // Every 0.3 s while index 2 was held: each with what the busy thread does.
    assertThat(stall.whileHeld())
        .hasSize(3)
        .allSatisfy(
            w ->
                assertThat(w)
                    .startsWith(
                        "The input 2 could not be retrieved. It could be because a worker has"
                            + " died. No batch came for 0.3 s (fetch_timeout); still waiting,"
                            + " nothing is dropped. Worker threads: jkeras-worker-")
                    .containsPattern("jkeras-worker-\\d+ fetching index 2 for \\d+\\.\\d s")
                    .contains("(TIMED_WAITING at jkeras.testing.Stall.hold(")
                    .containsPattern("jkeras-worker-\\d+ idle \\(")
                    .contains("jkeras-dispatcher-")
                    .endsWith(")."));
  }

  @Test
  void aSlowGeneratorItemWarnsWithKerasTextAndIsStillDelivered() throws Exception {
    Stall stall = new Stall(3, 1);
    Iterator<Batch> slow =
        new Endless<>(
            v -> {
              if (v == 3) stall.hold();
              return batch(v);
            });
    try (AutoCloseable l = jkeras.internal.Warnings.listen(stall::warned);
        GeneratorEnqueuer e = new GeneratorEnqueuer(slow, false)) {
      e.setFetchTimeout(0.3);
      e.start(2, 2);
      for (int i = 0; i < 6; i++) assertThat(value(e.next())).isEqualTo(i);
    }
    assertThat(stall.all()).allSatisfy(w -> assertThat(w).contains(STALL_PREFIX));
    assertThat(stall.whileHeld())
        .hasSize(3)
        .allSatisfy(
            w ->
                assertThat(w)
                    .startsWith(
                        "An input could not be retrieved. It could be because a worker has died."
                            + " No batch came for 0.3 s (fetch_timeout); still waiting, nothing is"
                            + " dropped. Worker threads: ")
                    .containsPattern(
                        "in next\\(\\) for item 3 for \\d+\\.\\d s \\(TIMED_WAITING at")
                    .contains("waiting for the generator's lock"));
  }

  @Test
  void aFastSourceNeverWarns() throws Exception {
    List<String> warnings = new CopyOnWriteArrayList<>();
    try (AutoCloseable l = jkeras.internal.Warnings.listen(warnings::add);
        OrderedEnqueuer e = new OrderedEnqueuer(new DummySequence(20, false))) {
      e.setFetchTimeout(0.5);
      e.start(2, 4);
      e.beginEpoch(20);
      for (int i = 0; i < 20; i++) e.next();
    }
    assertThat(warnings).isEmpty();
  }

  @Test
  void theFetchTimeoutDefaultIsKerasThirtySecondsAndCanBeSet() {
    assertThat(SequenceEnqueuer.defaultFetchTimeout()).isEqualTo(30.0);
    try {
      System.setProperty(SequenceEnqueuer.FETCH_TIMEOUT_PROPERTY, "2.5");
      assertThat(SequenceEnqueuer.defaultFetchTimeout()).isEqualTo(2.5);
      SequenceEnqueuer.setDefaultFetchTimeout(4.0);
      assertThat(new GeneratorEnqueuer(new Counter(0)).fetchTimeout()).isEqualTo(4.0);
      SequenceEnqueuer.setDefaultFetchTimeout(null);
      assertThat(new OrderedEnqueuer(new DummySequence(2, false)).fetchTimeout()).isEqualTo(2.5);
      System.setProperty(SequenceEnqueuer.FETCH_TIMEOUT_PROPERTY, "soon");
      assertThatThrownBy(SequenceEnqueuer::defaultFetchTimeout)
          .hasMessage(
              "Expected `jkeras.fetchTimeout` to be a number of seconds."
                  + " Received: jkeras.fetchTimeout=soon");
    } finally {
      System.clearProperty(SequenceEnqueuer.FETCH_TIMEOUT_PROPERTY);
      SequenceEnqueuer.setDefaultFetchTimeout(null);
    }
    assertThatThrownBy(() -> new GeneratorEnqueuer(new Counter(0)).setFetchTimeout(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Expected `fetchTimeout` to be a finite number of seconds > 0."
                + " Received: fetchTimeout=0.0");
    assertThatThrownBy(() -> SequenceEnqueuer.setDefaultFetchTimeout(Double.POSITIVE_INFINITY))
        .hasMessageContaining("Received: fetchTimeout=Infinity");
  }

  @Test
  void stopFromAnInterruptedThreadStillJoinsTheWorkersAndKeepsTheFlag() throws Exception {
    // A source that ignores interruption for a while: stop() must wait for it all the same.
    Counter slow = new Counter(300_000_000L);
    GeneratorEnqueuer e = new GeneratorEnqueuer(slow, false);
    e.start(2, 2);
    awaitAtLeast(() -> slow.entered.get(), 1);
    List<Thread> threads = e.threads();
    AtomicReference<Boolean> flag = new AtomicReference<>();
    Thread caller =
        new Thread(
            () -> {
              Thread.currentThread().interrupt();
              e.stop();
              flag.set(Thread.currentThread().isInterrupted());
            });
    caller.start();
    caller.join(20_000);
    assertThat(flag.get()).as("interrupt flag kept").isTrue();
    assertThat(threads).hasSize(2).noneMatch(Thread::isAlive);
    assertThat(e.isRunning()).isFalse();
  }
}
