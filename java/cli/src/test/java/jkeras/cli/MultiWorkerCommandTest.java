package jkeras.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code jkeras multi-worker}: two local worker JVMs with their TF_CONFIG train the seed example
 * from the Python generator; only the chief prints the progress, and both end with the same
 * weights.
 */
@Tag("native")
class MultiWorkerCommandTest {
  @Test
  void twoLocalWorkersTrainToTheSameWeights() {
    CliRun run =
        CliRun.of("multi-worker", "--workers", "2", "--epochs", "1", "--steps-per-epoch", "4");
    assertThat(run.code()).as(run.out()).isZero();
    assertThat(run.out())
        .contains("\"task\": {\"type\": \"worker\", \"index\": 1}")
        .contains("Epoch 1/1")
        .doesNotContain("[worker 1] Epoch");
    List<String> sums = new ArrayList<>();
    Matcher m = Pattern.compile("weights checksum \\(sum \\|w\\|\\): (\\S+)").matcher(run.out());
    while (m.find()) sums.add(m.group(1));
    assertThat(sums).hasSize(2);
    assertThat(sums.get(1)).isEqualTo(sums.get(0));
  }
}
