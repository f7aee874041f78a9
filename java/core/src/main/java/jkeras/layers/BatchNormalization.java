package jkeras.layers;

import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import jkeras.backend.KerasVariable;
import jkeras.backend.Weight;
import jkeras.initializers.Initializer;
import jkeras.initializers.Initializers;
import jkeras.internal.Errors;
import jkeras.internal.Shapes;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras 2.3.1's {@code BatchNormalization}: normalizes each feature of {@code axis} with the
 * batch's mean and variance in training steps, and with moving averages of them in test and predict
 * steps: {@code gamma * (x - mean) / sqrt(var + epsilon) + beta}.
 *
 * <p>Each training step updates the moving statistics as Keras 2.3.1 does ({@code
 * K.moving_average_update}, no zero-debiasing): {@code moving = moving - (moving - batch) * (1 -
 * momentum)}, where the batch variance is Keras 2.3.1's {@code var * n / (n - (1 + epsilon))}
 * ({@code n} values per feature; tf-keras uses the plain biased variance). A layer built with
 * {@code trainable(false)} still normalizes training batches with their own statistics and leaves
 * the moving ones alone, as in Keras 2.3.1 (tf-keras runs a frozen layer in inference mode).
 *
 * <p>Training steps of 4-D inputs normalized over their last axis run TensorFlow's fused kernel
 * (FusedBatchNormV3, with its gradient); other shapes, and every test and predict step, a
 * composition of reductions and one multiply-add ({@code tf.nn.batch_normalization}'s arithmetic).
 * One graph serves both phases, so a 4-D layer computes both outputs and selects one by the
 * learning phase.
 *
 * <pre>{@code
 * Layer bn = BatchNormalization.builder().momentum(0.9).build();
 * }</pre>
 */
public final class BatchNormalization extends Normalization {
  /** Keras' default {@code axis}: the last (channels_last features). */
  public static final int AXIS_DEFAULT = -1;

  /** Keras' default {@code momentum} of the moving statistics. */
  public static final double MOMENTUM_DEFAULT = 0.99;

  /** Keras' default {@code epsilon}, added to the variance. */
  public static final double EPSILON_DEFAULT = 1e-3;

  /** Keras' default {@code center} (learn {@code beta}). */
  public static final boolean CENTER_DEFAULT = true;

  /** Keras' default {@code scale} (learn {@code gamma}). */
  public static final boolean SCALE_DEFAULT = true;

  public static final String BETA_INITIALIZER_DEFAULT = "zeros";
  public static final String GAMMA_INITIALIZER_DEFAULT = "ones";
  public static final String MOVING_MEAN_INITIALIZER_DEFAULT = "zeros";
  public static final String MOVING_VARIANCE_INITIALIZER_DEFAULT = "ones";

  private final int axis;
  private final double momentum;
  private final Initializer movingMeanInitializer;
  private final Initializer movingVarianceInitializer;
  private Weight movingMean;
  private Weight movingVariance;

  /** {@code BatchNormalization()} with Keras' defaults. */
  public BatchNormalization() {
    this(builder());
  }

  private BatchNormalization(Builder b) {
    super(b);
    this.axis = b.axis;
    this.momentum = b.momentum;
    this.movingMeanInitializer = b.movingMeanInitializer;
    this.movingVarianceInitializer = b.movingVarianceInitializer;
  }

  public static Builder builder() {
    return new Builder();
  }

  public int axis() {
    return axis;
  }

  public double momentum() {
    return momentum;
  }

  public double epsilon() {
    return epsilon;
  }

  @Override
  public void build(List<long[]> inputShapes) {
    long[] s = inputShapes.get(0);
    int a = resolveAxis(s.length);
    long dim = s[a];
    if (dim < 0) {
      throw new IllegalArgumentException(
          "Axis "
              + axis
              + " of input tensor should have a defined dimension but the layer received an input"
              + " with shape "
              + Shapes.toPython(s)
              + ".");
    }
    long[] shape = {dim};
    // Keras' order: gamma, beta, moving_mean, moving_variance.
    addGammaAndBeta(shape);
    movingMean = addWeight("moving_mean", shape, movingMeanInitializer, null, false);
    movingVariance = addWeight("moving_variance", shape, movingVarianceInitializer, null, false);
  }

  private int resolveAxis(int rank) {
    int a = axis < 0 ? rank + axis : axis;
    if (a < 0 || a >= rank) {
      throw new IllegalArgumentException(
          "Invalid value for `axis` argument. Expected 0 <= axis < inputs.rank (with inputs.rank="
              + rank
              + "). Received: axis="
              + axis);
    }
    return a;
  }

  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    Ops tf = ctx.tf();
    Operand<TFloat32> x = inputs.get(0);
    int rank = x.shape().numDimensions();
    int a = resolveAxis(rank);
    long channels = movingMean.shape()[0];
    Operand<TFloat32> mm = movingMean.variable().value();
    Operand<TFloat32> mv = movingVariance.variable().value();
    Operand<TFloat32> g = scale ? gamma.variable().value() : null;
    Operand<TFloat32> b = center ? beta.variable().value() : null;

    boolean fused = rank == 4 && a == 3 && epsilon >= FUSED_MIN_EPSILON;
    Boolean phase = ctx.learningPhase();
    if (Boolean.FALSE.equals(phase)) {
      // A test or predict step's own pass: the moving statistics only, no batch statistics and
      // no updates (Keras 2.3.1's inference branch, by tf.nn.batch_normalization's arithmetic).
      return normalize(
          tf, x, mm, mv, b, g, epsilon, fused ? null : broadcastShape(rank, a, channels));
    }
    Operand<TFloat32> out;
    Operand<TFloat32> batchMean;
    Operand<TFloat32> biasedVariance;
    if (fused) {
      Operand<TFloat32> g1 = g != null ? g : tf.fill(tf.constant(new long[] {channels}), one(tf));
      Operand<TFloat32> b1 =
          b != null ? b : tf.fill(tf.constant(new long[] {channels}), tf.constant(0f));
      Operand<TFloat32> empty = tf.constant(new float[0]);
      FusedBatchNorm<TFloat32, TFloat32> train =
          tf.nn.fusedBatchNorm(
              x,
              g1,
              b1,
              empty,
              empty,
              FusedBatchNorm.epsilon((float) epsilon),
              FusedBatchNorm.dataFormat("NHWC"),
              FusedBatchNorm.isTraining(true));
      if (Boolean.TRUE.equals(phase)) {
        out = train.y();
      } else {
        // A phase fed at run time: test and predict steps take the moving statistics, by
        // tf.nn.batch_normalization's arithmetic (Keras 2.3.1's inference on TensorFlow 2; cheaper
        // here than the fused kernel's inference mode). Its gradient is zero in training steps (the
        // select takes the other branch), so it is kept out of the backward pass.
        Operand<TFloat32> infer =
            normalize(
                tf,
                tf.stopGradient(x),
                mm,
                mv,
                b == null ? null : tf.stopGradient(b),
                g == null ? null : tf.stopGradient(g),
                epsilon,
                null);
        out = tf.select(ctx.training(), train.y(), infer);
      }
      batchMean = train.batchMean();
      // The kernel returns the unbiased variance n/(n-1) * var (var itself when n = 1).
      Operand<TFloat32> n = sampleSize(tf, x, channels);
      Operand<TFloat32> unbias = tf.math.div(tf.math.maximum(tf.math.sub(n, one(tf)), one(tf)), n);
      biasedVariance = tf.math.mul(train.batchVariance(), unbias);
    } else {
      int[] reduction = new int[rank - 1];
      for (int i = 0, k = 0; i < rank; i++) if (i != a) reduction[k++] = i;
      Operand<TInt32> axes = tf.constant(reduction);
      Operand<TInt32> paramShape = tf.constant(new int[] {(int) channels});
      // tf.nn.moments, as Keras 2.3.1's normalize_batch_in_training calls it.
      Operand<TFloat32> meanKept = tf.math.mean(x, axes, Mean.keepDims(true));
      Operand<TFloat32> varKept =
          tf.math.mean(
              tf.math.squaredDifference(x, tf.stopGradient(meanKept)), axes, Mean.keepDims(true));
      batchMean = tf.reshape(meanKept, paramShape);
      biasedVariance = tf.reshape(varKept, paramShape);
      // One normalization for both phases: only the statistics depend on the learning phase.
      Operand<TFloat32> mean =
          Boolean.TRUE.equals(phase) ? batchMean : tf.select(ctx.training(), batchMean, mm);
      Operand<TFloat32> variance =
          Boolean.TRUE.equals(phase)
              ? biasedVariance
              : tf.select(ctx.training(), biasedVariance, mv);
      out = normalize(tf, x, mean, variance, b, g, epsilon, broadcastShape(rank, a, channels));
    }
    // Keras 2.3.1's updates belong to trainable layers only (Layer.updates is empty otherwise).
    if (trainable()) {
      Operand<TFloat32> n = sampleSize(tf, x, channels);
      // Keras 2.3.1: variance *= n / (n - (1.0 + epsilon)).
      Operand<TFloat32> corrected =
          tf.math.mul(
              biasedVariance, tf.math.div(n, tf.math.sub(n, tf.constant((float) (1.0 + epsilon)))));
      ctx.addUpdate(movingAverage(ctx, movingMean.variable(), batchMean));
      ctx.addUpdate(movingAverage(ctx, movingVariance.variable(), corrected));
    }
    return out;
  }

  private static Operand<TFloat32> one(Ops tf) {
    return tf.constant(1f);
  }

  /** The number of values behind each feature's statistics, as float32 (Keras' sample_size). */
  private static Operand<TFloat32> sampleSize(Ops tf, Operand<TFloat32> x, long channels) {
    return tf.dtypes.cast(
        tf.math.floorDiv(tf.size(x), tf.constant((int) channels)), TFloat32.class);
  }

  /** Keras 2.3.1's {@code K.moving_average_update}: {@code x - (x - value) * (1 - momentum)}. */
  private Operand<TFloat32> decay(Ops tf) {
    return tf.constant((float) (1.0 - momentum));
  }

  private org.tensorflow.op.Op movingAverage(
      CallContext ctx, KerasVariable v, Operand<TFloat32> value) {
    Ops tf = ctx.tf();
    Operand<TFloat32> current = v.value();
    // Built through the context, so multi-worker training can average it over the workers.
    return ctx.assign(v, tf.math.sub(current, tf.math.mul(tf.math.sub(current, value), decay(tf))));
  }

  /** The shape that broadcasts a per-feature vector against the input, or null when [C] does. */
  static int[] broadcastShape(int rank, int a, long channels) {
    if (a == rank - 1) return null;
    int[] s = new int[rank];
    java.util.Arrays.fill(s, 1);
    s[a] = (int) channels;
    return s;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("axis", axis);
    c.put("momentum", momentum);
    putArguments(c);
    c.put("moving_mean_initializer", Initializers.serialize(movingMeanInitializer));
    c.put("moving_variance_initializer", Initializers.serialize(movingVarianceInitializer));
    putPenaltiesAndConstraints(c);
    return c;
  }

  /** Builds a {@link BatchNormalization}; defaults are Keras 2.3.1's. */
  public static final class Builder extends Normalization.Builder<Builder> {
    private int axis = AXIS_DEFAULT;
    private double momentum = MOMENTUM_DEFAULT;
    private Initializer movingMeanInitializer = Initializers.get(MOVING_MEAN_INITIALIZER_DEFAULT);
    private Initializer movingVarianceInitializer =
        Initializers.get(MOVING_VARIANCE_INITIALIZER_DEFAULT);

    private Builder() {}

    /**
     * {@code axis} (Keras {@code axis}): the features axis, normalized per index; the others are
     * reduced. Default -1 (channels_last); 1 for channels_first convolutions.
     */
    public Builder axis(int axis) {
      this.axis = axis;
      return this;
    }

    /**
     * {@code momentum} (Keras {@code momentum}) of the moving averages, in [0, 1]. Default 0.99.
     */
    public Builder momentum(double momentum) {
      if (!(momentum >= 0 && momentum <= 1))
        throw Errors.invalidArgument("momentum", "a float in [0, 1]", momentum);
      this.momentum = momentum;
      return this;
    }

    /** {@code movingMeanInitializer} (Keras {@code moving_mean_initializer}). Default zeros. */
    public Builder movingMeanInitializer(Object init) {
      this.movingMeanInitializer = Initializers.get(init);
      return this;
    }

    /**
     * {@code movingVarianceInitializer} (Keras {@code moving_variance_initializer}). Default ones.
     */
    public Builder movingVarianceInitializer(Object init) {
      this.movingVarianceInitializer = Initializers.get(init);
      return this;
    }

    public BatchNormalization build() {
      return new BatchNormalization(this);
    }
  }
}
