package jkeras.legacy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jkeras.callbacks.Callback;
import jkeras.data.ArrayData;
import jkeras.data.Batch;
import jkeras.data.NDArray;
import jkeras.models.EvaluateOptions;
import jkeras.models.FitOptions;
import jkeras.models.PredictOptions;
import jkeras.utils.BatchSized;
import jkeras.internal.Errors;
import jkeras.utils.Sequence;
import jkeras.internal.Warnings;

/**
 * The keyword form of Keras 2.3.1's {@code fit_generator}, {@code evaluate_generator} and {@code
 * predict_generator}: {@code (*args, **kwargs)} as a list and an (insertion-ordered) map, resolved
 * to the generator and an options object. This is what code ported from Python and the Python
 * bridge call; Java code uses the options builders directly.
 *
 * <p>A call goes through the same steps as in Keras 2.3.1 (its {@code
 * legacy_generator_methods_support} decorator, identical in 2.2.4, then Python's argument binding):
 *
 * <ol>
 *   <li>Only when fewer than 2 positional arguments were given, {@code samples_per_epoch} is
 *       removed and becomes {@code steps_per_epoch}: {@code samples_per_epoch // batchSize()} when
 *       the generator is {@link BatchSized}, the value unchanged otherwise. It silently replaces a
 *       {@code steps_per_epoch} keyword.
 *   <li>If any of {@code samples_per_epoch, val_samples, nb_epoch, nb_val_samples, nb_worker} is
 *       still there, the "semantics" warning {@link #SEMANTICS_WARNING} is emitted.
 *   <li>More than 3 positional arguments: an error.
 *   <li>Renames, with no change of value: {@code samples_per_epoch -> steps_per_epoch}, {@code
 *       val_samples -> steps}, {@code nb_epoch -> epochs}, {@code nb_val_samples ->
 *       validation_steps} (not divided by a batch size), {@code nb_worker -> workers}, {@code
 *       pickle_safe -> use_multiprocessing}, {@code max_q_size -> max_queue_size}. A legacy name
 *       given with its new name is an error. The renamed keyword moves to the end of the map.
 *   <li>If anything was converted, the warning "Update your `fit_generator` call to the Keras 2
 *       API: `fit_generator(...)`" shows the call as it now reads: each value as Python's {@code
 *       str()} cut to 10 characters plus {@code ...}, arrays as {@code array}, strings in double
 *       quotes and never cut.
 *   <li>Binding to the method's parameters: an unknown keyword, or a keyword that repeats a
 *       positional argument, is an error with Python's wording; so is a missing generator. A
 *       legacy name that does not belong to the method (e.g. {@code val_samples} for {@code
 *       fit_generator}) fails here under its new name, as in Keras.
 * </ol>
 *
 * <p>Then every value is type-checked and put on the options builder. Integers may be any {@link
 * Number} with an integral value; "None" is {@code null} and is accepted only where Keras' default
 * is {@code None}. Warnings go through {@link Warnings#warn}. Every error is an {@link
 * IllegalArgumentException}, whose message is Keras' (or Python's) text where Keras raises one.
 *
 * <p>The Python {@code str()} of Java values is approximated: {@code null} is {@code None},
 * booleans {@code True}/{@code False}, floats follow Python's {@code repr}, lists {@code [..]},
 * {@code Object[]} tuples {@code (..)}, maps {@code {..}}, arrays nested in containers {@code
 * array(...)}, and any other object its {@code toString()}. Give the keywords as a {@link
 * LinkedHashMap} in call order for the warning text to match Python's.
 */
public final class GeneratorMethods {
  /** Keras 2.3.1 {@code evaluate_generator(verbose=0)}: unlike {@code evaluate}, silent by default. */
  public static final int EVALUATE_GENERATOR_VERBOSE_DEFAULT = 0;
  /** Keras 2.3.1 {@code predict_generator(verbose=0)}. */
  public static final int PREDICT_GENERATOR_VERBOSE_DEFAULT = 0;

