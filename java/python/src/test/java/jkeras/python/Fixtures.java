package jkeras.python;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import jkeras.layers.Concatenate;
import jkeras.layers.Dense;
import jkeras.layers.Input;
import jkeras.layers.KerasTensor;
import jkeras.models.Model;
import jkeras.optimizers.SGD;
import jkeras.trainers.FitOptions;

/** Shared test fixtures: the Python fixture directory, a data file, a two-input model. */
final class Fixtures {
  private Fixtures() {}

  /** The directory holding bridge_fixtures.py and file_source.py (test resources). */
  static Path dir() {
    try {
      return Path.of(Fixtures.class.getResource("/pyfixtures/bridge_fixtures.py").toURI())
          .getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static PythonSource module(String attribute, Object... args) {
    return PythonSource.fromModule("bridge_fixtures", attribute, args).withPaths(dir());
  }

  /**
   * A text file of {@code lines} samples "a,b,c,d,e,y" with y = 0.5a - b + 0.3c + 0.2d - 0.4e +
   * 0.1, the inputs on a fixed grid.
   */
  static Path dataFile(Path tmp, int lines) throws IOException {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < lines; i++) {
      double a = Math.sin(i * 0.7),
          b = Math.cos(i * 1.3),
          c = Math.sin(i * 0.31 + 1),
          d = Math.cos(i * 0.17),
          e = Math.sin(i * 2.1);
      double y = 0.5 * a - b + 0.3 * c + 0.2 * d - 0.4 * e + 0.1;
      out.add(String.format(Locale.ROOT, "%.6f,%.6f,%.6f,%.6f,%.6f,%.6f", a, b, c, d, e, y));
    }
    Path f = tmp.resolve("samples.txt");
    Files.write(f, out);
    return f;
  }

  /** input_1 (2) and input_2 (3), concatenated into Dense(1) named "output"; mse, SGD(0.1). */
  static Model twoInputModel() {
    KerasTensor a = Input.create(new long[] {2}, "input_1");
    KerasTensor b = Input.create(new long[] {3}, "input_2");
    KerasTensor cat = Concatenate.builder().build().apply(List.of(a, b));
    KerasTensor out = Dense.builder(1).name("output").build().apply(cat);
    Model m = new Model(List.of(a, b), List.of(out));
    m.compile(new SGD(0.1), "mse");
    return m;
  }

  /** Dense(2, softmax) on 3 inputs, categorical crossentropy. */
  static Model classifier() {
    KerasTensor in = Input.create(new long[] {3}, "x");
    KerasTensor out = Dense.builder(2).activation("softmax").name("p").build().apply(in);
    Model m = new Model(List.of(in), List.of(out));
    m.compile(new SGD(0.5), "categorical_crossentropy");
    return m;
  }

  /** {@code fit} options of the tests: silent, on {@code workers} worker threads. */
  static FitOptions.Builder quietFit(int workers) {
    return FitOptions.builder().verbose(0).workers(workers);
  }

  /** No jkeras thread is alive and no interpreter is open: a call cleaned up after itself. */
  static void assertNothingLeft() {
    assertThat(jkerasThreads()).isEmpty();
    assertThat(PythonRuntime.get().openInterpreters()).isZero();
  }

  /** Live threads whose name starts with "jkeras-". */
  static Set<String> jkerasThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith("jkeras-"))
        .collect(Collectors.toSet());
  }
}
