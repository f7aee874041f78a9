package jkeras.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jkeras.data.NDArray;
import jkeras.layers.Dense;
import jkeras.models.Sequential;
import jkeras.optimizers.Adam;
import jkeras.trainers.CompileOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("native")
class SummaryCommandTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"m.h5", "m.keras"})
  void printsTheSummaryVersionOptimizerAndWeightShapes(String name) throws Exception {
    Path p = dir.resolve(name);
    String expectedSummary;
    try (Sequential m =
        new Sequential(
            List.of(
                Dense.builder(8).inputShape(4).name("hidden").build(),
                Dense.builder(2).name("out").build()))) {
      m.compile(CompileOptions.builder().optimizer(new Adam(0.01)).loss("mse").build());
      m.trainOnBatch(NDArray.of(new float[8], 2, 4), NDArray.of(new float[4], 2, 2));
      m.save(p);
      java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
      m.summary(new java.io.PrintStream(b, true, java.nio.charset.StandardCharsets.UTF_8));
      expectedSummary = b.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
    CliRun run = CliRun.of("summary", p.toString());
    assertThat(run.code()).isZero();
    assertThat(run.out())
        .contains("Keras version: 2.3.1")
        .contains(expectedSummary.substring(expectedSummary.indexOf("hidden (Dense)")))
        .contains("\"class_name\": \"Adam\"")
        .contains("Loss: \"mse\"")
        .contains("(4, 8)")
        .contains("(2,)")
        .contains("Total weight values: 58");
  }

  @ParameterizedTest
  @ValueSource(strings = {"hello", ""})
  void aForeignFileFailsWithAClearMessage(String content) throws Exception {
    Path p = dir.resolve("notes.h5");
    Files.writeString(p, content);
    assertThat(CliRun.of("summary", p.toString()).code()).isEqualTo(1);
  }
}
