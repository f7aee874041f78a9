package jkeras.internal.graph;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import jkeras.backend.KerasVariable;
import jkeras.backend.Prediction;
import jkeras.backend.VariableFactory;
import jkeras.backend.Weight;
import jkeras.data.DType;
import jkeras.data.NDArray;
import jkeras.distribute.ReplicaContext;
import jkeras.metrics.Metric;
import jkeras.optimizers.Optimizer;
import jkeras.trainers.CompiledSteps;
import jkeras.trainers.Compiler;
import jkeras.trainers.Compiler.OutputSpec;
import jkeras.trainers.ReplicaSync;
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
import org.tensorflow.types.family.TType;

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
  private final int stepsPerExecution;
  // In creation order: saving lists them as Keras' optimizer.weights does.
  private final Map<String, KerasVariable> optimizerVariables = new LinkedHashMap<>();
  private final List<KerasVariable> optimizedParameters = new ArrayList<>();
  private Chain chain;
  // Built on first use: the train, test and chained steps through the C API (null: Session.Runner).
  private StepRunner trainRunner;
  private StepRunner testRunner;
  private StepRunner chainRunner;
  private boolean runnersTried;
  private List<DType> feedTypes;
  private List<DType> chainFeedTypes;
  // Multi-worker training: what the train step reports after the all-reduce, and the op that
  // copies the chief's weights and optimizer state to every worker.
  private final Operand<TFloat32> trainReported;

  /**
   * What a test step reports: its measures, or in multi-worker training the measures of the union
   * of the workers' batches followed by its samples.
   */
  private final Operand<TFloat32> testReported;

  private final Op syncFromChief;
  private Placeholder<TFloat32> syncSeedIn;
  private Operand<TFloat32> syncSeedOut;
  private boolean synced;

  /**
   * Train steps chained in one execution ({@code steps_per_execution}): the first is the train step
   * itself; each later one has its own placeholders, and its reads of every variable come after the
   * updates of the step before. Everything they report, in one vector.
   */
  private record Chain(
      List<List<Placeholder<? extends TType>>> inputs,
      List<List<Placeholder<TFloat32>>> targets,
      List<List<Operand<TFloat32>>> sampleWeights,
      Operand<TFloat32> packed,
      Op last) {}

  /**
   * One step's measures of one forward pass: the total loss, and everything the step reports in one
   * vector (total loss, each output's loss when several, each metric's sum and count), so a step
   * fetches one tensor.
   */
  private record Measures(
      Operand<TFloat32> totalLoss, Operand<TFloat32> packed, Operand<TFloat32> samples) {}

  public TrainingGraph(ModelGraph model, Compiler.Plan plan) {
    this.model = model;
    this.specs = List.copyOf(plan.specs());
    this.optimizer = plan.optimizer();
    this.stepsPerExecution = plan.stepsPerExecution();
    Ops tf = model.tf().withSubScope(model.uniqueOpName("training"));
    boolean multi = specs.size() > 1;
    metricsNames.add("loss");
    if (multi) for (OutputSpec s : specs) metricsNames.add(s.name() + "_loss");
    for (OutputSpec s : specs) {
      targetShapes.add(s.targetShape());
      for (Metric m : s.metrics()) metricsNames.add(multi ? s.name() + "_" + m.name() : m.name());
    }
    addTargets("", targets, sampleWeights);
    this.test = measure(tf, model.inference(), targets, sampleWeights, "test_step_results");
    this.testReported = model.cluster() == null ? test.packed() : reduceMeasures(tf, test);

    ModelGraph.Forward forward = model.forward(model.inputValues(), true);
    this.train = measure(tf, forward, targets, sampleWeights, "step_results");
    Updates u = updates(tf, forward, train, recording(model.variableFactory(model.tf())));
    this.iterations = u.iterations();
    this.trainReported = u.reported();
    trainOp = tf.withControlDependencies(u.ops()).withName(model.uniqueOpName("train")).noOp();
    this.syncFromChief = model.cluster() == null ? null : syncFromChief(tf);
    model.runInit();
  }

  /**
   * One op that sets every weight and optimizer variable to the chief's value: an all-reduce of the
   * values, each worker but the chief contributing zeros (one collective for all of them).
   */
  private Op syncFromChief(Ops tf) {
    ClusterRuntime cluster = model.cluster();
    List<KerasVariable> vars = new ArrayList<>();
    for (Weight w : model.weights()) vars.add(model.variableOf(w));
    vars.addAll(optimizerVariables.values());
    Ops stf = tf.withSubScope(model.uniqueOpName("sync_from_chief"));
    Operand<TFloat32> flag = stf.constant(cluster.isChief() ? 1f : 0f);
    List<Operand<TFloat32>> flat = new ArrayList<>();
    for (KerasVariable v : vars)
      flat.add(stf.reshape(stf.math.mul(v.value(), flag), flatShape(stf)));
    // And the chief's random numbers for a seed every worker shares (the data's shuffling).
    syncSeedIn = stf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(3)));
    flat.add(stf.math.mul(syncSeedIn, flag));
    Operand<TFloat32> sum =
        cluster.allReduceSum(stf, stf.concat(flat, stf.constant(0)), model.uniqueOpName("bcast"));
    List<Op> assigns = new ArrayList<>();
    long offset = 0;
    for (KerasVariable v : vars) {
      long size = 1;
      for (long d : v.shape()) size *= d;
      Operand<TFloat32> part =
          stf.slice(sum, stf.constant(new long[] {offset}), stf.constant(new long[] {size}));
      assigns.add(stf.assignVariableOp(v.handle(), stf.reshape(part, stf.constant(v.shape()))));
      offset += size;
    }
    syncSeedOut = stf.slice(sum, stf.constant(new long[] {offset}), stf.constant(new long[] {3}));
    return stf.withControlDependencies(assigns).withName(model.uniqueOpName("synced")).noOp();
  }

  private static Operand<TInt64> flatShape(Ops tf) {
    return tf.constant(new long[] {-1});
  }

  /**
   * Multi-worker training: every gradient times this worker's samples, the samples, and the step's
   * measures (losses times samples, metric sums and counts) summed over the workers in one
   * all-reduce, then divided by the total samples: each worker applies the gradient of the loss
   * over the global batch (as one process training on it would) and reports the global batch's
   * measures. The layers' assignments (BatchNormalization's moving statistics) travel in the same
   * vector: each worker's update delta (zero from a worker without samples) and a count of the
   * workers with samples; each worker adds the mean delta to the value all share, replacing the
   * assignment in {@code layerUpdates} (Keras' variable aggregation {@code MEAN}).
   */
  private List<Operand<TFloat32>> allReduce(
      Ops tf,
      List<Operand<TFloat32>> grads,
      Measures m,
      Operand<TFloat32>[] reported,
      ModelGraph.Forward forward,
      List<Op> layerUpdates) {
    ClusterRuntime cluster = model.cluster();
    Ops rtf = tf.withSubScope(model.uniqueOpName("all_reduce"));
    Operand<TFloat32> n = m.samples();
    List<Operand<TFloat32>> parts = new ArrayList<>();
    for (Operand<TFloat32> g : grads) parts.add(rtf.reshape(rtf.math.mul(g, n), flatShape(rtf)));
    // The packed measures: the total loss, each output's loss, each metric's sum and count.
    Operand<TFloat32> maskOp = lossMask(rtf);
    // Losses are batch means: weight them by the samples; sums and counts add as they are.
    Operand<TFloat32> scale = lossWeights(rtf, maskOp, n);
    parts.add(rtf.reshape(n, flatShape(rtf)));
    parts.add(rtf.math.mul(m.packed(), scale));
    // An empty shard's batch statistics are NaN: mulNoNan makes its delta zero.
    Operand<TFloat32> active =
        rtf.dtypes.cast(rtf.math.greater(n, rtf.constant(0f)), TFloat32.class);
    List<Integer> assigned = new ArrayList<>();
    List<Operand<TFloat32>> currents = new ArrayList<>();
    List<long[]> shapes = new ArrayList<>();
    for (int i = 0; i < layerUpdates.size(); i++) {
      CallContext.Assignment a = forward.assignments().get(layerUpdates.get(i));
      if (a == null) continue; // an op the engine cannot see into stays this worker's own
      Operand<TFloat32> current = a.variable().value();
      Operand<TFloat32> delta = rtf.math.sub(a.newValue(), current);
      parts.add(rtf.reshape(rtf.math.mulNoNan(delta, active), flatShape(rtf)));
      assigned.add(i);
      currents.add(current);
      shapes.add(a.variable().shape());
    }
    if (!assigned.isEmpty()) parts.add(rtf.reshape(active, flatShape(rtf)));
    Operand<TFloat32> sum =
        cluster.allReduceSum(
            rtf, rtf.concat(parts, rtf.constant(0)), model.uniqueOpName("packed_gradients"));
    long offset = 0;
    List<Operand<TFloat32>> out = new ArrayList<>();
    long[] sizes = new long[grads.size()];
    for (int i = 0; i < grads.size(); i++) {
      long size = 1;
      for (long d : grads.get(i).shape().asArray()) size *= d;
      sizes[i] = size;
    }
    Operand<TFloat32> total =
        rtf.reshape(
            rtf.slice(sum, rtf.constant(new long[] {sumOf(sizes)}), rtf.constant(new long[] {1})),
            rtf.constant(new long[0]));
    for (int i = 0; i < grads.size(); i++) {
      Operand<TFloat32> part =
          rtf.slice(sum, rtf.constant(new long[] {offset}), rtf.constant(new long[] {sizes[i]}));
      out.add(
          rtf.math.divNoNan(
              rtf.reshape(part, rtf.constant(grads.get(i).shape().asArray())), total));
      offset += sizes[i];
    }
    Operand<TFloat32> measures =
        rtf.slice(
            sum, rtf.constant(new long[] {offset + 1}), rtf.constant(new long[] {packedWidth()}));
    long at = offset + 1 + packedWidth();
    if (!assigned.isEmpty()) {
      long deltas = 0;
      for (long[] shape : shapes) deltas += Shape.of(shape).size();
      Operand<TFloat32> workers =
          rtf.reshape(
              rtf.slice(sum, rtf.constant(new long[] {at + deltas}), rtf.constant(new long[] {1})),
              rtf.constant(new long[0]));
      for (int j = 0; j < assigned.size(); j++) {
        Operand<TFloat32> c = currents.get(j);
        long size = Shape.of(shapes.get(j)).size();
        Operand<TFloat32> delta =
            rtf.reshape(
                rtf.slice(sum, rtf.constant(new long[] {at}), rtf.constant(new long[] {size})),
                rtf.constant(shapes.get(j)));
        at += size;
        CallContext.Assignment a = forward.assignments().get(layerUpdates.get(assigned.get(j)));
        layerUpdates.set(
            assigned.get(j),
            a.variable().assign(rtf, rtf.math.add(c, rtf.math.divNoNan(delta, workers))));
      }
    }
    Operand<TFloat32> divisor = lossWeights(rtf, maskOp, total);
    // The global batch's samples last: the trainer logs them.
    reported[0] =
        rtf.concat(
            List.of(rtf.math.divNoNan(measures, divisor), rtf.reshape(total, flatShape(rtf))),
            rtf.constant(0));
    return out;
  }

  /**
   * Multi-worker evaluation: a test step's measures summed over the workers in one all-reduce, as
   * the train step's are (losses weighted by samples, metric sums and counts added), so every
   * worker reports the measures of the union of the workers' batches, as tf.keras' metrics
   * aggregated across workers do. The total samples come last.
   */
  private Operand<TFloat32> reduceMeasures(Ops tf, Measures m) {
    Ops rtf = tf.withSubScope(model.uniqueOpName("test_all_reduce"));
    Operand<TFloat32> n = m.samples();
    Operand<TFloat32> maskOp = lossMask(rtf);
    Operand<TFloat32> scale = lossWeights(rtf, maskOp, n);
    Operand<TFloat32> sum =
        model
            .cluster()
            .allReduceSum(
                rtf,
                rtf.concat(
                    List.of(rtf.reshape(n, flatShape(rtf)), rtf.math.mul(m.packed(), scale)),
                    rtf.constant(0)),
                model.uniqueOpName("packed_test_measures"));
    Operand<TFloat32> total =
        rtf.reshape(
            rtf.slice(sum, rtf.constant(new long[] {0}), rtf.constant(new long[] {1})),
            rtf.constant(new long[0]));
    Operand<TFloat32> measures =
        rtf.slice(sum, rtf.constant(new long[] {1}), rtf.constant(new long[] {packedWidth()}));
    Operand<TFloat32> divisor = lossWeights(rtf, maskOp, total);
    return rtf.concat(
        List.of(rtf.math.divNoNan(measures, divisor), rtf.reshape(total, flatShape(rtf))),
        rtf.constant(0));
  }

  /**
   * How many values the packed measures hold: the total loss, each output's, each metric's sum and
   * count.
   */
  private int packedWidth() {
    int width = metricsNames.size() - 1 - (specs.size() > 1 ? specs.size() : 0);
    return 1 + specs.size() + 2 * width;
  }

  /** 1 over the packed measures' losses (batch means), 0 over the metrics' sums and counts. */
  private Operand<TFloat32> lossMask(Ops rtf) {
    float[] mask = new float[packedWidth()];
    java.util.Arrays.fill(mask, 0, 1 + specs.size(), 1f);
    return rtf.constant(mask);
  }

  /**
   * {@code w} where {@code mask} is 1 and 1 where it is 0: losses weighted, sums and counts as they
   * are.
   */
  private static Operand<TFloat32> lossWeights(
      Ops rtf, Operand<TFloat32> mask, Operand<TFloat32> w) {
    Operand<TFloat32> ones = rtf.onesLike(mask);
    return rtf.math.add(rtf.math.mul(mask, rtf.math.sub(w, ones)), ones);
  }

  private static long sumOf(long[] a) {
    long s = 0;
    for (long x : a) s += x;
    return s;
  }

  /**
   * Every variable the optimizer created, in creation order: {@code iterations} first, then its
   * hyper-parameter variables and slots (Keras' {@code optimizer.weights} plus the learning rate).
   */
  public List<KerasVariable> optimizerVariables() {
    return List.copyOf(optimizerVariables.values());
  }

  /** The parameters the optimizer updates (the trainable weights with a gradient), in order. */
  public List<KerasVariable> optimizedParameters() {
    return List.copyOf(optimizedParameters);
  }

  /**
   * One step's updates, the iteration counter they increment and what the step reports (its
   * measures, all-reduced in multi-worker training).
   */
  private record Updates(List<Op> ops, KerasVariable iterations, Operand<TFloat32> reported) {}

  /** A target and a sample-weight placeholder per output, named with {@code suffix}. */
  private void addTargets(
      String suffix, List<Placeholder<TFloat32>> ys, List<Operand<TFloat32>> ws) {
    for (OutputSpec s : specs) {
      ys.add(
          model
              .tf()
              .withName(model.uniqueOpName(s.name() + "_target" + suffix))
              .placeholder(TFloat32.class, Placeholder.shape(Shape.of(s.targetShape()))));
      // Unweighted steps feed nothing: a weight of 1 broadcasts over the batch.
      ws.add(
          model
              .tf()
              .withName(model.uniqueOpName(s.name() + "_sample_weights" + suffix))
              .placeholderWithDefault(model.tf().constant(new float[] {1f}), Shape.of(-1)));
    }
  }

  /** The optimizer's ops, gated after the step's gradients and what it reports. */
  private Ops gated(Ops tf, Measures m, List<Operand<TFloat32>> grads) {
    List<Op> gates = new ArrayList<>();
    if (grads != null) {
      for (Operand<TFloat32> g : grads) gates.add(g.op() instanceof Op o ? o : tf.identity(g));
    }
    gates.add(tf.identity(m.packed()));
    return tf.withSubScope(model.uniqueOpName(optimizer.className()))
        .withControlDependencies(gates);
  }

  /**
   * The gradients of one train step's loss and the optimizer's updates built on them, plus the
   * layers' own updates (BatchNormalization's moving statistics). {@code vars} creates the
   * optimizer's variables (first step) or gives back the ones created then (chained steps).
   */
  private Updates updates(Ops tf, ModelGraph.Forward forward, Measures m, VariableFactory vars) {

    // Gradients with respect to each trainable variable's read, which the forward pass uses.
    List<KerasVariable> params = new ArrayList<>();
    for (Weight wt : model.weights()) if (wt.trainable()) params.add(model.variableOf(wt));
    List<Operand<TFloat32>> grads = new ArrayList<>();
    List<KerasVariable> withGrads = new ArrayList<>();
    if (!params.isEmpty()) {
      Output<?>[] xs = new Output<?>[params.size()];
      for (int i = 0; i < xs.length; i++) xs[i] = params.get(i).value().asOutput();
      Output<?>[] dx = model.graph().addGradients(m.totalLoss().asOutput(), xs);
      for (int i = 0; i < dx.length; i++) {
        if (dx[i] == null) continue; // not connected to the loss: Keras leaves it untouched too
        grads.add(castF(dx[i]));
        withGrads.add(params.get(i));
      }
    }
    if (optimizedParameters.isEmpty()) optimizedParameters.addAll(withGrads);
    @SuppressWarnings("unchecked")
    Operand<TFloat32>[] reported = new Operand[] {m.packed()};
    List<Op> layerUpdates = new ArrayList<>(forward.updates());
    if (model.cluster() != null) {
      grads = allReduce(tf, grads, m, reported, forward, layerUpdates);
    }
    // Updates read pre-step values: gate them after every gradient and what the step reports.
    VariableFactory gatedVars = withOps(vars, gated(tf, m, grads));
    KerasVariable counter = gatedVars.scalar(optimizer.className() + "/iterations", 0f);
    List<Op> all = new ArrayList<>(optimizer.getUpdates(gatedVars, withGrads, grads, counter));
    all.addAll(layerUpdates);
    return new Updates(all, counter, reported[0]);
  }

  /**
   * {@code inner}, remembering every variable it creates by name, so a chained step gets the same
   * optimizer variables back ({@link #replaying}).
   */
  private VariableFactory recording(VariableFactory inner) {
    return new VariableFactory() {
      @Override
      public Ops tf() {
        return inner.tf();
      }

      @Override
      public KerasVariable create(
          String name, long[] shape, Operand<TFloat32> initialValue, boolean trainable) {
        return remember(name, inner.create(name, shape, initialValue, trainable));
      }

      @Override
      public KerasVariable zerosLike(KerasVariable like, String name) {
        return remember(name, inner.zerosLike(like, name));
      }

      @Override
      public KerasVariable scalar(String name, float value) {
        return remember(name, inner.scalar(name, value));
      }

      @Override
      public long nextSeed() {
        return inner.nextSeed();
      }

      private KerasVariable remember(String name, KerasVariable v) {
        optimizerVariables.put(name, v);
        return v;
      }
    };
  }

  /** The optimizer's variables of the first step, by name, with ops built by {@code ops}. */
  private VariableFactory replaying(Ops ops) {
    return new VariableFactory() {
      @Override
      public Ops tf() {
        return ops;
      }

      @Override
      public KerasVariable create(
          String name, long[] shape, Operand<TFloat32> initialValue, boolean trainable) {
        KerasVariable v = optimizerVariables.get(name);
        if (v == null) {
          throw new IllegalStateException(
              "The optimizer created the variable `"
                  + name
                  + "` in a chained step only; every variable must exist after the first step.");
        }
        return v;
      }

      @Override
      public KerasVariable zerosLike(KerasVariable like, String name) {
        return create(name, like.shape(), null, false);
      }

      @Override
      public KerasVariable scalar(String name, float value) {
        return create(name, new long[0], null, false);
      }

      @Override
      public long nextSeed() {
        throw new IllegalStateException("no seeds for a chained step's optimizer");
      }
    };
  }

  /** {@code vars} with its ops built by {@code ops} (the gated scope of one step). */
  private VariableFactory withOps(VariableFactory vars, Ops ops) {
    if (vars.tf() == ops) return vars;
    return new VariableFactory() {
      @Override
      public Ops tf() {
        return ops;
      }

      @Override
      public KerasVariable create(
          String name, long[] shape, Operand<TFloat32> initialValue, boolean trainable) {
        return vars.create(name, shape, initialValue, trainable);
      }

      @Override
      public KerasVariable zerosLike(KerasVariable like, String name) {
        return vars.zerosLike(like, name);
      }

      @Override
      public KerasVariable scalar(String name, float value) {
        return vars.scalar(name, value);
      }

      @Override
      public long nextSeed() {
        return vars.nextSeed();
      }
    };
  }

  /** The losses and metrics of one forward pass against the targets, packed as one vector. */
  private Measures measure(
      Ops tf,
      ModelGraph.Forward f,
      List<Placeholder<TFloat32>> targets,
      List<Operand<TFloat32>> sampleWeights,
      String packedName) {
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
    // Multi-worker training weights each worker's step by its samples: the first target's batch
    // dimension.
    if (model.cluster() == null) return new Measures(totalLoss, packed, null);
    Operand<TFloat32> samples =
        tf.dtypes.cast(
            tf.reshape(
                tf.slice(
                    tf.shape(targets.get(0), TInt64.class),
                    tf.constant(new long[] {0}),
                    tf.constant(new long[] {1})),
                tf.constant(new long[0])),
            TFloat32.class);
    return new Measures(totalLoss, packed, samples);
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
  public int stepsPerExecution() {
    return stepsPerExecution;
  }

  /**
   * {@code steps_per_execution} steps in one {@code Session.run} (the chained graph, built on first
   * use); any other number of batches (an epoch's last, shorter group) runs step by step.
   */
  @Override
  public List<StepResult> trainSteps(List<StepData> batches) {
    if (batches.size() != stepsPerExecution || stepsPerExecution == 1) {
      return CompiledSteps.super.trainSteps(batches);
    }
    if (chain == null) chain = chain(stepsPerExecution);
    if (syncFromChief != null && !synced) synchronizeReplicas(0);
    model.claimWeights();
    // Multi-worker training keeps Session.Runner: a failed collective must name the lost task.
    if (model.cluster() == null && chainRunner == null && chainFeedTypes == null) {
      List<Operand<?>> feeds = new ArrayList<>();
      chainFeedTypes = new ArrayList<>();
      for (int i = 0; i < stepsPerExecution; i++) {
        addFeeds(
            feeds,
            chainFeedTypes,
            chain.inputs().get(i),
            chain.targets().get(i),
            chain.sampleWeights().get(i));
      }
      chainRunner = model.stepRunner(feeds, chain.packed(), List.of(chain.last()));
    }
    if (chainRunner != null) {
      List<NDArray> values = new ArrayList<>(chainFeedTypes.size());
      for (StepData d : batches) addValues(values, d.x(), d.y(), d.w());
      float[] v = chainRunner.run(values, chainFeedTypes);
      int width = v.length / batches.size();
      List<StepResult> out = new ArrayList<>(batches.size());
      for (int i = 0; i < batches.size(); i++) out.add(unpack(v, i * width, true));
      return out;
    }
    Session.Runner r = model.session().runner();
    List<Tensor> owned = new ArrayList<>();
    try {
      for (int i = 0; i < batches.size(); i++) {
        StepData d = batches.get(i);
        owned.addAll(model.feedInputs(r, d.x(), chain.inputs().get(i)));
        feedTargets(r, d, chain.targets().get(i), chain.sampleWeights().get(i), owned);
      }
      r.fetch(chain.packed()).addTarget(chain.last());
      try (Result res = runStep(r)) {
        float[] v = floats((TFloat32) res.get(0));
        int width = v.length / batches.size();
        List<StepResult> out = new ArrayList<>(batches.size());
        for (int i = 0; i < batches.size(); i++) out.add(unpack(v, i * width, true));
        return out;
      }
    } finally {
      for (Tensor t : owned) t.close();
    }
  }

  /**
   * Builds {@code k} chained train steps: the first is the train step itself, and each later one is
   * another forward pass, loss, gradient and update on placeholders of its own, every variable read
   * after the previous step's updates (so the step sees the weights, slots, counter and moving
   * statistics that step left, as a separate run would).
   */
  private Chain chain(int k) {
    Ops tf = model.tf().withSubScope(model.uniqueOpName("training_chain"));
    List<List<Placeholder<? extends TType>>> inputs = new ArrayList<>();
    List<List<Placeholder<TFloat32>>> ys = new ArrayList<>();
    List<List<Operand<TFloat32>>> ws = new ArrayList<>();
    List<Operand<TFloat32>> packed = new ArrayList<>();
    inputs.add(model.inputPlaceholders());
    ys.add(targets);
    ws.add(sampleWeights);
    packed.add(trainReported);
    Op previous = trainOp;
    for (int i = 1; i < k; i++) {
      String suffix = "_" + i;
      List<Operand<TFloat32>> values = new ArrayList<>();
      inputs.add(model.newInputs(suffix, values));
      List<Placeholder<TFloat32>> stepTargets = new ArrayList<>();
      List<Operand<TFloat32>> stepWeights = new ArrayList<>();
      addTargets(suffix, stepTargets, stepWeights);
      ys.add(stepTargets);
      ws.add(stepWeights);
      Ops after = model.tf().withControlDependencies(List.of(previous));
      Map<KerasVariable, Operand<TFloat32>> reads = new IdentityHashMap<>();
      try (CallContext.Scope scope =
          KerasVariable.readingFrom(
              v ->
                  reads.computeIfAbsent(
                      v, x -> after.readVariableOp(x.handle(), TFloat32.class)))) {
        ModelGraph.Forward forward = model.forward(values, true);
        Measures m = measure(tf, forward, stepTargets, stepWeights, "step_results" + suffix);
        Updates u = updates(tf, forward, m, replaying(tf));
        previous =
            tf.withControlDependencies(u.ops())
                .withName(model.uniqueOpName("train" + suffix))
                .noOp();
        packed.add(u.reported());
      }
    }
    Operand<TFloat32> all =
        tf.withName(model.uniqueOpName("chained_step_results")).concat(packed, tf.constant(0));
    model.runInit();
    return new Chain(inputs, ys, ws, all, previous);
  }

  private void feedTargets(
      Session.Runner r,
      StepData d,
      List<Placeholder<TFloat32>> ys,
      List<Operand<TFloat32>> ws,
      List<Tensor> owned) {
    for (int i = 0; i < d.y().size(); i++) {
      Tensor t = Tensors.of(d.y().get(i), DType.FLOAT32);
      owned.add(t);
      r.feed(ys.get(i), t);
      if (d.w().get(i) != null) {
        Tensor sw = Tensors.of(d.w().get(i), DType.FLOAT32);
        owned.add(sw);
        r.feed(ws.get(i), sw);
      }
    }
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
    // Multi-worker training keeps Session.Runner: a failed collective must name the lost task.
    if (!runnersTried && model.cluster() == null) {
      runnersTried = true;
      List<Operand<?>> feeds = new ArrayList<>();
      feedTypes = new ArrayList<>();
      addFeeds(feeds, feedTypes, model.inputPlaceholders(), targets, sampleWeights);
      trainRunner = model.stepRunner(feeds, trainReported, List.of(trainOp));
      testRunner = trainRunner == null ? null : model.stepRunner(feeds, testReported, List.of());
    }
    StepRunner runner = train ? trainRunner : testRunner;
    if (runner != null) {
      List<NDArray> values = new ArrayList<>(feedTypes.size());
      addValues(values, xs, ys, weights);
      return unpack(runner.run(values, feedTypes), 0, train);
    }
    Session.Runner r = model.session().runner();
    List<Tensor> owned = model.feedInputs(r, xs);
    try {
      feedTargets(r, new StepData(xs, ys, weights, 0), targets, sampleWeights, owned);
      if (train) r.fetch(trainReported).addTarget(trainOp);
      else r.fetch(testReported);
      // Every worker starts from the chief's weights, for evaluation too.
      if (syncFromChief != null && !synced) synchronizeReplicas(0);
      try (Result res = runStep(r)) {
        return unpack(floats((TFloat32) res.get(0)), 0, train);
      }
    } finally {
      for (Tensor t : owned) t.close();
    }
  }

  /**
   * The feeds of one step, in the order {@link #addValues} gives their values: the inputs, then
   * each output's target and sample weights.
   */
  private void addFeeds(
      List<Operand<?>> feeds,
      List<DType> types,
      List<Placeholder<? extends TType>> inputs,
      List<Placeholder<TFloat32>> ys,
      List<Operand<TFloat32>> ws) {
    feeds.addAll(inputs);
    types.addAll(model.inputDtypes());
    for (int i = 0; i < ys.size(); i++) {
      feeds.add(ys.get(i));
      types.add(DType.FLOAT32);
      feeds.add(ws.get(i));
      types.add(DType.FLOAT32);
    }
  }

  /** One step's values for {@link #addFeeds}' feeds; a null value is left unfed. */
  private void addValues(
      List<NDArray> values, List<NDArray> xs, List<NDArray> ys, List<NDArray> ws) {
    values.addAll(xs);
    for (int i = 0; i < targets.size(); i++) {
      values.add(i < ys.size() ? ys.get(i) : null);
      values.add(ws != null && i < ws.size() ? ws.get(i) : null);
    }
  }

  private static float[] floats(TFloat32 t) {
    float[] v = new float[(int) t.shape().size()];
    t.asRawTensor().data().asFloats().read(v);
    return v;
  }

  /** A train step's run; in multi-worker training a failed collective names the lost task. */
  private Result runStep(Session.Runner r) {
    if (model.cluster() == null) return model.run(r);
    try {
      return r.run();
    } catch (RuntimeException e) {
      if (ClusterRuntime.isCollectiveFailure(e)) throw model.cluster().lost(e);
      throw e;
    }
  }

  @Override
  public ReplicaContext replicaContext() {
    ClusterRuntime c = model.cluster();
    return c == null ? ReplicaContext.SINGLE : new ReplicaContext(c.numWorkers(), c.spec().rank());
  }

  /**
   * Copies the chief's weights and optimizer state to this worker (every worker calls it); shares a
   * seed and the chief's starting epoch.
   */
  @Override
  public ReplicaSync synchronizeReplicas(int initialEpoch) {
    if (syncFromChief == null) return new ReplicaSync(0, initialEpoch);
    model.claimWeights();
    // Two 24-bit numbers (exact in float32) make the shared seed.
    java.util.SplittableRandom rng = new java.util.SplittableRandom();
    float[] mine = {rng.nextInt(1 << 24), rng.nextInt(1 << 24), initialEpoch};
    try (Tensor in = Tensors.floats(mine, new long[] {3});
        Result res =
            runStep(
                model
                    .session()
                    .runner()
                    .feed(syncSeedIn, in)
                    .fetch(syncSeedOut)
                    .addTarget(syncFromChief))) {
      TFloat32 v = (TFloat32) res.get(0);
      synced = true;
      return new ReplicaSync(
          ((long) v.getFloat(0) << 24) | (long) v.getFloat(1) | 1L, (int) v.getFloat(2));
    }
  }

  /** One step's results from a packed vector, starting at {@code offset}. */
  private StepResult unpack(float[] v, int offset, boolean train) {
    int k = offset;
    double loss = v[k++];
    double[] ol = new double[specs.size()];
    for (int i = 0; i < ol.length; i++) ol[i] = v[k++];
    int metrics = metricsNames.size() - 1 - (specs.size() > 1 ? specs.size() : 0);
    double[] sums = new double[metrics];
    double[] counts = new double[metrics];
    for (int i = 0; i < metrics; i++) {
      sums[i] = v[k++];
      counts[i] = v[k++];
    }
    if (model.cluster() != null) return new StepResult(loss, ol, sums, counts, v[k]);
    return new StepResult(loss, ol, sums, counts);
  }
}
