package jkeras.legacy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jkeras.data.NDArray;
import jkeras.internal.PyRepr;
import jkeras.internal.Warnings;
import jkeras.trainers.EvaluateOptions;
import jkeras.trainers.FitOptions;
import jkeras.trainers.Kwargs;
import jkeras.trainers.PredictOptions;
import jkeras.utils.BatchSized;

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
 *       positional argument, is an error with Python's wording; so is a missing generator. A legacy
 *       name that does not belong to the method (e.g. {@code val_samples} for {@code
 *       fit_generator}) fails here under its new name, as in Keras.
 * </ol>
 *
 * <p>Then the keywords go to the options' {@code fromConfig} ({@link FitOptions#fromConfig} and
 * friends), which reads Keras keyword values the way {@link Kwargs} describes. Warnings go through
 * {@link Warnings#warn}. Every error is an {@link IllegalArgumentException}, whose message is
 * Keras' (or Python's) text where Keras raises one. Give the keywords as a {@link LinkedHashMap} in
 * call order for the warning text to match Python's.
 */
public final class GeneratorMethods {
  /** Keras' warning when a Keras 1 argument whose meaning changed is used. */
  public static final String SEMANTICS_WARNING =
      "The semantics of the Keras 2 argument `steps_per_epoch` is not the same as the Keras 1"
          + " argument `samples_per_epoch`. `steps_per_epoch` is the number of batches to draw from"
          + " the generator at each epoch. Basically steps_per_epoch = samples_per_epoch/batch_size."
          + " Similarly `nb_val_samples`->`validation_steps` and `val_samples`->`steps` arguments"
          + " have changed. Update your method calls accordingly.";

  /** The decorator's nominal positional names, the same for all three methods. */
  private static final List<String> ALLOWED_POSITIONAL =
      List.of("generator", "steps_per_epoch", "epochs");

  /** Keras 1 names whose presence triggers {@link #SEMANTICS_WARNING}. */
  private static final Set<String> KERAS1_ARGS =
      Set.of("samples_per_epoch", "val_samples", "nb_epoch", "nb_val_samples", "nb_worker");

