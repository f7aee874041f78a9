package jkeras.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The second example (cifar10_cnn.py) through the command line, with few images. */
@Tag("native")
class Cifar10CnnCommandTest {
  @Test
  void trainsTheCnnFromAugmentedBatchesOnFourWorkers() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Cifar10CnnCommand job = new Cifar10CnnCommand();
    job.out = new PrintStream(buf, true, StandardCharsets.UTF_8);
    int code =
        new CommandLine(job)
            .execute(
                "--epochs",
                "2",
                "--samples",
                "320",
                "--test-samples",
                "64",
                "--workers",
                "4",
                "--verbose",
                "0");
    String out = buf.toString(StandardCharsets.UTF_8);
    assertThat(code).as(out).isZero();
    assertThat(out).contains("batch_size=32").contains("workers=4").contains("val_accuracy");
  }

  /**
   * The article's form: keras_preprocessing's datagen.flow, unchanged, on four worker threads in
   * the JVM's Python (with use_multiprocessing the bridge must pickle the Sequence after
   * on_epoch_end, and NumpyArrayIterator holds a threading.Lock: see docs/image.md).
   */
  @Test
  @Tag("python")
  void trainsFromKerasPreprocessingsFlowOnFourPythonWorkers() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Cifar10CnnCommand job = new Cifar10CnnCommand();
    job.out = new PrintStream(buf, true, StandardCharsets.UTF_8);
    int code =
        new CommandLine(job)
            .execute(
                "--python-datagen",
                "--workers",
                "4",
                "--epochs",
                "2",
                "--samples",
                "192",
                "--test-samples",
                "32",
                "--verbose",
                "0");
    String out = buf.toString(StandardCharsets.UTF_8);
    assertThat(code).as(out).isZero();
    assertThat(out)
        .contains("use_multiprocessing=False")
        .contains("Python (keras_preprocessing) datagen")
        .contains("val_accuracy");
  }
}
