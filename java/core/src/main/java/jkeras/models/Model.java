package jkeras.models;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jkeras.backend.Weight;
import jkeras.callbacks.Callback;
import jkeras.callbacks.History;
import jkeras.data.ArrayData;
import jkeras.data.NDArray;
import jkeras.distribute.MultiWorkerMirroredStrategy;
import jkeras.internal.Errors;
import jkeras.internal.Shapes;
import jkeras.internal.graph.ClusterRuntime;
import jkeras.internal.graph.ModelGraph;
import jkeras.internal.graph.TrainingGraph;
import jkeras.layers.InputLayer;
import jkeras.layers.KerasTensor;
import jkeras.layers.Layer;
import jkeras.layers.Network;
import jkeras.legacy.GeneratorMethods;
import jkeras.trainers.CompileOptions;
import jkeras.trainers.CompiledSteps;
import jkeras.trainers.Compiler;
import jkeras.trainers.EvaluateOptions;
import jkeras.trainers.FitOptions;
import jkeras.trainers.PredictOptions;
import jkeras.trainers.Scores;
import jkeras.trainers.Trainable;
import jkeras.trainers.Trainer;
import jkeras.utils.Sequence;

/**
 * Keras' {@code Model}: a graph of layers from named inputs to named outputs, trained with {@code
 * fit}, {@code trainOnBatch} and friends. Executed by TensorFlow Java: the model owns a graph and a
 * session, so close it ({@code try (Model m = ...)}) to release native memory.
 *
 * <pre>{@code
 * KerasTensor in = Input.create(new long[] {784}, "pixels");
 * KerasTensor h = Dense.builder(128).activation("relu").build().apply(in);
 * KerasTensor out = Dense.builder(10).activation("softmax").build().apply(h);
 * try (Model model = new Model(List.of(in), List.of(out))) {
 *   model.compile("adam", "sparse_categorical_crossentropy", List.of("accuracy"));
 *   History h = model.fit(x, y, FitOptions.builder().epochs(5).build());
 * }
 * }</pre>
 *
 * <p>A model is also a layer (Keras' {@code Network}): {@code model.apply(x)} (Keras' {@code
 * model(x)}) calls it on tensors of another model, which then trains the same weights; {@link
 * #getWeights()} always reads their current values, wherever they were last trained.
 *
 * <pre>{@code
 * Sequential encoder = new Sequential(List.of(Dense.builder(8).inputShape(4).build()));
 * KerasTensor a = Input.create(4);
 * KerasTensor b = Input.create(4);
 * KerasTensor d = Merging.subtract(List.of(encoder.apply(a), encoder.apply(b))); // shared weights
 * }</pre>
 *
 * <p>Stateful and not thread-safe: call it from one thread at a time.
 */
public class Model extends Network implements AutoCloseable {
  private List<KerasTensor> inputs = List.of();
  private List<KerasTensor> outputs = List.of();
  private List<Layer> layers = List.of();
  private ModelGraph graph;
  private TrainingGraph training;
  private History history;
  private final Trainer trainer = new Trainer(new AsTrainable());
  private boolean closed;
  // Keras' model.distribute_strategy: the strategy whose scope the model was created in.
  private MultiWorkerMirroredStrategy strategy = MultiWorkerMirroredStrategy.current();

  /**
   * A functional model from {@code inputs} to {@code outputs}, named {@code model}, {@code
   * model_1}, ...
   */
  public Model(List<KerasTensor> inputs, List<KerasTensor> outputs) {
    this(inputs, outputs, null);
  }

  /** A functional model with a name. */
  public Model(List<KerasTensor> inputs, List<KerasTensor> outputs, String name) {
    super(Layer.kwargs().name(name));
    initGraphNetwork(inputs, outputs);
    // Keras creates the weights when the model is built, so layer.getWeights() works from here on.
    graph();
  }

  /** A functional model with one input and one output. */
  public Model(KerasTensor input, KerasTensor output) {
    this(List.of(input), List.of(output), null);
  }

  /** For subclasses that set up their network later ({@link Sequential}). */
  protected Model(String name) {
    super(Layer.kwargs().name(name));
  }

