package jkeras.layers;

import java.util.List;
import java.util.Map;
import jkeras.backend.Weight;
import jkeras.constraints.Constraints;
import jkeras.initializers.Initializers;
import jkeras.internal.Config;
import jkeras.internal.Errors;
import jkeras.regularizers.Regularizers;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * What {@link BatchNormalization} and {@link LayerNormalization} share: {@code gamma * (x - mean) /
 * sqrt(var + epsilon) + beta}, with a learned factor {@code gamma} ({@code scale}) and offset
 * {@code beta} ({@code center}); their arguments, weights ({@code gamma} then {@code beta}, Keras'
 * order) and config entries. The output has the input's shape; masks pass through.
 */
abstract class Normalization extends Layer {
  /**
   * The smallest epsilon for which the fused kernel is used (cuDNN's minimum, as tf-keras decides).
   */
  static final double FUSED_MIN_EPSILON = 1.001e-5;

  final double epsilon;
  final boolean center;
  final boolean scale;
  private final WeightArgs gammaArgs;
  private final WeightArgs betaArgs;
  Weight gamma;
  Weight beta;

  Normalization(Builder<?> b) {
    super(b);
    this.epsilon = b.epsilon;
    this.center = b.center;
    this.scale = b.scale;
    this.gammaArgs = b.gamma.copy();
    this.betaArgs = b.beta.copy();
  }

  /** Keras: {@code supports_masking = True}; masks pass through (statistics ignore them). */
  @Override
  public boolean supportsMasking() {
    return true;
  }

  @Override
  public long[] computeOutputShape(List<long[]> inputShapes) {
    return inputShapes.get(0);
  }

  /** Declares {@code gamma} (with {@code scale}) then {@code beta} (with {@code center}). */
  void addGammaAndBeta(long[] shape) {
    if (scale) gamma = gammaArgs.addTo(this, "gamma", shape);
    if (center) beta = betaArgs.addTo(this, "beta", shape);
  }

  /**
   * {@code tf.nn.batch_normalization}'s arithmetic: {@code inv = rsqrt(var + eps) * gamma; x * inv
   * + (beta - mean * inv)}, with per-feature vectors reshaped to {@code broadcast} when not null.
   */
  static Operand<TFloat32> normalize(
      Ops tf,
      Operand<TFloat32> x,
      Operand<TFloat32> mean,
      Operand<TFloat32> variance,
      Operand<TFloat32> offset,
      Operand<TFloat32> scale,
      double epsilon,
      int[] broadcast) {
    Operand<TFloat32> inv = tf.math.rsqrt(tf.math.add(variance, tf.constant((float) epsilon)));
    if (scale != null) inv = tf.math.mul(inv, scale);
    Operand<TFloat32> shift =
        offset != null
            ? tf.math.sub(offset, tf.math.mul(mean, inv))
            : tf.math.neg(tf.math.mul(mean, inv));
    if (broadcast != null) {
      Operand<TInt32> bs = tf.constant(broadcast);
      inv = tf.reshape(inv, bs);
      shift = tf.reshape(shift, bs);
    }
    return tf.math.add(tf.math.mul(x, inv), shift);
  }

  /**
   * Keras' config entries {@code epsilon}, {@code center}, {@code scale}, {@code beta_initializer},
   * {@code gamma_initializer}.
   */
  void putArguments(Map<String, Object> c) {
    c.put("epsilon", epsilon);
    c.put("center", center);
    c.put("scale", scale);
    betaArgs.putInitializer(c);
    gammaArgs.putInitializer(c);
  }

  /**
   * Keras' config entries {@code beta_regularizer}, {@code gamma_regularizer}, {@code
   * beta_constraint}, {@code gamma_constraint}.
   */
  void putPenaltiesAndConstraints(Map<String, Object> c) {
    betaArgs.putRegularizer(c);
    gammaArgs.putRegularizer(c);
    betaArgs.putConstraint(c);
    gammaArgs.putConstraint(c);
  }

  /**
   * The arguments both normalizations take; defaults are Keras'.
   *
   * @param <B> the concrete builder, for chaining
   */
  @SuppressWarnings("unchecked")
  abstract static class Builder<B extends Builder<B>> extends Layer.Builder<B> {
    double epsilon = BatchNormalization.EPSILON_DEFAULT;
    boolean center = BatchNormalization.CENTER_DEFAULT;
    boolean scale = BatchNormalization.SCALE_DEFAULT;
    final WeightArgs beta = new WeightArgs("beta", BatchNormalization.BETA_INITIALIZER_DEFAULT);
    final WeightArgs gamma = new WeightArgs("gamma", BatchNormalization.GAMMA_INITIALIZER_DEFAULT);

    /** {@code epsilon} (Keras {@code epsilon}): added to the variance. Default 1e-3. */
    public B epsilon(double epsilon) {
      if (!(epsilon >= 0)) throw Errors.invalidArgument("epsilon", "a non-negative float", epsilon);
      this.epsilon = epsilon;
      return (B) this;
    }

    /** {@code center} (Keras {@code center}): learn an offset {@code beta}. Default true. */
    public B center(boolean center) {
      this.center = center;
      return (B) this;
    }

    /** {@code scale} (Keras {@code scale}): learn a factor {@code gamma}. Default true. */
    public B scale(boolean scale) {
      this.scale = scale;
      return (B) this;
    }

    /** {@code betaInitializer} (Keras {@code beta_initializer}). Default zeros. */
    public B betaInitializer(Object init) {
      beta.initializer = Initializers.get(init);
      return (B) this;
    }

    /** {@code gammaInitializer} (Keras {@code gamma_initializer}). Default ones. */
    public B gammaInitializer(Object init) {
      gamma.initializer = Initializers.get(init);
      return (B) this;
    }

    /**
     * {@code betaRegularizer} (Keras {@code beta_regularizer}): a Regularizer, an identifier or a
     * config map. Default none.
     */
    public B betaRegularizer(Object r) {
      beta.regularizer = Regularizers.get(r);
      return (B) this;
    }

    /** {@code gammaRegularizer} (Keras {@code gamma_regularizer}): as {@link #betaRegularizer}. */
    public B gammaRegularizer(Object r) {
      gamma.regularizer = Regularizers.get(r);
      return (B) this;
    }

    /**
     * {@code betaConstraint} (Keras {@code beta_constraint}): applied to beta after each update. A
     * Constraint, an identifier ({@code "non_neg"}) or a config map; default none.
     */
    public B betaConstraint(Object c) {
      beta.constraint = Constraints.get(c);
      return (B) this;
    }

    /** {@code gammaConstraint} (Keras {@code gamma_constraint}): as {@link #betaConstraint}. */
    public B gammaConstraint(Object c) {
      gamma.constraint = Constraints.get(c);
      return (B) this;
    }

    /**
     * Reads {@code epsilon} ({@code epsilonDefault} when absent), {@code center}, {@code scale} and
     * beta's and gamma's initializers, regularizers and constraints from a Keras config.
     */
    B readArguments(Map<String, Object> config, double epsilonDefault) {
      epsilon(Config.getDouble(config, "epsilon", epsilonDefault));
      center(Config.getBoolean(config, "center", true));
      scale(Config.getBoolean(config, "scale", true));
      beta.readConfig(config);
      gamma.readConfig(config);
      return (B) this;
    }
  }
}
