package jkeras.models;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jkeras.backend.KerasVariable;
import jkeras.backend.Weight;
import jkeras.data.NDArray;
import jkeras.internal.Shapes;
import jkeras.internal.Warnings;
import jkeras.layers.Bidirectional;
import jkeras.layers.Layer;
import jkeras.layers.Recurrent;
import jkeras.layers.TimeDistributed;
import jkeras.losses.Loss;
import jkeras.losses.LossFunctionWrapper;
import jkeras.losses.Losses;
import jkeras.metrics.Metric;
import jkeras.optimizers.Optimizer;
import jkeras.optimizers.Optimizers;
import jkeras.optimizers.SGD;
import jkeras.saving.Configs;
import jkeras.saving.KerasFile;
import jkeras.saving.KerasFile.Format;
import jkeras.saving.KerasFile.LayerWeights;
import jkeras.saving.KerasFile.NamedArray;
import jkeras.saving.KerasFiles;
import jkeras.trainers.CompileOptions;

/**
 * What {@code save}, {@code load_model}, {@code save_weights} and {@code load_weights} do with a
 * model (Keras 2.3.1's {@code keras/engine/saving.py}, Keras 3's {@code saving_lib.py}); the file
 * formats themselves are {@link KerasFiles}'.
 */
final class ModelFiles {
  private ModelFiles() {}

  /** Keras 3 files are named {@code .keras}; its weights files {@code .weights.h5}. */
  static boolean isKerasZip(Path p) {
    return p.getFileName().toString().endsWith(".keras");
  }

  static boolean isKeras3Weights(Path p) {
    return p.getFileName().toString().endsWith(".weights.h5");
  }

  // ---------------------------------------------------------------- save

  static void save(Model m, Path path, boolean includeOptimizer) throws IOException {
    boolean zip = isKerasZip(path);
    Map<String, Object> config = ModelSerialization.serialize(m, zip);
    boolean compiled = m.compiled() && m.compileOptionsOrNull() != null;
    List<NamedArray> opt = List.of();
    Map<String, Object> training = null;
    if (compiled) {
      Optimizer o = m.optimizer();
      training = zip ? compileConfigKeras3(m, o) : trainingConfig(m, o);
      if (includeOptimizer && m.trainingBuilt())
        opt = zip ? optimizerKeras3(m) : optimizerKeras2(m);
    }
    KerasFile f =
        zip
            ? new KerasFile(
                Format.KERAS,
                KerasFiles.KERAS_VERSION,
                KerasFiles.BACKEND,
                Configs.toKeras3(config),
                training,
                keras3Layers(m),
                opt)
            : new KerasFile(
                Format.H5_MODEL,
                KerasFiles.KERAS_VERSION,
                KerasFiles.BACKEND,
                config,
                training,
                keras2Layers(m),
                opt);
    KerasFiles.write(path, f);
  }

  static void saveWeights(Model m, Path path) throws IOException {
    KerasFile f =
        isKeras3Weights(path)
            ? new KerasFile(
                Format.KERAS3_WEIGHTS,
                KerasFiles.KERAS_VERSION,
                KerasFiles.BACKEND,
                null,
                null,
                keras3Layers(m),
                List.of())
            : new KerasFile(
                Format.H5_WEIGHTS,
                KerasFiles.KERAS_VERSION,
                KerasFiles.BACKEND,
                null,
                null,
                keras2Layers(m),
                List.of());
    KerasFiles.write(path, f);
  }

  /** Keras 2's layout: every layer of {@code model.layers}, with its weights' Keras names. */
  static List<LayerWeights> keras2Layers(Model m) {
    List<NDArray> all = m.getWeights();
    List<LayerWeights> out = new ArrayList<>();
    int k = 0;
    for (Layer l : m.layers()) {
      List<String> names = new ArrayList<>();
      List<NDArray> values = new ArrayList<>();
      for (Weight w : l.weights()) {
        names.add(w.path() + ":0");
        values.add(all.get(k++));
      }
      out.add(new LayerWeights(l.name(), names, values));
    }
    return out;
  }

  /**
   * A Keras 3 object path holding weights, e.g. {@code layers/dense_1} or {@code layers/gru/cell}.
   */
  record Keras3Entry(String path, Layer layer, List<Weight> weights) {}