  /**
   * Keras 2.3.1's model names: the class name in lower case, {@code model_1}, {@code mymodel_1}.
   */
  @Override
  protected String defaultPrefix() {
    return getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }

  /** Sets the network: validates it and orders the layers as Keras does. */
  protected final void initGraphNetwork(List<KerasTensor> ins, List<KerasTensor> outs) {
    if (ins == null || ins.isEmpty())
      throw new IllegalArgumentException("A model needs at least one input.");
    if (outs == null || outs.isEmpty())
      throw new IllegalArgumentException("A model needs at least one output.");
    for (KerasTensor t : ins) {
      if (!(t.layer() instanceof InputLayer)) {
        throw new IllegalArgumentException(
            "Input tensors to a Model must come from `Input`. Received: "
                + t
                + " (missing previous layer metadata).");
      }
    }
    List<String> names = new ArrayList<>();
    for (KerasTensor t : ins) {
      String n = t.layer().name();
      if (names.contains(n)) {
        throw new IllegalArgumentException(
            "The name \""
                + n
                + "\" is used 2 times in the model. All layer names should be unique.");
      }
      names.add(n);
    }
    this.inputs = List.copyOf(ins);
    this.outputs = List.copyOf(outs);
    this.layers = orderLayers(ins, outs);
    recordOwnNode();
    List<String> all = new ArrayList<>();
    for (Layer l : layers) {
      if (all.contains(l.name())) {
        throw new IllegalArgumentException(
            "The name \""
                + l.name()
                + "\" is used 2 times in the model. All layer names should be unique.");
      }
      all.add(l.name());
    }
  }

  /**
   * Keras' {@code _map_graph_network} ordering: a depth-first walk from the outputs numbers the
   * layers, depths are propagated back from the outputs, and layers are listed deepest first, by
   * that number within a depth. The order fixes {@code layers()} and {@code getWeights()}.
   */
  private static List<Layer> orderLayers(List<KerasTensor> ins, List<KerasTensor> outs) {
    Map<Layer, Integer> layerIndex = new IdentityHashMap<>();
    List<KerasTensor> nodesByDecreasingDepth = new ArrayList<>();
    Map<KerasTensor, Boolean> finished = new IdentityHashMap<>();
    Map<KerasTensor, Boolean> inProgress = new IdentityHashMap<>();
    for (KerasTensor o : outs)
      buildMap(o, finished, inProgress, nodesByDecreasingDepth, layerIndex, ins);
    Map<KerasTensor, Integer> nodeDepth = new IdentityHashMap<>();
    Map<Layer, Integer> layerDepth = new IdentityHashMap<>();
    for (int i = nodesByDecreasingDepth.size() - 1; i >= 0; i--) {
      KerasTensor node = nodesByDecreasingDepth.get(i);
      int depth = nodeDepth.getOrDefault(node, 0);
      depth = Math.max(depth, layerDepth.getOrDefault(node.layer(), 0));
      layerDepth.put(node.layer(), depth);
      nodeDepth.put(node, depth);
      for (KerasTensor in : node.inbound()) {
        nodeDepth.put(in, Math.max(depth + 1, nodeDepth.getOrDefault(in, 0)));
      }
    }
    for (KerasTensor in : ins) {
      if (!nodeDepth.containsKey(in)) {
        // An input the outputs do not depend on: Keras still lists it.
        layerIndex.putIfAbsent(in.layer(), layerIndex.size());
        layerDepth.put(in.layer(), Integer.MAX_VALUE);
      }
    }
    List<Layer> ordered = new ArrayList<>(layerDepth.keySet());
    ordered.sort(
        (a, b) -> {
          int c = Integer.compare(layerDepth.get(b), layerDepth.get(a));
          return c != 0 ? c : Integer.compare(layerIndex.get(a), layerIndex.get(b));
        });
    return List.copyOf(ordered);
  }

