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
  void spinCalibrationScalesWithTheRequestedTime() {
    long oneMs = FitGeneratorBench.calibrateSpin(1_000_000);
    long twoMs = FitGeneratorBench.calibrateSpin(2_000_000);
    assertThat(oneMs).isPositive();
    // the same rate measured twice: within a factor of 1.5 of exactly double
    assertThat((double) twoMs / oneMs).isBetween(2 / 1.5, 2 * 1.5);
  }
}
