package jkeras.layers;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Subtract}: the difference of exactly two inputs, {@code inputs[0] - inputs[1]}
 * (broadcasting as {@link Merge} describes). Functional form: {@link Merging#subtract}.
 */
public final class Subtract extends Merge {
  public Subtract() {
    this(new Builder());
  }

  private Subtract(Builder b) {
    super(b);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Keras: a {@code Subtract} takes exactly two inputs. */
  @Override
  protected void checkInputs(List<long[]> shapes) {
    super.checkInputs(shapes);
    if (shapes.size() != 2) {
      throw new IllegalArgumentException("A `Subtract` layer should be called on exactly 2 inputs");
    }
  }

  @Override
  Operand<TFloat32> mergeFunction(Ops tf, List<Operand<TFloat32>> inputs) {
    return tf.math.sub(inputs.get(0), inputs.get(1));
  }

  /** {@code Layers.deserialize} of a Keras {@code Subtract} config. */
  public static Subtract fromConfig(Map<String, Object> config) {
    return fromConfig("Subtract", config, builder()).build();
  }

  /** Builds a {@link Subtract}. */
  public static final class Builder extends Layer.Builder<Builder> {
    public Subtract build() {
      return new Subtract(this);
    }
  }
}
