package jkeras.models;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jkeras.layers.Input;
import jkeras.layers.InputLayer;
import jkeras.layers.KerasTensor;
import jkeras.layers.Layer;
import jkeras.layers.Layers;
import jkeras.layers.Node;

/**
 * Model configs in Keras 2's form (Keras 2.3.1's {@code Network.get_config} / {@code from_config},
 * {@code Sequential.get_config} / {@code from_config}).
 */
final class ModelSerialization {
  private ModelSerialization() {}

  /** The Keras class name a layer is written under. */
  static String className(Layer layer) {
    if (layer instanceof Sequential) return "Sequential";
    if (layer instanceof Model) return "Model";
    return layer.getClass().getSimpleName();
  }

  /** {@code {"class_name", "config"}} of a layer, models included. */
  static Map<String, Object> serialize(Layer layer) {
    return serialize(layer, false);
  }

  /**
   * As {@link #serialize(Layer)}; with {@code keras3Nodes}, functional models write Keras 3's
   * inbound nodes ({@code {"args", "kwargs"}} with {@code __keras_tensor__} entries), whose node
   * indices count a nested model's calls from 0 as Keras 3 does.
   */
  static Map<String, Object> serialize(Layer layer, boolean keras3Nodes) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("class_name", className(layer));
    m.put(
        "config",
        keras3Nodes && layer instanceof Model model && !(layer instanceof Sequential)
            ? functionalConfig(model, true)
            : layer.getConfig());
    return m;
  }

  /** Keras 2.3.1's {@code Sequential.get_config}: its name and its layers. */
  static Map<String, Object> sequentialConfig(Sequential s) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", s.name());
    List<Object> layers = new ArrayList<>();
    // The input as an explicit InputLayer, as tf-keras writes it: Keras 2.3.1, tf-keras and
    // Keras 3 all read this form (Keras 3 reads no batch_input_shape on other layers).
    if (!s.inputs().isEmpty()) {
      KerasTensor in = s.inputs().get(0);
      Map<String, Object> il = new LinkedHashMap<>();
      List<Object> bis = new ArrayList<>();
      for (long d : in.shape()) bis.add(d < 0 ? null : d);
      il.put("batch_input_shape", bis);
      il.put("dtype", in.dtype().kerasName());
      il.put("sparse", false);
      il.put("name", in.layer().name());
      Map<String, Object> w = new LinkedHashMap<>();
      w.put("class_name", "InputLayer");
      w.put("config", il);
      layers.add(w);
    }
    for (Layer l : s.layers()) {
      Map<String, Object> lc = serialize(l);
      if (!s.inputs().isEmpty()) {
        @SuppressWarnings("unchecked")
        Map<String, Object> cfg = (Map<String, Object>) lc.get("config");
        cfg.remove("batch_input_shape");
      }
      layers.add(lc);
    }
    c.put("layers", layers);
    return c;
  }

  /** Keras 2.3.1's {@code Network.get_config}: layers with their inbound nodes, inputs, outputs. */
  static Map<String, Object> functionalConfig(Model m) {
    return functionalConfig(m, false);
  }

  private static Map<String, Object> functionalConfig(Model m, boolean keras3Nodes) {
    Set<Node> networkNodes = networkNodes(m);
    Map<Node, Integer> kept = new IdentityHashMap<>();
    Map<Layer, Integer> keptPerLayer = new IdentityHashMap<>();
    // Node indices as Keras numbers them in a config: among the layer's nodes in this network.
    List<Layer> layers = m.layers();
    for (Layer l : layers) {
      List<Node> nodes = nodesOf(l, networkNodes);
      nodes.sort((a, b) -> Integer.compare(a.index(), b.index()));
      // Keras 2.3.1: a nested network's node 0 is its own, so its calls count from 1 (Keras 3's
      // models have no node of their own).
      if (l instanceof Model && !keras3Nodes) keptPerLayer.put(l, 1);
      for (Node n : nodes) kept.put(n, keptPerLayer.merge(l, 1, Integer::sum) - 1);
    }
    List<Object> layerConfigs = new ArrayList<>();
    for (Layer l : layers) {
      Map<String, Object> lc = new LinkedHashMap<>();
      lc.put("name", l.name());
      lc.put("class_name", className(l));
      lc.put("config", serialize(l, keras3Nodes).get("config"));
      List<Object> inbound = new ArrayList<>();
      List<Node> nodes = nodesOf(l, networkNodes);
      nodes.sort((a, b) -> Integer.compare(a.index(), b.index()));
      for (Node n : nodes) {
        if (n.inbound().isEmpty()) continue;
        if (keras3Nodes) {
          inbound.add(keras3Node(n, kept));
          continue;
        }
        List<Object> node = new ArrayList<>();
        for (KerasTensor t : n.inbound()) node.add(tensorRef(t, kept, true));
        inbound.add(node);
      }
      lc.put("inbound_nodes", inbound);
      layerConfigs.add(lc);
    }
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", m.name());
    c.put("layers", layerConfigs);
    List<Object> ins = new ArrayList<>();
    for (KerasTensor t : m.inputs()) ins.add(tensorRef(t, kept, false));
    List<Object> outs = new ArrayList<>();
    for (KerasTensor t : m.outputs()) outs.add(tensorRef(t, kept, false));
    c.put("input_layers", ins);
    c.put("output_layers", outs);
    return c;
  }

  /** Keras 3's node: the call's tensors (a list for a layer called on several) and kwargs. */
  private static Map<String, Object> keras3Node(Node n, Map<Node, Integer> kept) {
    List<Object> tensors = new ArrayList<>();
    for (KerasTensor t : n.inbound()) {
      List<Object> shape = new ArrayList<>();
      for (long d : t.shape()) shape.add(d < 0 ? null : d);
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("shape", shape);
      c.put("dtype", t.dtype().kerasName());
      c.put("keras_history", tensorRef(t, kept, false));
      Map<String, Object> kt = new LinkedHashMap<>();
      kt.put("class_name", "__keras_tensor__");
      kt.put("config", c);
      tensors.add(kt);
    }
    Map<String, Object> node = new LinkedHashMap<>();
    node.put("args", List.of(tensors.size() == 1 ? tensors.get(0) : tensors));
    node.put("kwargs", new LinkedHashMap<>());
    return node;
  }

  private static List<Object> tensorRef(KerasTensor t, Map<Node, Integer> kept, boolean kwargs) {
    List<Object> r = new ArrayList<>();
    r.add(t.layer().name());
    r.add(kept.getOrDefault(t.node(), 0));
    r.add(t.outputIndex());
    if (kwargs) r.add(new LinkedHashMap<>());
    return r;
  }

  private static List<Node> nodesOf(Layer l, Set<Node> networkNodes) {
    List<Node> out = new ArrayList<>();
    for (Node n : networkNodes) if (n.layer() == l) out.add(n);
    return out;
  }

  /** The nodes between the model's inputs and outputs (Keras' {@code _network_nodes}). */
  private static Set<Node> networkNodes(Model m) {
    Set<Node> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    List<KerasTensor> stack = new ArrayList<>(m.outputs());
    while (!stack.isEmpty()) {
      KerasTensor t = stack.remove(stack.size() - 1);
      if (seen.add(t.node()) && !m.inputs().contains(t)) stack.addAll(t.inbound());
    }
    for (KerasTensor t : m.inputs()) seen.add(t.node());
    return seen;
  }

  // ---------------------------------------------------------------- from config

  /** A model from its Keras 2 {@code {"class_name", "config"}}. */
  static Model fromConfig(Map<String, Object> wrapper) {
    String cls = (String) wrapper.get("class_name");
    Object config = wrapper.get("config");
    if ("Sequential".equals(cls)) return sequentialFromConfig(asMap(config));
    if ("Model".equals(cls) || "Functional".equals(cls)) return functionalFromConfig(asMap(config));
    throw new IllegalArgumentException(
        "Expected a model config of class `Sequential` or `Model` (`Functional`). Received: class_name="
            + cls);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object o) {
    if (o instanceof Map<?, ?> m) return (Map<String, Object>) m;
    throw new IllegalArgumentException(
        "Expected a JSON object in the model config. Received: "
            + jkeras.internal.Errors.truncate(o));
  }

  /** A layer of a config: a nested model or a layer class. */
  private static Layer layerFromConfig(String cls, Map<String, Object> config) {
    if ("Sequential".equals(cls) || "Model".equals(cls) || "Functional".equals(cls)) {
      Map<String, Object> w = new LinkedHashMap<>();
      w.put("class_name", cls);
      w.put("config", config);
      return fromConfig(w);
    }
    return Layers.deserialize(cls, new LinkedHashMap<>(config));
  }

  static Sequential sequentialFromConfig(Map<String, Object> config) {
    Object name = config.get("name");
    Sequential s = new Sequential(name instanceof String n ? n : null);
    for (Object l : (List<?>) config.get("layers")) {
      Map<String, Object> lm = asMap(l);
      s.add(layerFromConfig((String) lm.get("class_name"), asMap(lm.get("config"))));
    }
    return s;
  }

  /**
   * Keras 2.3.1's {@code Network.from_config}: creates the layers in order, then calls each on its
   * inbound nodes as soon as their inputs exist.
   */
  static Model functionalFromConfig(Map<String, Object> config) {
    Map<String, Layer> created = new LinkedHashMap<>();
    Map<String, List<List<KerasTensor>>> outputsOf = new HashMap<>();
    Map<String, List<Object>> pending = new LinkedHashMap<>();
    List<String> order = new ArrayList<>();
    for (Object lo : (List<?>) config.get("layers")) {
      Map<String, Object> lm = asMap(lo);
      String name = (String) lm.get("name");
      String cls = (String) lm.get("class_name");
      Map<String, Object> lc = asMap(lm.get("config"));
      order.add(name);
      outputsOf.put(name, new ArrayList<>());
      if ("InputLayer".equals(cls)) {
        List<?> bis =
            (List<?>)
                (lc.get("batch_input_shape") != null
                    ? lc.get("batch_input_shape")
                    : lc.get("batch_shape"));
        if (bis == null)
          throw new IllegalArgumentException(
              "InputLayer `" + name + "` has no `batch_input_shape`.");
        long[] shape = new long[bis.size() - 1];
        for (int i = 1; i < bis.size(); i++)
          shape[i - 1] = bis.get(i) == null ? -1 : ((Number) bis.get(i)).longValue();
        Input.Builder b = Input.builder().shape(shape).name(name);
        if (lc.get("dtype") instanceof String d) b.dtype(d);
        KerasTensor t = b.build();
        created.put(name, t.layer());
        outputsOf.get(name).add(List.of(t));
      } else {
        Layer layer = layerFromConfig(cls, lc);
        created.put(name, layer);
        // A nested model's node 0 is its own (Keras' _should_skip_first_node): calls count from 1.
        if (layer instanceof Model) outputsOf.get(name).add(null);
      }
      List<Object> nodes = new ArrayList<>();
      if (lm.get("inbound_nodes") instanceof List<?> l) nodes.addAll(l);
      pending.put(name, nodes);
    }
    boolean progress = true;
    while (progress) {
      progress = false;
      for (String name : order) {
        List<Object> nodes = pending.get(name);
        while (!nodes.isEmpty()) {
          List<?> node = (List<?>) nodes.get(0);
          List<KerasTensor> inputs = new ArrayList<>();
          boolean ready = true;
          for (Object ref : node) {
            List<?> r = (List<?>) ref;
            String in = (String) r.get(0);
            int nodeIndex = ((Number) r.get(1)).intValue();
            int tensorIndex = ((Number) r.get(2)).intValue();
            List<List<KerasTensor>> made = outputsOf.get(in);
            if (made == null)
              throw new IllegalArgumentException(
                  "Unknown layer `" + in + "` in the inbound nodes of `" + name + "`.");
            if (made.size() <= nodeIndex) {
              ready = false;
              break;
            }
            inputs.add(made.get(nodeIndex).get(tensorIndex));
          }
          if (!ready) break;
          nodes.remove(0);
          progress = true;
          outputsOf.get(name).add(created.get(name).applyOutputs(inputs));
        }
      }
    }
    for (Map.Entry<String, List<Object>> e : pending.entrySet()) {
      if (!e.getValue().isEmpty())
        throw new IllegalArgumentException(
            "Cannot build layer `"
                + e.getKey()
                + "` of the config: its inputs never become available.");
    }
    List<KerasTensor> ins = refs(config.get("input_layers"), outputsOf);
    List<KerasTensor> outs = refs(config.get("output_layers"), outputsOf);
    Object name = config.get("name");
    return new Model(ins, outs, name instanceof String n ? n : null);
  }

  private static List<KerasTensor> refs(
      Object list, Map<String, List<List<KerasTensor>>> outputsOf) {
    List<KerasTensor> out = new ArrayList<>();
    for (Object ref : (List<?>) list) {
      List<?> r = (List<?>) ref;
      List<List<KerasTensor>> made = outputsOf.get((String) r.get(0));
      if (made == null)
        throw new IllegalArgumentException(
            "Unknown layer `" + r.get(0) + "` among the model's inputs or outputs.");
      out.add(made.get(((Number) r.get(1)).intValue()).get(((Number) r.get(2)).intValue()));
    }
    return out;
  }

  @SuppressWarnings("unused")
  private static boolean isInput(Layer l) {
    return l instanceof InputLayer;
  }
}
