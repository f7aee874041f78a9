package jkeras.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.concurrent.atomic.AtomicInteger;
import jkeras.callbacks.Callback;
import jkeras.callbacks.Logs;
import jkeras.layers.Layer;
import jkeras.models.Model;
import jkeras.trainers.FitOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("python")
@Tag("native")
class PythonExceptionTest {
  @BeforeEach
  void resetNames() {
    Layer.resetNames();
  }

  private static final class Ends extends Callback {
    final AtomicInteger trainEnds = new AtomicInteger();
    final AtomicInteger batches = new AtomicInteger();

    @Override
    public void onTrainEnd(Logs logs) {
      trainEnds.incrementAndGet();
    }

    @Override
    public void onTrainBatchEnd(int batch, Logs logs) {
      batches.incrementAndGet();
    }
  }

  /** Enqueuer threads (the wrapper's control thread ends with close()). */
  private static long enqueuerThreads() {
    return Fixtures.jkerasThreads().stream()
        .filter(n -> !n.startsWith("jkeras-python-control"))
        .count();
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {0, 1, 2})
  void valueErrorInGetitemSurfacesFromFitWithTraceback(int workers) {
    Ends ends = new Ends();
    Throwable t;
    try (PythonSequence seq = Python.sequence(Fixtures.module("FailingSequence", 3));
        Model model = Fixtures.classifier()) {
      t =
          catchThrowable(
              () ->
                  model.fitGenerator(
                      seq,
                      FitOptions.builder()
                          .epochs(2)
                          .verbose(0)
                          .workers(workers)
                          .shuffle(false)
                          .callbacks(ends)
                          .build()));
      assertThat(enqueuerThreads()).isZero();
    }
    assertThat(t).isInstanceOf(PythonException.class);
    PythonException e = (PythonException) t;
    assertThat(e.pythonType()).isEqualTo("ValueError");
    assertThat(e.pythonMessage()).isEqualTo("bad index 3");
    assertThat(e.pythonTraceback())
        .startsWith("Traceback (most recent call last):")
        .contains("bridge_fixtures.py\", line ")
        .contains("in __getitem__")
        .contains("raise ValueError(\"bad index %d\" % index)")
        .endsWith("ValueError: bad index 3\n");
    assertThat(e.getMessage())
        .startsWith("ValueError: bad index 3\n\nTraceback (most recent call last):");
    assertThat(ends.trainEnds.get()).isZero();
    assertThat(ends.batches.get()).isEqualTo(3); // indices 0, 1, 2 trained before index 3 failed
    assertThat(Fixtures.jkerasThreads()).isEmpty();
    assertThat(PythonRuntime.get().openInterpreters()).isZero();
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {0, 1, 2})
  void valueErrorInGeneratorBodySurfacesFromFit(int workers) {
    Ends ends = new Ends();
    Throwable t;
    try (PythonGenerator gen = Python.generator(Fixtures.module("failing_generator", 2));
        Model model = Fixtures.classifier()) {
      t =
          catchThrowable(
              () ->
                  model.fitGenerator(
                      gen,
                      FitOptions.builder()
                          .stepsPerEpoch(5)
                          .epochs(1)
                          .verbose(0)
                          .workers(workers)
                          .callbacks(ends)
                          .build()));
      assertThat(enqueuerThreads()).isZero();
    }
    assertThat(t).isInstanceOf(PythonException.class);
    PythonException e = (PythonException) t;
    assertThat(e.pythonType()).isEqualTo("ValueError");
    assertThat(e.pythonMessage()).isEqualTo("corrupt record 2");
    assertThat(e.pythonTraceback())
        .contains("in failing_generator")
        .endsWith("ValueError: corrupt record 2\n");
    assertThat(ends.trainEnds.get()).isZero();
    assertThat(ends.batches.get()).isEqualTo(2);
    assertThat(Fixtures.jkerasThreads()).isEmpty();
    assertThat(PythonRuntime.get().openInterpreters()).isZero();
  }

  @Test
  void errorInTheFactoryIsReportedWhenTheWrapperIsMade() {
    Throwable t =
        catchThrowable(
            () ->
                Python.generator(
                    PythonSource.fromModule("no_such_module_for_jkeras", "gen")
                        .withPaths(Fixtures.dir())));
    assertThat(t).isInstanceOf(PythonException.class);
    assertThat(((PythonException) t).pythonType()).isEqualTo("ModuleNotFoundError");
    assertThat(((PythonException) t).pythonTraceback())
        .contains("No module named 'no_such_module_for_jkeras'");
    assertThat(Fixtures.jkerasThreads()).isEmpty();
    assertThat(PythonRuntime.get().openInterpreters()).isZero();
  }

  @Test
  void aMissingSourceModuleSaysWhereItWasSearchedAndHowToAddAPath() {
    Throwable t =
        catchThrowable(
            () ->
                Python.generator(
                    PythonSource.fromModule("no_such_module_for_jkeras", "gen")
                        .withPaths(Fixtures.dir())));
    assertThat(t)
        .isInstanceOfSatisfying(
            PythonException.class,
            e -> {
              assertThat(e.pythonType()).isEqualTo("ModuleNotFoundError");
              assertThat(e.pythonMessage())
                  .startsWith(
                      "No module named 'no_such_module_for_jkeras' (the module of this PythonSource).")
                  .contains(
                      "Searched the source's paths ['"
                          + Fixtures.dir().toAbsolutePath().normalize()
                          + "'], then the rest of sys.path [")
                  .endsWith(
                      "Add the directory that holds no_such_module_for_jkeras.py (or the no_such_module_for_jkeras package)"
                          + " with PythonSource.withPaths(...).");
            });
  }

  @Test
  void objectsFromExpressionsCannotRunInWorkerProcesses() {
    try (PythonGenerator gen =
        Python.generatorFromExpression(
            "bridge_fixtures.finite_generator(2)", java.util.List.of(Fixtures.dir()))) {
      jkeras.trainers.adapters.DataSpec spec =
          new jkeras.trainers.adapters.DataSpec(
              java.util.List.of("x"),
              java.util.List.of(new long[] {-1, 1}),
              java.util.List.of("y"),
              java.util.List.of(new long[] {-1, 1}));
      jkeras.trainers.adapters.AdapterContext ctx =
          new jkeras.trainers.adapters.AdapterContext(
              jkeras.trainers.adapters.AdapterContext.Role.TRAIN, spec, 2, 10, true, false, null);
      Throwable t = catchThrowable(() -> new PythonDataAdapters().create(gen, ctx));
      assertThat(t)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(
              "must be given as a PythonSource (module or file, function, arguments) to run in worker processes");
    }
  }
}
