package jkeras.python;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to build a Python data source, in a form any process can rebuild: a callable named by module
 * (importable from {@code paths}) or by {@code .py} file, called with JSON-compatible arguments.
 * The in-process bridge and the worker processes both build sources from it.
 *
 * @param module the module to import (e.g. {@code "my_data"}), or null when {@code file} is given
 * @param file a {@code .py} file to load, or null when {@code module} is given
 * @param attribute the callable in it: a generator function, a Sequence class or a factory
 * @param args positional arguments (JSON-compatible: numbers, strings, booleans, lists, maps, null;
 *     a {@link Path} arrives as its path string, {@code path.toString()})
 * @param kwargs keyword arguments (JSON-compatible)
 * @param paths extra directories put on {@code sys.path} first; when {@code module} cannot be
 *     found, the error lists these and the rest of {@code sys.path}
 */
public record PythonSource(
    String module,
    Path file,
    String attribute,
    List<Object> args,
    Map<String, Object> kwargs,
    List<Path> paths) {
  public PythonSource {
    if ((module == null) == (file == null)) {
      throw new IllegalArgumentException(
          "Give exactly one of `module` and `file`. Received: module=" + module + ", file=" + file);
    }
    Objects.requireNonNull(attribute, "attribute");
    args =
        args == null
            ? List.of()
            : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(args));
    kwargs =
        kwargs == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(kwargs));
    paths = paths == null ? List.of() : List.copyOf(paths);
  }

  /** {@code module.attribute(*args)}. */
  public static PythonSource fromModule(String module, String attribute, Object... args) {
    return new PythonSource(module, null, attribute, List.of(args), Map.of(), List.of());
  }

  /** {@code attribute(*args)} from a {@code .py} file. */
  public static PythonSource fromFile(Path file, String attribute, Object... args) {
    return new PythonSource(null, file, attribute, List.of(args), Map.of(), List.of());
  }

  /** The same source with {@code dirs} added to {@code sys.path}. */
  public PythonSource withPaths(Path... dirs) {
    List<Path> p = new java.util.ArrayList<>(paths);
    p.addAll(List.of(dirs));
    return new PythonSource(module, file, attribute, args, kwargs, p);
  }

  /** The same source with keyword arguments. */
  public PythonSource withKwargs(Map<String, Object> kw) {
    return new PythonSource(module, file, attribute, args, kw, paths);
  }
}
