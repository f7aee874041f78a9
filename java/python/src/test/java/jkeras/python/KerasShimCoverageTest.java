package jkeras.python;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import jkeras.activations.Activations;
import jkeras.callbacks.Callback;
import jkeras.constraints.Constraints;
import jkeras.initializers.Initializers;
import jkeras.layers.Layers;
import jkeras.losses.Loss;
import jkeras.losses.Losses;
import jkeras.metrics.Metric;
import jkeras.metrics.Metrics;
import jkeras.models.Models;
import jkeras.optimizers.Optimizers;
import jkeras.regularizers.Regularizers;
import jkeras.utils.NpUtils;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keras shim follows the Java surface: every public Keras name jkeras implements in Java (the
 * registries behind {@code deserialize}/{@code get}, the Keras classes of its packages, the
 * functions of {@code Models} and {@code NpUtils}) is reached through the shim by its Keras module
 * and name ({@code python -m jkeras.shim.coverage}).
 */
@Tag("python")
class KerasShimCoverageTest {
  @TempDir Path tmp;

  @Test
  void theShimReachesEveryKerasNameJkerasImplements() throws IOException {
    List<String> names = kerasNames();
    assertThat(names)
        .hasSizeGreaterThan(150)
        .contains("keras.layers Dense", "keras.optimizers Adam");
    Path file = tmp.resolve("names.txt");
    Files.write(file, names);
    ScriptRun r = ScriptRun.ofModule("jkeras.shim.coverage", file.toString());
    assertThat(r.out()).as("names the shim does not reach").doesNotContain("MISSING");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("checked " + names.size() + " names");
  }

  /** "module name" lines: each Keras name jkeras implements in Java, with its Keras module. */
  static List<String> kerasNames() {
    Set<String> out = new TreeSet<>();
    Layers.classNames().forEach(n -> out.add("keras.layers " + n));
    for (String id : Optimizers.identifiers()) {
      out.add("keras.optimizers " + Optimizers.get(id).getClass().getSimpleName());
    }
    Losses.names().forEach(n -> out.add("keras.losses " + n));
    Metrics.names().forEach(n -> out.add("keras.metrics " + n));
    Activations.names().forEach(n -> out.add("keras.activations " + n));
    Initializers.names().forEach(n -> out.add("keras.initializers " + n));
    Regularizers.names().forEach(n -> out.add("keras.regularizers " + n));
    Constraints.names().forEach(n -> out.add("keras.constraints " + n));
    kerasClasses("jkeras.losses", Loss.class).forEach(n -> out.add("keras.losses " + n));
    kerasClasses("jkeras.metrics", Metric.class).forEach(n -> out.add("keras.metrics " + n));
    kerasClasses("jkeras.callbacks", Callback.class).forEach(n -> out.add("keras.callbacks " + n));
    kerasFunctions(Models.class).forEach(n -> out.add("keras.models " + n));
    kerasFunctions(NpUtils.class).forEach(n -> out.add("keras.utils " + n));
    out.add("keras.utils Sequence");
    out.add("keras.preprocessing.image ImageDataGenerator");
    out.add("keras Sequential");
    out.add("keras Model");
    out.add("keras Input");
    return new ArrayList<>(out);
  }

  /**
   * The public concrete subclasses of {@code base} in {@code pkg} that a user constructs (a public
   * constructor without arguments, as Keras' classes have defaults for every argument).
   */
  private static List<String> kerasClasses(String pkg, Class<?> base) {
    List<String> names = new ArrayList<>();
    for (JavaClass c : new ClassFileImporter().importPackages(pkg)) {
      if (!c.getPackageName().equals(pkg) || !c.isAssignableTo(base)) continue;
      if (!c.getModifiers().contains(JavaModifier.PUBLIC)
          || c.getModifiers().contains(JavaModifier.ABSTRACT)
          || c.isNestedClass()) continue;
      boolean noArgs =
          c.getConstructors().stream()
              .anyMatch(
                  k ->
                      k.getModifiers().contains(JavaModifier.PUBLIC)
                          && k.getRawParameterTypes().isEmpty());
      boolean fromConfig = c.tryGetMethod("fromConfig", java.util.Map.class).isPresent();
      if (noArgs || fromConfig) names.add(c.getSimpleName());
    }
    return names;
  }

  /**
   * Public static methods as Keras' snake_case functions ({@code loadModel} is {@code load_model}).
   */
  private static List<String> kerasFunctions(Class<?> c) {
    List<String> names = new ArrayList<>();
    for (Method m : c.getDeclaredMethods()) {
      if (Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers())) {
        names.add(m.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase());
      }
    }
    return names;
  }
}
