package jkeras.internal.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import jkeras.backend.CallContext;
import jkeras.layers.InputLayer;
import jkeras.layers.KerasTensor;
import jkeras.layers.Layer;
import jkeras.layers.Node;
import jkeras.regularizers.Regularizer;
import org.tensorflow.Operand;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Builds the ops of a network of layer calls (a model's nodes) on given input values: each node's
 * call once for all its outputs, with the inputs' masks passed in, the outputs' masks recorded, the
 * layer's activity regularizer added as a loss, and the call's context {@link CallContext#current()
 * current} while the layer builds its ops (Keras' {@code run_internal_graph}). A model's graph runs
 * it from its inputs; a model called as a layer inside another runs it again on the outer model's
 * tensors, in the outer graph.
 */
public final class NetworkCall {
  private final List<KerasTensor> inputs;
  private final List<KerasTensor> outputs;
  private final UnaryOperator<String> uniqueName;
  private final Map<KerasTensor, Operand<TFloat32>> values = new IdentityHashMap<>();
  private final Map<KerasTensor, Operand<TBool>> masks = new IdentityHashMap<>();

  /** What a network call built: one value and one mask (or null) per output. */
  public record Result(List<Operand<TFloat32>> outputs, List<Operand<TBool>> masks) {}

  private NetworkCall(
      List<KerasTensor> inputs, List<KerasTensor> outputs, UnaryOperator<String> uniqueName) {
    this.inputs = inputs;
    this.outputs = outputs;
    this.uniqueName = uniqueName;
  }

  /**
   * Builds the network from {@code inputs} to {@code outputs} on {@code inputValues} (one per
   * input, with {@code inputMasks}, null where an input has none), under {@code ctx}'s name scope.
   */
  public static Result run(
      CallContext ctx,
      List<KerasTensor> inputs,
      List<KerasTensor> outputs,
      List<Operand<TFloat32>> inputValues,
      List<Operand<TBool>> inputMasks) {
    Map<String, Integer> used = new HashMap<>();
    UnaryOperator<String> unique =
        base -> {
          int n = used.merge(base, 1, Integer::sum);
          return n == 1 ? base : base + "_" + (n - 1);
        };
    return new NetworkCall(inputs, outputs, unique).build(ctx, inputValues, inputMasks);
  }

  /** As {@link #run}, with the graph's own op-name uniquifier (a model's top-level network). */
  static Result run(
      CallContext ctx,
      List<KerasTensor> inputs,
      List<KerasTensor> outputs,
      List<Operand<TFloat32>> inputValues,
      UnaryOperator<String> uniqueName) {
    List<Operand<TBool>> none = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) none.add(null);
    return new NetworkCall(inputs, outputs, uniqueName).build(ctx, inputValues, none);
  }

  private Result build(
      CallContext ctx, List<Operand<TFloat32>> inputValues, List<Operand<TBool>> inputMasks) {
    if (inputValues.size() != inputs.size()) {
      throw new IllegalArgumentException(
          "The network takes "
              + inputs.size()
              + " inputs but was called on "
              + inputValues.size()
              + " tensors.");
    }
    for (int i = 0; i < inputs.size(); i++) {
      values.put(inputs.get(i), inputValues.get(i));
      Operand<TBool> m = i < inputMasks.size() ? inputMasks.get(i) : null;
      if (m != null) masks.put(inputs.get(i), m);
    }
    List<Operand<TFloat32>> outs = new ArrayList<>();
    List<Operand<TBool>> outMasks = new ArrayList<>();
    for (KerasTensor out : outputs) {
      outs.add(evaluate(out, ctx));
      outMasks.add(masks.get(out));
    }
    return new Result(outs, outMasks);
  }

  private Operand<TFloat32> evaluate(KerasTensor t, CallContext ctx) {
    Operand<TFloat32> v = values.get(t);
    if (v != null) return v;
    if (t.layer() instanceof InputLayer) {
      throw new IllegalArgumentException(
          "Graph disconnected: cannot obtain value for tensor "
              + t
              + " at layer \""
              + t.layer().name()
              + "\". It is not one of the model's inputs.");
    }
    Node node = t.node();
    List<Operand<TFloat32>> ins = new ArrayList<>();
    List<Operand<TBool>> inMasks = new ArrayList<>();
    for (KerasTensor i : node.inbound()) {
      ins.add(evaluate(i, ctx));
      inMasks.add(masks.get(i));
    }
    Layer layer = node.layer();
    CallContext call =
        ctx.forCall(ctx.tf().withSubScope(uniqueName.apply(opName(layer.name()))), inMasks);
    List<Operand<TFloat32>> outs;
    List<Operand<TBool>> outMasks;
    try (CallContext.Scope s = call.enter()) {
      outs = layer.callOutputs(call, ins);
      List<KerasTensor> tensors = node.outputs();
      if (outs.size() != tensors.size()) {
        throw new IllegalStateException(
            "Layer "
                + layer.name()
                + " built "
                + outs.size()
                + " outputs but declared "
                + tensors.size()
                + ".");
      }
      outMasks = layer.computeMasks(call, ins, outs.size());
      // Keras 2.3.1 Layer.__call__: the activity regularizer's penalty on every output, undivided.
      Regularizer activity = layer.activityRegularizer();
      if (activity != null) {
        for (Operand<TFloat32> o : outs) {
          call.addLoss(activity.call(call.tf().withSubScope("activity_regularizer"), o));
        }
      }
    }
    List<KerasTensor> tensors = node.outputs();
    for (int i = 0; i < outs.size(); i++) {
      values.put(tensors.get(i), outs.get(i));
      if (outMasks.get(i) != null) masks.put(tensors.get(i), outMasks.get(i));
    }
    return values.get(t);
  }

  /** A layer name as a TensorFlow scope name (no '/', starts with a letter, digit or '.'). */
  static String opName(String base) {
    String clean = base.replaceAll("[^A-Za-z0-9_.\\-]", "_");
    if (!clean.isEmpty() && !Character.isLetterOrDigit(clean.charAt(0)) && clean.charAt(0) != '.')
      clean = "x" + clean;
    return clean;
  }
}
