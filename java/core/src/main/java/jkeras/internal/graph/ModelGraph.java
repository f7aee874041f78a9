package jkeras.internal.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import jkeras.backend.CallContext;
import jkeras.backend.KerasVariable;
import jkeras.backend.Prediction;
import jkeras.backend.VariableFactory;
import jkeras.backend.Weight;
import jkeras.backend.WeightStore;
import jkeras.constraints.Constraint;
import jkeras.data.DType;
import jkeras.data.NDArray;
import jkeras.internal.SessionThreads;
import jkeras.layers.InputLayer;
import jkeras.layers.KerasTensor;
import jkeras.layers.Layer;
import jkeras.layers.Network;
import jkeras.utils.RngUtils;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/**
 * The TensorFlow graph and session of one model: input placeholders, the layers' variables and
 * forward ops, and the ops for reading and writing weights. Built once per model; compiling adds
 * the training ops ({@link TrainingGraph}). Owns native memory: close it.
 *
 * <p>Not thread-safe: graph building and weight access happen on the caller's thread; training
 * steps are serialised by the model.
 */
public final class ModelGraph implements WeightStore, AutoCloseable {
  private final Graph graph = new Graph();
  private final Ops tf;
  private final ClusterRuntime cluster;
  private final Session session;
  // TensorFlow runs this session's ops on the thread calling it: each run sets flush-to-zero.
  private final boolean callerThread;
  private final SplittableRandom seeds;
  private final List<KerasTensor> inputs;
  private final List<KerasTensor> outputTensors;
  private final List<Placeholder<? extends TType>> inputPlaceholders = new ArrayList<>();
  private final List<DType> inputDtypes = new ArrayList<>();
  private final List<Operand<TFloat32>> inputValues = new ArrayList<>();
  private final Forward inference;
  private final List<Operand<TFloat32>> predictFetches = new ArrayList<>();
  private final List<Op> pendingInit = new ArrayList<>();
  private final Map<KerasVariable, Placeholder<TFloat32>> assignFeeds = new IdentityHashMap<>();
  private final Map<KerasVariable, Op> assignOps = new IdentityHashMap<>();
  private final List<Weight> weights = new ArrayList<>();
  private final Map<Weight, KerasVariable> variables = new IdentityHashMap<>();
  private final Map<String, Integer> opNames = new HashMap<>();
  private final List<StepRunner> runners = new ArrayList<>();
  private boolean closed;

  /**
   * One forward pass of the network, built for one learning phase: the outputs, their masks and the
   * logits behind them, the layers' updates (Keras' {@code add_update}) and every loss the layers
   * add besides the outputs' (the weights' penalties, then {@code add_loss}); {@code assignments}
   * says what each update built by {@link CallContext#assign} assigns (multi-worker training
   * averages those over the workers).
   */
  public record Forward(
      List<Operand<TFloat32>> outputs,
      List<Operand<TBool>> outputMasks,
      List<Prediction> predictions,
      List<Op> updates,
      List<Operand<TFloat32>> losses,
      Map<Op, CallContext.Assignment> assignments) {}

  public ModelGraph(List<KerasTensor> inputs, List<KerasTensor> outputTensors, List<Layer> layers) {
    this(inputs, outputTensors, layers, null);
  }