  private static void buildMap(
      KerasTensor t,
      Map<KerasTensor, Boolean> finished,
      Map<KerasTensor, Boolean> inProgress,
      List<KerasTensor> order,
      Map<Layer, Integer> layerIndex,
      List<KerasTensor> modelInputs) {
    if (finished.containsKey(t)) return;
    if (inProgress.containsKey(t))
      throw new IllegalArgumentException("The tensor " + t + " is part of a cycle.");
    layerIndex.putIfAbsent(t.layer(), layerIndex.size());
    inProgress.put(t, true);
    if (t.layer() instanceof InputLayer) {
      boolean isModelInput = modelInputs.stream().anyMatch(i -> i == t);
      if (!isModelInput) {
        throw new IllegalArgumentException(
            "Graph disconnected: cannot obtain value for tensor "
                + t
                + " at layer \""
                + t.layer().name()
                + "\". The following previous layers were accessed without issue: []");
      }
    }
    for (KerasTensor in : t.inbound())
      buildMap(in, finished, inProgress, order, layerIndex, modelInputs);
    finished.put(t, true);
    inProgress.remove(t);
    order.add(t);
  }

  // ---------------------------------------------------------------- structure

  /** The layers in Keras order ({@code model.layers}). */
  public List<Layer> layers() {
    return layers;
  }

  /** The layer named {@code layerName} ({@code model.get_layer(name)}). */
  public Layer getLayer(String layerName) {
    for (Layer l : layers()) if (l.name().equals(layerName)) return l;
    throw new IllegalArgumentException("No such layer: " + layerName);
  }

  /** The layer at {@code index} in {@link #layers()} ({@code model.get_layer(index=...)}). */
  public Layer getLayer(int index) {
    List<Layer> ls = layers();
    if (index < 0 || index >= ls.size()) {
      throw new IllegalArgumentException(
          "Was asked to retrieve layer at index "
              + index
              + " but model only has "
              + ls.size()
              + " layers.");
    }
    return ls.get(index);
  }

  /** The model's input tensors ({@code model.inputs}). */
  @Override
  public List<KerasTensor> inputs() {
    return inputs;
  }

  /** The model's output tensors ({@code model.outputs}). */
  @Override
  public List<KerasTensor> outputs() {
    return outputs;
  }

  /** The input names, the keys of dict-form {@code x} ({@code model.input_names}). */
  public List<String> inputNames() {
    List<String> n = new ArrayList<>();
    for (KerasTensor t : inputs) n.add(t.layer().name());
    return n;
  }

  /** The output names, the keys of dict-form {@code y} ({@code model.output_names}). */
  public List<String> outputNames() {
    List<String> n = new ArrayList<>();
    for (KerasTensor t : outputs) n.add(t.layer().name());
    return n;
  }

  /**
   * The weights of every layer as one layer's (Keras' {@code Network.weights}): the trainable ones
   * then the others, each in layer order. What an outer model lists for this model.
   */
  @Override
  public List<Weight> weights() {
    List<Weight> out = new ArrayList<>(trainableWeights());
    out.addAll(nonTrainableWeights());
    return out;
  }

  @Override
  public List<Weight> trainableWeights() {
    List<Weight> out = new ArrayList<>();
    for (Layer l : layers()) out.addAll(l.trainableWeights());
    return out;
  }

  @Override
  public List<Weight> nonTrainableWeights() {
    List<Weight> out = new ArrayList<>();
    for (Layer l : layers()) out.addAll(l.nonTrainableWeights());
    return out;
  }

  /**
   * The input shape without the batch axis, for a model with one input (so a model can start a
   * Sequential); else null.
   */
  @Override
  public long[] inputShape() {
    if (inputs.size() != 1) return super.inputShape();
    long[] s = inputs.get(0).shape();
    return java.util.Arrays.copyOfRange(s, 1, s.length);
  }

  /**
   * Keras' {@code get_config()} of a functional model: {@code name}, {@code layers} (each with its
   * {@code inbound_nodes}), {@code input_layers}, {@code output_layers}, as Keras 2.3.1 writes it.
   */
  @Override
  public Map<String, Object> getConfig() {
    graph();
    return ModelSerialization.functionalConfig(this);
  }

  /**
   * Keras' {@code model.to_json()}: {@code {"class_name", "config", "keras_version", "backend"}},
   * in Keras 2's form (which tf-keras and Keras 3 read too). {@link Models#modelFromJson} reads it
   * back, and what any Keras wrote.
   */
  public String toJson() {
    Map<String, Object> m = ModelSerialization.serialize(this);
    m.put("keras_version", jkeras.saving.KerasFiles.KERAS_VERSION);
    m.put("backend", jkeras.saving.KerasFiles.BACKEND);
    return jkeras.saving.Json.write(m);
  }

