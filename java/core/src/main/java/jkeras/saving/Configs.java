package jkeras.saving;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Keras model configs across versions. {@link #toKeras2} reads what Keras 2.3.1, tf-keras 2.x and
 * Keras 3 write ({@code to_json()}, {@code model_config}, {@code config.json}) into the Keras 2
 * form jkeras' deserializers take; {@link #toKeras3} turns jkeras' Keras 2 form into what Keras 3's
 * {@code .keras} loader requires ({@code module} keys, an explicit {@code InputLayer}).
 *
 * <p>What {@link #toKeras2} converts: Keras 3's and tf-keras' {@code module}, {@code
 * registered_name}, {@code build_config} and {@code shared_object_id} keys (dropped); dtype-policy
 * objects (their name); {@code batch_shape} ({@code batch_input_shape}); Keras 3's dict-form {@code
 * inbound_nodes} and flat single {@code input_layers}/{@code output_layers}; {@code Functional}
 * ({@code Model}); a Sequential's explicit {@code InputLayer} (its shape and dtype move to the
 * first layer, as Keras 2.3.1 writes them); Keras &lt;= 2.1's bare-list Sequential; the {@code
 * L1}/{@code L2} regularizer classes ({@code L1L2}); and keys later Keras versions added with
 * values that ask for nothing more (e.g. {@code "groups": 1}, {@code "ragged": false}). Any other
 * key is left, so a feature jkeras lacks fails by name when the layer is built.
 */
public final class Configs {
  private Configs() {}

  private static final List<String> WRAPPER_NOISE =
      List.of("module", "registered_name", "build_config", "shared_object_id");

  /** Keys later Keras versions write, and the values that mean Keras 2.3.1's behaviour. */
  private static final Map<String, List<Object>> DROP_AT_DEFAULT = new LinkedHashMap<>();

  static {
    DROP_AT_DEFAULT.put("ragged", List.of(false));
    DROP_AT_DEFAULT.put("optional", List.of(false));
    DROP_AT_DEFAULT.put("quantization_config", Arrays.asList((Object) null));
    DROP_AT_DEFAULT.put("lora_rank", Arrays.asList((Object) null));
    DROP_AT_DEFAULT.put("lora_alpha", Arrays.asList((Object) null));
    DROP_AT_DEFAULT.put("lora_enabled", List.of(false));
    DROP_AT_DEFAULT.put("synchronized", List.of(false));
    DROP_AT_DEFAULT.put("renorm", List.of(false));
    DROP_AT_DEFAULT.put("renorm_clipping", Arrays.asList((Object) null));
    DROP_AT_DEFAULT.put("rms_scaling", List.of(false));
    DROP_AT_DEFAULT.put("groups", List.of(1));
    DROP_AT_DEFAULT.put("input_axes", Arrays.asList((Object) null));
    DROP_AT_DEFAULT.put("output_axes", Arrays.asList((Object) null));
    DROP_AT_DEFAULT.put("autocast", List.of(true));
    DROP_AT_DEFAULT.put("keepdims", List.of(false));
    DROP_AT_DEFAULT.put("time_major", List.of(false));
    DROP_AT_DEFAULT.put("zero_output_for_mask", List.of(false));
    DROP_AT_DEFAULT.put("use_cudnn", List.of("auto"));
  }

