package jkeras.layers;

import java.util.Arrays;
import jkeras.internal.Errors;

/**
 * Keras' {@code Input(shape, name, dtype)}: the start of a functional model.
 *
 * <pre>{@code
 * KerasTensor x = Input.create(new long[] {784}, "pixels");
 * KerasTensor ids = Input.builder().shape(10).name("ids").dtype("int32").build();
 * }</pre>
 */
public final class Input {
  private Input() {}

  /** {@code Input(shape=shape)}, named {@code input_1}, {@code input_2}, ... */
  public static KerasTensor create(long... shape) {
    return builder().shape(shape).build();
  }

  /** {@code Input(shape=shape, name=name)}. */
  public static KerasTensor create(long[] shape, String name) {
    return builder().shape(shape).name(name).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Keras' Input arguments: {@code shape} (required, without the batch dimension), {@code name},
   * {@code dtype}.
   */
  public static final class Builder {
    private long[] shape;
    private String name;
    private String dtype = "float32";

    /** {@code shape} (Keras {@code shape}): without the batch dimension; -1 for None. Required. */
    public Builder shape(long... shape) {
      for (long d : shape) {
        if (d == 0 || d < -1)
          throw Errors.invalidArgument(
              "shape", "positive dimensions or -1 for None", Arrays.toString(shape));
      }
      this.shape = shape.clone();
      return this;
    }

    /** {@code name} (Keras {@code name}): default {@code input_1}, {@code input_2}, ... */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /**
     * {@code dtype} (Keras {@code dtype}): float32, float64, int32, int64 or bool. Default float32.
     */
    public Builder dtype(String dtype) {
      this.dtype = dtype;
      return this;
    }

    public KerasTensor build() {
      if (shape == null) {
        throw new IllegalArgumentException(
            "Please provide to Input either a `shape` or a `batch_shape` argument. Note that `shape` does not include the batch dimension.");
      }
      InputLayer.Builder b = new InputLayer.Builder();
      b.dtype(dtype);
      if (name != null) b.name(name);
      else b.name(Layer.uniqueName("input"));
      return new InputLayer(b, shape).output();
    }
  }
}
