package jkeras.internal.graph;

import java.util.ArrayList;
import java.util.List;
import jkeras.backend.KerasVariable;
import jkeras.backend.Prediction;
import jkeras.backend.VariableFactory;
import jkeras.backend.Weight;
import jkeras.data.DType;
import jkeras.data.NDArray;
import jkeras.metrics.Metric;
import jkeras.optimizers.Optimizer;
import jkeras.trainers.CompiledSteps;
import jkeras.trainers.Compiler;
import jkeras.trainers.Compiler.OutputSpec;
import jkeras.trainers.StepResult;
import jkeras.trainers.adapters.StepData;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * What {@code compile()} adds to a model's graph: target and sample-weight placeholders, each
 * output's loss, the metrics, the total loss, gradients and the optimizer's updates. One {@code
 * Session.run} then performs a train, test or predict step.
 *
 * <p>The train step has a forward pass of its own ({@code training=true}: dropout, batch
 * statistics, the layers' updates); the test step measures the model's inference pass. Each is
 * measured the same way: losses follow Keras 2.3.1 {@code _prepare_total_loss} (per-sample losses
 * times sample weights, reduced with {@code SUM_OVER_BATCH_SIZE}, times the output's loss weight,
 * summed over outputs, plus the layers' penalties and added losses), and metrics are fetched as
 * per-batch sums and counts and averaged on the host, which is what Keras' stateful mean metrics
 * compute.
 */
public final class TrainingGraph implements CompiledSteps {

  private final ModelGraph model;
  private final List<OutputSpec> specs;
  private final List<long[]> targetShapes = new ArrayList<>();
  private final List<Placeholder<TFloat32>> targets = new ArrayList<>();
  private final List<Operand<TFloat32>> sampleWeights = new ArrayList<>();
  private final List<String> metricsNames = new ArrayList<>();
  private final Measures test;
  private final Measures train;
  private final Op trainOp;
  private final Optimizer optimizer;
  private final KerasVariable iterations;

  /**
   * One step's measures of one forward pass: the total loss, and everything the step reports in one
   * vector (total loss, each output's loss when several, each metric's sum and count), so a step
   * fetches one tensor.
   */
  private record Measures(Operand<TFloat32> totalLoss, Operand<TFloat32> packed) {}

  public TrainingGraph(ModelGraph model, Compiler.Plan plan) {
    this.model = model;
    this.specs = List.copyOf(plan.specs());
    this.optimizer = plan.optimizer();
    Ops tf = model.tf().withSubScope(model.uniqueOpName("training"));
    boolean multi = specs.size() > 1;
    metricsNames.add("loss");
    if (multi) for (OutputSpec s : specs) metricsNames.add(s.name() + "_loss");
    for (OutputSpec s : specs) {
      targetShapes.add(s.targetShape());
      Placeholder<TFloat32> y =
          model
              .tf()
              .withName(model.uniqueOpName(s.name() + "_target"))
              .placeholder(TFloat32.class, Placeholder.shape(Shape.of(s.targetShape())));
      // Unweighted steps feed nothing: a weight of 1 broadcasts over the batch.
      Operand<TFloat32> w =
          model
              .tf()
              .withName(model.uniqueOpName(s.name() + "_sample_weights"))
              .placeholderWithDefault(model.tf().constant(new float[] {1f}), Shape.of(-1));
      targets.add(y);
      sampleWeights.add(w);
      for (Metric m : s.metrics()) metricsNames.add(multi ? s.name() + "_" + m.name() : m.name());
    }
    this.test = measure(tf, model.inference(), "test_step_results");

    ModelGraph.Forward forward = model.forward(model.inputValues(), true);
    this.train = measure(tf, forward, "step_results");

    // Gradients with respect to each trainable variable's snapshot read, which the forward pass
    // uses.
    List<KerasVariable> params = new ArrayList<>();
    for (Weight wt : model.weights()) if (wt.trainable()) params.add(model.variableOf(wt));
    List<Operand<TFloat32>> grads = new ArrayList<>();
    List<KerasVariable> withGrads = new ArrayList<>();
    if (!params.isEmpty()) {
      Output<?>[] xs = new Output<?>[params.size()];
      for (int i = 0; i < xs.length; i++) xs[i] = params.get(i).value().asOutput();
      Output<?>[] dx = model.graph().addGradients(train.totalLoss().asOutput(), xs);
      for (int i = 0; i < dx.length; i++) {
        if (dx[i] == null) continue; // not connected to the loss: Keras leaves it untouched too
        grads.add(castF(dx[i]));
        withGrads.add(params.get(i));
      }
    }
    // Updates read pre-step values: gate them after every gradient and what the step reports.
    List<Op> gates = new ArrayList<>();
    for (Operand<TFloat32> g : grads) gates.add(g.op() instanceof Op o ? o : tf.identity(g));
    gates.add(tf.identity(train.packed()));
    Ops gated =
        tf.withSubScope(model.uniqueOpName(optimizer.className())).withControlDependencies(gates);
    VariableFactory vars = model.variableFactory(gated);
    this.iterations = vars.scalar(optimizer.className() + "/iterations", 0f);
    List<Op> updates = optimizer.getUpdates(vars, withGrads, grads, iterations);
    // The layers' own updates (BatchNormalization's moving statistics) run with every train step.
    List<Op> all = new ArrayList<>(updates);
    all.addAll(forward.updates());
    trainOp = tf.withControlDependencies(all).withName(model.uniqueOpName("train")).noOp();
    model.runInit();
  }

  /** The losses and metrics of one forward pass against the targets, packed as one vector. */
  private Measures measure(Ops tf, ModelGraph.Forward f, String packedName) {
    List<Prediction> preds = f.predictions();
    Operand<TFloat32> total = null;
    List<Operand<TFloat32>> outputLosses = new ArrayList<>();
    List<Operand<TFloat32>> metricSums = new ArrayList<>();
    List<Operand<TFloat32>> metricCounts = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      OutputSpec s = specs.get(i);
      Ops otf = tf.withSubScope(model.uniqueOpName(s.name()));
      Placeholder<TFloat32> y = targets.get(i);
      Operand<TFloat32> perSample = s.loss().call(otf, y, preds.get(i));
      // Keras 2.3.1 _prepare_total_loss: an output's mask multiplies its sample weights.
      Operand<TBool> mask = f.outputMasks().get(i);
      Operand<TFloat32> outLoss = weightedMean(otf, perSample, sampleWeights.get(i), mask);
      outputLosses.add(outLoss);
      Operand<TFloat32> term =
          s.lossWeight() == 1.0
              ? outLoss
              : otf.math.mul(outLoss, otf.constant((float) s.lossWeight()));
      total = total == null ? term : tf.math.add(total, term);
      for (Metric m : s.metrics()) {
        Operand<TFloat32> values = m.call(otf, y, preds.get(i));
        if (mask == null) {
          metricSums.add(otf.reduceSum(values, allAxes(otf, values)));
          metricCounts.add(otf.dtypes.cast(otf.size(values), TFloat32.class));
        } else {
          // Masked steps count for nothing, as Keras passes the mask to metrics as weights.
          Operand<TFloat32> mw = expandTo(otf, otf.dtypes.cast(mask, TFloat32.class), values);
          Operand<TFloat32> weighted = otf.math.mul(values, mw);
          metricSums.add(otf.reduceSum(weighted, allAxes(otf, weighted)));
          Operand<TFloat32> full = otf.math.mul(otf.onesLike(values), mw);
          metricCounts.add(otf.reduceSum(full, allAxes(otf, full)));
        }
      }
    }
    for (Operand<TFloat32> r : f.losses()) total = tf.math.add(total, r);
    Operand<TFloat32> totalLoss = tf.identity(total);

    List<Operand<TFloat32>> parts = new ArrayList<>();
    Operand<TInt64> one = tf.constant(new long[] {1});
    parts.add(tf.reshape(totalLoss, one));
    for (Operand<TFloat32> o : outputLosses) parts.add(tf.reshape(o, one));
    for (int i = 0; i < metricSums.size(); i++) {
      parts.add(tf.reshape(metricSums.get(i), one));
      parts.add(tf.reshape(metricCounts.get(i), one));
    }
    Operand<TFloat32> packed =
        tf.withName(model.uniqueOpName(packedName)).concat(parts, tf.constant(0));
    return new Measures(totalLoss, packed);
  }

  @SuppressWarnings("unchecked")
  private static Operand<TFloat32> castF(Output<?> o) {
    return (Operand<TFloat32>) o;
  }

  private static Operand<org.tensorflow.types.TInt32> allAxes(Ops tf, Operand<TFloat32> x) {
    return tf.range(tf.constant(0), tf.rank(x), tf.constant(1));
  }

  /** {@code x} with trailing axes of size 1 added up to {@code like}'s rank (for broadcasting). */
  private static Operand<TFloat32> expandTo(Ops tf, Operand<TFloat32> x, Operand<TFloat32> like) {
    Operand<TFloat32> out = x;
    int have = x.shape().numDimensions();
    int want = like.shape().numDimensions();
    for (int i = Math.max(have, 0); i < want; i++) out = tf.expandDims(out, tf.constant(-1));
    return out;
  }

  /** {@code sum(l * w) / size(l)}: Keras' SUM_OVER_BATCH_SIZE over sample-weighted losses. */
  private static Operand<TFloat32> weightedMean(
      Ops tf, Operand<TFloat32> perSample, Operand<TFloat32> w, Operand<TBool> mask) {
    // Weights are per sample; broadcast over any further axes of the per-sample losses.
    Operand<TFloat32> wb = expandTo(tf, w, perSample);
    Operand<TFloat32> weighted = tf.math.mul(perSample, wb);
    if (mask != null) {
      weighted =
          tf.math.mul(weighted, expandTo(tf, tf.dtypes.cast(mask, TFloat32.class), perSample));
    }
    Operand<TFloat32> sum = tf.reduceSum(weighted, allAxes(tf, weighted));
    Operand<TFloat32> n = tf.dtypes.cast(tf.size(weighted), TFloat32.class);
    // An empty batch gives 0 rather than NaN.
    return tf.math.divNoNan(sum, n);
  }

  @Override
  public List<String> metricsNames() {
    return metricsNames;
  }

  public List<OutputSpec> specs() {
    return specs;
  }

  @Override
  public List<long[]> targetShapes() {
    return targetShapes;
  }

  public Optimizer optimizer() {
    return optimizer;
  }

  public KerasVariable iterations() {
    return iterations;
  }

  @Override
  public StepResult trainStep(StepData data) {
    return run(data.x(), data.y(), data.w(), true);
  }

  @Override
  public StepResult testStep(StepData data) {
    return run(data.x(), data.y(), data.w(), false);
  }

  /**
   * One train step ({@code training=true}, updates applied) or test step: one {@code Session.run}.
   */
  private StepResult run(List<NDArray> xs, List<NDArray> ys, List<NDArray> weights, boolean train) {
    model.claimWeights();
    Session.Runner r = model.session().runner();
    List<Tensor> owned = model.feedInputs(r, xs);
    try {
      for (int i = 0; i < ys.size(); i++) {
        Tensor t = Tensors.of(ys.get(i), DType.FLOAT32);
        owned.add(t);
        r.feed(targets.get(i), t);
        if (weights.get(i) != null) {
          Tensor sw = Tensors.of(weights.get(i), DType.FLOAT32);
          owned.add(sw);
          r.feed(sampleWeights.get(i), sw);
        }
      }
      if (train) r.fetch(this.train.packed()).addTarget(trainOp);
      else r.fetch(test.packed());
      try (Result res = r.run()) {
        return unpack((TFloat32) res.get(0), 0);
      }
    } finally {
      for (Tensor t : owned) t.close();
    }
  }

  /** One step's results from a packed vector, starting at {@code offset}. */
  private StepResult unpack(TFloat32 v, int offset) {
    int k = offset;
    double loss = v.getFloat(k++);
    double[] ol = new double[specs.size()];
    for (int i = 0; i < ol.length; i++) ol[i] = v.getFloat(k++);
    int metrics = metricsNames.size() - 1 - (specs.size() > 1 ? specs.size() : 0);
    double[] sums = new double[metrics];
    double[] counts = new double[metrics];
    for (int i = 0; i < metrics; i++) {
      sums[i] = v.getFloat(k++);
      counts[i] = v.getFloat(k++);
    }
    return new StepResult(loss, ol, sums, counts);
  }
}