  /**
   * Keras' {@code model.save(filepath)}: the model's config, weights, compile arguments and
   * optimizer state in one file, which {@link Models#loadModel} (and tf-keras, Keras 2.3.1 and
   * Keras 3) load to resume training exactly. A path ending in {@code .keras} gets Keras 3's zip,
   * any other Keras 2's HDF5. The file is written beside its destination and renamed into place, so
   * an interrupted save leaves the previous file intact; an existing file is replaced.
   *
   * @throws IOException when the file cannot be written (the previous file is then unchanged)
   */
  public void save(java.nio.file.Path path) throws IOException {
    save(path, true);
  }

  /** {@code model.save(filepath, include_optimizer=...)}. */
  public void save(java.nio.file.Path path, boolean includeOptimizer) throws IOException {
    graph();
    ModelFiles.save(this, path, includeOptimizer);
  }

  /**
   * Keras' {@code save_weights(filepath)}: Keras 2's HDF5 weights ({@code layer_names}, {@code
   * weight_names}), or Keras 3's layout for a path ending in {@code .weights.h5}. Atomic, as {@link
   * #save}.
   *
   * @throws IOException when the file cannot be written
   */
  public void saveWeights(java.nio.file.Path path) throws IOException {
    graph();
    ModelFiles.saveWeights(this, path);
  }

  /**
   * Keras' {@code load_weights(filepath)}: the weights of a {@link #saveWeights} or {@link #save}
   * file of any Keras, layer by layer in order (layers without weights skipped).
   *
   * @throws IllegalArgumentException when the file's layers or weights do not fit the model (the
   *     layer count, a layer's weight count, a shape: the message names the layer and both shapes);
   *     no weight is changed then
   * @throws IOException when the file is missing, truncated or not a Keras file
   */
  public void loadWeights(java.nio.file.Path path) throws IOException {
    loadWeights(path, false, false);
  }

  /**
   * {@code load_weights(filepath, by_name=..., skip_mismatch=...)}: with {@code byName}, each saved
   * layer goes to the model's layer of the same name (others are left alone); with {@code
   * skipMismatch}, a layer whose weights do not fit is skipped with Keras' warning.
   */
  public void loadWeights(java.nio.file.Path path, boolean byName, boolean skipMismatch)
      throws IOException {
    graph();
    jkeras.saving.KerasFile f = jkeras.saving.KerasFiles.read(path);
    ModelFiles.loadWeights(this, f, path, byName, skipMismatch);
  }

  // Package-private access for ModelFiles.

  CompileOptions compileOptionsOrNull() {
    return compileOptions;
  }

  boolean trainingBuilt() {
    return training != null;
  }

  void buildTraining() {
    training();
  }

  List<jkeras.backend.KerasVariable> optimizerVariables() {
    return training().optimizerVariables();
  }

  List<jkeras.backend.KerasVariable> optimizedParameters() {
    return training().optimizedParameters();
  }

  List<NDArray> readOptimizerVariables(List<jkeras.backend.KerasVariable> vs) {
    return graph().readVariables(vs);
  }

  void writeOptimizerVariables(List<jkeras.backend.KerasVariable> vs, List<NDArray> values) {
    graph().writeVariables(vs, values);
  }

  List<NDArray> readWeights(List<Weight> ws) {
    return graph().read(ws);
  }

  void writeWeights(List<Weight> ws, List<NDArray> values) {
    graph().write(ws, values);
  }

  /** A Sequential without input shape builds itself from the first tensors it is called on. */
  @Override
  protected void prepareForCall(List<long[]> inputShapes) {
    if (inputs.isEmpty() && !inputShapes.isEmpty()) {
      long[] s = inputShapes.get(0);
      buildFromShape(java.util.Arrays.copyOfRange(s, 1, s.length));
    }
  }

  /** Builds the network for inputs of {@code inputShape} (without batch); Sequential does. */
  protected void buildFromShape(long[] inputShape) {}

  /** The number of weights' scalars ({@code model.count_params()}). */
  @Override
  public long countParams() {
    long n = 0;
    for (Layer l : layers()) n += l.countParams();
    return n;
  }

