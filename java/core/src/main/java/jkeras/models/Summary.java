package jkeras.models;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jkeras.internal.Shapes;
import jkeras.layers.InputLayer;
import jkeras.layers.KerasTensor;
import jkeras.layers.Layer;
import jkeras.layers.Node;

/** Keras 2.3.1's {@code print_summary} table. */
final class Summary {
  private Summary() {}

  static String render(Model model) {
    List<Layer> layers = model.layers();
    Map<Layer, List<KerasTensor>> calls = new IdentityHashMap<>();
    collect(model.outputs(), calls);
    boolean sequentialLike = model instanceof Sequential || isSequentialLike(model, calls);
    int lineLength = sequentialLike ? 65 : 98;
    double[] pos = sequentialLike ? new double[] {.45, .85, 1.} : new double[] {.33, .55, .67, 1.};
    int[] positions = new int[pos.length];
    for (int i = 0; i < pos.length; i++) positions[i] = (int) (lineLength * pos[i]);
    StringBuilder sb = new StringBuilder();
    sb.append("Model: \"").append(model.name()).append("\"\n");
    sb.append("_".repeat(lineLength)).append('\n');
    String[] header =
        sequentialLike
            ? new String[] {"Layer (type)", "Output Shape", "Param #"}
            : new String[] {"Layer (type)", "Output Shape", "Param #", "Connected to"};
    row(sb, header, positions);
    sb.append("=".repeat(lineLength)).append('\n');
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      List<KerasTensor> outs = calls.getOrDefault(l, List.of());
      List<Node> nodes = new ArrayList<>();
      for (KerasTensor t : outs) if (!nodes.contains(t.node())) nodes.add(t.node());
      String shape =
          l instanceof InputLayer il
              ? Shapes.toPython(Shapes.withBatch(il.shape()))
              : sameShapes(nodes) ? shapes(nodes.get(0).outputs()) : "multiple";
      String name = l.name() + " (" + l.getClass().getSimpleName() + ")";
      String params = Long.toString(l.countParams());
      if (sequentialLike) {
        row(sb, new String[] {name, shape, params}, positions);
      } else {
        // Keras' "Connected to": layer[node index][tensor index] of each input of each call.
        List<String> connections = new ArrayList<>();
        for (Node n : nodes) {
          for (KerasTensor in : n.inbound()) {
            connections.add(
                in.layer().name() + "[" + in.node().index() + "][" + in.outputIndex() + "]");
          }
        }
        row(
            sb,
            new String[] {name, shape, params, connections.isEmpty() ? "" : connections.get(0)},
            positions);
        for (int c = 1; c < connections.size(); c++)
          row(sb, new String[] {"", "", "", connections.get(c)}, positions);
      }
      sb.append((i == layers.size() - 1 ? "=" : "_").repeat(lineLength)).append('\n');
    }
    long trainable = 0;
    long total = 0;
    for (Layer l : layers) {
      for (jkeras.backend.Weight w : l.weights()) {
        total += w.size();
        if (w.trainable()) trainable += w.size();
      }
    }
    DecimalFormat f = new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.ROOT));
    sb.append("Total params: ").append(f.format(total)).append('\n');
    sb.append("Trainable params: ").append(f.format(trainable)).append('\n');
    sb.append("Non-trainable params: ").append(f.format(total - trainable)).append('\n');
    sb.append("_".repeat(lineLength)).append('\n');
    return sb.toString();
  }

  /**
   * Keras' {@code layer.output_shape}: the shape of a layer called several times when every call
   * gave the same shapes; "multiple" otherwise.
   */
  private static boolean sameShapes(List<Node> nodes) {
    for (Node n : nodes)
      if (!shapes(n.outputs()).equals(shapes(nodes.get(0).outputs()))) return false;
    return true;
  }

  /** One output's shape, or the list of a multi-output call's shapes as Python prints it. */
  private static String shapes(List<KerasTensor> outputs) {
    if (outputs.size() == 1) return Shapes.toPython(outputs.get(0).shape());
    List<String> each = new ArrayList<>();
    for (KerasTensor t : outputs) each.add(Shapes.toPython(t.shape()));
    return "[" + String.join(", ", each) + "]";
  }

  private static void collect(List<KerasTensor> ts, Map<Layer, List<KerasTensor>> calls) {
    for (KerasTensor t : ts) {
      List<KerasTensor> l = calls.computeIfAbsent(t.layer(), k -> new ArrayList<>());
      if (l.stream().noneMatch(x -> x == t)) {
        l.add(t);
        collect(t.inbound(), calls);
      }
    }
  }

  /** Keras: a chain where every layer is called once on at most one input. */
  private static boolean isSequentialLike(Model model, Map<Layer, List<KerasTensor>> calls) {
    if (model.inputs().size() != 1 || model.outputs().size() != 1) return false;
    for (List<KerasTensor> outs : calls.values()) {
      if (outs.size() > 1) return false;
      for (KerasTensor t : outs) if (t.inbound().size() > 1) return false;
    }
    return true;
  }

  private static void row(StringBuilder sb, String[] fields, int[] positions) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) line.setLength(line.length() - 1);
      if (i > 0) line.append(' ');
      line.append(fields[i]);
      if (line.length() > positions[i]) line.setLength(positions[i]);
      while (line.length() < positions[i]) line.append(' ');
    }
    sb.append(line).append('\n');
  }
}
