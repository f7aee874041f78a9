package jkeras;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import jkeras.trainers.CompileOptions;
import jkeras.trainers.EvaluateOptions;
import jkeras.trainers.FitOptions;
import jkeras.trainers.PredictOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** docs/NAMING.md lists every option builder method, and every method it lists exists. */
class NamingTest {
  private static final Path NAMING =
      Path.of(System.getProperty("jkeras.root", "../.."), "docs", "NAMING.md");

  static Stream<Class<?>> builders() {
    return Stream.of(
        CompileOptions.Builder.class,
        FitOptions.Builder.class,
        EvaluateOptions.Builder.class,
        PredictOptions.Builder.class,
        jkeras.preprocessing.image.ImageDataGenerator.Builder.class,
        jkeras.preprocessing.image.FlowOptions.Builder.class,
        jkeras.preprocessing.image.DirectoryOptions.Builder.class);
  }

  @ParameterizedTest
  @MethodSource("builders")
  void everyBuilderMethodIsInTheNamingTable(Class<?> builder) throws Exception {
    String doc = Files.readString(NAMING);
    for (Method m : builder.getDeclaredMethods()) {
      if (!Modifier.isPublic(m.getModifiers()) || m.getName().equals("build") || m.isSynthetic())
        continue;
      assertThat(doc)
          .as("docs/NAMING.md mentions %s.%s", builder.getName(), m.getName())
          .contains(m.getName() + "(");
    }
  }

  @ParameterizedTest
  @MethodSource("builders")
  void everyBuilderMethodInTheTableExists(Class<?> builder) throws Exception {
    String doc = Files.readString(NAMING);
    String prefix = builder.getEnclosingClass().getSimpleName() + ".builder()";
    int at = doc.indexOf(prefix);
    if (at < 0) return;
    String line = doc.substring(at, doc.indexOf('\n', at));
    java.util.regex.Matcher mm =
        java.util.regex.Pattern.compile("\\.([a-z][A-Za-z]*)\\(")
            .matcher(line.substring(prefix.length()));
    while (mm.find()) {
      String name = mm.group(1);
      assertThat(Stream.of(builder.getMethods()).anyMatch(m -> m.getName().equals(name)))
          .as("%s has a method %s", builder.getName(), name)
          .isTrue();
    }
  }
}