  /** All weights' values in Keras order ({@code model.get_weights()}). */
  @Override
  public List<NDArray> getWeights() {
    ModelGraph g = graph();
    return g.read(allWeights());
  }

  /** Sets all weights in Keras order ({@code model.set_weights(weights)}). */
  @Override
  public void setWeights(List<NDArray> values) {
    List<Weight> ws = allWeights();
    if (values.size() != ws.size()) {
      throw new IllegalArgumentException(
          "You called `set_weights(weights)` on model \""
              + name()
              + "\" with a weight list of length "
              + values.size()
              + ", but the model was expecting "
              + ws.size()
              + " weights.");
    }
    for (int i = 0; i < ws.size(); i++) {
      if (!java.util.Arrays.equals(ws.get(i).shape(), values.get(i).shape())) {
        throw new IllegalArgumentException(
            "Layer weight shape "
                + Shapes.toPython(ws.get(i).shape())
                + " not compatible with provided weight shape "
                + Shapes.toPython(values.get(i).shape()));
      }
    }
    graph().write(ws, values);
  }

  private List<Weight> allWeights() {
    graph();
    List<Weight> ws = new ArrayList<>();
    for (Layer l : layers()) ws.addAll(l.weights());
    return ws;
  }

  /** Prints Keras 2.3.1's summary table to standard output ({@code model.summary()}). */
  public void summary() {
    summary(System.out);
  }

  /** Prints the summary table to {@code out}. */
  public void summary(PrintStream out) {
    out.print(Summary.render(this));
  }

  /** The model's graph, built on first use. */
  private ModelGraph graph() {
    if (closed) throw new IllegalStateException("This model has been closed.");
    if (graph == null) {
      if (inputs.isEmpty()) {
        throw new IllegalStateException(
            "This model has not yet been built. Build the model first by calling `build()` or by calling the model on a batch of data, or give the first layer an `inputShape`.");
      }
      graph =
          new ModelGraph(
              inputs,
              outputs,
              layers,
              strategy == null ? null : ClusterRuntime.forStrategy(strategy));
    }
    return graph;
  }

  /**
   * Rebuilds the graph for a changed network (Sequential's {@code add}/{@code pop}), keeping the
   * values of the weights that existed. A compiled model must be compiled again, as in Keras.
   */
  protected void rebuildGraphKeepingWeights(List<KerasTensor> ins, List<KerasTensor> outs) {
    List<Weight> old = new ArrayList<>();
    List<NDArray> values = List.of();
    if (graph != null) {
      for (Layer l : layers) old.addAll(l.weights());
      values = graph.read(old);
      graph.close();
      graph = null;
      training = null;
      compileOptions = null;
      compiledPlan = null;
    }
    initGraphNetwork(ins, outs);
    ModelGraph g = graph();
    List<Weight> kept = new ArrayList<>();
    List<NDArray> keptValues = new ArrayList<>();
    for (Layer l : layers) {
      for (Weight w : l.weights()) {
        int i = old.indexOf(w);
        if (i >= 0) {
          kept.add(w);
          keptValues.add(values.get(i));
        }
      }
    }
    g.write(kept, keptValues);
  }

  /** Builds the network from data when the layers were given no input shape (Sequential). */
  protected void buildFromData(ArrayData x) {}

  // ---------------------------------------------------------------- compile

  /** {@code compile(optimizer, loss)}. */
  public void compile(Object optimizer, Object loss) {
    compile(CompileOptions.builder().optimizer(optimizer).loss(loss).build());
  }

  /** {@code compile(optimizer, loss, metrics)}. */
  public void compile(Object optimizer, Object loss, List<?> metrics) {
    compile(CompileOptions.builder().optimizer(optimizer).loss(loss).metrics(metrics).build());
  }

