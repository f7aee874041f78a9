package jkeras.python;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The project's Python virtual environment as the bridge uses it: where the interpreter, its
 * standard library ({@code PythonHome}), {@code site-packages} and Jep's native library are.
 * Immutable; {@link #discover()} finds it and {@link #check()} explains what is wrong with it.
 *
 * <p>Discovery order for the venv directory: the system property {@value #VENV_PROPERTY}, the
 * environment variable {@value #VENV_ENV}, {@code <jkeras.root>/.venv} when the system property
 * {@value #ROOT_PROPERTY} is set, else the first {@code .venv} found walking up from the working
 * directory. {@code scripts/setup-python.sh} creates it.
 */
public final class PythonEnvironment {
  /** System property naming the venv directory. */
  public static final String VENV_PROPERTY = "jkeras.python.venv";

  /** Environment variable naming the venv directory. */
  public static final String VENV_ENV = "JKERAS_VENV";

  /**
   * System property naming the project root (the directory holding {@code .venv} and {@code
   * python/src}).
   */
  public static final String ROOT_PROPERTY = "jkeras.root";

  private static final String SETUP = "run scripts/setup-python.sh";

  /** A symbol compiled into libjep only when numpy was visible at build time. */
  private static final String NUMPY_SYMBOL = "convert_pyndarray_jobject";

  private final Path venv;
  private final String foundBy;
  private final Path projectRoot;
  private final Map<String, String> cfg;

  private PythonEnvironment(Path venv, String foundBy, Path projectRoot) {
    this.venv = venv.toAbsolutePath().normalize();
    this.foundBy = foundBy;
    this.projectRoot = projectRoot;
    this.cfg = readCfg(this.venv.resolve("pyvenv.cfg"));
  }

  /**
   * Finds the venv by the rules in the class comment; {@link #check()} says whether it is usable.
   */
  public static PythonEnvironment discover() {
    Path root = null;
    String rootProp = System.getProperty(ROOT_PROPERTY);
    if (rootProp != null && !rootProp.isBlank()) root = Path.of(rootProp);
    String prop = System.getProperty(VENV_PROPERTY);
    if (prop != null && !prop.isBlank()) {
      return new PythonEnvironment(Path.of(prop), "system property " + VENV_PROPERTY, root);
    }
    String env = System.getenv(VENV_ENV);
    if (env != null && !env.isBlank()) {
      return new PythonEnvironment(Path.of(env), "environment variable " + VENV_ENV, root);
    }
    if (root != null) {
      return new PythonEnvironment(root.resolve(".venv"), "system property " + ROOT_PROPERTY, root);
    }
    Path cwd = Path.of("").toAbsolutePath();
    for (Path d = cwd; d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve(".venv"))) {
        return new PythonEnvironment(d.resolve(".venv"), "search upward from " + cwd, d);
      }
    }
    return new PythonEnvironment(
        cwd.resolve(".venv"), "default (no .venv found upward from " + cwd + ")", null);
  }

  /** An explicit venv directory; the project's {@code python/src} is looked for beside it. */
  public static PythonEnvironment of(Path venv) {
    return new PythonEnvironment(venv, "explicit path", null);
  }

  /** The venv directory. */
  public Path venv() {
    return venv;
  }

  /** {@code <venv>/bin/python} (the interpreter worker processes run). */
  public Path pythonExecutable() {
    Path p = venv.resolve("bin").resolve("python");
    if (Files.exists(p)) return p;
    Path p3 = venv.resolve("bin").resolve("python3");
    return Files.exists(p3) ? p3 : p;
  }

  /**
   * The base Python prefix (what the embedded interpreter needs as {@code PythonHome} to find its
   * standard library): the parent of pyvenv.cfg's {@code home} directory.
   */
  public Path pythonHome() {
    String home = cfg.get("home");
    if (home == null) return null;
    Path bin = Path.of(home);
    return bin.getParent() == null ? bin : bin.getParent();
  }

  /** {@code major.minor} of the venv's Python, from pyvenv.cfg, or null. */
  public String pythonVersion() {
    String v = cfg.getOrDefault("version", cfg.get("version_info"));
    if (v == null) return null;
    Matcher m = Pattern.compile("^(\\d+)\\.(\\d+)").matcher(v.trim());
    return m.find() ? m.group(1) + "." + m.group(2) : null;
  }

  /** The venv's {@code site-packages} directory (may not exist; see {@link #check()}). */
  public Path sitePackages() {
    String v = pythonVersion();
    if (v != null) {
      Path p = venv.resolve("lib").resolve("python" + v).resolve("site-packages");
      if (Files.isDirectory(p)) return p;
    }
    Path lib = venv.resolve("lib");
    if (Files.isDirectory(lib)) {
      try (Stream<Path> s = Files.list(lib)) {
        for (Path d : (Iterable<Path>) s.sorted()::iterator) {
          Path sp = d.resolve("site-packages");
          if (d.getFileName().toString().startsWith("python") && Files.isDirectory(sp)) return sp;
        }
      } catch (IOException e) {
        // fall through to the conventional path
      }
    }
    return venv.resolve("lib").resolve("python" + (v == null ? "3" : v)).resolve("site-packages");
  }

  /** Jep's native library in the venv ({@code site-packages/jep/libjep.so}). */
  public Path jepLibrary() {
    Path dir = sitePackages().resolve("jep");
    for (String name : List.of("libjep.so", "libjep.jnilib", "libjep.dylib", "jep.dll")) {
      Path p = dir.resolve(name);
      if (Files.exists(p)) return p;
    }
    return dir.resolve("libjep.so");
  }

  /** The installed jep's version ({@code site-packages/jep/version.py}), or null when absent. */
  public String jepVersion() {
    Path v = sitePackages().resolve("jep").resolve("version.py");
    if (!Files.isRegularFile(v)) return null;
    try {
      Matcher m =
          Pattern.compile("__VERSION__\\s*=\\s*['\"]([^'\"]+)['\"]").matcher(Files.readString(v));
      return m.find() ? m.group(1) : null;
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * The Jep jar's version on the Java side (its {@code META-INF/maven/.../pom.properties}), or null
   * when it cannot be told.
   */
  public static String jarVersion() {
    Class<?> jep;
    try {
      jep = Class.forName("jep.Jep", false, PythonEnvironment.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      return null;
    }
    try {
      var src = jep.getProtectionDomain().getCodeSource();
      if (src != null) {
        Path loc = Path.of(src.getLocation().toURI());
        if (Files.isRegularFile(loc)) {
          try (var jar = new java.util.jar.JarFile(loc.toFile())) {
            for (String group : List.of("black.ninia", "org.ninia")) {
              var entry = jar.getEntry("META-INF/maven/" + group + "/jep/pom.properties");
              if (entry != null) {
                try (InputStream in = jar.getInputStream(entry)) {
                  Properties p = new Properties();
                  p.load(in);
                  return p.getProperty("version");
                }
              }
            }
          }
          Matcher m =
              Pattern.compile("jep-(\\d[^/]*)\\.jar$").matcher(loc.getFileName().toString());
          if (m.find()) return m.group(1);
        }
      }
    } catch (IOException | URISyntaxException | SecurityException e) {
      // unknown
    }
    return jep.getPackage() == null ? null : jep.getPackage().getImplementationVersion();
  }

  /**
   * The directories the embedded interpreter puts on {@code sys.path}: the venv's site-packages,
   * then the project's {@code python/src} when it exists (the venv also has jkeras installed
   * editable, so this only matters for a venv without it).
   */
  public List<Path> includePaths() {
    List<Path> paths = new ArrayList<>();
    paths.add(sitePackages());
    Path root = projectRoot != null ? projectRoot : venv.getParent();
    if (root != null) {
      Path src = root.resolve("python").resolve("src");
      if (Files.isDirectory(src.resolve("jkeras"))) paths.add(src.toAbsolutePath().normalize());
    }
    return List.copyOf(paths);
  }

  /**
   * Checks that the bridge can run on this environment.
   *
   * @throws IllegalStateException saying what is missing and what to do: no venv (run
   *     scripts/setup-python.sh or point {@value #VENV_PROPERTY} at one), jep not installed, jep
   *     built without numpy, or a jep whose version differs from the Jep jar's
   */
  public void check() {
    String where = venv + " (found by " + foundBy + ")";
    if (!Files.isDirectory(venv)) {
      throw new IllegalStateException(
          "No Python virtual environment at "
              + where
              + ": "
              + SETUP
              + " to create it, or set -D"
              + VENV_PROPERTY
              + "=<venv dir> (or "
              + VENV_ENV
              + ").");
    }
    if (!Files.isRegularFile(venv.resolve("pyvenv.cfg"))) {
      throw new IllegalStateException(
          "Not a Python virtual environment (no pyvenv.cfg): "
              + where
              + ". "
              + SETUP
              + " to create one, or set -D"
              + VENV_PROPERTY
              + " to a venv directory.");
    }
    Path home = pythonHome();
    if (home == null || !Files.isDirectory(home)) {
      throw new IllegalStateException(
          "The base Python of the virtual environment "
              + where
              + " is missing (pyvenv.cfg home = "
              + cfg.get("home")
              + "). Recreate the venv: "
              + SETUP
              + ".");
    }
    if (!Files.isDirectory(sitePackages())) {
      throw new IllegalStateException(
          "No site-packages directory in the virtual environment "
              + where
              + " (looked for "
              + sitePackages()
              + "). "
              + SETUP
              + ".");
    }
    Path lib = jepLibrary();
    String version = jepVersion();
    if (version == null || !Files.isRegularFile(lib)) {
      throw new IllegalStateException(
          "jep is not installed in the virtual environment "
              + where
              + " (no "
              + lib
              + "). "
              + SETUP
              + " (it builds jep with numpy support), or install it with"
              + " `pip install --no-build-isolation jep=="
              + (jarVersion() == null ? "<jar version>" : jarVersion())
              + "`.");
    }
    if (!containsBytes(lib, NUMPY_SYMBOL)) {
      throw new IllegalStateException(
          "jep in "
              + where
              + " was built without numpy support ("
              + lib
              + " lacks "
              + NUMPY_SYMBOL
              + "): numpy was not visible when it was compiled. Reinstall it: "
              + SETUP
              + ", or `pip install --no-build-isolation --no-cache-dir --force-reinstall jep=="
              + version
              + "` after numpy.");
    }
    String jar = jarVersion();
    if (jar != null && !jar.equals(version)) {
      throw new IllegalStateException(
          "jep version mismatch: the Jep jar on the classpath is "
              + jar
              + " but the venv "
              + where
              + " has jep "
              + version
              + " (native library "
              + lib
              + "). They must be the same version:"
              + " install jep=="
              + jar
              + " in the venv ("
              + SETUP
              + ") or use the jar of jep "
              + version
              + ".");
    }
  }

  private static boolean containsBytes(Path file, String text) {
    byte[] needle = text.getBytes(StandardCharsets.US_ASCII);
    try {
      byte[] hay = Files.readAllBytes(file);
      outer:
      for (int i = 0; i + needle.length <= hay.length; i++) {
        for (int j = 0; j < needle.length; j++) {
          if (hay[i + j] != needle[j]) continue outer;
        }
        return true;
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  private static Map<String, String> readCfg(Path cfg) {
    Map<String, String> m = new LinkedHashMap<>();
    if (!Files.isRegularFile(cfg)) return m;
    try {
      for (String line : Files.readAllLines(cfg)) {
        int eq = line.indexOf('=');
        if (eq > 0) m.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
      }
    } catch (IOException e) {
      // treated as missing
    }
    return m;
  }

  @Override
  public String toString() {
    return "PythonEnvironment[venv="
        + venv
        + ", foundBy="
        + foundBy
        + ", home="
        + pythonHome()
        + ", jep="
        + jepVersion()
        + "]";
  }
}