  /** Keras 3's object paths of the weights, in the model's layer order. */
  static List<Keras3Entry> keras3Paths(Model m) {
    List<Keras3Entry> out = new ArrayList<>();
    walk(m, "", out);
    return out;
  }

  private static void walk(Model m, String prefix, List<Keras3Entry> out) {
    Map<String, Integer> used = new HashMap<>();
    for (Layer l : m.layers()) {
      String base = snake(keras3ClassName(l));
      Integer n = used.get(base);
      String name = n == null ? base : base + "_" + (n + 1);
      used.put(base, n == null ? 0 : n + 1);
      String path = prefix + "layers/" + name;
      if (l instanceof Model inner) walk(inner, path + "/", out);
      else sublayers(l, l, path, l.weights(), out);
    }
  }

  /**
   * Where Keras 3 keeps a layer's weights: a recurrent layer's in its {@code cell}, a wrapper's in
   * {@code layer} (TimeDistributed) or {@code forward_layer} and {@code backward_layer}
   * (Bidirectional, half each).
   */
  private static void sublayers(
      Layer owner, Layer l, String path, List<Weight> ws, List<Keras3Entry> out) {
    if (ws.isEmpty()) return;
    if (l instanceof Bidirectional b) {
      int half = ws.size() / 2;
      sublayers(owner, b.forwardLayer(), path + "/forward_layer", ws.subList(0, half), out);
      sublayers(
          owner, b.backwardLayer(), path + "/backward_layer", ws.subList(half, ws.size()), out);
    } else if (l instanceof TimeDistributed t) {
      sublayers(owner, t.layer(), path + "/layer", ws, out);
    } else if (l instanceof Recurrent) {
      out.add(new Keras3Entry(path + "/cell", owner, ws));
    } else {
      out.add(new Keras3Entry(path, owner, ws));
    }
  }

  private static String keras3ClassName(Layer l) {
    if (l instanceof Sequential) return "Sequential";
    if (l instanceof Model) return "Functional";
    return l.getClass().getSimpleName();
  }

  private static String snake(String s) {
    String a = s.replaceAll("(.)([A-Z][a-z0-9]+)", "$1_$2");
    return a.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
  }

  static List<LayerWeights> keras3Layers(Model m) {
    List<LayerWeights> out = new ArrayList<>();
    for (Keras3Entry e : keras3Paths(m)) {
      List<NDArray> values = m.readWeights(e.weights());
      List<String> names = new ArrayList<>();
      for (int i = 0; i < e.weights().size(); i++) names.add("vars/" + i);
      out.add(new LayerWeights(e.path(), names, values));
    }
    return out;
  }

  // ---------------------------------------------------------------- training config

  /** Keras 2.3.1's {@code training_config}. */
  static Map<String, Object> trainingConfig(Model m, Optimizer o) {
    CompileOptions c = m.compileOptionsOrNull();
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("optimizer_config", optimizerConfig(m, o));
    t.put("loss", serializeLoss(c.loss(), false));
    t.put("metrics", serializeMetrics(c.metrics()));
    t.put("weighted_metrics", null);
    t.put("sample_weight_mode", null);
    t.put("loss_weights", c.lossWeights());
    return t;
  }

  /** The optimizer's config with its current learning rate (Keras reads the variable). */
  private static Map<String, Object> optimizerConfig(Model m, Optimizer o) {
    Map<String, Object> cfg = new LinkedHashMap<>(o.getConfig());
    if (m.trainingBuilt()) cfg.put("learning_rate", (double) (float) m.learningRate());
    Map<String, Object> w = new LinkedHashMap<>();
    w.put("class_name", o.className());
    w.put("config", cfg);
    return w;
  }

