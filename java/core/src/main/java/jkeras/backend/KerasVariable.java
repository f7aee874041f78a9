package jkeras.backend;

import java.util.Arrays;
import java.util.function.Function;
import jkeras.constraints.Constraint;
import jkeras.internal.Shapes;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/**
 * A Keras weight or optimizer slot held in a TensorFlow resource variable.
 *
 * <p>Backend-level type (like a {@code tf.Variable} under Keras): layers, optimizers and the engine
 * use it while the graph is built. Users of the training API never see it; they read and write
 * weights as host arrays through {@code Model.getWeights()/setWeights()}.
 *
 * <p>{@link #value()} is one {@code ReadVariableOp} created with the variable; it is a snapshot, so
 * an update gated after it never changes what it returned in the same run.
 */
public final class KerasVariable {
  private final String name;
  private final long[] shape;
  private final Operand<? extends TType> handle;
  private final Operand<TFloat32> value;
  private final Operand<TFloat32> initialValue;
  private final boolean trainable;
  private final Constraint constraint;

  public KerasVariable(
      String name,
      long[] shape,
      Operand<? extends TType> handle,
      Operand<TFloat32> value,
      Operand<TFloat32> initialValue,
      boolean trainable) {
    this(name, shape, handle, value, initialValue, trainable, null);
  }

  /**
   * A variable whose optimizer updates pass through {@code constraint} (Keras' {@code
   * variable.constraint}), or none when null.
   */
  public KerasVariable(
      String name,
      long[] shape,
      Operand<? extends TType> handle,
      Operand<TFloat32> value,
      Operand<TFloat32> initialValue,
      boolean trainable,
      Constraint constraint) {
    this.name = name;
    this.shape = shape.clone();
    this.handle = handle;
    this.value = value;
    this.initialValue = initialValue;
    this.trainable = trainable;
    this.constraint = constraint;
  }

  /** Keras name, e.g. {@code dense/kernel:0}. */
  public String name() {
    return name;
  }

  public long[] shape() {
    return shape.clone();
  }

  public long size() {
    return Shapes.product(shape);
  }

  public boolean trainable() {
    return trainable;
  }

  /**
   * The weight's constraint (Keras' {@code p.constraint}), which optimizers apply to the new value
   * before assigning it; null for none (optimizer slots never have one).
   */
  public Constraint constraint() {
    return constraint;
  }

  /** The resource handle, for ops such as {@code AssignVariableOp}. */
  public Operand<? extends TType> handle() {
    return handle;
  }

  /**
   * The value read once at creation; use it in the forward pass and in update formulas. While the
   * engine builds a later step of a chained execution ({@link #readingFrom}), a read of that step.
   */
  public Operand<TFloat32> value() {
    Function<KerasVariable, Operand<TFloat32>> reads = READS.get();
    return reads == null ? value : reads.apply(this);
  }

  private static final ThreadLocal<Function<KerasVariable, Operand<TFloat32>>> READS =
      new ThreadLocal<>();

  /**
   * The engine, building one step of several chained in one execution ({@code
   * steps_per_execution}): until the returned scope closes, {@link #value()} of every variable is
   * {@code reads.apply(variable)} on this thread, a read ordered after the previous step's updates,
   * so the step's forward pass, gradients and updates see the weights the previous step left.
   */
  public static CallContext.Scope readingFrom(Function<KerasVariable, Operand<TFloat32>> reads) {
    Function<KerasVariable, Operand<TFloat32>> previous = READS.get();
    READS.set(reads);
    return () -> {
      if (previous == null) READS.remove();
      else READS.set(previous);
    };
  }

  /** The initializer's output, run once when the model's session starts. */
  public Operand<TFloat32> initialValue() {
    return initialValue;
  }

  /** {@code variable.assign(newValue)}. */
  public Op assign(Ops tf, Operand<TFloat32> newValue) {
    return tf.assignVariableOp(handle, newValue);
  }

  /** A fresh read, for reading after other ops (put it under control dependencies). */
  public Operand<TFloat32> read(Ops tf) {
    return tf.readVariableOp(handle, TFloat32.class);
  }

  @Override
  public String toString() {
    return "<KerasVariable '" + name + "' shape=" + Arrays.toString(shape) + ">";
  }
}
