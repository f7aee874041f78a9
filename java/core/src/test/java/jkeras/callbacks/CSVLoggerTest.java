package jkeras.callbacks;

import static jkeras.callbacks.CallbackTestSupport.X;
import static jkeras.callbacks.CallbackTestSupport.Y;
import static jkeras.callbacks.CallbackTestSupport.fit;
import static jkeras.callbacks.CallbackTestSupport.model;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jkeras.internal.PyRepr;
import jkeras.models.Sequential;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keras 2.3.1's CSVLogger: columns, number formatting, appending, NA. */
@Tag("native")
class CSVLoggerTest {
  @TempDir Path dir;

  private static String read(Path p) throws Exception {
    return Files.readString(p, StandardCharsets.UTF_8);
  }

  @Test
  void writesOneRowPerEpochInSortedColumnsAsPythonPrintsNumbers() throws Exception {
    Path file = dir.resolve("log.csv");
    try (Sequential m = model(0.05)) {
      History h =
          m.fit(
              X,
              Y,
              fit(2, ReduceLROnPlateau.builder().patience(5).build(), new CSVLogger(file))
                  .validationSplit(0.25)
                  .build());
      String[] lines = read(file).split("\r\n", -1);
      assertThat(lines).hasSize(4);
      assertThat(lines[0]).isEqualTo("epoch,loss,lr,val_loss");
      for (int e = 0; e < 2; e++) {
        assertThat(lines[1 + e])
            .isEqualTo(
                e
                    + ","
                    + PyRepr.pyFloat(h.history().get("loss").get(e))
                    + ",0.05,"
                    + PyRepr.pyFloat(h.history().get("val_loss").get(e)));
      }
      assertThat(lines[3]).isEmpty();
    }
  }

  @Test
  void appendsWithoutASecondHeaderAndUsesTheSeparator() throws Exception {
    Path file = dir.resolve("log.tsv");
    CSVLogger csv = CSVLogger.builder(file).separator("\t").append(true).build();
    try (Sequential m = model(0.05)) {
      m.fit(X, Y, fit(1, csv).build());
      m.fit(X, Y, fit(2, csv).build());
    }
    List<String> lines = List.of(read(file).split("\r\n"));
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).isEqualTo("epoch\tloss");
    assertThat(lines.subList(1, 4)).allMatch(l -> l.matches("[01]\t\\d+\\.\\d+"));
    assertThat(lines.get(2)).startsWith("0\t");
  }

  @Test
  void overwritesByDefaultAndWritesNaForAMissingKey() throws Exception {
    Path file = dir.resolve("log.csv");
    Files.writeString(file, "old content\n");
    Callback once =
        LambdaCallback.builder()
            .onEpochEnd(
                (e, l) -> {
                  if (e == 0) {
                    l.put("note", "a,b");
                    l.put("sizes", List.of(1, 2.5));
                  }
                })
            .build();
    try (Sequential m = model(0.05)) {
      m.fit(X, Y, fit(2, once, new CSVLogger(file)).build());
    }
    String[] lines = read(file).split("\r\n");
    assertThat(lines[0]).isEqualTo("epoch,loss,note,sizes");
    // Python's csv quotes a field holding the separator or a quote, doubling the quotes.
    assertThat(lines[1]).endsWith(",\"a,b\",\"\"\"[1, 2.5]\"\"\"");
    assertThat(lines[2]).endsWith(",NA,NA");
  }

  @Test
  void closesItsFileWhenFitFailsAndTheNextFitStarts() throws Exception {
    Path file = dir.resolve("log.csv");
    CSVLogger csv = new CSVLogger(file);
    Callback failing =
        LambdaCallback.builder()
            .onEpochEnd(
                (e, l) -> {
                  if (e == 1) throw new IllegalStateException("boom");
                })
            .build();
    try (Sequential m = model(0.05)) {
      assertThatThrownBy(() -> m.fit(X, Y, fit(3, csv, failing).build())).hasMessage("boom");
      assertThat(read(file).split("\r\n")).hasSize(3); // header and two rows, flushed
      csv.close();
      m.fit(X, Y, fit(1, csv).build());
      assertThat(read(file).split("\r\n")).hasSize(2);
    }
  }

  @Test
  void fromConfigNeedsAFilename() {
    assertThatThrownBy(() -> CSVLogger.fromConfig(Map.of("append", true)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Expected `filename` to be a file name. Received: filename=null");
    assertThat(CSVLogger.fromConfig(Map.of("filename", "x.csv")).filename())
        .isEqualTo(Path.of("x.csv"));
    assertThatThrownBy(() -> CSVLogger.builder(Path.of("x")).separator(";;"))
        .hasMessage("Expected `separator` to be a 1-character string. Received: separator=;;");
  }
}