  /**
   * @param cluster the multi-worker runtime the model trains on (its ops placed on this task, its
   *     session on this task's server), or null for a model of this process alone
   */
  public ModelGraph(
      List<KerasTensor> inputs,
      List<KerasTensor> outputTensors,
      List<Layer> layers,
      ClusterRuntime cluster) {
    this.cluster = cluster;
    this.tf = cluster == null ? Ops.create(graph) : cluster.place(Ops.create(graph));
    this.seeds = RngUtils.modelRandom();
    this.inputs = List.copyOf(inputs);
    this.outputTensors = List.copyOf(outputTensors);
    boolean ok = false;
    try {
      // Variables first, in the model's layer order: the order Keras creates (and seeds) them in.
      // A model called as a layer lists its layers' weights: each is named after the layer that
      // declared it (Keras' name scopes), and created once even if reached twice.
      Variables vars = new Variables(tf);
      for (Layer layer : layers) {
        for (Weight w : layer.weights()) {
          if (variables.containsKey(w)) continue;
          String path = w.layerName() != null ? w.path() : layer.name() + "/" + w.name();
          String scope = path.replace('/', '_');
          long seed = seeds.nextLong();
          Operand<TFloat32> init =
              w.initializer().call(tf.withSubScope(uniqueOpName(scope + "_init")), w.shape(), seed);
          KerasVariable v = vars.create(path, w.shape(), init, w.trainable(), w.constraint());
          variables.put(w, v);
          w.attach(v, this);
          weights.add(w);
        }
      }
      for (KerasTensor in : inputs) {
        InputLayer il = (InputLayer) in.layer();
        Class<? extends TType> type = Tensors.tensorType(in.dtype());
        Placeholder<? extends TType> p =
            tf.withName(uniqueOpName(il.name()))
                .placeholder(type, Placeholder.shape(Shape.of(in.shape())));
        inputPlaceholders.add(p);
        inputDtypes.add(in.dtype());
        // Layers compute in float32; Keras casts inputs to the layer's dtype the same way.
        inputValues.add(in.dtype() == DType.FLOAT32 ? cast(p) : tf.dtypes.cast(p, TFloat32.class));
      }
      inference = forward(inputValues, false);
      // An output that is an input as it is (a Lambda returning x in inference) cannot be fetched
      // from the run that feeds it: fetch a copy.
      for (Operand<TFloat32> o : inference.outputs()) {
        predictFetches.add(inputValues.contains(o) ? tf.identity(o) : o);
      }
      ConfigProto config = sessionConfig();
      callerThread = config.getInterOpParallelismThreads() < 0;
      session = cluster == null ? new Session(graph, config) : cluster.openSession(graph, config);
      // The process' first session run is when TensorFlow prints its native start-up lines.
      NativeStartupLog.filtered(
          () -> {
            runInit();
            return null;
          });
      ok = true;
    } finally {
      if (!ok) {
        for (Weight w : weights) w.detach(this);
        graph.close();
      }
    }
  }

  /**
   * Multiply-adds of one sample's forward pass, from the static shapes of the graph's products and
   * convolutions (what sizes a step's arithmetic; elementwise ops are left out), for the threading
   * rule ({@link SessionThreads#sessionStarting}).
   */
  long forwardMacsPerSample() {
    long total = 0;
    for (Iterator<GraphOperation> it = graph.operations(); it.hasNext(); ) {
      GraphOperation op = it.next();
      try {
        switch (op.type()) {
          case "MatMul", "BatchMatMulV2" -> {
            Shape w = op.input(1).shape();
            Shape out = op.output(0).shape();
            // A weight product: its K x N per sample row; both operands per sample otherwise.
            long k = w.numDimensions() >= 2 ? w.size(w.numDimensions() - 2) : 1;
            total += Math.max(0, k) * Math.max(0, perSample(out));
          }
          case "Conv2D", "Conv3D", "DepthwiseConv2dNative", "Conv2DBackpropInput" -> {
            Shape f = op.input(1).shape();
            long perOut = 1;
            for (int d = 0; d < f.numDimensions() - 1; d++) perOut *= Math.max(1, f.size(d));
            total += perOut * Math.max(0, perSample(op.output(0).shape()));
          }
          case "BlockLSTMV2" -> {
            Shape x = op.input(1).shape(); // [time, batch, features]
            Shape w = op.input(4).shape(); // [features + units, 4 units]
            total += Math.max(1, x.size(0)) * Math.max(0, w.size(0)) * Math.max(0, w.size(1));
          }
          default -> {}
        }
      } catch (RuntimeException unknownShape) {
        // A shape TensorFlow cannot tell statically adds nothing to the estimate.
      }
    }
    return total;
  }

  /** Elements of one sample of a batch-first shape (unknown dimensions count as 1). */
  private static long perSample(Shape s) {
    long n = 1;
    for (int d = 1; d < s.numDimensions(); d++) n *= Math.max(1, s.size(d));
    return n;
  }

