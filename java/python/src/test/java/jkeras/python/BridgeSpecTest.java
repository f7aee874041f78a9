package jkeras.python;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BridgeSpecTest {
  @Test
  void pathArgumentsBecomePlainPathStringsWhereverTheyAre() {
    Path rel = Path.of("data", "train.txt");
    Path abs = Path.of("/tmp/a b.txt");
    PythonSource src =
        PythonSource.fromModule("m", "f", rel, List.of(abs, 3), new Object[] {abs})
            .withKwargs(Map.of("files", Map.of("x", abs)));
    String json = BridgeSpec.toJson(src);
    assertThat(json)
        .contains("\"args\":[\"data/train.txt\",[\"/tmp/a b.txt\",3],[\"/tmp/a b.txt\"]]")
        .contains("\"kwargs\":{\"files\":{\"x\":\"/tmp/a b.txt\"}}")
        .doesNotContain("file:");
  }
}
