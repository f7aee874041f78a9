package jkeras.saving;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import jkeras.data.NDArray;
import jkeras.models.Model;
import jkeras.models.Models;
import jkeras.models.Sequential;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM saves a model over and over; it is killed in the middle of a save, and the file under
 * the destination's name is still the previous, complete one.
 */
@Tag("native")
class KillDuringSaveTest {
  @TempDir Path dir;

  /** The child: trains briefly, then saves to {@code args[0]} forever, announcing each save. */
  public static final class Saver {
    public static void main(String[] args) throws Exception {
      Path p = Path.of(args[0]);
      try (Sequential m = SavingTest.model()) {
        m.fit(SavingTest.x(), SavingTest.y(), SavingTest.epochs(1));
        for (int i = 0; ; i++) {
          System.out.println("begin " + i);
          System.out.flush();
          m.save(p);
          System.out.println("saved " + i);
          System.out.flush();
        }
      }
    }
  }

  @Test
  void aSaveKilledMidwayLeavesThePreviousFileIntact() throws Exception {
    Path p = dir.resolve("m.h5");
    Path reference = dir.resolve("reference.h5");
    Process child = start(p);
    boolean sawTemporary = false;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null && !line.equals("saved 0")) {}
      assertThat(line).as("the child's first save").isEqualTo("saved 0");
      Files.copy(p, reference);
      // Watch for the next save's temporary file and kill the child while it is being written.
      // 60 s only guard a hang: on a loaded machine a save can take seconds.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!sawTemporary && System.nanoTime() < deadline) {
        try (var files = Files.list(dir)) {
          sawTemporary = files.anyMatch(f -> f.getFileName().toString().startsWith(".m.h5.tmp-"));
        }
      }
      child.destroyForcibly();
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the child ended").isTrue();
    }
    assertThat(sawTemporary).as("a save was under way when the child was killed").isTrue();
    NDArray expected;
    try (Model m = Models.loadModel(reference)) {
      expected = m.predict(SavingTest.x());
    }
    try (Model m = Models.loadModel(p)) {
      assertThat(m.compiled()).isTrue();
      assertThat(m.predict(SavingTest.x()).floatsView()).containsExactly(expected.floatsView());
    }
    // Nothing but the file, the reference copy and at most one hidden temporary file of the killed
    // save.
    try (var files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .allMatch(
              n -> n.equals("m.h5") || n.equals("reference.h5") || n.startsWith(".m.h5.tmp-"));
    }
  }

  /** A JVM on this test's class path and module path, running {@link Saver}. */
  private static Process start(Path target) throws Exception {
    Set<String> path = new LinkedHashSet<>();
    for (String key : List.of("jdk.module.path", "java.class.path")) {
      String v = System.getProperty(key);
      if (v != null && !v.isEmpty()) path.addAll(List.of(v.split(File.pathSeparator)));
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String cache = System.getProperty("org.bytedeco.javacpp.cachedir");
    if (cache != null) cmd.add("-Dorg.bytedeco.javacpp.cachedir=" + cache);
    cmd.add("-cp");
    cmd.add(String.join(File.pathSeparator, path));
    cmd.add(Saver.class.getName());
    cmd.add(target.toString());
    return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }
}
