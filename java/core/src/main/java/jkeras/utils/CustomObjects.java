package jkeras.utils;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keras' custom objects: the names a saved config may use for classes and functions of your own
 * (Keras 2.3.1's {@code get_custom_objects()} and {@code CustomObjectScope}, tf-keras' and Keras
 * 3's {@code register_keras_serializable}). Loading a model looks a name up here (the innermost
 * {@linkplain #scope scope} first, then the global table) before jkeras' built-in names.
 *
 * <p>What a name may stand for: a layer factory ({@code Function<Map<String, Object>, Layer>},
 * taking the layer's Keras config), a {@code Loss}, a {@code Metric}, an {@code Activation}, or a
 * Lambda body ({@code Layers.registerLambda} is the typed way for those).
 *
 * <pre>{@code
 * CustomObjects.register("MyLayer", (Function<Map<String, Object>, Layer>) MyLayer::fromConfig);
 * try (CustomObjects.Scope s = CustomObjects.scope(Map.of("my_loss", Losses.custom("my_loss", fn)))) {
 *   Model m = Models.loadModel(path);
 * }
 * }</pre>
 */
public final class CustomObjects {
  private CustomObjects() {}

  private static final Map<String, Object> GLOBAL = new ConcurrentHashMap<>();
  private static final ThreadLocal<Deque<Map<String, Object>>> SCOPES =
      ThreadLocal.withInitial(ArrayDeque::new);

  /**
   * Adds {@code object} under {@code name} to the global table (Keras' {@code
   * get_custom_objects()[name] = obj}).
   */
  public static void register(String name, Object object) {
    if (name == null || name.isEmpty())
      throw jkeras.internal.Errors.invalidArgument("name", "a non-empty name", name);
    GLOBAL.put(name, object);
  }

  /**
   * tf-keras' and Keras 3's {@code register_keras_serializable(package, name)}: registers {@code
   * object} as {@code "<package>><name>"} (how those versions write it in configs) and as {@code
   * name}.
   */
  public static void registerKerasSerializable(String pkg, String name, Object object) {
    register(pkg + ">" + name, object);
    register(name, object);
  }

  /** The global table, a live view (Keras' {@code get_custom_objects()}). */
  public static Map<String, Object> getCustomObjects() {
    return GLOBAL;
  }

  /**
   * The object registered as {@code name}: from the innermost open scope of this thread, else the
   * global table; null if none.
   */
  public static Object get(String name) {
    if (name == null) return null;
    for (Map<String, Object> s : SCOPES.get()) {
      if (s.containsKey(name)) return s.get(name);
    }
    return GLOBAL.get(name);
  }

  /** Every name visible from this thread (scopes, then the global table). */
  public static Map<String, Object> visible() {
    Map<String, Object> all = new LinkedHashMap<>(GLOBAL);
    var it = SCOPES.get().descendingIterator();
    while (it.hasNext()) all.putAll(it.next());
    return Collections.unmodifiableMap(all);
  }

  /**
   * Keras' {@code CustomObjectScope(objects)}: {@code objects} are visible on this thread until the
   * scope is closed.
   */
  public static Scope scope(Map<String, ?> objects) {
    Deque<Map<String, Object>> d = SCOPES.get();
    Map<String, Object> m = new LinkedHashMap<>(objects);
    d.push(m);
    return new Scope(m);
  }

  /** An open {@link #scope}; closing it (try-with-resources) removes its objects. */
  public static final class Scope implements AutoCloseable {
    private final Map<String, Object> objects;
    private boolean closed;

    private Scope(Map<String, Object> objects) {
      this.objects = objects;
    }

    @Override
    public void close() {
      if (closed) return;
      closed = true;
      SCOPES.get().removeFirstOccurrence(objects);
    }
  }
}