  /** Keras' warning when a Keras 1 argument whose meaning changed is used. */
  public static final String SEMANTICS_WARNING =
      "The semantics of the Keras 2 argument `steps_per_epoch` is not the same as the Keras 1"
          + " argument `samples_per_epoch`. `steps_per_epoch` is the number of batches to draw from"
          + " the generator at each epoch. Basically steps_per_epoch = samples_per_epoch/batch_size."
          + " Similarly `nb_val_samples`->`validation_steps` and `val_samples`->`steps` arguments"
          + " have changed. Update your method calls accordingly.";

  /** The decorator's nominal positional names, the same for all three methods. */
  private static final List<String> ALLOWED_POSITIONAL = List.of("generator", "steps_per_epoch", "epochs");

  /** Keras 1 names whose presence triggers {@link #SEMANTICS_WARNING}. */
  private static final Set<String> KERAS1_ARGS =
      Set.of("samples_per_epoch", "val_samples", "nb_epoch", "nb_val_samples", "nb_worker");

  /** (legacy, Keras 2) pairs, in the decorator's order (which decides the warning's keyword order). */
  private static final List<String[]> CONVERSIONS =
      List.of(
          new String[] {"samples_per_epoch", "steps_per_epoch"},
          new String[] {"val_samples", "steps"},
          new String[] {"nb_epoch", "epochs"},
          new String[] {"nb_val_samples", "validation_steps"},
          new String[] {"nb_worker", "workers"},
          new String[] {"pickle_safe", "use_multiprocessing"},
          new String[] {"max_q_size", "max_queue_size"});

  /** Keras 2.3.1 {@code fit_generator}'s parameters, in order. */
  private static final List<String> FIT_PARAMS =
      List.of(
          "generator", "steps_per_epoch", "epochs", "verbose", "callbacks", "validation_data",
          "validation_steps", "validation_freq", "class_weight", "max_queue_size", "workers",
          "use_multiprocessing", "shuffle", "initial_epoch");

  /** Keras 2.3.1 {@code evaluate_generator}'s and {@code predict_generator}'s parameters, in order. */
  private static final List<String> EVALUATE_PARAMS =
      List.of("generator", "steps", "callbacks", "max_queue_size", "workers", "use_multiprocessing", "verbose");

  private static final String VALIDATION_DATA_ERROR =
      "`validation_data` should be a tuple `(val_x, val_y, val_sample_weight)` or `(val_x, val_y)`. Found: ";

  private GeneratorMethods() {}

  /** What a {@code fit_generator} keyword call resolves to. */
  public record FitCall(Object generator, FitOptions options) {}

  /** What an {@code evaluate_generator} keyword call resolves to. */
  public record EvaluateCall(Object generator, EvaluateOptions options) {}

  /** What a {@code predict_generator} keyword call resolves to. */
  public record PredictCall(Object generator, PredictOptions options) {}

