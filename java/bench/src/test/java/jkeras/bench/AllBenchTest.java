package jkeras.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jkeras.data.NDArray;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AllBenchTest {
  @Test
  void detDataMatchesTheHashOfBenchSourcesForKnownIndices() {
    // Values printed by numpy's bench_sources.det_bits(3, 0), det_uniform(1, 7, 5),
    // mlp_weights()[0][0, :3]
    // and mlp_data(2)[1]: the tf-keras side must see the same bits.
    assertThat(new long[] {BenchData.bits(0, 0), BenchData.bits(1, 0), BenchData.bits(2, 0)})
        .containsExactly(4608125L, 14045883L, 12970413L);
    assertThat(BenchData.uniform(1, 7, 5)[0]).isEqualTo(0.5251868963241577f);
    float[] w0 = BenchData.mlpWeights(784, 128, 10, 0).get(0).toFloatArray();
    assertThat(new float[] {w0[0], w0[1], w0[2]})
        .containsExactly(-0.03557617f, -0.011813738f, -0.04533059f);
    assertThat(BenchData.labels(2, 10, 1, 0)).containsExactly(9, 5);
    float[] u = BenchData.uniform(1000, 7, 5);
    for (float f : u) assertThat(f).isGreaterThanOrEqualTo(0f).isLessThan(1f);
    assertThat(BenchData.uniform(1, 7, 5)[0]).isEqualTo(u[0]);
    List<NDArray> w = BenchData.mlpWeights(784, 128, 10, 0);
    assertThat(w).hasSize(4);
    double limit = Math.sqrt(6.0 / (784 + 128));
    for (float f : w.get(0).toFloatArray())
      assertThat(Math.abs(f)).isLessThanOrEqualTo((float) limit);
  }

  @Test
  void modelRowKernelsAndDataMatchBenchSources() {
    // bench_sources.det_kernel((3, 3, 1, 32), 2000)[0, 0, 0, :3] and model_data(kind, 1) heads.
    float[] k = BenchData.detKernel(new long[] {3, 3, 1, 32}, 2000).toFloatArray();
    assertThat(new float[] {k[0], k[1], k[2]})
        .containsExactly(-0.05242329463362694f, 0.09223148226737976f, -0.07878921926021576f);
    NDArray[] lstm = BenchData.rowData("lstm", 1, 0);
    assertThat(lstm[0].shape()).containsExactly(32, 80);
    assertThat(new int[] {lstm[0].toIntArray()[0], lstm[0].toIntArray()[1]})
        .containsExactly(8125, 5883);
    assertThat(lstm[1].toFloatArray()[2]).isZero();
    NDArray[] cnn = BenchData.rowData("cnn", 1, 0);
    assertThat(cnn[0].shape()).containsExactly(64, 28, 28, 1);
    assertThat(cnn[0].toFloatArray()[1]).isEqualTo(0.837199866771698f);
    assertThat(cnn[1].toIntArray()).startsWith(9, 5, 4);
  }

  @Tag("native")
  @Test
  void tinyRunPrintsTheTableAndWritesJsonAndPng(@TempDir Path dir) throws Exception {
    BenchRun run =
        BenchRun.of(
            "all",
            "--no-tf-keras",
            "--no-memory",
            "--only",
            "tob,fit,bridge,cnn",
            "--warmup",
            "0",
            "--repetitions",
            "1",
            "--steps",
            "3",
            "--samples",
            "64",
            "--bridge-calls",
            "5",
            "--row-steps",
            "2",
            "--row-batches",
            "2",
            "--out-dir",
            dir.toString());
    int code = run.code();
    String out = run.out();
    assertThat(code).as(out).isZero();
    assertThat(out)
        .contains(
            "| workload",
            "train_on_batch loop",
            "engine floor",
            "fit, arrays, 1 epoch of 64 samples",
            "small CNN (Conv2D 32, MaxPooling2D, Dense), batch 64: train_on_batch",
            "engine floor (jkeras column): bare TF Java loop, same graph",
            "fit, 2nd epoch of 2 batches",
            "cnn: train step within 1.05x of its engine floor",
            "goals:");
    assertThat(dir.resolve("bench-all.txt")).exists();
    assertThat(Files.readString(dir.resolve("bench-all.json")))
        .contains("\"rows\"", "\"train_on_batch\"", "\"goals\"");
    byte[] png = Files.readAllBytes(dir.resolve("bench-all.png"));
    assertThat(png.length).isGreaterThan(1000);
    assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
  }
}
