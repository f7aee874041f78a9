package jkeras.trainers.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import jkeras.data.Batch;
import jkeras.data.NDArray;
import jkeras.distribute.ReplicaContext;
import jkeras.utils.Sequence;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Multi-worker data sharding: every sample (arrays) or batch index (Sequence) is trained by exactly
 * one worker per epoch, and every worker takes the same number of steps.
 */
class ShardingTest {
  private static StepData samples(int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) v[i] = i;
    NDArray x = NDArray.of(v, n, 1);
    return new StepData(List.of(x), List.of(x), java.util.Arrays.asList((NDArray) null), n);
  }

  @ParameterizedTest
  @CsvSource({"64,16,2,false", "50,16,3,true", "7,4,3,true", "5,8,2,false"})
  void arraysGiveEverySampleToOneWorkerWithEqualSteps(
      int n, int batch, int workers, boolean shuffle) {
    List<Float> seen = new ArrayList<>();
    Integer steps = null;
    for (int id = 0; id < workers; id++) {
      ArrayDataAdapter a =
          new ArrayDataAdapter(samples(n), batch, null, shuffle)
              .shard(new ReplicaContext(workers, id));
      a.reseed(42); // the seed the chief shares
      a.onEpochBegin(a.numBatches());
      if (steps == null) steps = a.numBatches();
      assertThat(a.numBatches()).isEqualTo(steps);
      for (int s = 0; s < steps; s++) {
        StepData d = a.next();
        // Every worker logs the global batch's samples.
        assertThat(a.logSize(d)).isEqualTo(Math.min(batch, n - (long) s * batch));
        for (float f : d.x().get(0).toFloatArray()) seen.add(f);
      }
    }
    assertThat(seen).hasSize(n).doesNotHaveDuplicates();
  }

  @ParameterizedTest
  @CsvSource({"6,2", "5,2", "7,3", "2,3"})
  void aSequenceGivesEveryIndexToOneWorkerWithEqualSteps(int length, int workers) {
    Sequence seq =
        new Sequence() {
          @Override
          public int size() {
            return length;
          }

          @Override
          public Batch get(int index) {
            NDArray x = NDArray.of(new float[] {index, index}, 2, 1);
            return Batch.of(x, x);
          }
        };
    List<Float> seen = new ArrayList<>();
    int empty = 0;
    for (int id = 0; id < workers; id++) {
      ShardedSequence s = new ShardedSequence(seq, new ReplicaContext(workers, id));
      assertThat(s.size()).isEqualTo((length + workers - 1) / workers);
      for (int i = 0; i < s.size(); i++) {
        NDArray x = (NDArray) s.get(i).x();
        if (x.shape()[0] == 0) empty++;
        else seen.add(x.toFloatArray()[0]);
      }
    }
    assertThat(seen).hasSize(length).doesNotHaveDuplicates();
    assertThat(empty).isEqualTo(workers * ((length + workers - 1) / workers) - length);
  }
}
