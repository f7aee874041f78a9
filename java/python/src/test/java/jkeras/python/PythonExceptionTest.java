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

  /** A failed fit: its exception and the hooks that ran before. */
  private record FitFailure(PythonException error, Ends ends) {}

  /**
   * A {@code fitGenerator} of the classifier over {@code data} that a Python {@code ValueError}
   * with {@code message} stops: {@code on_train_end} is not called and no enqueuer thread is left.
   */
  private static FitFailure valueErrorOfFit(
      Object data, FitOptions.Builder options, String message) {
    Ends ends = new Ends();
    Throwable t;
    try (Model model = Fixtures.classifier()) {
      t = catchThrowable(() -> model.fitGenerator(data, options.callbacks(ends).build()));
      assertThat(enqueuerThreads()).isZero();
    }
    assertThat(t).isInstanceOf(PythonException.class);
    PythonException e = (PythonException) t;
    assertThat(e.pythonType()).isEqualTo("ValueError");
    assertThat(e.pythonMessage()).isEqualTo(message);
    assertThat(ends.trainEnds.get()).isZero();
    return new FitFailure(e, ends);
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {0, 1, 2})
  void valueErrorInGetitemSurfacesFromFitWithTraceback(int workers) {
    FitFailure f;
    try (PythonSequence seq = Python.sequence(Fixtures.module("FailingSequence", 3))) {
      f = valueErrorOfFit(seq, Fixtures.quietFit(workers).epochs(2).shuffle(false), "bad index 3");
    }
    assertThat(f.error().pythonTraceback())
        .startsWith("Traceback (most recent call last):")
        .contains("bridge_fixtures.py\", line ")
        .contains("in __getitem__")
        .contains("raise ValueError(\"bad index %d\" % index)")
        .endsWith("ValueError: bad index 3\n");
    assertThat(f.error().getMessage())
        .startsWith("ValueError: bad index 3\n\nTraceback (most recent call last):");
    assertThat(f.ends().batches.get())
        .isEqualTo(3); // indices 0, 1, 2 trained before index 3 failed
    Fixtures.assertNothingLeft();
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {0, 1, 2})
  void valueErrorInGeneratorBodySurfacesFromFit(int workers) {
    FitFailure f;
    try (PythonGenerator gen = Python.generator(Fixtures.module("failing_generator", 2))) {
      f =
          valueErrorOfFit(
              gen, Fixtures.quietFit(workers).stepsPerEpoch(5).epochs(1), "corrupt record 2");
    }
    assertThat(f.error().pythonTraceback())
        .contains("in failing_generator")
        .endsWith("ValueError: corrupt record 2\n");
    assertThat(f.ends().batches.get()).isEqualTo(2);
    Fixtures.assertNothingLeft();
  }

  /** What making a generator from a module that does not exist throws. */
  private static Throwable missingModuleGenerator() {
    return catchThrowable(
        () ->
            Python.generator(
                PythonSource.fromModule("no_such_module_for_jkeras", "gen")
                    .withPaths(Fixtures.dir())));
  }

  @Test
  void errorInTheFactoryIsReportedWhenTheWrapperIsMade() {
    Throwable t = missingModuleGenerator();
    assertThat(t).isInstanceOf(PythonException.class);
    assertThat(((PythonException) t).pythonType()).isEqualTo("ModuleNotFoundError");
    assertThat(((PythonException) t).pythonTraceback())
        .contains("No module named 'no_such_module_for_jkeras'");
    Fixtures.assertNothingLeft();
  }

  @Test
  void aMissingSourceModuleSaysWhereItWasSearchedAndHowToAddAPath() {
    Throwable t = missingModuleGenerator();
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