  /**
   * {@code compile(**kwargs)}: the losses, metrics and optimizer resolved and built into the graph.
   */
  public void compile(CompileOptions options) {
    if (options.loss() == null) {
      throw new IllegalArgumentException(
          "The model must be compiled with a loss: `loss` is required.");
    }
    MultiWorkerMirroredStrategy inScope = MultiWorkerMirroredStrategy.current();
    if (inScope != null && inScope != strategy) {
      if (graph != null) {
        // Keras: "Mismatch between the strategy of the model and the strategy in scope".
        throw new IllegalStateException(
            "This model was created outside the scope of "
                + inScope
                + " (its variables already exist on this process alone); create the model inside"
                + " `strategy.scope()`.");
      }
      strategy = inScope;
    }
    this.compileOptions = options;
    this.compiledPlan = null;
    this.training = null;
    // Resolve names now when the network exists, so bad identifiers fail at compile() as in Keras;
    // a Sequential without an input shape resolves them when it is built from data.
    if (!inputs.isEmpty()) compiledPlan = Compiler.plan(outputNames(), outputShapes(), options);
  }

  private CompileOptions compileOptions;
  private Compiler.Plan compiledPlan;

  /** The training graph, built on first use after compile. */
  private TrainingGraph training() {
    if (compileOptions == null) throw Errors.notCompiled();
    if (compiledPlan == null)
      compiledPlan = Compiler.plan(outputNames(), outputShapes(), compileOptions);
    if (training == null) training = new TrainingGraph(graph(), compiledPlan);
    return training;
  }

  /**
   * Sets the weights and the optimizer's state (slots, iterations) from a file {@link #save(Path)}
   * wrote with the optimizer, as Keras' {@code BackupAndRestore} restores its checkpoint into the
   * model being trained.
   */
  public void restoreTrainingState(java.nio.file.Path path) throws IOException {
    ModelFiles.restoreState(this, path);
  }

  /**
   * Keras' {@code model.distribute_strategy}: the strategy whose scope the model was created or
   * compiled in, or null for a model of this process alone.
   */
  public MultiWorkerMirroredStrategy distributeStrategy() {
    return strategy;
  }

  /** Whether {@code compile} was called. */
  public boolean compiled() {
    return compileOptions != null;
  }

  /**
   * {@code model.metrics_names}: {@code loss}, each output's loss when several, then the metrics.
   */
  public List<String> metricsNames() {
    if (compiledPlan == null) return List.of();
    return compiledPlan.metricsNames();
  }

  /** The compiled optimizer ({@code model.optimizer}). */
  public jkeras.optimizers.Optimizer optimizer() {
    return compiledPlan == null ? null : compiledPlan.optimizer();
  }

  // ---------------------------------------------------------------- batch calls

  /** {@code train_on_batch(x, y)}. */
  public Scores trainOnBatch(ArrayData x, ArrayData y) {
    return trainOnBatch(x, y, null, null);
  }

  /** {@code train_on_batch(x, y, sample_weight, class_weight)}. */
  public Scores trainOnBatch(
      ArrayData x, ArrayData y, NDArray sampleWeight, Map<Integer, Double> classWeight) {
    buildFromData(x);
    return trainer.trainOnBatch(x, y, sampleWeight, classWeight);
  }

  /** {@code test_on_batch(x, y)}. */
  public Scores testOnBatch(ArrayData x, ArrayData y) {
    return testOnBatch(x, y, null);
  }

  /** {@code test_on_batch(x, y, sample_weight)}. */
  public Scores testOnBatch(ArrayData x, ArrayData y, NDArray sampleWeight) {
    buildFromData(x);
    return trainer.testOnBatch(x, y, sampleWeight);
  }

  /** {@code predict_on_batch(x)} for a single-output model. */
  public NDArray predictOnBatch(ArrayData x) {
    return single(predictOnBatchOutputs(x), "predictOnBatchOutputs");
  }

  /** {@code predict_on_batch(x)}: one array per output. */
  public List<NDArray> predictOnBatchOutputs(ArrayData x) {
    buildFromData(x);
    graph();
    return trainer.predictOnBatch(x);
  }

  private NDArray single(List<NDArray> outs, String multiName) {
    if (outs.size() != 1) {
      throw new IllegalStateException(
          "This model has "
              + outs.size()
              + " outputs "
              + outputNames()
              + "; use `"
              + multiName
              + "` to get all of them.");
    }
    return outs.get(0);
  }

  // ---------------------------------------------------------------- fit / evaluate / predict

  /** {@code fit(x, y)} with Keras' defaults. */
  public History fit(ArrayData x, ArrayData y) {
    return fit(x, y, FitOptions.defaults());
  }

