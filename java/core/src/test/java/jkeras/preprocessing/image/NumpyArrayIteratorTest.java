package jkeras.preprocessing.image;

import static jkeras.preprocessing.image.ImageDataGeneratorTest.images;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jkeras.data.Batch;
import jkeras.data.NDArray;
import org.junit.jupiter.api.Test;

class NumpyArrayIteratorTest {
  static final ImageDataGenerator AUGMENT =
      ImageDataGenerator.builder()
          .rotationRange(15)
          .widthShiftRange(0.1)
          .heightShiftRange(0.1)
          .horizontalFlip(true)
          .zoomRange(0.1)
          .build();

  static NDArray labels(int n) {
    int[] y = new int[n];
    for (int i = 0; i < n; i++) y[i] = i;
    return NDArray.of(y);
  }

  @Test
  void coversEverySampleOncePerEpochWithThePartialBatchLast() {
    NumpyArrayIterator it =
        AUGMENT.flow(
            images(10, 6, 6, 3, 1), labels(10), FlowOptions.builder().batchSize(4).build());
    assertThat(it.size()).isEqualTo(3);
    for (int epoch = 0; epoch < 2; epoch++) {
      Set<Integer> seen = new HashSet<>();
      for (int i = 0; i < it.size(); i++) {
        Batch b = it.get(i);
        assertThat(((NDArray) b.x()).shape()).containsExactly(i == 2 ? 2 : 4, 6, 6, 3);
        for (int y : ((NDArray) b.y()).toIntArray()) seen.add(y);
      }
      assertThat(seen).hasSize(10);
      it.onEpochEnd();
    }
  }

  @Test
  void aSeededRunGivesTheSameBatchesWhateverTheWorkersAndOrder() throws Exception {
    NDArray x = images(37, 8, 8, 3, 2);
    FlowOptions o = FlowOptions.builder().batchSize(5).seed(42L).build();
    List<float[]> serial = new ArrayList<>();
    NumpyArrayIterator a = AUGMENT.flow(x, labels(37), o);
    for (int e = 0; e < 2; e++) {
      for (int i = 0; i < a.size(); i++) serial.add(((NDArray) a.get(i).x()).toFloatArray());
      a.onEpochEnd();
    }
    NumpyArrayIterator b = AUGMENT.flow(x, labels(37), o);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<float[]> parallel = new ArrayList<>();
      for (int e = 0; e < 2; e++) {
        List<Future<float[]>> fs = new ArrayList<>();
        // Asked for in reverse, on 4 threads.
        for (int i = b.size() - 1; i >= 0; i--) {
          int idx = i;
          fs.add(pool.submit(() -> ((NDArray) b.get(idx).x()).toFloatArray()));
        }
        for (int i = fs.size() - 1; i >= 0; i--) parallel.add(fs.get(i).get());
        b.onEpochEnd();
      }
      assertThat(parallel).hasSameSizeAs(serial);
      for (int i = 0; i < serial.size(); i++) assertThat(parallel.get(i)).isEqualTo(serial.get(i));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void shufflingChangesTheOrderEachEpochAndSeedsDiffer() {
    NumpyArrayIterator it =
        AUGMENT.flow(images(50, 4, 4, 1, 3), null, FlowOptions.builder().seed(1L).build());
    int[] first = it.indexArray();
    it.onEpochEnd();
    assertThat(it.indexArray()).isNotEqualTo(first);
    assertThat(
            AUGMENT
                .flow(images(50, 4, 4, 1, 3), null, FlowOptions.builder().seed(2L).build())
                .indexArray())
        .isNotEqualTo(first);
    NumpyArrayIterator ordered =
        AUGMENT.flow(images(50, 4, 4, 1, 3), null, FlowOptions.builder().shuffle(false).build());
    assertThat(ordered.indexArray()).startsWith(0, 1, 2, 3);
    assertThat(ordered.get(0).y()).isNull();
  }

  @Test
  void subsetsSplitTheHeadForValidation() {
    ImageDataGenerator g = ImageDataGenerator.builder().validationSplit(0.25).build();
    NDArray y = NDArray.of(new int[] {0, 1, 0, 1, 0, 1, 0, 1});
    FlowOptions val = FlowOptions.builder().subset("validation").shuffle(false).build();
    NumpyArrayIterator v = g.flow(images(8, 2, 2, 1, 4), y, val);
    assertThat(v.n()).isEqualTo(2);
    FlowOptions train = FlowOptions.builder().subset("training").build();
    assertThat(g.flow(images(8, 2, 2, 1, 4), y, train).n()).isEqualTo(6);
    NDArray sorted = NDArray.of(new int[] {0, 0, 1, 1, 1, 1, 1, 1});
    assertThatThrownBy(() -> g.flow(images(8, 2, 2, 1, 4), sorted, train))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Training and validation subsets have different number of classes");
  }

  @Test
  void sampleWeightsAreBatchedWithTheirSamples() {
    NDArray sw = NDArray.of(new float[] {0, 1, 2, 3, 4});
    NumpyArrayIterator it =
        ImageDataGenerator.create()
            .flow(images(5, 2, 2, 1, 5), labels(5), FlowOptions.builder().sampleWeight(sw).build());
    Batch b = it.get(0);
    assertThat(((NDArray) b.sampleWeight()).toFloatArray())
        .containsExactly(
            java.util.Arrays.stream(((NDArray) b.y()).toIntArray())
                .mapToObj(i -> (float) i)
                .toArray(Float[]::new));
  }

  @Test
  void rejectsBadArgumentsWithKerasMessages() {
    ImageDataGenerator g = ImageDataGenerator.create();
    assertThatThrownBy(() -> g.flow(images(5, 2, 2, 1, 1), labels(4)))
        .hasMessageContaining(
            "`x` (images tensor) and `y` (labels) should have the same length. Found: x.shape ="
                + " (5, 2, 2, 1), y.shape = (4,)");
    assertThatThrownBy(() -> g.flow(NDArray.zeros(5, 4), null))
        .hasMessageContaining("Input data in `NumpyArrayIterator` should have rank 4");
    assertThatThrownBy(
            () -> g.flow(images(5, 2, 2, 1, 1), null, FlowOptions.builder().subset("test").build()))
        .hasMessageContaining("Invalid subset name: test");
    assertThatThrownBy(() -> FlowOptions.builder().batchSize(0).build())
        .hasMessageContaining("Received: batchSize=0");
    assertThatThrownBy(() -> g.flow(images(5, 2, 2, 1, 1), null).get(1))
        .hasMessage("Asked to retrieve element 1, but the Sequence has length 1");
  }
}
