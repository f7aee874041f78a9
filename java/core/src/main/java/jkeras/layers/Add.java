package jkeras.layers;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Add}: the element-wise sum of a list of inputs (broadcasting as {@link Merge}
 * describes). Functional form: {@link Merging#add}.
 */
public final class Add extends Merge {
  public Add() {
    this(new Builder());
  }

  private Add(Builder b) {
    super(b);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  Operand<TFloat32> mergeFunction(Ops tf, List<Operand<TFloat32>> inputs) {
    return fold(inputs, tf.math::add);
  }

  /** {@code Layers.deserialize} of a Keras {@code Add} config. */
  public static Add fromConfig(Map<String, Object> config) {
    return fromConfig("Add", config, builder()).build();
  }

  /** Builds an {@link Add}. */
  public static final class Builder extends Layer.Builder<Builder> {
    public Add build() {
      return new Add(this);
    }
  }
}
