package jkeras.utils;

import static jkeras.utils.EnqueuerTest.awaitAtLeast;
import static jkeras.utils.EnqueuerTest.batch;
import static jkeras.utils.EnqueuerTest.range;
import static jkeras.utils.EnqueuerTest.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import jkeras.data.Batch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SequenceEnqueuer#next(int)}: a group of batches in one hand-over, in the order single
 * {@code next()} calls give them, also when the group is larger than {@code maxQueueSize}; a
 * failure or the end of a generator inside a group releases what was drawn for it. No TensorFlow.
 */
class GroupHandOverTest {
  private Set<Thread> threadsBefore;

  @BeforeEach
  void rememberThreads() {
    threadsBefore = EnqueuerTest.jkerasThreads();
  }

  @AfterEach
  void noThreadLeft() {
    Set<Thread> left = EnqueuerTest.jkerasThreads();
    left.removeAll(threadsBefore);
    assertThat(left).as("jkeras- threads still alive after the test").isEmpty();
  }

  private static List<Double> values(List<Batch> group) {
    return group.stream().map(EnqueuerTest::value).toList();
  }

  /** Items 0, 1, ... that count their releases; item {@code failAt} throws, {@code end} ends. */
  private static final class Tracked implements Iterator<Batch> {
    final AtomicInteger drawn = new AtomicInteger();
    final AtomicInteger released = new AtomicInteger();
    final int failAt;
    final int end;

    Tracked(int failAt, int end) {
      this.failAt = failAt;
      this.end = end;
    }

    @Override
    public boolean hasNext() {
      return drawn.get() < end;
    }

    @Override
    public Batch next() {
      int v = drawn.get();
      if (v == failAt) throw new IllegalStateException("item " + v + " failed");
      drawn.incrementAndGet();
      return batch(v).withRelease(released::incrementAndGet);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3})
  void sequenceGroupsComeInPassOrderInOneHandOverEach(int workers) {
    EnqueuerTest.DummySequence seq = new EnqueuerTest.DummySequence(10, false);
    try (OrderedEnqueuer e = new OrderedEnqueuer(seq)) {
      e.start(workers, 3); // a group of 4 is larger than the queue
      e.beginEpoch(10);
      assertThat(values(e.next(4))).isEqualTo(range(4, 1));
      assertThat(values(e.next(4))).isEqualTo(List.of(4.0, 5.0, 6.0, 7.0));
      assertThat(value(e.next())).isEqualTo(8.0);
      assertThat(values(e.next(1))).isEqualTo(List.of(9.0));
      assertThat(e.handOvers()).isEqualTo(4);
      assertThat(seq.fetched.get()).isEqualTo(10);
      assertThatThrownBy(() -> e.next(1)).hasMessageContaining("No batch was requested");
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3})
  void generatorGroupsKeepTheDrawOrderInOneHandOverEach(int workers) {
    try (GeneratorEnqueuer e = new GeneratorEnqueuer(new EnqueuerTest.Counter(0))) {
      e.start(workers, 2); // a group of 5 is larger than the queue
      for (int g = 0; g < 3; g++) {
        double from = 5.0 * g;
        assertThat(values(e.next(5))).isEqualTo(range(5, 1).stream().map(v -> v + from).toList());
      }
      assertThat(e.handOvers()).isEqualTo(3);
      assertThat(e.drawn()).isLessThanOrEqualTo(15 + 2 + workers);
    }
  }

  @Test
  void aGroupSizeBelowOneIsRejected() {
    try (GeneratorEnqueuer e = new GeneratorEnqueuer(new EnqueuerTest.Counter(0))) {
      e.start(1, 2);
      assertThatThrownBy(() -> e.next(0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("`n`")
          .hasMessageContaining("Received: n=0");
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void aGeneratorFailureInsideAGroupReleasesWhatWasDrawnForIt(int workers) {
    Tracked it = new Tracked(6, Integer.MAX_VALUE);
    GeneratorEnqueuer e = new GeneratorEnqueuer(it);
    e.start(workers, 10);
    List<Batch> first = e.next(4);
    assertThatThrownBy(() -> e.next(4))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("item 6 failed");
    assertThat(e.isRunning()).isFalse();
    // Items 4 and 5 were drawn for the group and released; the first group is the caller's.
    assertThat(it.drawn.get()).isEqualTo(6);
    assertThat(it.released.get()).isEqualTo(2);
    first.forEach(Batch::release);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void theGeneratorsEndInsideAGroupReleasesWhatWasDrawnAndIsExhaustion(int workers) {
    Tracked it = new Tracked(-1, 6);
    try (GeneratorEnqueuer e = new GeneratorEnqueuer(it)) {
      e.start(workers, 10);
      assertThat(values(e.next(4))).isEqualTo(range(4, 1));
      assertThatThrownBy(() -> e.next(4)).isInstanceOf(GeneratorExhaustedException.class);
      assertThat(it.released.get()).isEqualTo(2);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3})
  void aSequenceFailureInsideAGroupReleasesEveryOtherFetch(int workers) {
    AtomicInteger fetched = new AtomicInteger();
    AtomicInteger released = new AtomicInteger();
    Sequence seq =
        new Sequence() {
          @Override
          public int size() {
            return 10;
          }

          @Override
          public Batch get(int index) {
            if (index == 5) throw new IllegalArgumentException("index 5 failed");
            fetched.incrementAndGet();
            return batch(index).withRelease(released::incrementAndGet);
          }
        };
    OrderedEnqueuer e = new OrderedEnqueuer(seq);
    e.start(workers, 4);
    e.beginEpoch(10);
    List<Batch> first = e.next(4);
    assertThatThrownBy(() -> e.next(4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("index 5 failed");
    assertThat(e.isRunning()).isFalse();
    first.forEach(Batch::release);
    // Every batch fetched is released: the group's 4, 6, 7 and whatever was fetched beyond.
    assertThat(awaitAtLeast(released::get, fetched.get())).isEqualTo(fetched.get());
  }
}
