package jkeras.internal.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import jkeras.layers.Conv2D;
import jkeras.layers.Dense;
import jkeras.layers.Flatten;
import jkeras.layers.Input;
import jkeras.layers.KerasTensor;
import jkeras.layers.Layer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The forward pass' multiply-adds per sample, which the default threading rule reads: the benchmark
 * MLP stays below the single-thread bound, the benchmark CNN above it.
 */
@Tag("native")
class ForwardMacsTest {
  private static long macs(KerasTensor in, List<Layer> layers) {
    KerasTensor x = in;
    for (Layer l : layers) x = l.apply(x);
    try (ModelGraph g = new ModelGraph(List.of(in), List.of(x), layers)) {
      return g.forwardMacsPerSample();
    }
  }

  @Test
  void countsEachProductAndConvolutionPerSample() {
    long mlp =
        macs(
            Input.create(784),
            List.of(
                Dense.builder(128).activation("relu").build(),
                Dense.builder(10).activation("softmax").build()));
    assertThat(mlp).isEqualTo(784L * 128 + 128 * 10);
    long cnn =
        macs(
            Input.create(28, 28, 1),
            List.of(Conv2D.builder(32, 3).build(), new Flatten(), Dense.builder(10).build()));
    assertThat(cnn).isEqualTo(26L * 26 * 32 * 9 + 26L * 26 * 32 * 10);
    assertThat(mlp).isLessThan(jkeras.internal.SessionThreads.SINGLE_THREAD_MAX_MACS_PER_SAMPLE);
    assertThat(cnn)
        .isGreaterThanOrEqualTo(jkeras.internal.SessionThreads.SINGLE_THREAD_MAX_MACS_PER_SAMPLE);
  }
}
