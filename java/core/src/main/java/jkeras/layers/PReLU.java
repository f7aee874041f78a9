package jkeras.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import jkeras.backend.Weight;
import jkeras.constraints.Constraints;
import jkeras.initializers.Initializers;
import jkeras.internal.Errors;
import jkeras.regularizers.Regularizers;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code PReLU(alpha_initializer='zeros', alpha_regularizer=None, alpha_constraint=None,
 * shared_axes=None)}: a leaky rectifier whose negative slope is learned, {@code relu(x) - alpha *
 * relu(-x)}, one {@code alpha} per input element (weight {@code alpha} of the input's shape without
 * the batch axis), shared along {@code sharedAxes} (e.g. {@code 1, 2} for one slope per channel of
 * an image).
 */
public final class PReLU extends Layer {
  /** Keras' default {@code alpha_initializer}. */
  public static final String ALPHA_INITIALIZER_DEFAULT = "zeros";

  private final WeightArgs alphaArgs;
  private final int[] sharedAxes;
  private Weight alpha;
  private long[] builtShape;

  /** {@code PReLU()} with Keras' defaults. */
  public PReLU() {
    this(builder());
  }

  private PReLU(Builder b) {
    super(b);
    this.alphaArgs = b.alpha.copy();
    this.sharedAxes = b.sharedAxes;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Keras' {@code shared_axes}, or null. */
  public int[] sharedAxes() {
    return sharedAxes == null ? null : sharedAxes.clone();
  }

  @Override
  public boolean supportsMasking() {
    return true;
  }

  @Override
  public void build(List<long[]> inputShapes) {
    long[] in = inputShapes.get(0);
    long[] paramShape = Arrays.copyOfRange(in, 1, in.length);
    if (sharedAxes != null) {
      for (int a : sharedAxes) {
        if (a < 1 || a > paramShape.length) {
          throw Errors.invalidArgument(
              "sharedAxes",
              "axes in [1, " + paramShape.length + "] of the input " + InputChecks.py(in),
              Arrays.toString(sharedAxes));
        }
        paramShape[a - 1] = 1;
      }
    }
    for (long d : paramShape) {
      if (d < 0) {
        throw new IllegalArgumentException(
            "Layer "
                + name()
                + " needs every non-batch dimension of its input that is not shared to be"
                + " defined; got input shape "
                + InputChecks.py(in)
                + ".");
      }
    }
    alpha = alphaArgs.addTo(this, "alpha", paramShape);
    builtShape = in;
  }

  /** Keras' input spec after build: the same rank, and the same size on every unshared axis. */
  @Override
  protected void checkInputs(List<long[]> inputShapes) {
    super.checkInputs(inputShapes);
    if (builtShape == null) return;
    long[] s = inputShapes.get(0);
    InputChecks.ndim(name(), s, builtShape.length);
    for (int i = 1; i < s.length; i++) {
      boolean shared = false;
      if (sharedAxes != null) for (int a : sharedAxes) shared |= a == i;
      if (!shared && s[i] >= 0 && s[i] != builtShape[i]) {
        throw new IllegalArgumentException(
            "Input 0 is incompatible with layer "
                + name()
                + ": expected axis "
                + i
                + " of input shape to have value "
                + builtShape[i]
                + " but got shape "
                + InputChecks.py(s));
      }
    }
  }

  @Override
  public long[] computeOutputShape(List<long[]> inputShapes) {
    return inputShapes.get(0);
  }

  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    Ops tf = ctx.tf();
    Operand<TFloat32> x = inputs.get(0);
    // Keras 2.3.1 on TensorFlow: pos + neg, neg = -alpha * relu(-x).
    Operand<TFloat32> pos = tf.nn.relu(x);
    Operand<TFloat32> neg = tf.math.mul(tf.math.neg(alpha.value()), tf.nn.relu(tf.math.neg(x)));
    return tf.math.add(pos, neg);
  }

  /**
   * Keras' {@code get_config()}: {@code alpha_initializer}, {@code alpha_regularizer}, {@code
   * alpha_constraint}, {@code shared_axes}.
   */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    WeightArgs.putAll(c, alphaArgs);
    if (sharedAxes == null) {
      c.put("shared_axes", null);
    } else {
      List<Integer> a = new ArrayList<>();
      for (int v : sharedAxes) a.add(v);
      c.put("shared_axes", a);
    }
    return c;
  }

  /** {@code Layers.deserialize} of a Keras {@code PReLU} config. */
  public static PReLU fromConfig(Map<String, Object> config) {
    Layers.check(
        "PReLU",
        config,
        "alpha_initializer",
        "alpha_regularizer",
        "alpha_constraint",
        "shared_axes");
    Builder b = builder().baseConfig(config);
    b.alpha.readConfig(config);
    Object shared = config.get("shared_axes");
    if (shared instanceof Number n) {
      b.sharedAxes(n.intValue());
    } else if (shared != null) {
      long[] d = InputChecks.dims("shared_axes", shared);
      int[] axes = new int[d.length];
      for (int i = 0; i < d.length; i++) axes[i] = (int) d[i];
      b.sharedAxes(axes);
    }
    return b.build();
  }

  /** Builds a {@link PReLU}; defaults are Keras'. */
  public static final class Builder extends Layer.Builder<Builder> {
    private final WeightArgs alpha = new WeightArgs("alpha", ALPHA_INITIALIZER_DEFAULT);
    private int[] sharedAxes;

    /** {@code alphaInitializer} (Keras {@code alpha_initializer}). Default zeros. */
    public Builder alphaInitializer(Object init) {
      alpha.initializer = Initializers.get(init);
      return this;
    }

    /** {@code alphaRegularizer} (Keras {@code alpha_regularizer}). Default none. */
    public Builder alphaRegularizer(Object r) {
      alpha.regularizer = Regularizers.get(r);
      return this;
    }

    /** {@code alphaConstraint} (Keras {@code alpha_constraint}). Default none. */
    public Builder alphaConstraint(Object c) {
      alpha.constraint = Constraints.get(c);
      return this;
    }

    /**
     * {@code sharedAxes} (Keras {@code shared_axes}): input axes (1 is the first after the batch)
     * along which one {@code alpha} is shared. Default none.
     */
    public Builder sharedAxes(int... axes) {
      this.sharedAxes = axes.clone();
      return this;
    }

    public PReLU build() {
      return new PReLU(this);
    }
  }
}
