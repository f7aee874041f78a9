package jkeras.layers;

import java.util.List;

/**
 * A layer without weights whose output has its input's shape and carries its mask (Keras' {@code
 * supports_masking = True} with the default {@code compute_output_shape}): the activation, noise
 * and dropout layers, {@link Masking}, {@link ActivityRegularization}.
 */
abstract class PassThroughLayer extends Layer {
  PassThroughLayer(Layer.Builder<?> b) {
    super(b);
  }

  /** Keras: {@code supports_masking = True}; the input's mask passes through. */
  @Override
  public boolean supportsMasking() {
    return true;
  }

  @Override
  protected boolean weightsFreeLayer() {
    return true;
  }

  @Override
  public long[] computeOutputShape(List<long[]> inputShapes) {
    return inputShapes.get(0);
  }
}
