package jkeras.backend;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * What a layer's {@code call} gets besides its inputs: the graph's op builder, the learning-phase
 * flag (Keras' {@code training} argument; true only in training steps), a seed source for random
 * layers, the masks of its inputs (Keras' {@code mask} argument), and the places a layer leaves
 * what the model must run besides its outputs: updates for training steps (Keras' {@code
 * add_update}, e.g. BatchNormalization's moving statistics), losses (Keras' {@code add_loss}, e.g.
 * activity regularization) and the logits behind softmax/sigmoid outputs for the losses.
 */
public final class CallContext {
  private static final ThreadLocal<CallContext> CURRENT = new ThreadLocal<>();

  private final Ops tf;
  private final Operand<TBool> training;
  private final Boolean learningPhase;
  private final LongSupplier seeds;
  private final Shared shared;
  private final List<Operand<TBool>> inputMasks;

  /** What every call of one forward pass contributes to. */
  private static final class Shared {
    final Map<Operand<?>, Prediction> logits = new IdentityHashMap<>();
    final List<Op> updates = new ArrayList<>();
    final List<Operand<TFloat32>> losses = new ArrayList<>();
    final Map<Op, Assignment> assignments = new IdentityHashMap<>();
  }

  /**
   * An update that sets a variable to a value computed in the step ({@code K.update}): the engine
   * may rebuild it, as multi-worker training does to average the update over the workers.
   */
  public record Assignment(KerasVariable variable, Operand<TFloat32> newValue) {}

  /**
   * A context for building one model's forward pass; the engine makes it (custom layers only
   * receive it).
   */
  public CallContext(Ops tf, Operand<TBool> training, LongSupplier seeds) {
    this(tf, training, null, seeds, new Shared(), List.of());
  }

  /**
   * A context for a forward pass of a learning phase known when it is built: {@code training} is
   * the constant {@code learningPhase} (the engine builds one pass per step kind).
   */
  public CallContext(Ops tf, Operand<TBool> training, boolean learningPhase, LongSupplier seeds) {
    this(tf, training, learningPhase, seeds, new Shared(), List.of());
  }

  private CallContext(
      Ops tf,
      Operand<TBool> training,
      Boolean learningPhase,
      LongSupplier seeds,
      Shared shared,
      List<Operand<TBool>> masks) {
    this.tf = tf;
    this.training = training;
    this.learningPhase = learningPhase;
    this.seeds = seeds;
    this.shared = shared;
    this.inputMasks = masks;
  }

  /** The same context building ops under another name scope (one per layer call). */
  public CallContext scoped(Ops scopedTf) {
    return new CallContext(scopedTf, training, learningPhase, seeds, shared, List.of());
  }

  /**
   * The context of one layer call: ops under {@code scopedTf}, and {@code masks} (one per input,
   * {@code null} where an input has none) as the call's input masks.
   */
  public CallContext forCall(Ops scopedTf, List<Operand<TBool>> masks) {
    return new CallContext(
        scopedTf,
        training,
        learningPhase,
        seeds,
        shared,
        Collections.unmodifiableList(new ArrayList<>(masks)));
  }

  public Ops tf() {
    return tf;
  }

  /**
   * The context of the layer call being built on this thread: what {@link K}'s functions build
   * their ops with, so a ported {@code call} can write {@code K.sum(x, 1)} without passing the
   * context around (Keras' backend finds its graph the same way).
   *
   * @throws IllegalStateException outside a layer call (the engine sets it while it builds each
   *     call of a model's graph)
   */
  public static CallContext current() {
    CallContext c = CURRENT.get();
    if (c == null) {
      throw new IllegalStateException(
          "No layer call is being built on this thread: K's functions build ops in a layer's"
              + " `call` (or a Lambda's function) while a model's graph is built.");
    }
    return c;
  }

  /** Whether a layer call is being built on this thread (see {@link #current()}). */
  public static boolean hasCurrent() {
    return CURRENT.get() != null;
  }

  /**
   * Makes this context {@link #current()} on this thread until the returned scope is closed, which
   * restores the previous one (calls nest: a model called as a layer calls its own layers). The
   * engine does this around each layer call; use it to run {@link K} functions elsewhere.
   */
  public Scope enter() {
    CallContext previous = CURRENT.get();
    CURRENT.set(this);
    return () -> {
      if (previous == null) CURRENT.remove();
      else CURRENT.set(previous);
    };
  }

  /** What {@link #enter()} returns: closing it restores the previous current context. */
  @FunctionalInterface
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  /** Scalar bool: true in training steps (dropout active), false in test and predict steps. */
  public Operand<TBool> training() {
    return training;
  }

  /**
   * The learning phase when it is known as the pass is built ({@code TRUE} in a training step's
   * forward pass, {@code FALSE} in test and predict steps' one), else null (a phase fed at run
   * time). A layer with a training-only branch builds just the branch of a known phase instead of
   * {@code K.in_train_phase}'s switch, which computes both.
   */
  public Boolean learningPhase() {
    return learningPhase;
  }

  /**
   * Keras' {@code K.in_train_phase(x, alt)}: {@code x} in training steps, {@code alt} otherwise;
   * only the branch of a known phase is built.
   */
  public Operand<TFloat32> inTrainPhase(
      java.util.function.Supplier<Operand<TFloat32>> x,
      java.util.function.Supplier<Operand<TFloat32>> alt) {
    if (Boolean.TRUE.equals(learningPhase)) return x.get();
    if (Boolean.FALSE.equals(learningPhase)) return alt.get();
    return tf.select(training, x.get(), alt.get());
  }

  /** A fresh seed for a random op, derived from the global seed when one is set. */
  public long nextSeed() {
    return seeds.getAsLong();
  }

  /**
   * The masks of this call's inputs (Keras' {@code mask}), one per input, {@code null} where an
   * input carries none; each mask has the input's shape without its last axis (a time step is
   * masked, not a feature).
   */
  public List<Operand<TBool>> inputMasks() {
    return inputMasks;
  }

  /** The mask of input {@code i}, or null. */
  public Operand<TBool> inputMask(int i) {
    return i < inputMasks.size() ? inputMasks.get(i) : null;
  }

  /**
   * Keras' {@code add_update}: an op the model runs in each training step (never in test or
   * predict).
   */
  public void addUpdate(Op update) {
    shared.updates.add(update);
  }

  /**
   * An op assigning {@code newValue} to {@code variable} (Keras' {@code K.update}), for {@link
   * #addUpdate}. Unlike an op built directly, the engine knows what it assigns: in multi-worker
   * training the update is averaged over the workers (Keras' variable aggregation {@code MEAN}).
   */
  public Op assign(KerasVariable variable, Operand<TFloat32> newValue) {
    Op op = variable.assign(tf, newValue);
    shared.assignments.put(op, new Assignment(variable, newValue));
    return op;
  }

  /** What {@code update} assigns when {@link #assign} built it, else null (for the engine). */
  public Assignment assignment(Op update) {
    return shared.assignments.get(update);
  }

  /** Keras' {@code add_loss}: a scalar added to the model's total loss in train and test steps. */
  public void addLoss(Operand<TFloat32> loss) {
    shared.losses.add(loss);
  }

  /** The updates added so far by every call of this forward pass (for the engine). */
  public List<Op> updates() {
    return Collections.unmodifiableList(shared.updates);
  }

  /** The losses added so far by every call of this forward pass (for the engine). */
  public List<Operand<TFloat32>> losses() {
    return Collections.unmodifiableList(shared.losses);
  }

  /** Records that {@code output = activation(logits)} for {@code kind} softmax or sigmoid. */
  public void recordLogits(Operand<TFloat32> output, Operand<TFloat32> logitsValue, String kind) {
    shared.logits.put(output, new Prediction(output, logitsValue, kind));
  }

  /** The output with the logits it came from, when recorded. */
  public Prediction prediction(Operand<TFloat32> output) {
    Prediction p = shared.logits.get(output);
    return p != null ? p : Prediction.of(output);
  }
}