  /**
   * Keras 2.3.1 {@code fit_generator(*args, **kwargs)}. Positional arguments (at most 3): {@code
   * generator, steps_per_epoch, epochs}. Keywords and defaults: {@code generator} (a {@link
   * Sequence} or an {@link Iterator}, required), {@code steps_per_epoch=None}, {@code epochs=1},
   * {@code verbose=1}, {@code callbacks=None} (a {@code List<Callback>}), {@code
   * validation_data=None} (a Sequence, an Iterator, a {@link Batch}, or a List/Object[] {@code (x,
   * y)} or {@code (x, y, sample_weight)} of NDArray / List&lt;NDArray&gt; / Map&lt;String,
   * NDArray&gt;, the weights one NDArray; an empty tuple or an empty Sequence means none, as Python's
   * truth test does), {@code validation_steps=None}, {@code validation_freq=1} (an int or a
   * collection of epochs), {@code class_weight=None} (a Map from class index, a Number or a
   * numeric String, to a Number), {@code max_queue_size=10}, {@code workers=1}, {@code
   * use_multiprocessing=False}, {@code shuffle=True}, {@code initial_epoch=0}; and the legacy
   * names listed on the class.
   *
   * @param args the positional arguments, first the generator; may be null or empty when the
   *     generator is the {@code generator} keyword
   * @param kwargs the keyword arguments by Keras name; may be null
   * @throws IllegalArgumentException with Keras' or Python's text for what they reject, or naming
   *     the argument and what was received for a value of the wrong type
   */
  public static FitCall fitGenerator(List<?> args, Map<String, ?> kwargs) {
    Map<String, Object> a = bind("fit_generator", FIT_PARAMS, args, kwargs);
    Object generator = generator(a.get("generator"));
    FitOptions.Builder b = FitOptions.builder();
    if (a.containsKey("steps_per_epoch")) b.stepsPerEpoch(optInt("steps_per_epoch", a.get("steps_per_epoch")));
    if (a.containsKey("epochs")) b.epochs(toInt("epochs", a.get("epochs")));
    if (a.containsKey("verbose")) b.verbose(verbose(a.get("verbose")));
    if (a.get("callbacks") != null) b.callbacks(callbacks(a.get("callbacks")));
    if (a.get("validation_data") != null) validationData(b, a.get("validation_data"));
    if (a.containsKey("validation_steps")) b.validationSteps(optInt("validation_steps", a.get("validation_steps")));
    if (a.containsKey("validation_freq")) validationFreq(b, a.get("validation_freq"));
    if (a.get("class_weight") != null) b.classWeight(classWeight(a.get("class_weight")));
    if (a.containsKey("max_queue_size")) b.maxQueueSize(toInt("max_queue_size", a.get("max_queue_size")));
    if (a.containsKey("workers")) b.workers(toInt("workers", a.get("workers")));
    if (a.containsKey("use_multiprocessing")) b.useMultiprocessing(toBool("use_multiprocessing", a.get("use_multiprocessing")));
    if (a.containsKey("shuffle")) b.shuffle(toBool("shuffle", a.get("shuffle")));
    if (a.containsKey("initial_epoch")) b.initialEpoch(toInt("initial_epoch", a.get("initial_epoch")));
    return new FitCall(generator, b.build());
  }

  /**
   * Keras 2.3.1 {@code evaluate_generator(*args, **kwargs)}. Positional arguments (at most 3):
   * {@code generator, steps, callbacks}. Keywords and defaults: {@code generator} (a {@link
   * Sequence} or an {@link Iterator}, required), {@code steps=None}, {@code callbacks=None}, {@code
   * max_queue_size=10}, {@code workers=1}, {@code use_multiprocessing=False}, {@code verbose=0}
   * ({@link #EVALUATE_GENERATOR_VERBOSE_DEFAULT}); and the legacy names {@code val_samples,
   * nb_worker, pickle_safe, max_q_size}.
   *
   * @throws IllegalArgumentException as {@link #fitGenerator}
   */
  public static EvaluateCall evaluateGenerator(List<?> args, Map<String, ?> kwargs) {
    Map<String, Object> a = bind("evaluate_generator", EVALUATE_PARAMS, args, kwargs);
    Object generator = generator(a.get("generator"));
    EvaluateOptions.Builder b = EvaluateOptions.builder().verbose(EVALUATE_GENERATOR_VERBOSE_DEFAULT);
    if (a.containsKey("steps")) b.steps(optInt("steps", a.get("steps")));
    if (a.get("callbacks") != null) b.callbacks(callbacks(a.get("callbacks")));
    if (a.containsKey("max_queue_size")) b.maxQueueSize(toInt("max_queue_size", a.get("max_queue_size")));
    if (a.containsKey("workers")) b.workers(toInt("workers", a.get("workers")));
    if (a.containsKey("use_multiprocessing")) b.useMultiprocessing(toBool("use_multiprocessing", a.get("use_multiprocessing")));
    if (a.containsKey("verbose")) b.verbose(verbose(a.get("verbose")));
    return new EvaluateCall(generator, b.build());
  }

