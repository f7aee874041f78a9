package jkeras.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import jkeras.backend.Weight;
import jkeras.constraints.Constraints;
import jkeras.data.DType;
import jkeras.initializers.Initializers;
import jkeras.internal.Shapes;
import jkeras.regularizers.Regularizer;
import jkeras.regularizers.Regularizers;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TNumber;

/**
 * Keras' {@code Embedding(input_dim, output_dim)}: turns integer ids of shape {@code (batch, ...)}
 * into rows of a trainable {@code (input_dim, output_dim)} table, shape {@code (batch, ...,
 * output_dim)}.
 *
 * <p>Ids are read exactly when the model input is an integer one ({@code Input(..., dtype='int32')}
 * or int64; a {@code Sequential} model whose first layer is an Embedding gets an int32 input). A
 * float32 input holds integers exactly only up to 2^24 = 16,777,216, so an Embedding with a larger
 * {@code inputDim} behind a float input is refused when the model is built. Ids outside {@code [0,
 * inputDim)} fail the step with TensorFlow's "indices[...] = ... is not in [0, ...)" error, as in
 * Keras on CPU.
 *
 * <pre>{@code
 * KerasTensor ids = Input.builder().shape(10).dtype("int32").build();
 * KerasTensor vectors = Embedding.builder(1000, 64).maskZero(true).build().apply(ids);
 * }</pre>
 */
public final class Embedding extends Layer {
  /** Keras' default {@code embeddings_initializer}: {@code RandomUniform(-0.05, 0.05)}. */
  public static final String EMBEDDINGS_INITIALIZER_DEFAULT = "uniform";

  /** Keras' default {@code mask_zero}. */
  public static final boolean MASK_ZERO_DEFAULT = false;

  /** The largest id range a float32 input represents exactly: 2^24. */
  public static final long FLOAT32_EXACT_IDS = 1L << 24;

  private final int inputDim;
  private final int outputDim;
  private final WeightArgs embeddingsArgs;
  private final boolean maskZero;
  private final long[] inputLength;
  private final boolean inputLengthIsList;
  private Weight embeddings;

  /** {@code Embedding(input_dim, output_dim)} with Keras' defaults. */
  public Embedding(int inputDim, int outputDim) {
    this(builder(inputDim, outputDim).withDefaultInputShape());
  }

  private Embedding(Builder b) {
    super(b);
    this.inputDim = b.inputDim;
    this.outputDim = b.outputDim;
    this.embeddingsArgs = b.embeddings.copy();
    setActivityRegularizer(b.activityRegularizer);
    this.maskZero = b.maskZero;
    this.inputLength = b.inputLength;
    this.inputLengthIsList = b.inputLengthIsList;
  }

  /**
   * {@code inputDim} (Keras {@code input_dim}): the vocabulary size, largest id + 1; {@code
   * outputDim} (Keras {@code output_dim}): the size of each vector. Both positive.
   */
  public static Builder builder(int inputDim, int outputDim) {
    return new Builder(inputDim, outputDim);
  }

  public int inputDim() {
    return inputDim;
  }

  public int outputDim() {
    return outputDim;
  }

  public boolean maskZero() {
    return maskZero;
  }

  /** Keras: {@code supports_masking = mask_zero}. */
  @Override
  public boolean supportsMasking() {
    return maskZero;
  }

  /** Ids are integers: a {@code Sequential} model starting with this layer gets an int32 input. */
  @Override
  public DType inputDtype() {
    return DType.INT32;
  }

  @Override
  public void build(List<long[]> inputShapes) {
    embeddings = embeddingsArgs.addTo(this, "embeddings", new long[] {inputDim, outputDim});
  }

