package jkeras.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import jkeras.backend.Weight;
import jkeras.internal.Errors;
import jkeras.internal.Shapes;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * tf-keras' {@code LayerNormalization}: normalizes each sample over {@code axis} with its own mean
 * and variance, {@code gamma * (x - mean) / sqrt(var + epsilon) + beta}; the same in training and
 * inference. Keras 2.3.1 has no such layer: this one follows tf-keras 2.18 (arguments, defaults,
 * config keys, weights {@code gamma} then {@code beta} spanning the normalized axes).
 *
 * <p>As tf-keras, axes that end at the last one and are contiguous run TensorFlow's fused kernel
 * (FusedBatchNormV3 on the input seen as {@code [1, samples, features, 1]}) when {@code epsilon >=
 * 1.001e-5}; other axes a composition of reductions and one multiply-add.
 *
 * <pre>{@code
 * Layer ln = LayerNormalization.builder().epsilon(1e-6).build();
 * }</pre>
 */
public final class LayerNormalization extends Normalization {
  /** tf-keras' default {@code axis}: the last. */
  public static final int AXIS_DEFAULT = -1;

  /** tf-keras' default {@code epsilon}. */
  public static final double EPSILON_DEFAULT = 1e-3;

  public static final boolean CENTER_DEFAULT = true;
  public static final boolean SCALE_DEFAULT = true;
  public static final String BETA_INITIALIZER_DEFAULT = "zeros";
  public static final String GAMMA_INITIALIZER_DEFAULT = "ones";

  private final int[] axis;
  private final boolean axisIsList;
  private int[] resolved;

  /** {@code LayerNormalization()} with tf-keras' defaults. */
  public LayerNormalization() {
    this(builder());
  }

