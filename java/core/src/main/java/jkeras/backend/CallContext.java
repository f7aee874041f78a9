package jkeras.backend;

import java.util.IdentityHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * What a layer's {@code call} gets besides its inputs: the graph's op builder, the learning-phase
 * flag (Keras' {@code training} argument; true only in training steps), a seed source for random
 * layers, and a place to record logits behind softmax/sigmoid outputs for the losses.
 */
public final class CallContext {
  private final Ops tf;
  private final Operand<TBool> training;
  private final java.util.function.LongSupplier seeds;
  private final Map<Operand<?>, Prediction> logits;

  /**
   * A context for building one model's forward pass; the engine makes it (custom layers only
   * receive it).
   */
  public CallContext(Ops tf, Operand<TBool> training, java.util.function.LongSupplier seeds) {
    this(tf, training, seeds, new IdentityHashMap<>());
  }

  private CallContext(
      Ops tf,
      Operand<TBool> training,
      java.util.function.LongSupplier seeds,
      Map<Operand<?>, Prediction> logits) {
    this.tf = tf;
    this.training = training;
    this.seeds = seeds;
    this.logits = logits;
  }

  /** The same context building ops under another name scope (one per layer call). */
  public CallContext scoped(Ops scopedTf) {
    return new CallContext(scopedTf, training, seeds, logits);
  }

  public Ops tf() {
    return tf;
  }

  /** Scalar bool: true in training steps (dropout active), false in test and predict steps. */
  public Operand<TBool> training() {
    return training;
  }

  /** A fresh seed for a random op, derived from the global seed when one is set. */
  public long nextSeed() {
    return seeds.getAsLong();
  }

  /** Records that {@code output = activation(logits)} for {@code kind} softmax or sigmoid. */
  public void recordLogits(Operand<TFloat32> output, Operand<TFloat32> logitsValue, String kind) {
    logits.put(output, new Prediction(output, logitsValue, kind));
  }

  /** The output with the logits it came from, when recorded. */
  public Prediction prediction(Operand<TFloat32> output) {
    Prediction p = logits.get(output);
    return p != null ? p : Prediction.of(output);
  }
}
