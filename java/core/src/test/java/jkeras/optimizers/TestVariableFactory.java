package jkeras.optimizers;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jkeras.backend.KerasVariable;
import jkeras.backend.VariableFactory;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.types.TFloat32;

/**
 * A minimal {@link VariableFactory} for optimizer tests: resource variables made of {@code
 * VarHandleOp} + {@code AssignVariableOp} (initializer) + {@code ReadVariableOp} (snapshot).
 *
 * <p>{@link #tf()} is ungated until {@link #gateOn} is called, after which it adds control
 * dependencies on the given ops, as the engine does for the optimizer's update ops.
 */
final class TestVariableFactory implements VariableFactory {
  private final Ops base;
  private Ops current;
  private final List<Op> initializers = new ArrayList<>();
  private final Set<String> names = new HashSet<>();
  private final List<String> created = new ArrayList<>();

  TestVariableFactory(Ops tf) {
    this.base = tf;
    this.current = tf;
  }

  /** From now on {@link #tf()} runs its ops after {@code deps}. */
  void gateOn(List<Op> deps) {
    current = base.withControlDependencies(deps);
  }

  @Override
  public Ops tf() {
    return current;
  }

  @Override
  public KerasVariable create(
      String name, long[] shape, Operand<TFloat32> initialValue, boolean trainable) {
    if (!names.add(name)) throw new IllegalStateException("Duplicate variable name " + name);
    created.add(name);
    Operand<?> handle =
        base.varHandleOp(TFloat32.class, Shape.of(shape), VarHandleOp.sharedName(name));
    initializers.add(base.assignVariableOp(handle, initialValue));
    Operand<TFloat32> value = base.readVariableOp(handle, TFloat32.class);
    return new KerasVariable(name + ":0", shape, handle, value, initialValue, trainable);
  }

  @Override
  public long nextSeed() {
    return 0;
  }

  List<Op> initializers() {
    return initializers;
  }

  /** Names of the variables created, in order. */
  List<String> createdNames() {
    return created;
  }
}
