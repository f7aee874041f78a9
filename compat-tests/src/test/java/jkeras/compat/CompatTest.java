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
 * Runs every compat scenario in jkeras, tf-keras and Keras 2.3.1 and asserts that every check
 * passes: one dynamic test per scenario, failing with the table of that scenario's failures. Fails
 * when a reference's venv does not exist.
 */
@Tag("compat")
@Tag("native")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompatTest {
  private CompatRunner.Result result;

  @BeforeAll
  void runHarness() throws Exception {
    CompatRunner.Settings s = CompatRunner.Settings.fromEnvironment();
    // A missing venv is a broken set-up, not a reason to skip: scripts/test.sh always creates both.
    for (KerasRunner.Flavour f : KerasRunner.Flavour.values()) {
      KerasRunner keras = s.runner(f);
      assertThat(keras.available() || (s.reuseKerasRun() && s.run(f).toFile().exists()))
          .as("no Python venv at %s (%s creates it)", keras.python(), keras.setupHint())
          .isTrue();
    }
    result = CompatRunner.run(s);
    System.out.print(CompatRunner.summary(result));
    System.out.print(CompatRunner.table(result.checks()));
    System.out.print(CompatRunner.details(result));
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
    return result.scenarios().stream()
        .map(
            name ->
                DynamicTest.dynamicTest(
                    name,
                    () -> {
                      List<Check> bad =
                          result.checksOf(name).stream().filter(c -> !c.agrees()).toList();
                      assertThat(bad)
                          .as("disagreements of %s:%n%s", name, CompatRunner.table(bad))
                          .isEmpty();
                    }));
  }
}
