package jkeras.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("native")
class FitGeneratorBenchTest {
  @Test
  void tinyRunPrintsOneRowPerSourceProducerAndWorkerCount() {
    BenchRun run =
        BenchRun.of(
            "fit-generator",
            "--steps",
            "4",
            "--repetitions",
            "1",
            "--warmup-steps",
            "2",
            "--workers",
            "0,1",
            "--producer-ms",
            "0.2");
    int code = run.code();
    String out = run.out();
    assertThat(code).as(out).isZero();
    assertThat(out).contains("| source   | producer | workers | epoch");
    // none, cpu, sleep x Sequence, Iterator x workers 0, 1
    assertThat(out.lines().filter(l -> l.matches("\\| (Sequence|Iterator) .*"))).hasSize(12);
    assertThat(out).contains("producer cost per batch: 0.200 ms");
  }

  @Test
  void spinIterationsFollowTheMeasuredRate() {
    // the arithmetic is checked exactly; the measured rate only for being a time at all (timings
    // under load are a benchmark's business, not a test's)
    assertThat(FitGeneratorBench.spinIterations(2_000_000, 2.5)).isEqualTo(800_000);
    assertThat(FitGeneratorBench.spinIterations(1_000_000, 2.5)).isEqualTo(400_000);
    assertThat(FitGeneratorBench.spinIterations(1, 1e9)).isEqualTo(1);
    assertThat(FitGeneratorBench.nanosPerSpin()).isPositive().isFinite();
  }
}