  /**
   * {@code fit(x, y, **kwargs)}: trains on arrays, returns the History (also kept as {@link
   * #history()}).
   */
  public History fit(ArrayData x, ArrayData y, FitOptions options) {
    buildFromData(x);
    return remember(trainer.fit(x, y, options));
  }

  /**
   * {@code fit(x=data, ...)}: trains on a stream that carries its own targets, Keras 2.3.1's {@code
   * fit_generator}. {@code data} is a {@link Sequence} ({@code stepsPerEpoch} defaults to its
   * {@code size()}, read again each epoch), an {@link java.util.Iterator} of batches ({@code
   * stepsPerEpoch} required), or any source a registered data adapter provider takes
   * (jkeras-python: a {@code PythonSource}, {@code PythonGenerator} or {@code PythonSequence}).
   * {@code workers}, {@code maxQueueSize}, {@code useMultiprocessing} and {@code shuffle} choose
   * how batches are prepared while the model trains.
   */
  public History fit(Object data, FitOptions options) {
    return remember(trainer.fit(data, null, options));
  }

  /** Keras' {@code fit_generator(generator, ...)}: the same as {@link #fit(Object, FitOptions)}. */
  public History fitGenerator(Object generator, FitOptions options) {
    return fit(generator, options);
  }

  private History remember(History h) {
    this.history = h;
    return h;
  }

  /** {@code evaluate(x, y)} with Keras' defaults. */
  public Scores evaluate(ArrayData x, ArrayData y) {
    return evaluate(x, y, EvaluateOptions.defaults());
  }

  /** {@code evaluate(x, y, **kwargs)}: the loss and metrics over the data. */
  public Scores evaluate(ArrayData x, ArrayData y, EvaluateOptions options) {
    buildFromData(x);
    return trainer.evaluate(x, y, options, EvaluateOptions.VERBOSE_DEFAULT);
  }

  /**
   * {@code evaluate(x=data, steps=...)} on a stream, as {@link #fit(Object, FitOptions)} takes it;
   * {@code verbose} defaults to 1.
   */
  public Scores evaluate(Object data, EvaluateOptions options) {
    return trainer.evaluate(data, null, options, EvaluateOptions.VERBOSE_DEFAULT);
  }

  /**
   * Keras' {@code evaluate_generator(generator, ...)}: as {@link #evaluate(Object,
   * EvaluateOptions)}, but silent unless {@code verbose} is set (Keras 2.3.1's default 0).
   */
  public Scores evaluateGenerator(Object generator, EvaluateOptions options) {
    return trainer.evaluate(generator, null, options, EvaluateOptions.GENERATOR_VERBOSE_DEFAULT);
  }

  /** {@code predict(x)} for a single-output model. */
  public NDArray predict(ArrayData x) {
    return predict(x, PredictOptions.defaults());
  }

  /** {@code predict(x, **kwargs)} for a single-output model. */
  public NDArray predict(ArrayData x, PredictOptions options) {
    return single(predictOutputs(x, options), "predictOutputs");
  }

  /** {@code predict(x, **kwargs)}: one array per output. */
  public List<NDArray> predictOutputs(ArrayData x, PredictOptions options) {
    buildFromData(x);
    graph();
    return trainer.predict(x, options, PredictOptions.VERBOSE_DEFAULT);
  }

  /** {@code predict(x=data, steps=...)} on a stream, for a single-output model. */
  public NDArray predict(Object data, PredictOptions options) {
    return single(predictOutputs(data, options), "predictOutputs");
  }

  /** {@code predict(x=data, steps=...)} on a stream: one array per output. */
  public List<NDArray> predictOutputs(Object data, PredictOptions options) {
    graph();
    return trainer.predict(data, options, PredictOptions.VERBOSE_DEFAULT);
  }

  /** Keras' {@code predict_generator(generator, ...)} for a single-output model. */
  public NDArray predictGenerator(Object generator, PredictOptions options) {
    return predict(generator, options);
  }

