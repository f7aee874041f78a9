package jkeras.utils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * numpy's legacy RandomState, against values numpy 2.0.2 printed for these seeds (the compat
 * scenario image.json compares whole augmentation runs against keras_preprocessing).
 */
class LegacyRandomStateTest {
  @Test
  void randomSampleAndUniformEqualNumpysForSeedZero() {
    LegacyRandomState rs = new LegacyRandomState(0);
    assertThat(rs.randomSample()).isEqualTo(0.5488135039273248);
    assertThat(rs.uniform(-20, 20)).isEqualTo(8.60757465489678);
  }

  @Test
  void permutationEqualsNumpys() {
    assertThat(new LegacyRandomState(0).permutation(10))
        .containsExactly(2, 8, 4, 9, 1, 6, 7, 3, 0, 5);
  }

  @Test
  void randintAndChoiceUseNumpysMaskedRejection() {
    LegacyRandomState rs = new LegacyRandomState(4294967295L);
    assertThat(rs.randint(0, 7)).isEqualTo(3);
    assertThat(rs.choice(new double[] {-1, 1})).isEqualTo(-1);
    assertThat(rs.choice(5)).isEqualTo(4);
    assertThat(rs.randomSample()).isEqualTo(0.5626933782475836);
  }

  @Test
  void reseedingRestartsTheStream() {
    LegacyRandomState rs = new LegacyRandomState(7);
    double[] first = rs.uniform(0, 1, 5);
    rs.seed(7);
    assertThat(rs.uniform(0, 1, 5)).containsExactly(first);
    int[] p = rs.permutation(1000);
    int[] sorted = p.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < sorted.length; i++) assertThat(sorted[i]).isEqualTo(i);
  }

  @Test
  void rejectsSeedsOutsideNumpysRange() {
    assertThatThrownBy(() -> new LegacyRandomState(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Seed must be between 0 and 2**32 - 1. Received: seed=-1");
    assertThatThrownBy(() -> new LegacyRandomState(1L << 32))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