  /**
   * Keras 2.3.1 {@code predict_generator(*args, **kwargs)}: the same arguments, defaults and legacy
   * names as {@link #evaluateGenerator}, {@code verbose=0} ({@link
   * #PREDICT_GENERATOR_VERBOSE_DEFAULT}).
   *
   * @throws IllegalArgumentException as {@link #fitGenerator}
   */
  public static PredictCall predictGenerator(List<?> args, Map<String, ?> kwargs) {
    Map<String, Object> a = bind("predict_generator", EVALUATE_PARAMS, args, kwargs);
    Object generator = generator(a.get("generator"));
    PredictOptions.Builder b = PredictOptions.builder().verbose(PREDICT_GENERATOR_VERBOSE_DEFAULT);
    if (a.containsKey("steps")) b.steps(optInt("steps", a.get("steps")));
    if (a.get("callbacks") != null) b.callbacks(callbacks(a.get("callbacks")));
    if (a.containsKey("max_queue_size")) b.maxQueueSize(toInt("max_queue_size", a.get("max_queue_size")));
    if (a.containsKey("workers")) b.workers(toInt("workers", a.get("workers")));
    if (a.containsKey("use_multiprocessing")) b.useMultiprocessing(toBool("use_multiprocessing", a.get("use_multiprocessing")));
    if (a.containsKey("verbose")) b.verbose(verbose(a.get("verbose")));
    return new PredictCall(generator, b.build());
  }

  // ---- the decorator and Python's binding ----

  /** Runs the legacy conversion, then binds to {@code params}; returns the arguments given, by name. */
  private static Map<String, Object> bind(String method, List<String> params, List<?> args, Map<String, ?> kwargs) {
    List<Object> positional = args == null ? List.of() : new ArrayList<>(args);
    Map<String, Object> kw = new LinkedHashMap<>();
    if (kwargs != null) {
      for (Map.Entry<String, ?> e : kwargs.entrySet()) {
        if (e.getKey() == null) throw new IllegalArgumentException(method + "() keywords must be strings");
        kw.put(e.getKey(), e.getValue());
      }
    }
    boolean converted = false;

    // Keras counts `self`: its `len(args) < 3` is "steps_per_epoch not given positionally".
    if (positional.size() < 2 && kw.containsKey("samples_per_epoch")) {
      Object samples = kw.remove("samples_per_epoch");
      Object generator;
      if (!positional.isEmpty()) {
        generator = positional.get(0);
      } else if (kw.containsKey("generator")) {
        generator = kw.get("generator");
      } else {
        throw missingGenerator(method); // Keras: KeyError('generator')
      }
      // LinkedHashMap.put keeps an existing steps_per_epoch where it was, as a Python dict does.
      kw.put("steps_per_epoch", generator instanceof BatchSized s ? floorDiv(samples, s.batchSize()) : samples);
      converted = true;
    }
    for (String key : kw.keySet()) {
      if (KERAS1_ARGS.contains(key)) {
        Warnings.warn(SEMANTICS_WARNING);
        break;
      }
    }
    if (positional.size() > ALLOWED_POSITIONAL.size()) {
      throw new IllegalArgumentException(
          "`" + method + "` can accept only " + ALLOWED_POSITIONAL.size() + " positional arguments "
              + pyRepr(ALLOWED_POSITIONAL.toArray()) + ", but you passed the following positional arguments: "
              + pyRepr(positional));
    }
    for (String[] c : CONVERSIONS) {
      String legacy = c[0];
      String current = c[1];
      if (kw.containsKey(legacy)) {
        Object value = kw.remove(legacy);
        if (kw.containsKey(current)) {
          throw new IllegalArgumentException(
              "For the `" + current + "` argument, the layer received both the legacy keyword argument `"
                  + legacy + "` and the Keras 2 keyword argument `" + current + "`. Stick to the latter!");
        }
        kw.put(current, value);
        converted = true;
      }
    }
    if (converted) Warnings.warn("Update your `" + method + "` call to the Keras 2 API: " + signature(method, positional, kw));

    // Python binds keywords in the order given; the first bad one is reported.
    for (String key : kw.keySet()) {
      int index = params.indexOf(key);
      if (index < 0) {
        throw new IllegalArgumentException(method + "() got an unexpected keyword argument '" + key + "'");
      }
      if (index < positional.size()) {
        throw new IllegalArgumentException(method + "() got multiple values for argument '" + key + "'");
      }
    }
    Map<String, Object> bound = new LinkedHashMap<>();
    for (int i = 0; i < positional.size(); i++) bound.put(params.get(i), positional.get(i));
    bound.putAll(kw);
    if (!bound.containsKey("generator")) throw missingGenerator(method);
    return bound;
  }

