package jkeras.optimizers;

import java.util.List;
import java.util.Map;
import jkeras.backend.KerasVariable;
import jkeras.backend.VariableFactory;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;

/**
 * A Keras 2.3.1 optimizer: immutable hyper-parameters, and {@link #getUpdates} which builds the
 * update ops of one training step once, when the model is compiled.
 *
 * <p>Stateful once built (its slots live in the model's graph); use one instance per model.
 */
public abstract class Optimizer {
  /** The Keras class name, e.g. {@code "Adam"}. */
  public abstract String className();

  /**
   * Builds one training step's updates, Keras 2.3.1's {@code get_updates}.
   *
   * <p>Contract: every update reads parameters and slots through {@link KerasVariable#value()}
   * (snapshots taken before the step) and the caller has already put the ops under control
   * dependencies on all gradients and on the fetched loss, so reads see pre-step values. The
   * optimizer increments {@code iterations} itself, gated after all its other updates, as Keras'
   * {@code self.iterations} (int64 in Keras; float32 here, exact up to 2^24 steps).
   *
   * @param vars creates slot variables and hyper-parameter variables
   * @param params the trainable weights, in the model's order
   * @param grads their gradients, same order
   * @param iterations the model's step counter, {@code 0} before the first step
   * @return the ops to run as targets of the training step
   */
  public abstract List<Op> getUpdates(
      VariableFactory vars,
      List<KerasVariable> params,
      List<Operand<TFloat32>> grads,
      KerasVariable iterations);

  /** Keras {@code get_config()}: snake_case keys, e.g. {@code learning_rate}, {@code beta_1}. */
  public abstract Map<String, Object> getConfig();

  /** The learning-rate variable once built (so callbacks can read and set it), else null. */
  public abstract KerasVariable learningRateVariable();
}
