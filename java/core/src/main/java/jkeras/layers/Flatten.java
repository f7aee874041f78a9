package jkeras.layers;

import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import jkeras.backend.K;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Flatten(data_format=None)}: reshapes {@code (batch, d1, d2, ...)} to {@code (batch,
 * d1*d2*...)}; the input needs at least 3 dimensions, as in Keras 2.3.1 (tf-keras also flattens 2D
 * inputs). With {@code data_format="channels_first"} the channels axis is moved last first, so the
 * flattened order is the channels-last one (as Keras does, so weights trained on either layout line
 * up).
 */
public final class Flatten extends Layer {
  /** Keras' default {@code data_format} (its {@code image_data_format()}). */
  public static final String DATA_FORMAT_DEFAULT = "channels_last";

  private final String dataFormat;

  public Flatten() {
    this(new Builder());
  }

  private Flatten(Builder b) {
    super(b);
    this.dataFormat = b.dataFormat;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Keras' {@code data_format}: {@code channels_last} or {@code channels_first}. */
  public String dataFormat() {
    return dataFormat;
  }

  /** Keras 2.3.1's input spec: {@code min_ndim=3} (tf-keras accepts any rank). */
  @Override
  protected void checkInputs(List<long[]> inputShapes) {
    super.checkInputs(inputShapes);
    InputChecks.minNdim(name(), inputShapes.get(0), 3);
  }

  @Override
  public long[] computeOutputShape(List<long[]> inputShapes) {
    long[] s = inputShapes.get(0);
    long n = 1;
    for (int i = 1; i < s.length; i++) {
      if (s[i] < 0) {
        throw new IllegalArgumentException(
            "The shape of the input to \"Flatten\" is not fully defined (got "
                + jkeras.internal.Shapes.toPython(java.util.Arrays.copyOfRange(s, 1, s.length))
                + "). Make sure to pass a complete \"input_shape\" or \"batch_input_shape\" argument to the first layer in your model.");
      }
      n *= s[i];
    }
    return new long[] {s[0], n};
  }

  @Override
  protected boolean weightsFreeLayer() {
    return true;
  }

  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    Ops tf = ctx.tf();
    Operand<TFloat32> x = inputs.get(0);
    long[] s = x.shape().asArray();
    if (dataFormat.equals("channels_first") && s.length > 2) {
      // Keras: permute (0, 2, ..., ndim-1, 1) so the channels axis comes last.
      int[] perm = new int[s.length];
      perm[0] = 0;
      for (int i = 2; i < s.length; i++) perm[i - 1] = i;
      perm[s.length - 1] = 1;
      x = tf.linalg.transpose(x, tf.constant(perm));
    }
    long n = 1;
    for (int i = 1; i < s.length; i++) n = s[i] < 0 || n < 0 ? -1 : n * s[i];
    if (n >= 0) return tf.reshape(x, tf.constant(new long[] {-1, n}));
    // Keras' K.batch_flatten when a size is only known at run time.
    try (CallContext.Scope scope = ctx.enter()) {
      return K.batchFlatten(x);
    }
  }

  /** Keras' {@code get_config()}: {@code data_format}. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("data_format", dataFormat);
    return c;
  }

  /** {@code Layers.deserialize} of a Keras {@code Flatten} config. */
  public static Flatten fromConfig(Map<String, Object> config) {
    Layers.check("Flatten", config, "data_format");
    return builder().baseConfig(config).dataFormat((String) config.get("data_format")).build();
  }

  /** Builds a {@link Flatten}; defaults are Keras'. */
  public static final class Builder extends Layer.Builder<Builder> {
    private String dataFormat = DATA_FORMAT_DEFAULT;

    /**
     * {@code dataFormat} (Keras {@code data_format}): {@code "channels_last"} or {@code
     * "channels_first"}; null is the default, channels last.
     */
    public Builder dataFormat(String dataFormat) {
      this.dataFormat = InputChecks.dataFormat(dataFormat);
      return this;
    }

    public Flatten build() {
      return new Flatten(this);
    }
  }
}
