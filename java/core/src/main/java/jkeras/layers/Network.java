package jkeras.layers;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import jkeras.backend.CallContext;
import jkeras.regularizers.Regularizer;
import org.tensorflow.Operand;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Network} ({@code keras/engine/network.py}): a graph of layer calls from input
 * tensors to output tensors, itself usable as a layer. {@code Model} and {@code Sequential} are
 * networks: calling one on tensors ({@code model.apply(x)}, Keras' {@code model(x)}) builds its
 * layers' ops again on those tensors, with the same weights.
 *
 * <p>{@link #run} builds a network's ops node by node (Keras' {@code run_internal_graph}): each
 * node's call once for all its outputs, with the inputs' masks passed in, the outputs' masks
 * recorded, the layer's activity regularizer added as a loss, and the call's context {@link
 * CallContext#current() current} while the layer builds its ops. A model's graph runs it from its
 * inputs; a network called as a layer inside another runs it again on the outer model's tensors, in
 * the outer graph.
 */
public abstract class Network extends Layer {
  /** What a network call built: one value and one mask (or null) per output. */
  public record Result(List<Operand<TFloat32>> outputs, List<Operand<TBool>> masks) {}

  /** The masks of the last {@link #callOutputs} per call context, for {@link #computeMasks}. */
  private final Map<CallContext, List<Operand<TBool>>> lastMasks = new IdentityHashMap<>();

  protected Network(Layer.Builder<?> b) {
    super(b);
  }

  /** The network's input tensors (Keras' {@code model.inputs}). */
  public abstract List<KerasTensor> inputs();

  /** The network's output tensors (Keras' {@code model.outputs}). */
  public abstract List<KerasTensor> outputs();

  /**
   * Records the network's own node (Keras' {@code _init_graph_network} links its inputs to its
   * outputs as node 0), once: its calls as a layer are then nodes 1, 2, ..., as Keras' summary
   * numbers them ({@code model_1[1][0]}).
   */
  protected final void recordOwnNode() {
    if (nodeCount() == 0) newNode(List.of());
  }

  /**
   * Makes sure the network exists before it is called on tensors of {@code inputShapes} (a
   * Sequential without an input shape builds itself from them). Nothing by default.
   */
  protected void prepareForCall(List<long[]> inputShapes) {}

  @Override
  protected boolean acceptsMultipleInputs() {
    return true;
  }

  /**
   * Keras' {@code Network.compute_output_shape} checks: one tensor per model input, each of a
   * compatible shape.
   */
  @Override
  protected void checkInputs(List<long[]> inputShapes) {
    prepareForCall(inputShapes);
    List<KerasTensor> ins = inputs();
    if (inputShapes.size() != ins.size()) {
      throw new IllegalArgumentException(
          "Model "
              + name()
              + " expects "
              + ins.size()
              + " input(s), but it received "
              + inputShapes.size()
              + " input tensors.");
    }
    for (int i = 0; i < ins.size(); i++) {
      long[] want = ins.get(i).shape();
      long[] got = inputShapes.get(i);
      boolean ok = want.length == got.length;
      for (int d = 0; ok && d < want.length; d++)
        ok = want[d] < 0 || got[d] < 0 || want[d] == got[d];
      if (!ok) {
        throw new IllegalArgumentException(
            "Input "
                + i
                + " is incompatible with layer "
                + name()
                + ": expected shape="
                + jkeras.internal.Shapes.toPython(want)
                + ", found shape="
                + jkeras.internal.Shapes.toPython(got));
      }
    }
  }

  /** The network's layers are built already: nothing to create. */
  @Override
  public void build(List<long[]> inputShapes) {}

  @Override
  public long[] computeOutputShape(List<long[]> inputShapes) {
    return computeOutputShapes(inputShapes).get(0);
  }

  /** The output tensors' shapes. */
  @Override
  public List<long[]> computeOutputShapes(List<long[]> inputShapes) {
    List<long[]> out = new ArrayList<>();
    for (KerasTensor t : outputs()) out.add(t.shape());
    return out;
  }

  /** Keras' {@code Network.call}: the layers' ops again, on {@code inputs}. */
  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    return callOutputs(ctx, inputs).get(0);
  }

  @Override
  public List<Operand<TFloat32>> callOutputs(CallContext ctx, List<Operand<TFloat32>> inputs) {
    Result r = run(ctx, inputs(), outputs(), inputs, ctx.inputMasks());
    lastMasks.put(ctx, r.masks());
    return r.outputs();
  }

  /** Networks pass masks through their layers (Keras' {@code Network.compute_mask}). */
  @Override
  public boolean supportsMasking() {
    return true;
  }

  /** The output masks the last call on {@code ctx} computed. */
  @Override
  public List<Operand<TBool>> computeMasks(
      CallContext ctx, List<Operand<TFloat32>> inputs, int outputs) {
    List<Operand<TBool>> m = lastMasks.remove(ctx);
    return m != null ? m : LayerUtils.firstMask(null, outputs);
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
    return run(ctx, inputs, outputs, inputValues, inputMasks, unique);
  }

  /**
   * As {@link #run(CallContext, List, List, List, List)}, each layer call under a scope named by
   * {@code uniqueName} (a model's graph gives its own op-name uniquifier).
   */
  public static Result run(
      CallContext ctx,
      List<KerasTensor> inputs,
      List<KerasTensor> outputs,
      List<Operand<TFloat32>> inputValues,
      List<Operand<TBool>> inputMasks,
      UnaryOperator<String> uniqueName) {
    return new Run(inputs, outputs, uniqueName).build(ctx, inputValues, inputMasks);
  }

  /** One run of a network's nodes: the values and masks built so far. */
  private static final class Run {
    private final List<KerasTensor> inputs;
    private final List<KerasTensor> outputs;
    private final UnaryOperator<String> uniqueName;
    private final Map<KerasTensor, Operand<TFloat32>> values = new IdentityHashMap<>();
    private final Map<KerasTensor, Operand<TBool>> masks = new IdentityHashMap<>();

    Run(List<KerasTensor> inputs, List<KerasTensor> outputs, UnaryOperator<String> uniqueName) {
      this.inputs = inputs;
      this.outputs = outputs;
      this.uniqueName = uniqueName;
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
        // Keras 2.3.1 Layer.__call__: the activity regularizer's penalty on every output,
        // undivided.
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
  }

  /** A layer name as a TensorFlow scope name (no '/', starts with a letter, digit or '.'). */
  static String opName(String base) {
    String clean = base.replaceAll("[^A-Za-z0-9_.\\-]", "_");
    if (!clean.isEmpty() && !Character.isLetterOrDigit(clean.charAt(0)) && clean.charAt(0) != '.')
      clean = "x" + clean;
    return clean;
  }
}
