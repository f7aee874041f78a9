package jkeras.layers;

import jkeras.backend.K;
import jkeras.backend.Weight;
import jkeras.data.NDArray;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A test layer that records the tensor it receives in training steps (a non-trainable weight
 * updated with {@code add_update}, Keras' way), so tests can read what a random layer produced in
 * training. The batch size is fixed.
 */
final class Probe extends Layer {
  private final long batch;
  private Weight seen;

  Probe(long batch) {
    this.batch = batch;
  }

  @Override
  public void build(long[] inputShape) {
    long[] s = inputShape.clone();
    s[0] = batch;
    seen = addWeight("seen", s, "zeros", false);
  }

  @Override
  public Operand<TFloat32> call(Operand<TFloat32> x) {
    addUpdate(K.update(seen, x));
    return x;
  }

  /** What the last training step passed through. */
  NDArray seen() {
    return getWeights().get(0);
  }
}