  /**
   * A model config ({@code {"class_name", "config"}}, from any Keras) in Keras 2's form. The
   * argument is not changed.
   *
   * @throws IllegalArgumentException when it is not a model config
   */
  public static Map<String, Object> toKeras2(Map<String, Object> modelConfig) {
    Map<String, Object> m = deepCopy(modelConfig);
    if (!(m.get("class_name") instanceof String)) {
      throw new IllegalArgumentException(
          "Expected a model config with `class_name` and `config`. Received keys: " + m.keySet());
    }
    normalize(m, null);
    String cls = (String) m.get("class_name");
    Object inner = m.get("config");
    if (cls.equals("Sequential")) {
      Map<String, Object> c;
      if (inner instanceof List<?> l) { // Keras <= 2.1: a bare list of layers
        c = new LinkedHashMap<>();
        c.put("name", null);
        c.put("layers", l);
      } else {
        c = asMap(inner, "config");
      }
      c.remove("build_input_shape");
      c.remove("trainable");
      c.remove("dtype");
      List<Object> layers = new ArrayList<>(asList(c.get("layers"), "layers"));
      if (!layers.isEmpty()
          && "InputLayer".equals(asMap(layers.get(0), "layer").get("class_name"))) {
        Map<String, Object> input = asMap(asMap(layers.get(0), "layer").get("config"), "config");
        layers.remove(0);
        if (!layers.isEmpty()) {
          Map<String, Object> first = asMap(asMap(layers.get(0), "layer").get("config"), "config");
          if (first.get("batch_input_shape") == null && input.get("batch_input_shape") != null) {
            Map<String, Object> moved = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : first.entrySet()) {
              moved.put(e.getKey(), e.getValue());
              if (e.getKey().equals("trainable"))
                moved.put("batch_input_shape", input.get("batch_input_shape"));
            }
            if (!moved.containsKey("batch_input_shape"))
              moved.put("batch_input_shape", input.get("batch_input_shape"));
            if (input.get("dtype") instanceof String d) moved.put("dtype", d);
            asMap(layers.get(0), "layer").put("config", moved);
          }
        }
      }
      c.put("layers", layers);
      m.put("config", c);
    } else {
      Map<String, Object> c = asMap(inner, "config");
      // Keras 2 counts a nested model's calls from 1 (its node 0 is its own); Keras 3's node
      // dicts count them from 0, and its output_layers do so for a nested Sequential.
      Set<String> nestedModels = new HashSet<>();
      Set<String> nestedSequentials = new HashSet<>();
      boolean keras3 = false;
      for (Object layer : asList(c.get("layers"), "layers")) {
        Map<String, Object> lm = asMap(layer, "layer");
        if (lm.get("inbound_nodes") instanceof List<?> nodes
            && !nodes.isEmpty()
            && nodes.get(0) instanceof Map<?, ?>) keras3 = true;
        if (lm.get("class_name") instanceof String cn
            && (cn.equals("Sequential") || isModelClass(cn))) {
          nestedModels.add(String.valueOf(lm.get("name")));
          if (cn.equals("Sequential")) nestedSequentials.add(String.valueOf(lm.get("name")));
        }
      }
      for (String key : List.of("input_layers", "output_layers")) {
        if (c.get(key) instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof String) {
          c.put(key, new ArrayList<>(List.of(l)));
        }
        if (keras3 && c.get(key) instanceof List<?> refs) {
          List<Object> shifted = new ArrayList<>();
          for (Object r : refs) shifted.add(shiftNode(r, nestedSequentials));
          c.put(key, shifted);
        }
      }
      for (Object layer : asList(c.get("layers"), "layers")) {
        Map<String, Object> lm = asMap(layer, "layer");
        if (lm.get("inbound_nodes") instanceof List<?> nodes) {
          List<Object> converted = new ArrayList<>();
          for (Object node : nodes) {
            if (node instanceof Map<?, ?> nm) {
              List<Object> refs = new ArrayList<>();
              for (Object r : keras3Node(nm)) refs.add(shiftNode(r, nestedModels));
              converted.add(refs);
            } else {
              converted.add(node);
            }
          }
          lm.put("inbound_nodes", converted);
        }
        // A nested model's own config is converted too.
        if (isModelClass(lm.get("class_name"))) {
          Map<String, Object> nested = new LinkedHashMap<>();
          nested.put("class_name", lm.get("class_name"));
          nested.put("config", lm.get("config"));
          Map<String, Object> n = toKeras2(nested);
          lm.put("class_name", n.get("class_name"));
          lm.put("config", n.get("config"));
        }
      }
      c.remove("trainable");
      c.remove("dtype");
    }
    for (Object layer : asList(asMap(m.get("config"), "config").get("layers"), "layers")) {
      Map<String, Object> lm = asMap(layer, "layer");
      if ("Sequential".equals(lm.get("class_name"))) {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("class_name", "Sequential");
        nested.put("config", lm.get("config"));
        lm.put("config", toKeras2(nested).get("config"));
      }
    }
    return m;
  }

  /** {@code [layer, node, tensor, ...]} with the node index moved for the named layers. */
  private static Object shiftNode(Object ref, Set<String> layers) {
    return shiftNode(ref, layers, 1);
  }

  private static Object shiftNode(Object ref, Set<String> layers, int by) {
    if (ref instanceof List<?> r
        && r.size() >= 2
        && layers.contains(String.valueOf(r.get(0)))
        && r.get(1) instanceof Number n) {
      List<Object> out = new ArrayList<>(r);
      out.set(1, n.intValue() + by);
      return out;
    }
    return ref;
  }

  private static final List<String> RECURRENT = List.of("SimpleRNN", "LSTM", "GRU");

  /**
   * Whether {@code back} is {@code fwd} running backwards (any name), as Bidirectional makes it.
   */
  private static boolean isBackwardCopy(Map<?, ?> fwd, Map<?, ?> back) {
    if (!Objects.equals(fwd.get("class_name"), back.get("class_name"))) return false;
    if (!(fwd.get("config") instanceof Map<?, ?> f) || !(back.get("config") instanceof Map<?, ?> b))
      return false;
    // Compared as normalized (Keras 3 gives each initializer its own shared_object_id).
    @SuppressWarnings("unchecked")
    Map<String, Object> a = deepCopy((Map<String, Object>) f);
    @SuppressWarnings("unchecked")
    Map<String, Object> c = deepCopy((Map<String, Object>) b);
    normalize(a, null);
    normalize(c, null);
    for (String k : List.of("name", "go_backwards")) {
      a.remove(k);
      c.remove(k);
    }
    return a.equals(c) && !Objects.equals(f.get("go_backwards"), b.get("go_backwards"));
  }

  static boolean isModelClass(Object cls) {
    return "Model".equals(cls) || "Functional".equals(cls);
  }

  /**
   * Keras 3's {@code {"args": [...], "kwargs": {...}}} node as Keras 2's list of inbound tensors.
   */
  private static List<Object> keras3Node(Map<?, ?> node) {
    List<Object> inbound = new ArrayList<>();
    collectHistory(node.get("args"), inbound);
    Map<String, Object> kwargs = new LinkedHashMap<>();
    if (node.get("kwargs") instanceof Map<?, ?> kw) {
      for (Map.Entry<?, ?> e : kw.entrySet()) kwargs.put(String.valueOf(e.getKey()), e.getValue());
    }
    List<Object> out = new ArrayList<>();
    for (Object h : inbound) {
      List<Object> t = new ArrayList<>((List<?>) h);
      t.add(kwargs);
      out.add(t);
    }
    return out;
  }

  private static void collectHistory(Object o, List<Object> out) {
    if (o instanceof Map<?, ?> m) {
      if ("__keras_tensor__".equals(m.get("class_name"))
          && m.get("config") instanceof Map<?, ?> c) {
        out.add(c.get("keras_history"));
      } else {
        for (Object v : m.values()) collectHistory(v, out);
      }
    } else if (o instanceof List<?> l) {
      for (Object v : l) collectHistory(v, out);
    }
  }

  /** Recursively strips Keras 3's wrapper keys and resolves dtype policies and renamed keys. */
  @SuppressWarnings("unchecked")
  private static void normalize(Object o, String key) {
    if (o instanceof Map<?, ?> raw) {
      Map<String, Object> m = (Map<String, Object>) raw;
      if (m.containsKey("class_name")) {
        for (String k : WRAPPER_NOISE) m.remove(k);
        if ("Functional".equals(m.get("class_name"))) m.put("class_name", "Model");
        // tf-keras' separable and depthwise convolutions also write the unused kernel_* keys of
        // their base class (Keras 2.3.1 pops them).
        if (List.of("SeparableConv1D", "SeparableConv2D", "DepthwiseConv2D")
                .contains(m.get("class_name"))
            && m.get("config") instanceof Map<?, ?> sc) {
          for (String k : List.of("kernel_initializer", "kernel_regularizer", "kernel_constraint"))
            ((Map<String, Object>) sc).remove(k);
        }
        // Keras 3 gives the 1D padding, cropping and upsampling layers a data_format; Keras 2.3.1's
        // are channels_last only.
        if (List.of("ZeroPadding1D", "Cropping1D", "UpSampling1D").contains(m.get("class_name"))
            && m.get("config") instanceof Map<?, ?> pc
            && "channels_last".equals(pc.get("data_format"))) pc.remove("data_format");
        // Keras 3's recurrent layers write the dropout seed (null: unseeded, as Keras 2.3.1).
        if (RECURRENT.contains(m.get("class_name"))
            && m.get("config") instanceof Map<?, ?> rc
            && rc.containsKey("seed")
            && rc.get("seed") == null) rc.remove("seed");
        // Keras 3's Bidirectional sets its layers' zero_output_for_mask itself (to
        // return_sequences), whatever the config says.
        if ("Bidirectional".equals(m.get("class_name"))
            && m.get("config") instanceof Map<?, ?> bz) {
          for (String k : List.of("layer", "backward_layer")) {
            if (bz.get(k) instanceof Map<?, ?> w && w.get("config") instanceof Map<?, ?> wc)
              wc.remove("zero_output_for_mask");
          }
        }
        // Keras 3's Bidirectional writes its backward layer; jkeras derives it from the forward
        // one, as Keras 2.3.1 does, so only that standard copy is accepted.
        if ("Bidirectional".equals(m.get("class_name"))
            && m.get("config") instanceof Map<?, ?> bc
            && bc.get("backward_layer") instanceof Map<?, ?> back
            && bc.get("layer") instanceof Map<?, ?> fwd
            && isBackwardCopy(fwd, back)) bc.remove("backward_layer");
        // Keras 3 renamed LeakyReLU's alpha.
        if ("LeakyReLU".equals(m.get("class_name"))
            && m.get("config") instanceof Map<?, ?> lr
            && lr.containsKey("negative_slope")
            && !lr.containsKey("alpha"))
          ((Map<String, Object>) lr).put("alpha", lr.remove("negative_slope"));
        Object cls = m.get("class_name");
        if (("L2".equals(cls) || "L1".equals(cls)) && m.get("config") instanceof Map<?, ?> rc) {
          Map<String, Object> c = new LinkedHashMap<>();
          c.put("l1", "L1".equals(cls) ? rc.get("l1") : 0.0);
          c.put("l2", "L2".equals(cls) ? rc.get("l2") : 0.0);
          m.put("class_name", "L1L2");
          m.put("config", c);
        }
      }
      if (m.containsKey("batch_shape") && !m.containsKey("batch_input_shape")) {
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : m.entrySet())
          copy.put(
              e.getKey().equals("batch_shape") ? "batch_input_shape" : e.getKey(), e.getValue());
        m.clear();
        m.putAll(copy);
      }
      for (Map.Entry<String, List<Object>> d : DROP_AT_DEFAULT.entrySet()) {
        if (m.containsKey(d.getKey()) && d.getValue().contains(m.get(d.getKey())))
          m.remove(d.getKey());
      }
      if (m.containsKey("renorm_momentum") && !m.containsKey("renorm")) m.remove("renorm_momentum");
      for (Map.Entry<String, Object> e : m.entrySet()) {
        Object v = e.getValue();
        if (e.getKey().equals("dtype") && v instanceof Map<?, ?> policy) {
          e.setValue(dtypeName(policy));
        } else {
          normalize(v, e.getKey());
        }
      }
    } else if (o instanceof List<?> l) {
      for (Object v : l) normalize(v, key);
    }
  }

  /** A dtype policy's compute dtype ({@code DTypePolicy}, tf-keras' {@code Policy}). */
  private static String dtypeName(Map<?, ?> policy) {
    Object c = policy.get("config");
    Object name = c instanceof Map<?, ?> cm ? cm.get("name") : policy.get("name");
    if (!(name instanceof String s))
      throw new IllegalArgumentException(
          "Expected a dtype policy with a name. Received: " + policy);
    if (s.startsWith("mixed_"))
      throw new IllegalArgumentException(
          "Expected `dtype` to be a float32 policy: mixed precision is not supported by jkeras. Received: dtype="
              + s);
    return s;
  }

  /**
   * A compile config from any Keras in Keras 2's {@code training_config} form: {@code
   * optimizer_config} (class names without tf-keras' {@code Custom>} prefix; the keys later Keras
   * versions add at the values that mean Keras 2.3.1's optimizer dropped), {@code loss}, {@code
   * metrics} (tf-keras' {@code MeanMetricWrapper} objects as their names), {@code loss_weights}.
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> trainingToKeras2(Map<String, Object> training) {
    Map<String, Object> t = deepCopy(training);
    Object opt =
        t.containsKey("optimizer_config") ? t.remove("optimizer_config") : t.remove("optimizer");
    normalize(opt, null);
    Map<String, Object> out = new LinkedHashMap<>();
    if (opt instanceof Map<?, ?> om) {
      Map<String, Object> o = (Map<String, Object>) om;
      String cls = String.valueOf(o.get("class_name"));
      if (cls.contains(">")) cls = cls.substring(cls.indexOf('>') + 1);
      Map<String, Object> c =
          o.get("config") instanceof Map<?, ?> cm
              ? new LinkedHashMap<>((Map<String, Object>) cm)
              : new LinkedHashMap<>();
      c.remove("name");
      c.remove("is_legacy_optimizer");
      c.remove("jit_compile");
      for (String k :
          List.of(
              "weight_decay",
              "global_clipnorm",
              "ema_overwrite_frequency",
              "loss_scale_factor",
              "gradient_accumulation_steps",
              "clipnorm",
              "clipvalue")) if (c.containsKey(k) && c.get(k) == null) c.remove(k);
      if (Boolean.FALSE.equals(c.get("use_ema"))) {
        c.remove("use_ema");
        c.remove("ema_momentum");
      }
      if (Objects.equals(c.get("centered"), false)) c.remove("centered");
      if (c.get("momentum") instanceof Number n
          && n.doubleValue() == 0
          && !cls.equalsIgnoreCase("SGD")) c.remove("momentum");
      if (c.get("initial_accumulator_value") instanceof Number n && n.doubleValue() == 0)
        c.remove("initial_accumulator_value");
      // tf-keras' legacy Nadam stores Keras 2.3.1's schedule_decay as `decay` (its momentum
      // schedule, not a learning-rate decay).
      if (cls.equals("Nadam") && c.containsKey("decay") && !c.containsKey("schedule_decay"))
        c.put("schedule_decay", c.remove("decay"));
      Map<String, Object> oc = new LinkedHashMap<>();
      oc.put("class_name", cls);
      oc.put("config", c);
      out.put("optimizer_config", oc);
    } else if (opt instanceof String s) {
      out.put("optimizer_config", s);
    }
    Object loss = t.get("loss");
    normalize(loss, null);
    out.put("loss", loss);
    out.put("metrics", metricNames(t.get("metrics")));
    Object wm = t.get("weighted_metrics");
    if (wm != null) out.put("weighted_metrics", metricNames(wm));
    out.put("loss_weights", t.get("loss_weights"));
    out.put("sample_weight_mode", t.get("sample_weight_mode"));
    return out;
  }

  private static Object metricNames(Object metrics) {
    if (metrics instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object m : l) out.add(metricNames(m));
      return out;
    }
    if (metrics instanceof Map<?, ?> m) {
      if (m.get("class_name") != null
          && m.get("config") instanceof Map<?, ?> c
          && c.get("name") != null) {
        return c.get("name");
      }
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet())
        out.put(String.valueOf(e.getKey()), metricNames(e.getValue()));
      return out;
    }
    return metrics;
  }

  /**
   * jkeras' Keras 2 model config in the form Keras 3's {@code .keras} loader requires: {@code
   * module} and {@code registered_name} on every serialized object, {@code Functional} for {@code
   * Model}, and a Sequential's input as an explicit {@code InputLayer} with {@code batch_shape}.
   */
  public static Map<String, Object> toKeras3(Map<String, Object> keras2) {
    Map<String, Object> m = deepCopy(keras2);
    keras3Model(m);
    return m;
  }

  private static void keras3Model(Map<String, Object> m) {
    String cls = (String) m.get("class_name");
    Map<String, Object> c = asMap(m.get("config"), "config");
    List<Object> layers = new ArrayList<>(asList(c.get("layers"), "layers"));
    if (cls.equals("Sequential")) {
      if (!layers.isEmpty()
          && !"InputLayer".equals(asMap(layers.get(0), "layer").get("class_name"))) {
        Map<String, Object> first = asMap(asMap(layers.get(0), "layer").get("config"), "config");
        Object bis = first.remove("batch_input_shape");
        if (bis != null) {
          Map<String, Object> in = new LinkedHashMap<>();
          in.put("batch_shape", bis);
          in.put("dtype", first.getOrDefault("dtype", "float32"));
          in.put("sparse", false);
          in.put("name", first.get("name") + "_input");
          Map<String, Object> il = new LinkedHashMap<>();
          il.put("class_name", "InputLayer");
          il.put("config", in);
          layers.add(0, il);
        }
      }
    } else {
      m.put("class_name", "Functional");
    }
    String module = cls.equals("Sequential") ? "keras" : "keras.src.models.functional";
    // Keras 3 models have no node of their own: their calls count from 0 (Keras 2: from 1).
    Set<String> nestedModels = new HashSet<>();
    Set<String> nestedSequentials = new HashSet<>();
    for (Object l : layers) {
      Map<String, Object> lm = asMap(l, "layer");
      if (lm.get("class_name") instanceof String cn
          && (cn.equals("Sequential") || isModelClass(cn))) {
        nestedModels.add(String.valueOf(lm.get("name")));
        if (cn.equals("Sequential")) nestedSequentials.add(String.valueOf(lm.get("name")));
      }
    }
    if (!cls.equals("Sequential")) {
      for (String key : List.of("input_layers", "output_layers")) {
        if (c.get(key) instanceof List<?> refs) {
          List<Object> shifted = new ArrayList<>();
          for (Object r : refs) shifted.add(shiftNode(r, nestedSequentials, -1));
          c.put(key, shifted);
        }
      }
    }
    for (Object l : layers) {
      Map<String, Object> lm = asMap(l, "layer");
      if (lm.get("inbound_nodes") instanceof List<?> nodes) {
        List<Object> converted = new ArrayList<>();
        for (Object node : nodes) {
          if (node instanceof List<?> refs) {
            List<Object> shifted = new ArrayList<>();
            for (Object r : refs) shifted.add(shiftNode(r, nestedModels, -1));
            converted.add(shifted);
          } else {
            converted.add(node);
          }
        }
        lm.put("inbound_nodes", converted);
      }
    }
    for (Object l : layers) {
      Map<String, Object> lm = asMap(l, "layer");
      String lc = (String) lm.get("class_name");
      if (lc.equals("Sequential") || isModelClass(lc)) {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("class_name", lc);
        inner.put("config", lm.get("config"));
        keras3Model(inner);
        lm.put("class_name", inner.get("class_name"));
        lm.put("config", inner.get("config"));
        Object mod = inner.get("module");
        lm.put("module", mod);
        lm.put("registered_name", null);
        continue;
      }
      Map<String, Object> lcfg = asMap(lm.get("config"), "config");
      if (lc.equals("InputLayer") && lcfg.containsKey("batch_input_shape")) {
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : lcfg.entrySet())
          copy.put(
              e.getKey().equals("batch_input_shape") ? "batch_shape" : e.getKey(), e.getValue());
        lm.put("config", copy);
        lcfg = copy;
      }
      if (lc.equals("LeakyReLU") && lcfg.containsKey("alpha")) {
        lcfg = new LinkedHashMap<>(lcfg);
        lcfg.put("negative_slope", lcfg.remove("alpha"));
        lm.put("config", lcfg);
      }
      // Keras 3's spatial dropouts take rate, seed, name and dtype only.
      if (lc.startsWith("SpatialDropout")) {
        lcfg = new LinkedHashMap<>(lcfg);
        lcfg.remove("trainable");
        lcfg.remove("noise_shape");
        lm.put("config", lcfg);
      }
      for (Map.Entry<String, Object> e : lcfg.entrySet()) {
        if (e.getValue() instanceof Map<?, ?> v && v.containsKey("class_name")) {
          @SuppressWarnings("unchecked")
          Map<String, Object> w = (Map<String, Object>) v;
          String k = e.getKey();
          String wrapperModule =
              k.endsWith("initializer")
                  ? "keras.initializers"
                  : k.endsWith("regularizer")
                      ? "keras.regularizers"
                      : k.endsWith("constraint") ? "keras.constraints" : "keras.layers";
          Map<String, Object> nw = new LinkedHashMap<>();
          nw.put("module", wrapperModule);
          nw.putAll(w);
          nw.put("registered_name", null);
          e.setValue(nw);
        }
      }
      Map<String, Object> nl = new LinkedHashMap<>();
      nl.put("module", "keras.layers");
      nl.putAll(lm);
      nl.put("registered_name", null);
      lm.clear();
      lm.putAll(nl);
    }
    c.put("layers", layers);
    Map<String, Object> nm = new LinkedHashMap<>();
    nm.put("module", module);
    nm.putAll(m);
    nm.put("registered_name", null);
    m.clear();
    m.putAll(nm);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> asMap(Object o, String what) {
    if (o instanceof Map<?, ?> m) return (Map<String, Object>) m;
    throw new IllegalArgumentException(
        "Expected `"
            + what
            + "` to be a JSON object. Received: "
            + jkeras.internal.Errors.truncate(o));
  }

  static List<Object> asList(Object o, String what) {
    if (o instanceof List<?> l) return new ArrayList<>(l);
    throw new IllegalArgumentException(
        "Expected `"
            + what
            + "` to be a JSON list. Received: "
            + jkeras.internal.Errors.truncate(o));
  }

  /** A deep, mutable copy of JSON-like data. */
  @SuppressWarnings("unchecked")
  public static <T> T deepCopy(T value) {
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet())
        out.put(String.valueOf(e.getKey()), deepCopy(e.getValue()));
      return (T) out;
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object v : l) out.add(deepCopy(v));
      return (T) out;
    }
    return value;
  }
}