  /** Keras 3's {@code compile_config}, with {@code module} keys as its loader needs them. */
  static Map<String, Object> compileConfigKeras3(Model m, Optimizer o) {
    CompileOptions c = m.compileOptionsOrNull();
    Map<String, Object> oc = optimizerConfig(m, o);
    @SuppressWarnings("unchecked")
    Map<String, Object> cfg = (Map<String, Object>) oc.get("config");
    // Keras 3 has no time-based decay: 0 is its behaviour; another value is kept for jkeras.
    if (cfg.get("decay") instanceof Number d && d.doubleValue() == 0) cfg.remove("decay");
    if (o.className().equals("Adagrad")) cfg.put("initial_accumulator_value", 0.0);
    // Keras 3's Nadam has its momentum schedule built in, at Keras 2.3.1's default.
    if (cfg.get("schedule_decay") instanceof Number d && d.doubleValue() == 0.004)
      cfg.remove("schedule_decay");
    Map<String, Object> opt = new LinkedHashMap<>();
    opt.put("module", "keras.optimizers");
    opt.put("class_name", o.className());
    opt.put("config", cfg);
    opt.put("registered_name", null);
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("optimizer", opt);
    t.put("loss", serializeLoss(c.loss(), true));
    t.put("loss_weights", c.lossWeights());
    t.put("metrics", serializeMetrics(c.metrics()));
    t.put("weighted_metrics", null);
    t.put("run_eagerly", false);
    t.put("steps_per_execution", 1);
    t.put("jit_compile", false);
    return t;
  }