  /**
   * (legacy, Keras 2) pairs, in the decorator's order (which decides the warning's keyword order).
   */
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
          "generator",
          "steps_per_epoch",
          "epochs",
          "verbose",
          "callbacks",
          "validation_data",
          "validation_steps",
          "validation_freq",
          "class_weight",
          "max_queue_size",
          "workers",
          "use_multiprocessing",
          "shuffle",
          "initial_epoch");

  /**
   * Keras 2.3.1 {@code evaluate_generator}'s and {@code predict_generator}'s parameters, in order.
   */
  private static final List<String> EVALUATE_PARAMS =
      List.of(
          "generator",
          "steps",
          "callbacks",
          "max_queue_size",
          "workers",
          "use_multiprocessing",
          "verbose");

  private GeneratorMethods() {}

  /** What a {@code fit_generator} keyword call resolves to. */
  public record FitCall(Object generator, FitOptions options) {}

  /** What an {@code evaluate_generator} keyword call resolves to. */
  public record EvaluateCall(Object generator, EvaluateOptions options) {}

  /** What a {@code predict_generator} keyword call resolves to. */
  public record PredictCall(Object generator, PredictOptions options) {}

  /**
   * Keras 2.3.1 {@code fit_generator(*args, **kwargs)}. Positional arguments (at most 3): {@code
   * generator, steps_per_epoch, epochs}. Keywords and defaults: {@code generator} (a {@code
   * Sequence} or an {@code Iterator}, required), {@code steps_per_epoch=None}, {@code epochs=1},
   * {@code verbose=1}, {@code callbacks=None} (a {@code List<Callback>}), {@code
   * validation_data=None} (a Sequence, an Iterator, a {@code Batch}, or a List/Object[] {@code (x,
   * y)} or {@code (x, y, sample_weight)} of NDArray / List&lt;NDArray&gt; / Map&lt;String,
   * NDArray&gt;, the weights one NDArray; an empty tuple or an empty Sequence means none, as
   * Python's truth test does), {@code validation_steps=None}, {@code validation_freq=1} (an int or
   * a collection of epochs), {@code class_weight=None} (a Map from class index, a Number or a
   * numeric String, to a Number), {@code max_queue_size=10}, {@code workers=1}, {@code
   * use_multiprocessing=False}, {@code shuffle=True}, {@code initial_epoch=0}; and the legacy names
   * listed on the class.
   *
   * @param args the positional arguments, first the generator; may be null or empty when the
   *     generator is the {@code generator} keyword
   * @param kwargs the keyword arguments by Keras name; may be null
   * @throws IllegalArgumentException with Keras' or Python's text for what they reject, or naming
   *     the argument and what was received for a value of the wrong type
   */
  public static FitCall fitGenerator(List<?> args, Map<String, ?> kwargs) {
    Map<String, Object> a = bind("fit_generator", FIT_PARAMS, args, kwargs);
    Object generator = a.remove("generator");
    return new FitCall(generator, FitOptions.fromConfig(a));
  }

  /**
   * Keras 2.3.1 {@code evaluate_generator(*args, **kwargs)}. Positional arguments (at most 3):
   * {@code generator, steps, callbacks}. Keywords and defaults: {@code generator} (required),
   * {@code steps=None}, {@code callbacks=None}, {@code max_queue_size=10}, {@code workers=1},
   * {@code use_multiprocessing=False}, {@code verbose=0}; and the legacy names {@code val_samples,
   * nb_worker, pickle_safe, max_q_size}.
   *
   * @throws IllegalArgumentException as {@link #fitGenerator}
   */
  public static EvaluateCall evaluateGenerator(List<?> args, Map<String, ?> kwargs) {
    Map<String, Object> a = bind("evaluate_generator", EVALUATE_PARAMS, args, kwargs);
    Object generator = a.remove("generator");
    a.putIfAbsent("verbose", EvaluateOptions.GENERATOR_VERBOSE_DEFAULT);
    return new EvaluateCall(generator, EvaluateOptions.fromConfig(a));
  }

  /**
   * Keras 2.3.1 {@code predict_generator(*args, **kwargs)}: the same arguments, defaults and legacy
   * names as {@link #evaluateGenerator}, {@code verbose=0}.
   *
   * @throws IllegalArgumentException as {@link #fitGenerator}
   */
  public static PredictCall predictGenerator(List<?> args, Map<String, ?> kwargs) {
    Map<String, Object> a = bind("predict_generator", EVALUATE_PARAMS, args, kwargs);
    Object generator = a.remove("generator");
    return new PredictCall(generator, PredictOptions.fromConfig(a));
  }

  // ---- the decorator and Python's binding ----

  /**
   * Runs the legacy conversion, then binds to {@code params}; returns the arguments given, by name.
   */
  private static Map<String, Object> bind(
      String method, List<String> params, List<?> args, Map<String, ?> kwargs) {
    List<Object> positional = args == null ? List.of() : new ArrayList<>(args);
    Map<String, Object> kw = new LinkedHashMap<>();
    if (kwargs != null) {
      for (Map.Entry<String, ?> e : kwargs.entrySet()) {
        if (e.getKey() == null)
          throw new IllegalArgumentException(method + "() keywords must be strings");
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
      kw.put(
          "steps_per_epoch",
          generator instanceof BatchSized s ? floorDiv(samples, s.batchSize()) : samples);
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
          "`"
              + method
              + "` can accept only "
              + ALLOWED_POSITIONAL.size()
              + " positional arguments "
              + PyRepr.repr(ALLOWED_POSITIONAL.toArray())
              + ", but you passed the following positional arguments: "
              + PyRepr.repr(positional));
    }
    for (String[] c : CONVERSIONS) {
      String legacy = c[0];
      String current = c[1];
      if (kw.containsKey(legacy)) {
        Object value = kw.remove(legacy);
        if (kw.containsKey(current)) {
          throw new IllegalArgumentException(
              "For the `"
                  + current
                  + "` argument, the layer received both the legacy keyword argument `"
                  + legacy
                  + "` and the Keras 2 keyword argument `"
                  + current
                  + "`. Stick to the latter!");
        }
        kw.put(current, value);
        converted = true;
      }
    }
    if (converted)
      Warnings.warn(
          "Update your `"
              + method
              + "` call to the Keras 2 API: "
              + signature(method, positional, kw));

    // Python binds keywords in the order given; the first bad one is reported.
    for (String key : kw.keySet()) {
      int index = params.indexOf(key);
      if (index < 0) {
        throw new IllegalArgumentException(
            method + "() got an unexpected keyword argument '" + key + "'");
      }
      if (index < positional.size()) {
        throw new IllegalArgumentException(
            method + "() got multiple values for argument '" + key + "'");
      }
    }
    Map<String, Object> bound = new LinkedHashMap<>();
    for (int i = 0; i < positional.size(); i++) bound.put(params.get(i), positional.get(i));
    bound.putAll(kw);
    if (bound.get("generator") == null) throw missingGenerator(method);
    return bound;
  }

  private static IllegalArgumentException missingGenerator(String method) {
    return new IllegalArgumentException(
        method + "() missing 1 required positional argument: 'generator'");
  }

  /** Python's {@code samples_per_epoch // generator.batch_size}. */
  private static Object floorDiv(Object samples, int batchSize) {
    if (Kwargs.isIntegerType(samples)) {
      if (batchSize == 0)
        throw new IllegalArgumentException(
            "integer division or modulo by zero (samples_per_epoch // batchSize())");
      return Math.floorDiv(((Number) samples).longValue(), (long) batchSize);
    }
    if (samples instanceof Number n) {
      if (batchSize == 0)
        throw new IllegalArgumentException(
            "float floor division by zero (samples_per_epoch // batchSize())");
      return Math.floor(n.doubleValue() / batchSize); // a float, as in Python
    }
    throw Kwargs.typeError("samples_per_epoch", "a number", samples);
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
    String str = value instanceof NDArray ? "array" : PyRepr.str(value);
    return str.length() > 10 ? str.substring(0, 10) + "..." : str;
  }
}
