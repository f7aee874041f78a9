package jkeras.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The "engine floor" of the train-on-batch benchmark: the graph jkeras builds for an MLP {@code
 * features-hidden-classes} (relu, softmax) with Adam and sparse categorical cross-entropy plus
 * accuracy, written directly with TensorFlow Java, and driven by one {@code Session.run} per step
 * with nothing around it. No Keras semantics are checked here: it is a benchmark baseline, not API.
 *
 * <p>Like jkeras: resource variables read once per step, the loss from the softmax's logits,
 * gradients by {@code Graph.addGradients}, Adam as elementwise ops gated after the gradients, an
 * iteration counter, the loss and the accuracy sum fetched, inputs copied from host arrays each
 * step (float32 features, float32 labels cast in the graph).
 */
final class EngineFloor implements AutoCloseable {
  private final Graph graph = new Graph();
  private final Session session;
  private final Placeholder<TFloat32> x;
  private final Placeholder<TFloat32> y;
  private final Operand<TFloat32> loss;
  private final Operand<TFloat32> hits;
  private final Op train;
  private final int features;

  EngineFloor(int features, int hidden, int classes, long seed) {
    this(features, hidden, classes, seed, false);
  }

  /** {@code fused}: Adam as {@code ResourceApplyAdam} (Keras 2.3.1's formula, one kernel). */
  EngineFloor(int features, int hidden, int classes, long seed, boolean fused) {
    this.features = features;
    Ops tf = Ops.create(graph);
    SplittableRandom rng = new SplittableRandom(seed);
    x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, features)));
    y = tf.withName("y").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));

    List<Op> init = new ArrayList<>();
    List<Operand<TFloat32>> handles = new ArrayList<>();
    List<Operand<TFloat32>> params = new ArrayList<>();
    long[][] shapes = {{features, hidden}, {hidden}, {hidden, classes}, {classes}};
    for (int i = 0; i < shapes.length; i++) {
      float[] v = shapes[i].length == 1 ? new float[(int) shapes[i][0]] : glorot(rng, shapes[i]);
      Var var =
          variable(
              tf, "p" + i, shapes[i], tf.constant(Shape.of(shapes[i]), DataBuffers.of(v)), init);
      handles.add(var.handle);
      params.add(var.value);
    }
    Operand<TFloat32> h =
        tf.nn.relu(tf.nn.biasAdd(tf.linalg.matMul(x, params.get(0)), params.get(1)));
    Operand<TFloat32> logits = tf.nn.biasAdd(tf.linalg.matMul(h, params.get(2)), params.get(3));
    Operand<TFloat32> probs = tf.nn.softmax(logits);
    Operand<TInt32> labels = tf.dtypes.cast(y, TInt32.class);
    Operand<TFloat32> oneHot =
        tf.oneHot(labels, tf.constant(classes), tf.constant(1f), tf.constant(0f));
    Operand<TFloat32> perSample = tf.nn.softmaxCrossEntropyWithLogits(logits, oneHot).loss();
    loss = tf.math.mean(perSample, tf.constant(0));
    Operand<TFloat32> predicted =
        tf.dtypes.cast(tf.math.argMax(probs, tf.constant(-1)), TFloat32.class);
    hits =
        tf.reduceSum(tf.dtypes.cast(tf.math.equal(y, predicted), TFloat32.class), tf.constant(0));

    Output<?>[] xs = new Output<?>[params.size()];
    for (int i = 0; i < xs.length; i++) xs[i] = params.get(i).asOutput();
    Output<?>[] grads = graph.addGradients(loss.asOutput(), xs);

    List<Op> gates = new ArrayList<>();
    for (Output<?> g : grads) gates.add(tf.identity(asFloat(g)));
    gates.add(tf.identity(loss));
    gates.add(tf.identity(hits));
    Ops gated = tf.withControlDependencies(gates);
    Var iterations = variable(tf, "iterations", new long[0], tf.constant(0f), init);
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> t = gated.math.add(iterations.value, one);
    Operand<TFloat32> b1 = tf.constant(0.9f);
    Operand<TFloat32> b2 = tf.constant(0.999f);
    Operand<TFloat32> lrT =
        gated.math.mul(
            tf.constant(0.001f),
            gated.math.div(
                gated.math.sqrt(gated.math.sub(one, gated.math.pow(b2, t))),
                gated.math.sub(one, gated.math.pow(b1, t))));
    List<Op> updates = new ArrayList<>();
    Operand<TFloat32> b1Power = gated.math.pow(b1, t);
    Operand<TFloat32> b2Power = gated.math.pow(b2, t);
    for (int i = 0; i < params.size(); i++) {
      Operand<TFloat32> g = asFloat(grads[i]);
      if (fused) {
        Operand<TFloat32> zeros = tf.zeros(tf.constant(shapes[i]), TFloat32.class);
        Var m = variable(tf, "m" + i, shapes[i], zeros, init);
        Var v = variable(tf, "v" + i, shapes[i], zeros, init);
        updates.add(
            gated.train.resourceApplyAdam(
                handles.get(i),
                m.handle,
                v.handle,
                b1Power,
                b2Power,
                tf.constant(0.001f),
                b1,
                b2,
                tf.constant(1e-7f),
                g));
        continue;
      }
      Operand<TFloat32> zeros = tf.zeros(tf.constant(shapes[i]), TFloat32.class);
      Var m = variable(tf, "m" + i, shapes[i], zeros, init);
      Var v = variable(tf, "v" + i, shapes[i], zeros, init);
      Operand<TFloat32> mT =
          gated.math.add(gated.math.mul(b1, m.value), gated.math.mul(gated.math.sub(one, b1), g));
      Operand<TFloat32> vT =
          gated.math.add(
              gated.math.mul(b2, v.value),
              gated.math.mul(gated.math.sub(one, b2), gated.math.square(g)));
      Operand<TFloat32> step =
          gated.math.div(
              gated.math.mul(lrT, mT), gated.math.add(gated.math.sqrt(vT), tf.constant(1e-7f)));
      updates.add(gated.assignVariableOp(m.handle, mT));
      updates.add(gated.assignVariableOp(v.handle, vT));
      updates.add(gated.assignVariableOp(handles.get(i), gated.math.sub(params.get(i), step)));
    }
    updates.add(
        tf.withControlDependencies(updates)
            .assignVariableOp(iterations.handle, gated.math.add(iterations.value, one)));
    train = tf.withControlDependencies(updates).withName("train").noOp();

    session = new Session(graph);
    Session.Runner r = session.runner();
    for (Op op : init) r.addTarget(op);
    r.run();
  }

  /** One train step on a batch; returns {loss, accuracy}. */
  double[] step(float[] features, float[] labels) {
    int n = labels.length;
    try (TFloat32 xt = batchX(features, n);
        TFloat32 yt = batchY(labels);
        Result res = stepRunner(xt, yt).run()) {
      return new double[] {
        ((TFloat32) res.get(0)).getFloat(), ((TFloat32) res.get(1)).getFloat() / n
      };
    }
  }

  /** One traced train step (diagnostics: {@link StepProbe}). */
  org.tensorflow.proto.RunMetadata tracedStep(float[] features, float[] labels) {
    try (TFloat32 xt = batchX(features, labels.length);
        TFloat32 yt = batchY(labels);
        Result res = stepRunner(xt, yt).setOptions(StepProbe.fullTrace()).runAndFetchMetadata()) {
      return StepProbe.metadata(res);
    }
  }

  private TFloat32 batchX(float[] features, int n) {
    return TFloat32.tensorOf(Shape.of(n, this.features), DataBuffers.of(features, true, false));
  }

  private static TFloat32 batchY(float[] labels) {
    return TFloat32.tensorOf(Shape.of(labels.length), DataBuffers.of(labels, true, false));
  }

  /** The train step's run: the batch fed, loss and hits fetched, the update as target. */
  private Session.Runner stepRunner(TFloat32 xt, TFloat32 yt) {
    return session.runner().feed(x, xt).feed(y, yt).fetch(loss).fetch(hits).addTarget(train);
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }

  private record Var(Operand<TFloat32> handle, Operand<TFloat32> value) {}

  @SuppressWarnings("unchecked")
  private static Var variable(
      Ops tf, String name, long[] shape, Operand<TFloat32> initial, List<Op> init) {
    // Call with ungated ops: handles and initial assignments run once, before any step.
    Ops plain = tf;
    VarHandleOp handle =
        plain
            .withName(name)
            .varHandleOp(TFloat32.class, Shape.of(shape), VarHandleOp.sharedName(name));
    init.add(plain.withName(name + "_init").assignVariableOp(handle, initial));
    Operand<TFloat32> value = plain.withName(name + "_read").readVariableOp(handle, TFloat32.class);
    return new Var((Operand<TFloat32>) (Operand<?>) handle, value);
  }

  @SuppressWarnings("unchecked")
  private static Operand<TFloat32> asFloat(Output<?> o) {
    return (Operand<TFloat32>) o;
  }

  private static float[] glorot(SplittableRandom rng, long[] shape) {
    double limit = Math.sqrt(6.0 / (shape[0] + shape[1]));
    float[] v = new float[(int) (shape[0] * shape[1])];
    for (int i = 0; i < v.length; i++) v[i] = (float) ((rng.nextDouble() * 2 - 1) * limit);
    return v;
  }
}
