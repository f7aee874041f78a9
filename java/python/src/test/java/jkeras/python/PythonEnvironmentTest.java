package jkeras.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Environment discovery and its error messages; never starts Python (this JVM keeps it
 * unconfigured).
 */
@Tag("python")
class PythonEnvironmentTest {
  @TempDir Path tmp;

  @AfterEach
  void clearProperty() {
    System.clearProperty(PythonEnvironment.VENV_PROPERTY);
  }

  private static Path realVenv() {
    return Path.of(System.getProperty(PythonEnvironment.ROOT_PROPERTY, "../..")).resolve(".venv");
  }

  @Test
  void theProjectVenvIsFoundAndUsable() {
    PythonEnvironment env = PythonEnvironment.discover();
    env.check();
    assertThat(env.venv()).isEqualTo(realVenv().toAbsolutePath().normalize());
    assertThat(env.pythonExecutable()).exists();
    assertThat(env.sitePackages().resolve("numpy")).isDirectory();
    assertThat(env.jepLibrary().getFileName().toString()).isEqualTo("libjep.so");
    assertThat(env.jepVersion()).isEqualTo(PythonEnvironment.jarVersion()).isEqualTo("4.2.2");
    assertThat(env.pythonHome().resolve("lib")).isDirectory();
    assertThat(env.includePaths()).first().isEqualTo(env.sitePackages());
  }

  @Test
  void anEmptyDirectoryAsVenvGivesAnActionableMessage() {
    System.setProperty(PythonEnvironment.VENV_PROPERTY, tmp.toString());
    assertThatThrownBy(() -> PythonEnvironment.discover().check())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Not a Python virtual environment (no pyvenv.cfg): " + tmp)
        .hasMessageContaining("found by system property jkeras.python.venv")
        .hasMessageContaining("run scripts/setup-python.sh");
    // The public entry points report the same before touching Python.
    assertThatThrownBy(() -> Python.generator(Fixtures.module("finite_generator", 1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("run scripts/setup-python.sh");
  }

  @Test
  void aMissingVenvSaysHowToCreateOne() {
    System.setProperty(PythonEnvironment.VENV_PROPERTY, tmp.resolve("nowhere").toString());
    assertThatThrownBy(() -> PythonEnvironment.discover().check())
        .hasMessageStartingWith("No Python virtual environment at " + tmp.resolve("nowhere"))
        .hasMessageContaining(
            "run scripts/setup-python.sh to create it, or set -Djkeras.python.venv=<venv dir>");
  }

  /** A venv-shaped directory over the real base Python, with a jep of our making. */
  private Path fakeVenv(String jepVersion, boolean numpySymbol) throws Exception {
    Path real = realVenv();
    Path venv = tmp.resolve("venv");
    Files.createDirectories(venv);
    Files.copy(real.resolve("pyvenv.cfg"), venv.resolve("pyvenv.cfg"));
    String v = PythonEnvironment.of(real).pythonVersion();
    Path site = Files.createDirectories(venv.resolve("lib/python" + v + "/site-packages"));
    if (jepVersion != null) {
      Path jep = Files.createDirectories(site.resolve("jep"));
      Files.writeString(
          jep.resolve("version.py"), "__VERSION__ = '" + jepVersion + "'\nVERSION = __VERSION__\n");
      Files.writeString(
          jep.resolve("libjep.so"),
          "ELF..." + (numpySymbol ? "convert_pyndarray_jobject" : "nothing") + "...");
    }
    return venv;
  }

  @Test
  void jepNotInstalled() throws Exception {
    Path venv = fakeVenv(null, false);
    assertThatThrownBy(() -> PythonEnvironment.of(venv).check())
        .hasMessageStartingWith("jep is not installed in the virtual environment " + venv)
        .hasMessageContaining("run scripts/setup-python.sh");
  }

  @Test
  void jepWithoutNumpy() throws Exception {
    Path venv = fakeVenv("4.2.2", false);
    assertThatThrownBy(() -> PythonEnvironment.of(venv).check())
        .hasMessageContaining("was built without numpy support")
        .hasMessageContaining("--no-build-isolation");
  }

  @Test
  void jepOfAnotherVersionThanTheJar() throws Exception {
    Path venv = fakeVenv("4.3.1", true);
    assertThatThrownBy(() -> PythonEnvironment.of(venv).check())
        .hasMessageStartingWith(
            "jep version mismatch: the Jep jar on the classpath is 4.2.2 but the venv " + venv)
        .hasMessageContaining("has jep 4.3.1");
  }
}