  private LayerNormalization(Builder b) {
    super(b);
    this.axis = b.axis;
    this.axisIsList = b.axisIsList;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void build(List<long[]> inputShapes) {
    long[] s = inputShapes.get(0);
    resolved = resolveAxes(axis, s.length);
    long[] paramShape = new long[resolved.length];
    for (int i = 0; i < resolved.length; i++) {
      paramShape[i] = s[resolved[i]];
      if (paramShape[i] < 0) {
        throw new IllegalArgumentException(
            "The normalized axes "
                + tuple(resolved)
                + " of the input to LayerNormalization `"
                + name()
                + "` must have defined dimensions. Received: input_shape="
                + Shapes.toPython(s));
      }
    }
    // tf-keras' order: gamma, then beta.
    addGammaAndBeta(paramShape);
  }

  /** tf-keras' {@code validate_axis}: negative axes from the end, in range, no duplicates. */
  private static int[] resolveAxes(int[] axis, int rank) {
    int[] r = new int[axis.length];
    for (int i = 0; i < axis.length; i++) r[i] = axis[i] < 0 ? rank + axis[i] : axis[i];
    for (int a : r) {
      if (a < 0 || a >= rank) {
        throw new IllegalArgumentException(
            "Invalid value for `axis` argument. Expected 0 <= axis < inputs.rank (with"
                + " inputs.rank="
                + rank
                + "). Received: axis="
                + tuple(r));
      }
    }
    if (Arrays.stream(r).distinct().count() != r.length)
      throw new IllegalArgumentException("Duplicate axis: " + tuple(r));
    return r;
  }

  private static String tuple(int[] a) {
    if (a.length == 1) return "(" + a[0] + ",)";
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < a.length; i++) sb.append(i > 0 ? ", " : "").append(a[i]);
    return sb.append(")").toString();
  }

  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    Ops tf = ctx.tf();
    Operand<TFloat32> x = inputs.get(0);
    long[] shape = x.shape().asArray();
    int rank = shape.length;
    int[] broadcast = new int[rank];
    Arrays.fill(broadcast, 1);
    for (int d : resolved) broadcast[d] = (int) shape[d];
    boolean lastOnly = resolved.length == 1 && resolved[0] == rank - 1;
    Operand<TFloat32> g = scale ? broadcastParam(tf, gamma, broadcast, lastOnly, rank) : null;
    Operand<TFloat32> b = center ? broadcastParam(tf, beta, broadcast, lastOnly, rank) : null;
    if (fusedCanBeUsed(rank)) {
      int first = Arrays.stream(resolved).min().getAsInt();
      Operand<TInt32> dynShape = tf.shape(x);
      Operand<TInt32> pre =
          tf.reduceProd(
              tf.slice(dynShape, tf.constant(new int[] {0}), tf.constant(new int[] {first})),
              tf.constant(0));
      Operand<TInt32> in =
          tf.reduceProd(
              tf.slice(dynShape, tf.constant(new int[] {first}), tf.constant(new int[] {-1})),
              tf.constant(0));
      Operand<TInt32> squeezed =
          tf.stack(
              List.of(tf.constant(1), pre, in, tf.constant(1)),
              org.tensorflow.op.core.Stack.axis(0L));
      Operand<TInt32> preVec = tf.reshape(pre, tf.constant(new int[] {1}));
      FusedBatchNorm<TFloat32, TFloat32> fbn =
          tf.nn.fusedBatchNorm(
              tf.reshape(x, squeezed),
              tf.fill(preVec, tf.constant(1f)),
              tf.fill(preVec, tf.constant(0f)),
              tf.constant(new float[0]),
              tf.constant(new float[0]),
              FusedBatchNorm.epsilon((float) epsilon),
              FusedBatchNorm.dataFormat("NCHW"),
              FusedBatchNorm.isTraining(true));
      // Back to the input's shape, static where known so later layers see it.
      long unknown = Arrays.stream(shape).filter(d -> d < 0).count();
      Operand<TFloat32> out = tf.reshape(fbn.y(), unknown <= 1 ? tf.constant(shape) : dynShape);
      if (g != null) out = tf.math.mul(out, g);
      if (b != null) out = tf.math.add(out, b);
      return out;
    }
    Operand<TInt32> axes = tf.constant(resolved);
    Operand<TFloat32> mean = tf.math.mean(x, axes, Mean.keepDims(true));
    Operand<TFloat32> variance =
        tf.math.mean(
            tf.math.squaredDifference(x, tf.stopGradient(mean)), axes, Mean.keepDims(true));
    return normalize(tf, x, mean, variance, b, g, epsilon, null);
  }

  /**
   * tf-keras' {@code _fused_can_be_used}: contiguous axes ending at the last, epsilon large enough.
   */
  private boolean fusedCanBeUsed(int rank) {
    int[] sorted = resolved.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length - 1] == rank - 1
        && sorted[sorted.length - 1] - sorted[0] == sorted.length - 1
        && epsilon >= FUSED_MIN_EPSILON;
  }

  /** tf-keras' {@code _broadcast}: parameters reshaped to the input's rank unless axis is [-1]. */
  private static Operand<TFloat32> broadcastParam(
      Ops tf, Weight w, int[] broadcast, boolean lastOnly, int rank) {
    Operand<TFloat32> v = w.variable().value();
    if (w.shape().length != rank && !lastOnly) return tf.reshape(v, tf.constant(broadcast));
    return v;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("axis", axisConfig());
    putArguments(c);
    putPenaltiesAndConstraints(c);
    return c;
  }

  /** As tf-keras: the axes as given until built, then the list of non-negative axes. */
  private Object axisConfig() {
    if (resolved == null && !axisIsList) return axis[0];
    List<Integer> l = new ArrayList<>();
    for (int a : resolved != null ? resolved : axis) l.add(a);
    return l;
  }

  /** Builds a {@link LayerNormalization}; defaults are tf-keras'. */
  public static final class Builder extends Normalization.Builder<Builder> {
    private int[] axis = {AXIS_DEFAULT};
    private boolean axisIsList;

    private Builder() {}

    /** {@code axis} (tf-keras {@code axis}): the axis to normalize over. Default -1. */
    public Builder axis(int axis) {
      this.axis = new int[] {axis};
      this.axisIsList = false;
      return this;
    }

    /** {@code axis} as a list (tf-keras {@code axis=[1, 2]}): the axes to normalize over. */
    public Builder axes(int... axes) {
      if (axes.length == 0) throw Errors.invalidArgument("axis", "at least one axis", "[]");
      this.axis = axes.clone();
      this.axisIsList = true;
      return this;
    }

    public LayerNormalization build() {
      return new LayerNormalization(this);
    }
  }
}