  private static IllegalArgumentException missingGenerator(String method) {
    return new IllegalArgumentException(method + "() missing 1 required positional argument: 'generator'");
  }

  /** Python's {@code samples_per_epoch // generator.batch_size}. */
  private static Object floorDiv(Object samples, int batchSize) {
    if (isIntegerType(samples)) {
      if (batchSize == 0) throw new IllegalArgumentException("integer division or modulo by zero (samples_per_epoch // batchSize())");
      return Math.floorDiv(((Number) samples).longValue(), (long) batchSize);
    }
    if (samples instanceof Number n) {
      if (batchSize == 0) throw new IllegalArgumentException("float floor division by zero (samples_per_epoch // batchSize())");
      return Math.floor(n.doubleValue() / batchSize); // a float, as in Python
    }
    throw typeError("samples_per_epoch", "a number", samples);
  }

  /** The decorator's rendering of the converted call. */
  private static String signature(String method, List<Object> positional, Map<String, Object> kw) {
    StringBuilder s = new StringBuilder("`").append(method).append('(');
    for (int i = 0; i < positional.size(); i++) {
      s.append(shortValue(positional.get(i)));
      if (i < positional.size() - 1 || !kw.isEmpty()) s.append(", ");
    }
    int i = 0;
    for (Map.Entry<String, Object> e : kw.entrySet()) {
      s.append(e.getKey()).append('=').append(shortValue(e.getValue()));
      if (i++ < kw.size() - 1) s.append(", ");
    }
    return s.append(")`").toString();
  }

  private static String shortValue(Object value) {
    if (value instanceof CharSequence cs) return "\"" + cs + "\"";
    String str = value instanceof NDArray ? "array" : pyStr(value);
    return str.length() > 10 ? str.substring(0, 10) + "..." : str;
  }

  // ---- values ----

  private static Object generator(Object g) {
    if (g instanceof Sequence || g instanceof Iterator<?>) return g;
    throw typeError("generator", "a jkeras.utils.Sequence or a java.util.Iterator of batches", g);
  }

  private static void validationData(FitOptions.Builder b, Object v) {
    if (v instanceof Sequence s) {
      if (s.size() > 0) b.validationData(s); // Keras: bool(validation_data) is False for len 0
      return;
    }
    if (v instanceof Iterator<?> it) {
      b.validationData(it);
      return;
    }
    Batch batch;
    if (v instanceof Batch given) {
      batch = given;
    } else {
      List<?> parts = v instanceof List<?> l ? l : v instanceof Object[] arr ? Arrays.asList(arr) : null;
      if (parts == null || (parts.size() != 0 && parts.size() != 2 && parts.size() != 3)) {
        throw new IllegalArgumentException(VALIDATION_DATA_ERROR + Errors.truncate(pyStr(v)));
      }
      if (parts.isEmpty()) return; // an empty tuple is falsy: no validation
      if (parts.get(0) == null || parts.get(1) == null) {
        throw new IllegalArgumentException(VALIDATION_DATA_ERROR + Errors.truncate(pyStr(v)));
      }
      try {
        batch = Batch.from(parts);
      } catch (IllegalArgumentException e) {
        throw typeError(
            "validation_data", "a tuple (val_x, val_y[, val_sample_weight]) whose elements are NDArray,"
                + " List<NDArray> or Map<String, NDArray>", v);
      }
    }
    if (batch.y() == null) throw new IllegalArgumentException(VALIDATION_DATA_ERROR + Errors.truncate(pyStr(v)));
    ArrayData sw = batch.sampleWeight();
    if (sw != null && !(sw instanceof NDArray)) {
      // FitOptions holds one weight array; per-output weights would need FitOptions to take ArrayData.
      throw typeError("validation_data", "a val_sample_weight that is one NDArray (per-output weights are not supported)", v);
    }
    b.validationData(batch.x(), batch.y(), (NDArray) sw);
  }

