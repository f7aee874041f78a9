package jkeras.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("native")
class RunScriptBenchTest {
  @Test
  void tinyRunPrintsBothWaysWithTheRatio() {
    BenchRun run =
        BenchRun.of(
            "run-script",
            "--rounds",
            "1",
            "--steps",
            "4",
            "--warmup",
            "2",
            "--repeats",
            "2",
            "--no-tf-keras");
    assertThat(run.code()).as(run.out()).isZero();
    assertThat(run.out())
        .contains("| way ")
        .contains("train_on_batch (one fixed batch)")
        .contains("fit (epochs of 4 batches), best block")
        .contains("train_on_batch (one fixed batch), median block")
        .contains("train_on_batch (one fixed batch), process CPU")
        .contains("fit (epochs of 4 batches), calling thread's CPU")
        .contains("target: jkeras run within 1.1x of Java per step");
    // one ratio per way and figure (best, median, process CPU, calling thread's CPU), e.g.
    // "1.02x [1.02x..1.02x]" (a process CPU of 4 steps may read 0: no ratio); tf-keras skipped
    assertThat(
            run.out()
                .lines()
                .filter(l -> l.matches(".*(\\d\\.\\d\\dx \\[|n/a \\(run too short\\)).*skipped.*")))
        .hasSize(8);
    assertThat(run.out().lines().filter(l -> l.contains("best block") && l.contains("n/a")))
        .isEmpty();
  }

  @Test
  void statIsTheMedianWithTheRange() {
    assertThat(RunScriptBench.stat(List.of(3.0, 1.0, 2.0), "%.1f")).isEqualTo("2.0 [1.0..3.0]");
    assertThat(RunScriptBench.stat(List.of(4.0, 1.0), "%.2fx")).isEqualTo("2.50x [1.00x..4.00x]");
  }
}
