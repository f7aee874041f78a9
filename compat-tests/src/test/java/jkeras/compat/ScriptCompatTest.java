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
 * The script scenarios ({@code scripts/scenarios.json}): each unmodified Keras script run by
 * tf-keras, Keras 2.3.1 and {@code jkeras run}, one dynamic test per scenario failing with the
 * table of its failing checks. Fails when a reference's venv does not exist.
 */
@Tag("compat")
@Tag("native")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScriptCompatTest {
  private ScriptCompat.Result result;
  private List<String> selected;

  @BeforeAll
  void runScripts() throws Exception {
    CompatRunner.Settings s = CompatRunner.Settings.fromEnvironment();
    for (KerasRunner.Flavour f : KerasRunner.Flavour.values()) {
      KerasRunner keras = s.runner(f);
      assertThat(keras.available())
          .as("no Python venv at %s (%s creates it)", keras.python(), keras.setupHint())
          .isTrue();
    }
    selected = ScriptCompat.selected(s);
    result = ScriptCompat.run(s);
    System.out.print(ScriptCompat.report(result));
  }

  @Test
  void everyScenarioWasCompared() {
    // all of scripts/scenarios.json, or those -Djkeras.compat.only names (it may name none of them)
    assertThat(result.scenarios()).containsExactlyElementsOf(selected);
    if (CompatRunner.Settings.fromEnvironment().only().isEmpty())
      assertThat(selected)
          .as("the issue's four scripts")
          .containsExactly(
              "script_seed_article",
              "script_mnist_mlp",
              "script_two_input_sequence",
              "script_small_cnn");
    for (String name : result.scenarios()) {
      // the run itself, the calls, at least one call's values and the printed output
      assertThat(result.checksOf(name)).as("checks of %s", name).hasSizeGreaterThan(3);
    }
  }

  @TestFactory
  Stream<DynamicTest> scriptRunsAsInKeras() {
    return result.scenarios().stream()
        .map(
            name ->
                DynamicTest.dynamicTest(
                    name,
                    () -> {
                      List<Check> bad =
                          result.checksOf(name).stream().filter(c -> !c.agrees()).toList();
                      assertThat(bad)
                          .as("disagreements of %s:%n%s", name, ScriptCompat.report(result))
                          .isEmpty();
                    }));
  }
}