  /**
   * Keras' keyword form, {@code fit_generator(*args, **kwargs)}, for porters holding Keras calls as
   * maps: Keras 2.3.1 names and the Keras 1 names ({@code nb_epoch}, {@code samples_per_epoch},
   * {@code max_q_size}, {@code pickle_safe}, {@code nb_worker}, ...) converted with Keras'
   * warnings.
   *
   * <pre>{@code
   * model.fitGenerator(List.of(generator), Map.of("steps_per_epoch", 100, "nb_epoch", 10, "max_q_size", 4));
   * }</pre>
   */
  public History fitGenerator(List<?> args, Map<String, ?> kwargs) {
    GeneratorMethods.FitCall c = GeneratorMethods.fitGenerator(args, kwargs);
    return fit(c.generator(), c.options());
  }

  /** Keras' keyword form of {@code evaluate_generator(*args, **kwargs)}. */
  public Scores evaluateGenerator(List<?> args, Map<String, ?> kwargs) {
    GeneratorMethods.EvaluateCall c = GeneratorMethods.evaluateGenerator(args, kwargs);
    return evaluateGenerator(c.generator(), c.options());
  }

  /** Keras' keyword form of {@code predict_generator(*args, **kwargs)}: one array per output. */
  public List<NDArray> predictGenerator(List<?> args, Map<String, ?> kwargs) {
    GeneratorMethods.PredictCall c = GeneratorMethods.predictGenerator(args, kwargs);
    return predictOutputs(c.generator(), c.options());
  }

  private List<long[]> inputShapes() {
    List<long[]> s = new ArrayList<>();
    for (KerasTensor t : inputs) s.add(t.shape());
    return s;
  }

  private List<long[]> outputShapes() {
    List<long[]> s = new ArrayList<>();
    for (KerasTensor t : outputs) s.add(t.shape());
    return s;
  }

  /** The model as its trainer sees it; not part of the model's own API. */
  private final class AsTrainable implements Trainable {
    @Override
    public List<String> inputNames() {
      return Model.this.inputNames();
    }

    @Override
    public List<long[]> inputShapes() {
      return Model.this.inputShapes();
    }

    @Override
    public List<String> outputNames() {
      return Model.this.outputNames();
    }

    @Override
    public List<long[]> outputShapes() {
      return Model.this.outputShapes();
    }

    @Override
    public List<NDArray> predictStep(List<NDArray> x) {
      return graph().predict(x);
    }

    @Override
    public CompiledSteps compiled() {
      return training();
    }

    @Override
    public List<String> metricsNames() {
      return Model.this.metricsNames();
    }

    @Override
    public void setModelOn(Callback callbacks) {
      callbacks.setModel(Model.this);
    }
  }

  // ---------------------------------------------------------------- state

  /** The History of the last {@code fit} ({@code model.history}), or null. */
  public History history() {
    return history;
  }

  /**
   * Keras' {@code model.stop_training}: set by callbacks to end {@code fit} after the current
   * batch.
   */
  public boolean stopTraining() {
    return trainer.stopTraining();
  }

  public void setStopTraining(boolean stop) {
    trainer.setStopTraining(stop);
  }

  /** The learning rate of the compiled optimizer ({@code K.get_value(model.optimizer.lr)}). */
  public double learningRate() {
    TrainingGraph t = training();
    return graph().readVariables(List.of(t.optimizer().learningRateVariable())).get(0).getDouble();
  }

  /** Sets the optimizer's learning rate ({@code K.set_value(model.optimizer.lr, value)}). */
  public void setLearningRate(double value) {
    TrainingGraph t = training();
    graph().writeScalar(t.optimizer().learningRateVariable(), (float) value);
  }

  /**
   * The optimizer's step counter ({@code K.get_value(model.optimizer.iterations)}): the training
   * steps run so far, across {@code fit} and {@code trainOnBatch} calls.
   */
  public long optimizerIterations() {
    TrainingGraph t = training();
    return Math.round(graph().readVariables(List.of(t.iterations())).get(0).getDouble());
  }

  /** Releases the graph, session and weights. Idempotent. */
  @Override
  public void close() {
    if (closed) return;
    closed = true;
    if (graph != null) graph.close();
  }

  @Override
  public String toString() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name());
    m.put("inputs", inputNames());
    m.put("outputs", outputNames());
    return getClass().getSimpleName() + m;
  }
}
