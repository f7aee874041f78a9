package jkeras.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Runs every compat scenario in Keras and jkeras and asserts they agree: one dynamic test per
 * scenario, failing with the table of that scenario's disagreements. Fails when the Python venv
 * does not exist.
 */
@Tag("compat")
@Tag("native")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompatTest {
  private CompatRunner.Result result;

  @BeforeAll
  void runHarness() throws Exception {
    CompatRunner.Settings s = CompatRunner.Settings.fromEnvironment();
    KerasRunner keras = new KerasRunner(s.venv(), s.runnerScript(), s.timeoutSeconds());
    // A missing venv is a broken set-up, not a reason to skip: scripts/test.sh always creates it.
    assertThat(keras.available() || (s.reuseKerasRun() && s.kerasRun().toFile().exists()))
        .as("no Python venv at %s (scripts/setup-python.sh creates it)", s.venv())
        .isTrue();
    result = CompatRunner.run(s);
    System.out.print(CompatRunner.summary(result));
    System.out.print(CompatRunner.table(result.checks()));
  }

  @Test
  void everyScenarioWasCompared() {
    assertThat(result.scenarios()).isNotEmpty();
    for (String name : result.scenarios()) {
      assertThat(result.checksOf(name)).as("checks of %s", name).isNotEmpty();
    }
  }

  @TestFactory
  Stream<DynamicTest> jkerasAgreesWithKeras() {
    return result.scenarios().stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      List<Check> bad = result.checksOf(name).stream().filter(c -> !c.agrees()).toList();
      assertThat(bad).as("disagreements of %s:%n%s", name, CompatRunner.table(bad)).isEmpty();
    }));
  }
}