  @Override
  public long[] computeOutputShape(List<long[]> inputShapes) {
    long[] s = inputShapes.get(0);
    long[] out = Arrays.copyOf(s, s.length + 1);
    out[s.length] = outputDim;
    if (inputLength == null) return out;
    // Keras: input_length must match the input's non-batch dimensions; None takes the input's.
    if (inputLength.length != s.length - 1) throw inputLengthMismatch(s);
    for (int i = 0; i < inputLength.length; i++) {
      long given = inputLength[i];
      long seen = s[i + 1];
      if (given >= 0 && seen >= 0 && given != seen) throw inputLengthMismatch(s);
      out[i + 1] = given >= 0 ? given : seen;
    }
    return out;
  }

  private IllegalArgumentException inputLengthMismatch(long[] s) {
    return new IllegalArgumentException(
        "\"input_length\" is "
            + inputLengthRepr()
            + ", but received input has shape "
            + Shapes.toPython(s));
  }

  private String inputLengthRepr() {
    if (!inputLengthIsList) return Long.toString(inputLength[0]);
    return Shapes.toPython(inputLength);
  }

  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    Ops tf = ctx.tf();
    Operand<? extends TNumber> ids = ids(tf, inputs.get(0));
    return tf.gather(embeddings.variable().value(), ids, tf.constant(0));
  }

  /** Keras: {@code not_equal(inputs, 0)} when {@code mask_zero}, else no mask. */
  @Override
  public List<Operand<TBool>> computeMasks(
      CallContext ctx, List<Operand<TFloat32>> inputs, int outputs) {
    if (!maskZero) return super.computeMasks(ctx, inputs, outputs);
    Ops tf = ctx.tf();
    Operand<? extends TNumber> ids = integerSource(inputs.get(0));
    Operand<TBool> mask =
        ids == null
            ? tf.math.notEqual(inputs.get(0), tf.constant(0f))
            : tf.math.notEqual(tf.dtypes.cast(ids, TInt64.class), tf.constant(0L));
    return List.of(mask);
  }

  /**
   * The ids as integers: the model input itself when it is an integer one (exact), else Keras'
   * {@code cast(inputs, 'int32')} of the float values (truncating, as Keras).
   */
  private Operand<? extends TNumber> ids(Ops tf, Operand<TFloat32> x) {
    Operand<? extends TNumber> source = integerSource(x);
    if (source != null) return source;
    if (inputDim > FLOAT32_EXACT_IDS) {
      throw new IllegalArgumentException(
          "Embedding `"
              + name()
              + "` has input_dim="
              + inputDim
              + ", but its input is float32, which holds integer ids exactly only up to 2^24 ="
              + " "
              + FLOAT32_EXACT_IDS
              + ": larger ids would silently select the wrong rows. Feed it an integer model input,"
              + " e.g. Input.builder().shape(...).dtype(\"int32\").build().");
    }
    return tf.dtypes.cast(x, TInt32.class);
  }

  /**
   * The integer tensor {@code x} was cast from, or null: jkeras computes in float32 and casts an
   * integer model input to float32 at its placeholder; an Embedding reads the integers behind that
   * cast, so ids above 2^24 stay exact.
   */
  @SuppressWarnings("unchecked")
  static Operand<? extends TNumber> integerSource(Operand<TFloat32> x) {
    if (x.op() instanceof GraphOperation g && "Cast".equals(g.type()) && g.numInputs() == 1) {
      Output<?> in = g.input(0);
      if (in.type() == TInt32.class || in.type() == TInt64.class)
        return (Operand<? extends TNumber>) in;
    }
    return null;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("input_dim", inputDim);
    c.put("output_dim", outputDim);
    WeightArgs.putInitializers(c, embeddingsArgs);
    WeightArgs.putPenalties(c, activityRegularizer(), embeddingsArgs);
    c.put("mask_zero", maskZero);
    c.put("input_length", inputLengthConfig());
    return c;
  }

  private Object inputLengthConfig() {
    if (inputLength == null) return null;
    if (!inputLengthIsList) return inputLength[0];
    List<Object> l = new ArrayList<>();
    for (long d : inputLength) l.add(d < 0 ? null : d);
    return l;
  }

  /** Builds an {@link Embedding}; defaults are Keras'. */
  public static final class Builder extends Layer.Builder<Builder> {
    private final int inputDim;
    private final int outputDim;
    private final WeightArgs embeddings =
        new WeightArgs("embeddings", EMBEDDINGS_INITIALIZER_DEFAULT);
    private Regularizer activityRegularizer;
    private boolean maskZero = MASK_ZERO_DEFAULT;
    private long[] inputLength;
    private boolean inputLengthIsList;

    private Builder(int inputDim, int outputDim) {
      if (inputDim <= 0 || outputDim <= 0) {
        // tf-keras' wording (Keras 2.3.1 did not check).
        throw new IllegalArgumentException(
            "Both `input_dim` and `output_dim` should be positive, Received input_dim = "
                + inputDim
                + " and output_dim = "
                + outputDim);
      }
      this.inputDim = inputDim;
      this.outputDim = outputDim;
    }

    /**
     * {@code embeddingsInitializer} (Keras {@code embeddings_initializer}). Default {@code
     * uniform}, i.e. {@code RandomUniform(-0.05, 0.05)}.
     */
    public Builder embeddingsInitializer(Object init) {
      embeddings.initializer = Initializers.get(init);
      return this;
    }

    /**
     * {@code embeddingsRegularizer} (Keras {@code embeddings_regularizer}): a Regularizer, an
     * identifier or a config map. Default none.
     */
    public Builder embeddingsRegularizer(Object r) {
      embeddings.regularizer = Regularizers.get(r);
      return this;
    }

    /**
     * {@code activityRegularizer} (Keras {@code activity_regularizer}): a penalty on the output,
     * added to the loss at each call (Keras 2.3.1: undivided). Default none.
     */
    public Builder activityRegularizer(Object r) {
      this.activityRegularizer = Regularizers.get(r);
      return this;
    }

    /**
     * {@code embeddingsConstraint} (Keras {@code embeddings_constraint}): applied to the whole
     * embedding matrix after each update. A Constraint, an identifier or a config map; default
     * none.
     */
    public Builder embeddingsConstraint(Object c) {
      embeddings.constraint = Constraints.get(c);
      return this;
    }

    /**
     * {@code maskZero} (Keras {@code mask_zero}): id 0 is padding, and the output carries the mask
     * {@code ids != 0} for the layers after it (which must support masking). Id 0 then cannot be a
     * word: {@code inputDim} is the vocabulary size + 1. Default false.
     */
    public Builder maskZero(boolean maskZero) {
      this.maskZero = maskZero;
      return this;
    }

    /**
     * {@code inputLength} (Keras {@code input_length}, an int): the length of the id sequences,
     * when constant; needed to connect {@code Flatten} then {@code Dense} after the layer. Also the
     * default {@code inputShape}. Default none.
     */
    public Builder inputLength(long length) {
      if (length <= 0)
        throw jkeras.internal.Errors.invalidArgument("inputLength", "a positive integer", length);
      this.inputLength = new long[] {length};
      this.inputLengthIsList = false;
      return this;
    }

    /**
     * {@code inputLength} for inputs of rank 3 or more (Keras {@code input_length} as a tuple), one
     * length per non-batch dimension, -1 for None.
     */
    public Builder inputLengths(long... lengths) {
      for (long d : lengths) {
        if (d <= 0 && d != -1)
          throw jkeras.internal.Errors.invalidArgument(
              "inputLength", "positive lengths or -1 for None", Arrays.toString(lengths));
      }
      this.inputLength = lengths.clone();
      this.inputLengthIsList = true;
      return this;
    }

    public Embedding build() {
      return new Embedding(withDefaultInputShape());
    }

    /** Keras: without input_shape, (input_length,) or (None,): the layer can start a Sequential. */
    private Builder withDefaultInputShape() {
      if (inputShape == null) {
        if (inputLength != null) inputShape(inputLength);
        else inputShape(-1);
      }
      return this;
    }
  }
}
