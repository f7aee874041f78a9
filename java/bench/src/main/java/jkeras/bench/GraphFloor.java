package jkeras.bench;

import java.lang.reflect.Field;
import java.util.Iterator;
import java.util.List;
import jkeras.data.DType;
import jkeras.data.NDArray;
import jkeras.internal.graph.ModelGraph;
import jkeras.models.Model;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operation;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The engine floor of a model row: the graph and session a compiled jkeras model built, driven by a
 * bare TensorFlow Java loop (one {@code Session.run} per step: feed the batch copied from host
 * arrays, fetch the step's packed results, run the train op) with nothing of jkeras around it. The
 * difference to {@code trainOnBatch} on the same model is jkeras' own per-step cost.
 *
 * <p>A benchmark tool, not API: it reaches the model's graph by reflection and finds the train
 * step's ops by the names the engine gives them. Runs the model's real train op, so the model
 * trains on.
 */
final class GraphFloor {
  private final ModelGraph graph;
  private final Session session;
  private final Operation input;
  private final DType inputType;
  private final Operation target;
  private final Operation learningPhase;
  private final Operation results;
  private final Operation train;
  private final long[] xShape;
  private final long[] yShape;
  private final float[] xFloats;
  private final int[] xInts;
  private final float[] y;

  /** The floor of {@code model} (compiled, trained at least once) on the batch {@code x, y}. */
  GraphFloor(Model model, NDArray x, NDArray y) {
    ModelGraph mg = modelGraph(model);
    Graph g = mg.graph();
    this.graph = mg;
    this.session = mg.session();
    this.input = mg.inputPlaceholders().get(0).op();
    this.inputType = mg.inputDtypes().get(0);
    this.target = single(g, "Placeholder", "_target");
    this.learningPhase = g.operation("keras_learning_phase");
    this.results = single(g, "ConcatV2", "/step_results");
    this.train = single(g, "NoOp", "/train");
    this.xShape = x.shape();
    this.yShape = y.shape();
    if (inputType == DType.INT32) {
      this.xInts = x.toIntArray();
      this.xFloats = null;
    } else {
      this.xFloats = x.toFloatArray();
      this.xInts = null;
    }
    this.y = y.toFloatArray();
  }

  /** One train step; returns the loss. */
  double step() {
    try (Tensor xt =
            xInts != null
                ? TInt32.tensorOf(Shape.of(xShape), DataBuffers.of(xInts, true, false))
                : TFloat32.tensorOf(Shape.of(xShape), DataBuffers.of(xFloats, true, false));
        TFloat32 yt = TFloat32.tensorOf(Shape.of(yShape), DataBuffers.of(y, true, false));
        TBool on = TBool.scalarOf(true)) {
      Session.Runner r = session.runner().feed(input.output(0), xt).feed(target.output(0), yt);
      if (learningPhase != null && learningPhase.type().startsWith("Placeholder")) {
        r.feed(learningPhase.output(0), on);
      }
      // Through the model graph: a caller's-thread session sets flush-to-zero around the run.
      try (Result res = graph.run(r.fetch(results.output(0)).addTarget(train))) {
        return ((TFloat32) res.get(0)).getFloat(0);
      }
    }
  }

  /** One traced train step (diagnostics: {@link StepProbe}). */
  org.tensorflow.proto.RunMetadata tracedStep() {
    try (Tensor xt =
            xInts != null
                ? TInt32.tensorOf(Shape.of(xShape), DataBuffers.of(xInts, true, false))
                : TFloat32.tensorOf(Shape.of(xShape), DataBuffers.of(xFloats, true, false));
        TFloat32 yt = TFloat32.tensorOf(Shape.of(yShape), DataBuffers.of(y, true, false))) {
      Session.Runner r = session.runner().feed(input.output(0), xt).feed(target.output(0), yt);
      try (Result res =
          r.fetch(results.output(0))
              .addTarget(train)
              .setOptions(StepProbe.fullTrace())
              .runAndFetchMetadata()) {
        return StepProbe.metadata(res);
      }
    }
  }

  private static ModelGraph modelGraph(Model model) {
    try {
      Field f = Model.class.getDeclaredField("graph");
      f.setAccessible(true);
      return (ModelGraph) f.get(model);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot reach the model's graph: " + e, e);
    }
  }

  /** The one op of {@code type} whose name ends with {@code suffix}. */
  private static Operation single(Graph g, String type, String suffix) {
    Operation found = null;
    for (Iterator<GraphOperation> it = g.operations(); it.hasNext(); ) {
      GraphOperation op = it.next();
      if (op.type().equals(type) && op.name().endsWith(suffix)) {
        if (found != null) throw new IllegalStateException("several " + type + " ops *" + suffix);
        found = op;
      }
    }
    if (found == null) throw new IllegalStateException("no " + type + " op *" + suffix);
    return found;
  }

  static List<String> kinds() {
    return List.of("cnn", "bn_cnn", "lstm");
  }
}