  /**
   * The session's threads ({@code jkeras.config.Threading}); TensorFlow sizes its process-wide
   * pools from the first session's, so every model of the process runs with the same.
   */
  private ConfigProto sessionConfig() {
    // Multi-worker sessions keep TensorFlow's threads (collectives wait on other tasks).
    boolean possible = cluster == null && FlushDenormals.available();
    int[] threads = SessionThreads.sessionStarting(forwardMacsPerSample(), possible);
    if (cluster == null && threads[1] == 1 && SessionThreads.callerThread()) {
      FlushDenormals.logFallback();
    }
    Boolean forced = callerThreadOverride;
    if (forced != null && cluster == null) {
      if (forced && FlushDenormals.available() && threads[1] == 1) threads[1] = -1;
      if (!forced && threads[1] < 0) threads[1] = 1;
    }
    return ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(threads[0])
        .setInterOpParallelismThreads(threads[1])
        .build();
  }

  // Tests and benchmarks: models built from now on run on the caller's thread (true) or on
  // TensorFlow's inter-op thread (false) when their session gets one inter-op thread; null: the
  // process' setting.
  private static volatile Boolean callerThreadOverride;

  /** See {@link #callerThreadOverride}. */
  static void overrideCallerThread(Boolean callerThread) {
    callerThreadOverride = callerThread;
  }

  /** Whether this session runs its ops on the thread calling it (with flush-to-zero set). */
  boolean callerThread() {
    return callerThread;
  }

  /**
   * Runs {@code runner} (a run of this model's session): on the caller's thread, with TensorFlow's
   * flush-to-zero set around it when the session runs its ops there.
   */
  public Result run(Session.Runner runner) {
    if (!callerThread) return runner.run();
    FlushDenormals.enter();
    try {
      return runner.run();
    } finally {
      FlushDenormals.exit();
    }
  }

