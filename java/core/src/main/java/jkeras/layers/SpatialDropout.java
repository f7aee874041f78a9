package jkeras.layers;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;

/**
 * Keras' {@code SpatialDropout1D}, {@code 2D} and {@code 3D}: {@link Dropout} of whole feature maps
 * of an input with {@code rank} spatial axes, the same channels dropped at every position (noise
 * shape {@code (batch, 1, ..., channels)}, or {@code (batch, channels, 1, ...)} with {@code
 * channels_first}). Their config is Dropout's with {@code noise_shape} None: Keras 2.3.1 (and
 * tf-keras) leave {@code data_format} out of it.
 */
abstract class SpatialDropout extends BaseDropout {
  private final int rank;
  final String dataFormat;

  SpatialDropout(RateBuilder<?> b, int rank, String dataFormat) {
    super(b, null, maskShape(rank, dataFormat));
    this.rank = rank;
    this.dataFormat = dataFormat;
  }

  /** 1 on the spatial axes, the input's size (-1) on the batch and channel axes. */
  private static long[] maskShape(int rank, String dataFormat) {
    long[] s = new long[rank + 2];
    Arrays.fill(s, 1);
    s[0] = -1;
    s[dataFormat.equals("channels_first") ? 1 : rank + 1] = -1;
    return s;
  }

  @Override
  public void build(List<long[]> inputShapes) {
    InputChecks.ndim(name(), inputShapes.get(0), rank + 2);
  }

  /**
   * Reads a Keras {@code SpatialDropout2D}/{@code 3D} config into the builder {@code builder} gives
   * for its {@code rate} ({@code data_format} is accepted too, though Keras does not write it;
   * {@code noise_shape} is ignored, as Keras ignores it).
   */
  static <B extends Builder<B>> B fromConfig(
      String className, Map<String, Object> config, DoubleFunction<B> builder) {
    return readConfig(className, config, "rate", null, builder, "noise_shape", "data_format")
        .dataFormat((String) config.get("data_format"));
  }

  /**
   * The {@code data_format} of the 2D and 3D spatial dropouts; defaults are Keras'.
   *
   * @param <B> the concrete builder, for chaining
   */
  @SuppressWarnings("unchecked")
  abstract static class Builder<B extends Builder<B>> extends RateBuilder<B> {
    String dataFormat = SpatialDropout2D.DATA_FORMAT_DEFAULT;

    Builder(double rate) {
      super(rate);
    }

    /**
     * {@code dataFormat} (Keras {@code data_format}): {@code "channels_last"} or {@code
     * "channels_first"}; null is the default, channels last.
     */
    public B dataFormat(String dataFormat) {
      this.dataFormat = InputChecks.dataFormat(dataFormat);
      return (B) this;
    }
  }
}
