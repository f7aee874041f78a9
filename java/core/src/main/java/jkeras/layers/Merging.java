package jkeras.layers;

import java.util.List;

/**
 * Keras' functional merge forms ({@code keras.layers.add([a, b])}, {@code concatenate([...],
 * axis=-1)}, {@code dot([a, b], axes=1)}, ...): each creates the merge layer and calls it on the
 * inputs.
 *
 * <pre>{@code
 * // keras: x = concatenate([a, b]); y = dot([x, c], axes=1, normalize=True)
 * KerasTensor x = Merging.concatenate(List.of(a, b));
 * KerasTensor y = Merging.dot(List.of(x, c), 1, true);
 * }</pre>
 *
 * <p>Keras' {@code **kwargs} (a {@code name}, ...) go through the layer's builder instead: {@code
 * Add.builder().name("sum").build().apply(List.of(a, b))}.
 */
public final class Merging {
  private Merging() {}

  /** {@code keras.layers.add(inputs)}: {@link Add}. */
  public static KerasTensor add(List<KerasTensor> inputs) {
    return new Add().apply(inputs);
  }

  /** {@code keras.layers.subtract(inputs)}: {@link Subtract} of exactly two inputs. */
  public static KerasTensor subtract(List<KerasTensor> inputs) {
    return new Subtract().apply(inputs);
  }

  /** {@code keras.layers.multiply(inputs)}: {@link Multiply}. */
  public static KerasTensor multiply(List<KerasTensor> inputs) {
    return new Multiply().apply(inputs);
  }

  /** {@code keras.layers.average(inputs)}: {@link Average}. */
  public static KerasTensor average(List<KerasTensor> inputs) {
    return new Average().apply(inputs);
  }

  /** {@code keras.layers.maximum(inputs)}: {@link Maximum}. */
  public static KerasTensor maximum(List<KerasTensor> inputs) {
    return new Maximum().apply(inputs);
  }

  /** {@code keras.layers.minimum(inputs)}: {@link Minimum}. */
  public static KerasTensor minimum(List<KerasTensor> inputs) {
    return new Minimum().apply(inputs);
  }

  /** {@code keras.layers.concatenate(inputs, axis=-1)}: {@link Concatenate}. */
  public static KerasTensor concatenate(List<KerasTensor> inputs) {
    return new Concatenate().apply(inputs);
  }

  /** {@code keras.layers.concatenate(inputs, axis)}. */
  public static KerasTensor concatenate(List<KerasTensor> inputs, int axis) {
    return new Concatenate(axis).apply(inputs);
  }

  /** {@code keras.layers.dot(inputs, axes)}: {@link Dot}, the same axis of both inputs. */
  public static KerasTensor dot(List<KerasTensor> inputs, int axes) {
    return new Dot(axes).apply(inputs);
  }

  /** {@code keras.layers.dot(inputs, axes, normalize)}. */
  public static KerasTensor dot(List<KerasTensor> inputs, int axes, boolean normalize) {
    return Dot.builder(axes).normalize(normalize).build().apply(inputs);
  }

  /** {@code keras.layers.dot(inputs, axes=(a0, a1), normalize)}: one axis per input. */
  public static KerasTensor dot(List<KerasTensor> inputs, int[] axes, boolean normalize) {
    if (axes.length != 2) {
      throw new IllegalArgumentException(
          "Invalid format for `axes` - should contain two elements.");
    }
    return Dot.builder(axes[0], axes[1]).normalize(normalize).build().apply(inputs);
  }
}