  private static Object serializeLoss(Object loss, boolean keras3) {
    if (loss instanceof LossFunctionWrapper w) return w.name();
    if (loss instanceof Loss l) {
      Map<String, Object> m = new LinkedHashMap<>();
      if (keras3) m.put("module", "keras.losses");
      m.put("class_name", l.getClass().getSimpleName());
      m.put("config", new LinkedHashMap<>(l.getConfig()));
      if (keras3) m.put("registered_name", null);
      return m;
    }
    if (loss instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object o : l) out.add(serializeLoss(o, keras3));
      return out;
    }
    if (loss instanceof Map<?, ?> mm) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : mm.entrySet())
        out.put(String.valueOf(e.getKey()), serializeLoss(e.getValue(), keras3));
      return out;
    }
    return loss;
  }

  private static Object serializeMetrics(Object metrics) {
    if (metrics instanceof Metric m) return m.name();
    if (metrics instanceof Loss l) return l.name();
    if (metrics instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object o : l) out.add(serializeMetrics(o));
      return out;
    }
    if (metrics instanceof Map<?, ?> mm) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : mm.entrySet())
        out.put(String.valueOf(e.getKey()), serializeMetrics(e.getValue()));
      return out;
    }
    return metrics;
  }

  /** The compile arguments of a training config (any Keras), as {@code compile} takes them. */
  static CompileOptions compileOptions(
      Map<String, Object> trainingConfig, List<String> outputNames) {
    Map<String, Object> t = Configs.trainingToKeras2(trainingConfig);
    Object oc = t.get("optimizer_config");
    Optimizer opt =
        oc instanceof Map<?, ?> om
            ? Optimizers.deserialize(om)
            : Optimizers.get(String.valueOf(oc));
    Object loss = deserializeLoss(t.get("loss"));
    Object metrics = t.get("metrics");
    // tf-keras writes one list of metrics per output.
    if (metrics instanceof List<?> l
        && !l.isEmpty()
        && l.stream().allMatch(x -> x instanceof List<?>)) {
      if (l.size() == 1) metrics = l.get(0);
      else {
        Map<String, Object> byOutput = new LinkedHashMap<>();
        for (int i = 0; i < l.size() && i < outputNames.size(); i++)
          byOutput.put(outputNames.get(i), l.get(i));
        metrics = byOutput;
      }
    }
    if (metrics instanceof List<?> l && l.isEmpty()) metrics = null;
    Object wm = t.get("weighted_metrics");
    if (wm instanceof List<?> l
        && !l.isEmpty()
        && !l.stream().allMatch(x -> x instanceof List<?> ll && ll.isEmpty()))
      throw new IllegalArgumentException(
          "Expected no `weighted_metrics` in the training config: jkeras does not support them yet. Received: weighted_metrics="
              + wm);
    Map<String, Object> kwargs = new LinkedHashMap<>();
    kwargs.put("optimizer", opt);
    kwargs.put("loss", loss);
    if (metrics != null) kwargs.put("metrics", metrics);
    if (t.get("loss_weights") != null) kwargs.put("loss_weights", t.get("loss_weights"));
    return CompileOptions.fromConfig(kwargs);
  }

  private static Object deserializeLoss(Object loss) {
    if (loss instanceof Map<?, ?> m && m.containsKey("class_name")) return Losses.deserialize(m);
    if (loss instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet())
        out.put(String.valueOf(e.getKey()), deserializeLoss(e.getValue()));
      return out;
    }
    if (loss instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object o : l) out.add(deserializeLoss(o));
      return out;
    }
    return loss;
  }

  // ---------------------------------------------------------------- optimizer weights

  /**
   * The optimizer's variables grouped as Keras 2 lists them: iterations, scalars, slots by kind.
   */
  private record Slots(
      KerasVariable iterations,
      KerasVariable learningRate,
      List<KerasVariable> scalars,
      List<String> kinds,
      Map<String, List<KerasVariable>> byKind,
      List<KerasVariable> params) {}

  private static Slots slots(Model m) {
    List<KerasVariable> vars = m.optimizerVariables();
    List<KerasVariable> params = m.optimizedParameters();
    KerasVariable it = vars.get(0);
    KerasVariable lr = null;
    List<KerasVariable> scalars = new ArrayList<>();
    List<String> kinds = new ArrayList<>();
    Map<String, List<KerasVariable>> byKind = new LinkedHashMap<>();
    for (int i = 1; i < vars.size(); i++) {
      KerasVariable v = vars.get(i);
      String n = v.name().endsWith(":0") ? v.name().substring(0, v.name().length() - 2) : v.name();
      if (n.equals("learning_rate")) {
        lr = v;
        continue;
      }
      int slash = n.lastIndexOf('/');
      if (slash < 0) {
        scalars.add(v);
        continue;
      }
      String kind = n.substring(slash + 1);
      if (!byKind.containsKey(kind)) kinds.add(kind);
      byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(v);
    }
    // SGD without momentum keeps no slot in tf-keras or Keras 3 (Keras 2.3.1's are never read).
    if (m.optimizer() instanceof SGD s && s.momentum() == 0) {
      kinds.clear();
      byKind.clear();
    }
    return new Slots(it, lr, scalars, kinds, byKind, params);
  }

  /** tf-keras' legacy layout, which its {@code load_model} restores: iterations, scalars, kinds. */
  static List<NamedArray> optimizerKeras2(Model m) {
    Slots s = slots(m);
    String cls = m.optimizer().className();
    List<KerasVariable> order = new ArrayList<>();
    List<String> names = new ArrayList<>();
    order.add(s.iterations());
    names.add(cls + "/iter:0");
    for (KerasVariable v : s.scalars()) {
      order.add(v);
      names.add(cls + "/" + v.name().replace(":0", "") + ":0");
    }
    for (String kind : s.kinds()) {
      for (KerasVariable v : s.byKind().get(kind)) {
        order.add(v);
        names.add(cls + "/" + v.name().replace(":0", "") + ":0");
      }
    }
    List<NDArray> values = m.readOptimizerVariables(order);
    List<NamedArray> out = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) out.add(new NamedArray(names.get(i), values.get(i)));
    return out;
  }

  /**
   * Keras 3's layout: iteration, learning_rate, each parameter's slots, then scalars (Nadam's
   * momentum product, which Keras 3 creates last).
   */
  static List<NamedArray> optimizerKeras3(Model m) {
    Slots s = slots(m);
    List<KerasVariable> order = new ArrayList<>();
    order.add(s.iterations());
    if (s.learningRate() != null) order.add(s.learningRate());
    for (int p = 0; p < s.params().size(); p++) {
      for (String kind : s.kinds()) order.add(s.byKind().get(kind).get(p));
    }
    order.addAll(s.scalars());
    List<NDArray> values = m.readOptimizerVariables(order);
    List<NamedArray> out = new ArrayList<>();
    for (int i = 0; i < order.size(); i++)
      out.add(new NamedArray(order.get(i).name(), values.get(i)));
    return out;
  }

  /**
   * Restores the optimizer's state from a file's {@code optimizer_weights} (Keras 2.3.1's,
   * tf-keras' legacy or new optimizers', Keras 3's); Keras' warning and a fresh optimizer when they
   * do not fit.
   */
  static void restoreOptimizer(Model m, List<NamedArray> weights, boolean keras3Layout) {
    if (weights.isEmpty()) return;
    Slots s = slots(m);
    int p = s.params().size();
    List<NamedArray> w = new ArrayList<>(weights);
    List<KerasVariable> targets = new ArrayList<>();
    List<NDArray> values = new ArrayList<>();
    String name1 = w.size() > 1 ? w.get(1).name() : "";
    boolean interleaved =
        keras3Layout
            || name1.endsWith("learning_rate")
            || (w.get(0).name().startsWith("iteration") && name1.contains("/m/"));
    try {
      targets.add(s.iterations());
      values.add(w.get(0).value());
      int i = 1;
      if (interleaved) {
        if (name1.endsWith("learning_rate") || keras3Layout) {
          if (s.learningRate() != null) {
            targets.add(s.learningRate());
            values.add(w.get(1).value());
          }
          i = 2;
        }
        if (!keras3Layout) {
          for (KerasVariable v : s.scalars()) {
            targets.add(v);
            values.add(w.get(i++).value());
          }
        }
        int scalarsAfter = keras3Layout ? s.scalars().size() : 0;
        int slotCount = w.size() - i - scalarsAfter;
        int kindsInFile = p == 0 ? 0 : slotCount / p;
        if (kindsInFile != s.kinds().size() || slotCount != kindsInFile * p)
          throw new IllegalArgumentException(layoutError(m, w.size(), s));
        for (int q = 0; q < p; q++) {
          for (String kind : s.kinds()) {
            targets.add(s.byKind().get(kind).get(q));
            values.add(w.get(i++).value());
          }
        }
        if (keras3Layout) {
          for (KerasVariable v : s.scalars()) {
            targets.add(v);
            values.add(w.get(i++).value());
          }
        }
      } else {
        for (KerasVariable v : s.scalars()) {
          targets.add(v);
          values.add(w.get(i++).value());
        }
        int rest = w.size() - i;
        int expected = s.kinds().size() * p;
        // Keras 2.3.1's Adam keeps one (1,) placeholder per parameter as `vhat` without amsgrad.
        if (rest == expected + p
            && p > 0
            && Arrays.equals(w.get(w.size() - 1).value().shape(), new long[] {1})) rest -= p;
        if (rest == 0 && expected > 0) {
          // tf-keras' SGD without momentum keeps no slot: jkeras' stay zero.
        } else {
          if (rest != expected) throw new IllegalArgumentException(layoutError(m, w.size(), s));
          for (String kind : s.kinds()) {
            for (KerasVariable v : s.byKind().get(kind)) {
              targets.add(v);
              values.add(w.get(i++).value());
            }
          }
        }
      }
      for (int k = 0; k < targets.size(); k++) {
        long[] want = targets.get(k).shape();
        long[] got = values.get(k).shape();
        if (Shapes.product(want) != Shapes.product(got)
            || (want.length > 0 && !Arrays.equals(want, got)))
          throw new IllegalArgumentException(
              "Optimizer weight shape "
                  + Shapes.toPython(want)
                  + " of "
                  + targets.get(k).name()
                  + " not compatible with provided weight shape "
                  + Shapes.toPython(got));
      }
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      Warnings.warn(
          "Error in loading the saved optimizer state. As a result, your model is starting with a freshly initialized optimizer. ("
              + e.getMessage()
              + ")");
      return;
    }
    List<NDArray> reshaped = new ArrayList<>();
    for (int k = 0; k < values.size(); k++) {
      NDArray v = values.get(k);
      reshaped.add(NDArray.of(v.floatsView(), targets.get(k).shape()));
    }
    m.writeOptimizerVariables(targets, reshaped);
  }

  private static String layoutError(Model m, int found, Slots s) {
    return "the file holds "
        + found
        + " optimizer weights; "
        + m.optimizer().className()
        + " over "
        + s.params().size()
        + " parameters keeps iterations, "
        + s.scalars().size()
        + " scalar(s) and slots "
        + s.kinds();
  }

  // ---------------------------------------------------------------- load weights

  /**
   * Sets the model's weights from a file's layers: every value is checked first, then all are
   * written at once, so a failed load changes no weight.
   */
  static void loadWeights(Model m, KerasFile f, Path path, boolean byName, boolean skipMismatch) {
    List<Weight> targets = new ArrayList<>();
    List<NDArray> values = new ArrayList<>();
    if (f.format().keras3Layout()) {
      keras3Assign(m, f, path, targets, values);
    } else if (byName) {
      byNameAssign(m, f, skipMismatch, targets, values);
    } else {
      topologicalAssign(m, f, path, targets, values);
    }
    m.writeWeights(targets, values);
  }

  /** Keras 2.3.1's {@code load_weights_from_hdf5_group}: layer by layer, in order. */
  private static void topologicalAssign(
      Model m, KerasFile f, Path path, List<Weight> targets, List<NDArray> values) {
    List<Layer> layers = new ArrayList<>();
    for (Layer l : m.layers()) if (!l.weights().isEmpty()) layers.add(l);
    List<LayerWeights> saved = new ArrayList<>();
    for (LayerWeights lw : f.layerWeights()) if (!lw.values().isEmpty()) saved.add(lw);
    if (saved.size() != layers.size()) {
      throw new IllegalArgumentException(
          "You are trying to load a weight file containing "
              + saved.size()
              + " layers into a model with "
              + layers.size()
              + " layers. (file: "
              + path
              + ")");
    }
    for (int k = 0; k < layers.size(); k++) {
      Layer layer = layers.get(k);
      LayerWeights lw = saved.get(k);
      List<Weight> ws = layer.weights();
      List<NDArray> vs = WeightConversions.forLoading(layer, lw.values(), f.kerasVersion());
      if (vs.size() != ws.size()) {
        throw new IllegalArgumentException(
            "Layer #"
                + k
                + " (named \""
                + layer.name()
                + "\" in the current model) was found to correspond to layer "
                + lw.name()
                + " in the save file. However the new layer "
                + layer.name()
                + " expects "
                + ws.size()
                + " weights, but the saved weights have "
                + vs.size()
                + " elements.");
      }
      for (int i = 0; i < ws.size(); i++) {
        checkShape(k, layer, ws.get(i), vs.get(i), lw.name());
        targets.add(ws.get(i));
        values.add(vs.get(i));
      }
    }
  }

  /** Keras' error for layer #{@code k}'s weight count; {@code where} follows "saved weights". */
  private static IllegalArgumentException weightCount(
      int k, Layer layer, int expected, String where, int saved) {
    return new IllegalArgumentException(
        "Layer #"
            + k
            + " (named \""
            + layer.name()
            + "\") expects "
            + expected
            + " weight(s), but the saved weights"
            + where
            + " have "
            + saved
            + " element(s).");
  }

  private static void checkShape(int k, Layer layer, Weight w, NDArray v, String savedLayer) {
    if (!Arrays.equals(w.shape(), v.shape())) {
      throw new IllegalArgumentException(
          "Layer #"
              + k
              + " (named \""
              + layer.name()
              + "\"), weight "
              + w.path()
              + ":0 has shape "
              + Shapes.toPython(w.shape())
              + ", but the saved weight (layer "
              + savedLayer
              + ") has shape "
              + Shapes.toPython(v.shape())
              + ".");
    }
  }

  /** Keras 2.3.1's {@code load_weights_from_hdf5_group_by_name}, with {@code skip_mismatch}. */
  private static void byNameAssign(
      Model m, KerasFile f, boolean skipMismatch, List<Weight> targets, List<NDArray> values) {
    Map<String, Layer> index = new HashMap<>();
    for (Layer l : m.layers()) index.put(l.name(), l);
    int k = -1;
    for (LayerWeights lw : f.layerWeights()) {
      k++;
      Layer layer = index.get(lw.name());
      if (layer == null) continue;
      List<Weight> ws = layer.weights();
      List<NDArray> vs = WeightConversions.forLoading(layer, lw.values(), f.kerasVersion());
      if (vs.size() != ws.size()) {
        if (skipMismatch) {
          Warnings.warn(
              "Skipping loading of weights for layer "
                  + layer.name()
                  + " due to mismatch in number of weights ("
                  + ws.size()
                  + " vs "
                  + vs.size()
                  + ").");
          continue;
        }
        throw weightCount(k, layer, ws.size(), "", vs.size());
      }
      for (int i = 0; i < ws.size(); i++) {
        if (!Arrays.equals(ws.get(i).shape(), vs.get(i).shape())) {
          if (skipMismatch) {
            Warnings.warn(
                "Skipping loading of weights for layer "
                    + layer.name()
                    + " due to mismatch in shape ("
                    + Shapes.toPython(ws.get(i).shape())
                    + " vs "
                    + Shapes.toPython(vs.get(i).shape())
                    + ").");
            continue;
          }
          checkShape(k, layer, ws.get(i), vs.get(i), lw.name());
        }
        targets.add(ws.get(i));
        values.add(vs.get(i));
      }
    }
  }

  /** Keras 3's layout: each layer by its object path ({@code layers/dense_1}). */
  private static void keras3Assign(
      Model m, KerasFile f, Path path, List<Weight> targets, List<NDArray> values) {
    Map<String, LayerWeights> byPath = new LinkedHashMap<>();
    for (LayerWeights lw : f.layerWeights()) byPath.put(lw.name(), lw);
    List<Keras3Entry> paths = keras3Paths(m);
    if (byPath.size() != paths.size()) {
      List<String> want = new ArrayList<>();
      for (Keras3Entry e : paths) want.add(e.path());
      throw new IllegalArgumentException(
          "You are trying to load a weight file containing "
              + byPath.size()
              + " layers "
              + byPath.keySet()
              + " into a model with "
              + paths.size()
              + " layers "
              + want
              + ". (file: "
              + path
              + ")");
    }
    int k = 0;
    for (Keras3Entry e : paths) {
      Layer layer = e.layer();
      LayerWeights lw = byPath.get(e.path());
      if (lw == null)
        throw new IllegalArgumentException(
            "The file "
                + path
                + " has no weights for layer `"
                + layer.name()
                + "` (Keras 3 path "
                + e.path()
                + "); it has "
                + byPath.keySet()
                + ".");
      List<Weight> ws = e.weights();
      if (lw.values().size() != ws.size())
        throw weightCount(k, layer, ws.size(), " (" + e.path() + ")", lw.values().size());
      for (int i = 0; i < ws.size(); i++) {
        checkShape(k, layer, ws.get(i), lw.values().get(i), e.path());
        targets.add(ws.get(i));
        values.add(lw.values().get(i));
      }
      k++;
    }
  }

  // ---------------------------------------------------------------- load model

  /** Sets {@code m}'s weights and optimizer state from a file {@code m.save} wrote. */
  static void restoreState(Model m, Path path) throws IOException {
    KerasFile f = KerasFiles.read(path);
    loadWeights(m, f, path, false, false);
    if (!f.optimizerWeights().isEmpty()) {
      m.buildTraining();
      restoreOptimizer(m, f.optimizerWeights(), f.format().keras3Layout());
    }
  }

  static Model load(Path path, boolean compile) throws IOException {
    KerasFile f = KerasFiles.read(path);
    if (f.modelConfig() == null) {
      throw new IllegalArgumentException(
          "No model config found in the file at "
              + path
              + ": it holds weights only (save_weights). Build the model, then call model.loadWeights(path).");
    }
    Model m = ModelSerialization.fromConfig(Configs.toKeras2(f.modelConfig()));
    boolean ok = false;
    try {
      loadWeights(m, f, path, false, false);
      if (compile && f.trainingConfig() != null) {
        try {
          m.compile(compileOptions(f.trainingConfig(), m.outputNames()));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              e.getMessage()
                  + " A loss, metric or optimizer of your own must be registered before loading:"
                  + " CustomObjects.register(name, Losses.custom(name, fn)) (or a Metric), or"
                  + " Models.loadModel(path, customObjects, true); Models.loadModel(path, Map.of(),"
                  + " false) loads the model without compiling it.",
              e);
        }
        if (!f.optimizerWeights().isEmpty()) {
          m.buildTraining();
          restoreOptimizer(m, f.optimizerWeights(), f.format().keras3Layout());
        }
      } else if (compile) {
        Warnings.warn(
            "No training configuration found in save file: the model was *not* compiled. Compile it manually.");
      }
      ok = true;
      return m;
    } finally {
      if (!ok) m.close();
    }
  }
}