  private static void validationFreq(FitOptions.Builder b, Object v) {
    if (v instanceof Number && !(v instanceof Boolean)) {
      Integer freq = integral(v);
      if (freq != null) {
        b.validationFreq(freq); // throws Keras' "`validation_freq` can not be less than 1."
        return;
      }
    }
    List<?> items = null;
    if (v instanceof Collection<?> c) items = new ArrayList<>(c);
    else if (v instanceof Object[] arr) items = Arrays.asList(arr);
    else if (v instanceof int[] ints) items = Arrays.stream(ints).boxed().toList();
    if (items == null) {
      throw new IllegalArgumentException(
          "`validation_freq` must be an Integer or `collections.Container` (e.g. list, tuple, etc.)");
    }
    List<Integer> epochs = new ArrayList<>();
    for (Object item : items) {
      Integer epoch = item instanceof Number && !(item instanceof Boolean) ? integral(item) : null;
      if (epoch == null) throw typeError("validation_freq", "an integer or a collection of integer epochs", v);
      epochs.add(epoch);
    }
    b.validationFreq(epochs);
  }

  private static Map<Integer, Double> classWeight(Object v) {
    String expected = "a dict from class index (an integer) to weight (a number)";
    if (!(v instanceof Map<?, ?> m)) throw typeError("class_weight", expected, v);
    Map<Integer, Double> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      Integer cls = null;
      if (e.getKey() instanceof Number && !(e.getKey() instanceof Boolean)) {
        cls = integral(e.getKey());
      } else if (e.getKey() instanceof String s) {
        try {
          cls = Integer.valueOf(s.trim());
        } catch (NumberFormatException ignored) {
          // reported below
        }
      }
      if (cls == null || !(e.getValue() instanceof Number) || e.getValue() instanceof Boolean) {
        throw typeError("class_weight", expected, v);
      }
      if (out.put(cls, ((Number) e.getValue()).doubleValue()) != null) {
        throw typeError("class_weight", expected + ", each class once", v);
      }
    }
    return out;
  }

  private static List<Callback> callbacks(Object v) {
    List<?> items = v instanceof List<?> l ? l : v instanceof Object[] arr ? Arrays.asList(arr) : null;
    if (items == null) throw typeError("callbacks", "a list of jkeras.callbacks.Callback", v);
    List<Callback> out = new ArrayList<>();
    for (Object item : items) {
      if (!(item instanceof Callback c)) throw typeError("callbacks", "a list of jkeras.callbacks.Callback", v);
      out.add(c);
    }
    return out;
  }

  /** Keras tests {@code verbose} for truth and compares it with 1 and 2, so a Python bool works too. */
  private static int verbose(Object v) {
    if (v instanceof Boolean flag) return flag ? 1 : 0;
    return toInt("verbose", v);
  }

  private static Integer optInt(String name, Object v) {
    return v == null ? null : toInt(name, v);
  }

  private static int toInt(String name, Object v) {
    Integer i = v instanceof Number && !(v instanceof Boolean) ? integral(v) : null;
    if (i == null) throw typeError(name, "an integer", v);
    return i;
  }

  private static boolean toBool(String name, Object v) {
    if (v instanceof Boolean flag) return flag;
    throw typeError(name, "a boolean", v);
  }

  private static boolean isIntegerType(Object v) {
    return v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte || v instanceof BigInteger;
  }

  /** The value as an int when it is a whole number in int range, else null. */
  private static Integer integral(Object v) {
    if (v instanceof BigInteger big) return big.bitLength() < 32 ? big.intValue() : null;
    if (isIntegerType(v)) {
      long l = ((Number) v).longValue();
      return l == (int) l ? (int) l : null;
    }
    double d = ((Number) v).doubleValue();
    return d == Math.rint(d) && d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE ? (int) d : null;
  }

  private static IllegalArgumentException typeError(String name, String expected, Object received) {
    String type = received == null ? "NoneType" : received.getClass().getName();
    return Errors.invalidArgument(name, expected, Errors.truncate(pyRepr(received)) + " (" + type + ")");
  }

  // ---- Python's str() and repr() of Java values ----

  /** Python's {@code str(value)}: as {@link #pyRepr} except that strings are bare. */
  static String pyStr(Object value) {
    return value instanceof CharSequence cs ? cs.toString() : pyRepr(value);
  }

  /** Python's {@code repr(value)} for the Java forms of Python values (see the class Javadoc). */
  static String pyRepr(Object value) {
    if (value == null) return "None";
    if (value instanceof Boolean b) return b ? "True" : "False";
    if (value instanceof CharSequence cs) return quote(cs.toString());
    if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
      return pyFloat(((Number) value).doubleValue());
    }
    if (value instanceof Number n) return n.toString();
    if (value instanceof NDArray) return "array(...)";
    if (value instanceof List<?> l) return join(l, "[", "]");
    if (value instanceof Object[] arr) {
      return arr.length == 1 ? "(" + pyRepr(arr[0]) + ",)" : join(Arrays.asList(arr), "(", ")");
    }
    if (value instanceof Set<?> s) return s.isEmpty() ? "set()" : join(s, "{", "}");
    if (value instanceof Map<?, ?> m) {
      StringBuilder sb = new StringBuilder("{");
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) sb.append(", ");
        first = false;
        sb.append(pyRepr(e.getKey())).append(": ").append(pyRepr(e.getValue()));
      }
      return sb.append('}').toString();
    }
    return value.toString();
  }

  private static String join(Collection<?> items, String open, String close) {
    StringBuilder sb = new StringBuilder(open);
    boolean first = true;
    for (Object item : items) {
      if (!first) sb.append(", ");
      first = false;
      sb.append(pyRepr(item));
    }
    return sb.append(close).toString();
  }

  /** Python's string repr: single quotes unless the text holds a single quote and no double one. */
  private static String quote(String s) {
    char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
    StringBuilder sb = new StringBuilder().append(q);
    for (char c : s.toCharArray()) {
      if (c == '\\') sb.append("\\\\");
      else if (c == '\n') sb.append("\\n");
      else if (c == '\r') sb.append("\\r");
      else if (c == '\t') sb.append("\\t");
      else if (c == q) sb.append('\\').append(c);
      else sb.append(c);
    }
    return sb.append(q).toString();
  }

  /** Python's float repr: shortest digits, positional for exponents -4..15, else {@code 1e-05}. */
  static String pyFloat(double d) {
    if (Double.isNaN(d)) return "nan";
    if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
    if (d == 0) return (1 / d < 0) ? "-0.0" : "0.0";
    BigDecimal x = new BigDecimal(Double.toString(d)).stripTrailingZeros();
    int exponent = x.precision() - x.scale() - 1;
    if (exponent >= -4 && exponent < 16) {
      String plain = x.toPlainString();
      return plain.contains(".") ? plain : plain + ".0";
    }
    String digits = x.unscaledValue().abs().toString();
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    String exp = String.format("%02d", Math.abs(exponent));
    return (d < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+") + exp;
  }
}