  /**
   * Builds a forward pass of the network on {@code values} (one per input) for a learning phase
   * known now: {@code training} true for a training step (dropout, batch statistics and the layers'
   * updates), false for test and predict steps. Each step kind gets a pass of its own, so neither
   * computes the other's branch of a layer (Keras 2.3.1's learning-phase switch computed both).
   * Weight reads are the variables' {@link KerasVariable#value()} at the time of the call.
   */
  public Forward forward(List<Operand<TFloat32>> values, boolean training) {
    // A layer shared with another model reads the variable of the graph being built.
    for (Weight w : weights) w.attach(variableOf(w), this);
    Operand<TBool> phase = tf.withName(uniqueOpName("keras_learning_phase")).constant(training);
    CallContext ctx = new CallContext(tf, phase, training, seeds::nextLong);
    List<Operand<TFloat32>> losses = new ArrayList<>();
    for (Weight w : weights) {
      if (w.regularizer() == null) continue;
      String name = variableOf(w).name();
      String scope = name.substring(0, name.length() - 2).replace('/', '_');
      losses.add(
          w.regularizer()
              .call(tf.withSubScope(uniqueOpName(scope + "_regularizer")), variableOf(w).value()));
    }
    List<Operand<TBool>> noMasks = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) noMasks.add(null);
    Network.Result run =
        Network.run(ctx, inputs, outputTensors, values, noMasks, this::uniqueOpName);
    List<Prediction> predictions = new ArrayList<>();
    for (Operand<TFloat32> o : run.outputs()) predictions.add(ctx.prediction(o));
    losses.addAll(ctx.losses());
    Map<Op, CallContext.Assignment> assignments = new IdentityHashMap<>();
    for (Op u : ctx.updates()) {
      CallContext.Assignment a = ctx.assignment(u);
      if (a != null) assignments.put(u, a);
    }
    return new Forward(
        List.copyOf(run.outputs()),
        java.util.Collections.unmodifiableList(new ArrayList<>(run.masks())),
        List.copyOf(predictions),
        List.copyOf(ctx.updates()),
        List.copyOf(losses),
        java.util.Collections.unmodifiableMap(assignments));
  }

  /** The model's inputs as float32 values (the placeholders, cast), for another forward pass. */
  public List<Operand<TFloat32>> inputValues() {
    return inputValues;
  }

  /** The forward pass of test and predict steps ({@code training=false}). */
  public Forward inference() {
    return inference;
  }

  @SuppressWarnings("unchecked")
  private static Operand<TFloat32> cast(Operand<?> p) {
    return (Operand<TFloat32>) p;
  }

  String uniqueOpName(String base) {
    // Op names may not contain '/' when set with withName; Keras-facing names keep theirs.
    String clean = base.replaceAll("[^A-Za-z0-9_.\\-]", "_");
    if (!clean.isEmpty() && !Character.isLetterOrDigit(clean.charAt(0)) && clean.charAt(0) != '.')
      clean = "x" + clean;
    int n = opNames.merge(clean, 1, Integer::sum);
    return n == 1 ? clean : clean + "_" + (n - 1);
  }

  /**
   * A {@link StepRunner} over this graph's session, closed with it; null when TF Java's C API
   * cannot be reached (the caller then runs {@code Session.Runner}).
   */
  StepRunner stepRunner(List<Operand<?>> feeds, Operand<TFloat32> fetch, List<Op> targets) {
    checkOpen();
    StepRunner r = StepRunner.create(session, feeds, fetch, targets, callerThread);
    if (r != null) runners.add(r);
    return r;
  }

  /** Runs the initializers of variables created since the last call. */
  void runInit() {
    if (pendingInit.isEmpty()) return;
    Session.Runner r = session.runner();
    for (Op op : pendingInit) r.addTarget(op);
    run(r).close();
    pendingInit.clear();
  }

  public Ops tf() {
    return tf;
  }

  /** The multi-worker runtime this model trains on, or null. */
  ClusterRuntime cluster() {
    return cluster;
  }

  public Graph graph() {
    return graph;
  }

  public Session session() {
    checkOpen();
    return session;
  }

  public List<Placeholder<? extends TType>> inputPlaceholders() {
    return inputPlaceholders;
  }

  public List<DType> inputDtypes() {
    return inputDtypes;
  }

  /** Every layer weight, in model order. */
  public List<Weight> weights() {
    return weights;
  }

  /** This graph's variable for {@code w} (one of {@link #weights()}). */
  public KerasVariable variableOf(Weight w) {
    KerasVariable v = variables.get(w);
    if (v == null) throw new IllegalArgumentException(w + " is not a weight of this model.");
    return v;
  }

  /**
   * Copies in the current value of every weight another model graph holds (a layer shared with
   * another model, or this model's layers trained inside an outer model), so the next step runs on
   * it; this graph then holds them. Run before every step.
   */
  void claimWeights() {
    Map<WeightStore, List<Weight>> elsewhere = null;
    for (Weight w : weights) {
      WeightStore s = w.store();
      if (s == this) continue;
      if (elsewhere == null) elsewhere = new IdentityHashMap<>();
      elsewhere.computeIfAbsent(s, k -> new ArrayList<>()).add(w);
    }
    if (elsewhere == null) return;
    for (Map.Entry<WeightStore, List<Weight>> e : elsewhere.entrySet()) {
      List<Weight> ws = e.getValue();
      if (e.getKey() != null) writeOwn(ws, e.getKey().read(ws));
      for (Weight w : ws) w.claim(this);
    }
  }

  /**
   * A factory for variables created after the model (optimizer slots); see {@link TrainingGraph}.
   */
  VariableFactory variableFactory(Ops gatedOps) {
    return new Variables(gatedOps);
  }

  /** Feeds input arrays (already standardised) to the runner; returns the tensors to close. */
  List<Tensor> feedInputs(Session.Runner runner, List<NDArray> xs) {
    return feedInputs(runner, xs, inputPlaceholders);
  }

  /** Feeds input arrays to {@code placeholders} (the model's or a copy's); returns the tensors. */
  List<Tensor> feedInputs(
      Session.Runner runner, List<NDArray> xs, List<Placeholder<? extends TType>> placeholders) {
    List<Tensor> owned = new ArrayList<>(xs.size());
    for (int i = 0; i < xs.size(); i++) {
      Tensor t = Tensors.of(xs.get(i), inputDtypes.get(i));
      owned.add(t);
      runner.feed(placeholders.get(i), t);
    }
    return owned;
  }

  /**
   * Input placeholders like the model's, for another step in the same execution; {@code values}
   * receives each as float32 (as {@link #inputValues()}).
   */
  List<Placeholder<? extends TType>> newInputs(String suffix, List<Operand<TFloat32>> values) {
    List<Placeholder<? extends TType>> out = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      KerasTensor in = inputs.get(i);
      Placeholder<? extends TType> p =
          tf.withName(uniqueOpName(((InputLayer) in.layer()).name() + suffix))
              .placeholder(Tensors.tensorType(in.dtype()), Placeholder.shape(Shape.of(in.shape())));
      out.add(p);
      values.add(in.dtype() == DType.FLOAT32 ? cast(p) : tf.dtypes.cast(p, TFloat32.class));
    }
    return out;
  }

  /** One predict step: the outputs for a batch of (standardised) inputs, {@code training=false}. */
  public List<NDArray> predict(List<NDArray> xs) {
    checkOpen();
    claimWeights();
    Session.Runner r = session.runner();
    List<Tensor> owned = feedInputs(r, xs);
    try {
      List<Operand<TFloat32>> outputs = predictFetches;
      for (Operand<TFloat32> o : outputs) r.fetch(o);
      try (Result res = run(r)) {
        List<NDArray> out = new ArrayList<>(outputs.size());
        for (int i = 0; i < outputs.size(); i++) out.add(Tensors.toNDArray(res.get(i)));
        return out;
      }
    } finally {
      for (Tensor t : owned) t.close();
    }
  }

  /**
   * The weights' current values: read here for those this graph holds, from the graph holding them
   * for the others (a layer shared with another model).
   */
  @Override
  public List<NDArray> read(List<Weight> ws) {
    NDArray[] out = new NDArray[ws.size()];
    Map<WeightStore, List<Integer>> byStore = new IdentityHashMap<>();
    for (int i = 0; i < ws.size(); i++) {
      WeightStore s = ws.get(i).store();
      byStore.computeIfAbsent(s == null ? this : s, k -> new ArrayList<>()).add(i);
    }
    for (Map.Entry<WeightStore, List<Integer>> e : byStore.entrySet()) {
      List<Weight> part = new ArrayList<>();
      for (int i : e.getValue()) part.add(ws.get(i));
      List<NDArray> values;
      if (e.getKey() == this) {
        List<KerasVariable> vs = new ArrayList<>(part.size());
        for (Weight w : part) vs.add(variableOf(w));
        values = readVariables(vs);
      } else {
        values = e.getKey().read(part);
      }
      for (int k = 0; k < part.size(); k++) out[e.getValue().get(k)] = values.get(k);
    }
    return List.of(out);
  }

  /**
   * Sets the weights' values where they are held: here, or in the graph holding them (this graph
   * copies them in before its next step).
   */
  @Override
  public void write(List<Weight> ws, List<NDArray> values) {
    checkOpen();
    Map<WeightStore, List<Integer>> byStore = new IdentityHashMap<>();
    for (int i = 0; i < ws.size(); i++) {
      WeightStore s = ws.get(i).store();
      byStore.computeIfAbsent(s == null ? this : s, k -> new ArrayList<>()).add(i);
    }
    for (Map.Entry<WeightStore, List<Integer>> e : byStore.entrySet()) {
      List<Weight> part = new ArrayList<>();
      List<NDArray> partValues = new ArrayList<>();
      for (int i : e.getValue()) {
        part.add(ws.get(i));
        partValues.add(values.get(i));
      }
      if (e.getKey() == this) {
        writeOwn(part, partValues);
        for (Weight w : part) w.claim(this);
      } else {
        e.getKey().write(part, partValues);
      }
    }
  }

  /** Assigns values to this graph's own variables of {@code ws}. */
  private void writeOwn(List<Weight> ws, List<NDArray> values) {
    checkOpen();
    if (ws.isEmpty()) return;
    List<Tensor> owned = new ArrayList<>();
    try {
      Session.Runner r = session.runner();
      for (int i = 0; i < ws.size(); i++) {
        KerasVariable v = variableOf(ws.get(i));
        Tensor t = Tensors.floats(values.get(i).floatsView(), v.shape());
        owned.add(t);
        r.feed(assignFeeds.get(v), t).addTarget(assignOps.get(v));
      }
      run(r).close();
    } finally {
      for (Tensor t : owned) t.close();
    }
  }

  /** Reads any variables' values (optimizer state, learning rate). */
  public List<NDArray> readVariables(List<KerasVariable> vs) {
    checkOpen();
    if (vs.isEmpty()) return List.of();
    Session.Runner r = session.runner();
    for (KerasVariable v : vs) r.fetch(v.value());
    List<NDArray> out = new ArrayList<>(vs.size());
    try (Result res = run(r)) {
      for (int i = 0; i < vs.size(); i++) out.add(Tensors.toNDArray(res.get(i)));
    }
    return out;
  }

  /** Sets variables created through this graph (optimizer slots), each to a value of its shape. */
  public void writeVariables(List<KerasVariable> vs, List<NDArray> values) {
    checkOpen();
    if (vs.isEmpty()) return;
    List<Tensor> owned = new ArrayList<>();
    try {
      Session.Runner r = session.runner();
      for (int i = 0; i < vs.size(); i++) {
        KerasVariable v = vs.get(i);
        Tensor t = Tensors.floats(values.get(i).floatsView(), v.shape());
        owned.add(t);
        r.feed(assignFeeds.get(v), t).addTarget(assignOps.get(v));
      }
      run(r).close();
    } finally {
      for (Tensor t : owned) t.close();
    }
  }

  /** Sets a scalar variable (e.g. the learning rate) created through this graph. */
  public void writeScalar(KerasVariable v, float value) {
    checkOpen();
    try (Tensor t = Tensors.floats(new float[] {value})) {
      run(session.runner().feed(assignFeeds.get(v), t).addTarget(assignOps.get(v))).close();
    }
  }

  private void handOverWeights() {
    Map<WeightStore, List<Weight>> heirs = new IdentityHashMap<>();
    for (Weight w : weights) {
      if (w.store() != this) continue;
      List<WeightStore> holders = w.holders();
      for (int i = holders.size() - 1; i >= 0; i--) {
        if (holders.get(i) != this) {
          heirs.computeIfAbsent(holders.get(i), k -> new ArrayList<>()).add(w);
          break;
        }
      }
    }
    for (Map.Entry<WeightStore, List<Weight>> e : heirs.entrySet()) {
      List<Weight> ws = e.getValue();
      List<NDArray> values = read(ws);
      for (Weight w : ws) w.claim(e.getKey());
      e.getKey().write(ws, values);
    }
  }

  private void checkOpen() {
    if (closed)
      throw new IllegalStateException(
          "This model has been closed; its graph and weights are released.");
  }

  /**
   * Releases the graph and session. The weights this graph holds and another open model graph also
   * uses are handed over first (their values copied there), so a layer shared with a model still
   * open keeps its trained values.
   */
  @Override
  public void close() {
    if (closed) return;
    handOverWeights();
    closed = true;
    for (Weight w : weights) w.detach(this);
    for (StepRunner r : runners) r.close();
    session.close();
    graph.close();
  }

  /** Creates resource variables; initial values and assign ops are never gated. */
  private final class Variables implements VariableFactory {
    private final Ops ops;

    Variables(Ops ops) {
      this.ops = ops;
    }

    @Override
    public Ops tf() {
      return ops;
    }

    @Override
    public KerasVariable create(
        String name, long[] shape, Operand<TFloat32> initialValue, boolean trainable) {
      return create(name, shape, initialValue, trainable, null);
    }

    KerasVariable create(
        String name,
        long[] shape,
        Operand<TFloat32> initialValue,
        boolean trainable,
        Constraint constraint) {
      String opName = uniqueOpName(name);
      VarHandleOp handle =
          tf.withName(opName)
              .varHandleOp(TFloat32.class, Shape.of(shape), VarHandleOp.sharedName(opName));
      Operand<TFloat32> value =
          tf.withName(opName + "_read").readVariableOp(handle, TFloat32.class);
      KerasVariable v =
          new KerasVariable(name + ":0", shape, handle, value, initialValue, trainable, constraint);
      pendingInit.add(tf.withName(opName + "_init_assign").assignVariableOp(handle, initialValue));
      Placeholder<TFloat32> feed =
          tf.withName(opName + "_set_value")
              .placeholder(TFloat32.class, Placeholder.shape(Shape.of(shape)));
      assignFeeds.put(v, feed);
      assignOps.put(v, tf.withName(opName + "_set_assign").assignVariableOp(handle, feed));
      return v;
    }

    @Override
    public KerasVariable zerosLike(KerasVariable like, String name) {
      return create(name, like.shape(), tf.zeros(tf.constant(like.shape()), TFloat32.class), false);
    }

    @Override
    public KerasVariable scalar(String name, float value) {
      return create(name, new long[0], tf.constant(value), false);
    }

    @Override
    public long nextSeed() {
      return seeds.nextLong();
    }
  }
}
