package jkeras.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import jkeras.data.NDArray;
import jkeras.layers.Dense;
import jkeras.models.Sequential;
import jkeras.trainers.FitOptions;
import jkeras.utils.RngUtils;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keras' {@code BackupAndRestore} in one process: a fit interrupted in its third epoch, run again
 * with the same backup directory, resumes at that epoch and ends with the weights (and optimizer
 * state) of an uninterrupted fit; a completed fit deletes its backup.
 */
@Tag("native")
class BackupAndRestoreTest {
  @TempDir Path dir;

  private static Sequential model() {
    RngUtils.setRandomSeed(9L);
    try {
      Sequential m = new Sequential();
      m.add(Dense.builder(8).activation("relu").inputShape(4).build());
      m.add(Dense.builder(1).build());
      m.compile("adam", "mse");
      return m;
    } finally {
      RngUtils.setRandomSeed(null);
    }
  }

  private static NDArray[] data() {
    Random r = new Random(1);
    float[] x = new float[40 * 4];
    float[] y = new float[40];
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
    for (int i = 0; i < y.length; i++) y[i] = x[4 * i] - 0.5f * x[4 * i + 1];
    return new NDArray[] {NDArray.of(x, 40, 4), NDArray.of(y, 40, 1)};
  }

  private static FitOptions fit(List<Callback> callbacks) {
    return FitOptions.builder()
        .batchSize(10)
        .epochs(4)
        .shuffle(false)
        .verbose(0)
        .callbacks(callbacks)
        .build();
  }

  @Test
  void anInterruptedFitResumesFromItsLastEpochToTheUninterruptedWeights() throws Exception {
    NDArray[] d = data();
    List<NDArray> expected;
    try (Sequential m = model()) {
      m.fit(d[0], d[1], fit(List.of()));
      expected = m.getWeights();
    }
    Path backup = dir.resolve("backup");
    Callback crash =
        new Callback() {
          @Override
          public void onEpochBegin(int epoch, Logs logs) {
            if (epoch == 2) throw new IllegalStateException("killed");
          }
        };
    try (Sequential m = model()) {
      assertThatThrownBy(() -> m.fit(d[0], d[1], fit(List.of(new BackupAndRestore(backup), crash))))
          .hasMessage("killed");
    }
    BackupAndRestore restore = new BackupAndRestore(backup);
    assertThat(restore.backedUpEpoch()).isEqualTo(1);
    List<Integer> epochs = new ArrayList<>();
    Callback seen =
        new Callback() {
          @Override
          public void onEpochBegin(int epoch, Logs logs) {
            epochs.add(epoch);
          }
        };
    try (Sequential m = model()) {
      History h = m.fit(d[0], d[1], fit(List.of(restore, seen)));
      assertThat(epochs).containsExactly(2, 3);
      assertThat(h.history().get("loss")).hasSize(2);
      List<NDArray> got = m.getWeights();
      for (int i = 0; i < got.size(); i++)
        assertThat(got.get(i).toFloatArray()).containsExactly(expected.get(i).toFloatArray());
    }
    assertThat(Files.list(backup)).isEmpty();
  }

  @Test
  void aBackupDirIsRequired() {
    assertThatThrownBy(() -> new BackupAndRestore((String) null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("`backup_dir`");
  }
}
