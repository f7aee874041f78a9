package jkeras.optimizers;

import java.util.Map;
import jkeras.backend.KerasVariable;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Adadelta, as Keras 2.3.1 {@code keras.optimizers.Adadelta}.
 *
 * <p>Per parameter: {@code a = rho * a + (1 - rho) * g^2}; {@code u = g * sqrt(d + epsilon) /
 * sqrt(a + epsilon)}; {@code p = p - lr * u}; {@code d = rho * d + (1 - rho) * u^2}.
 *
 * <pre>{@code
 * Optimizer adadelta = new Adadelta(); // learning_rate=1.0, rho=0.95
 * }</pre>
 */
public final class Adadelta extends RhoOptimizer {
  /** Keras {@code learning_rate=1.0}. */
  public static final double LEARNING_RATE_DEFAULT = 1.0;

  /** Keras {@code rho=0.95}. */
  public static final double RHO_DEFAULT = 0.95;

  /** Adadelta with all Keras defaults. */
  public Adadelta() {
    this(builder());
  }

  /** Adadelta with the given {@code learning_rate} and the other Keras defaults. */
  public Adadelta(double learningRate) {
    this(builder().learningRate(learningRate));
  }

  private Adadelta(Builder b) {
    super(b);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Keras {@code Adadelta.from_config}: accepts the keys of {@link #getConfig()} and the legacy
   * {@code lr}.
   *
   * @throws IllegalArgumentException on an unknown key, or both {@code lr} and {@code
   *     learning_rate}
   */
  public static Adadelta fromConfig(Map<String, ?> config) {
    return builder().fromConfig(config).build();
  }

  @Override
  ParameterUpdate prepare(Step s) {
    Ops tf = s.tf();
    // Unlike the other optimizers, Keras keeps Adadelta's rho a Python float, so 1 - rho is
    // computed in double precision before it becomes a float32 constant.
    Rate rhoT = new Rate(s.constant(rho()), s.constant(1.0 - rho()));
    Operand<TFloat32> eps = s.constant(epsilon());
    return (p, g) -> {
      KerasVariable a = s.slot(p, "accumulator");
      KerasVariable d = s.slot(p, "delta_accumulator");
      Operand<TFloat32> newA = s.movingAverage(rhoT, a.value(), tf.math.square(g));
      s.assign(a, newA);
      Operand<TFloat32> update =
          tf.math.div(
              tf.math.mul(g, tf.math.sqrt(tf.math.add(d.value(), eps))),
              tf.math.sqrt(tf.math.add(newA, eps)));
      s.assign(p, tf.math.sub(p.value(), tf.math.mul(s.lr(), update)));
      s.assign(d, s.movingAverage(rhoT, d.value(), tf.math.square(update)));
    };
  }

  /**
   * {@code ResourceApplyAdadelta}: {@code a = rho * a + (1 - rho) * g^2}, {@code u = sqrt(d +
   * epsilon) * rsqrt(a + epsilon) * g}, {@code p -= lr * u}, {@code d = rho * d + (1 - rho) * u^2}:
   * Keras 2.3.1's formula; the kernel forms {@code 1 - rho} in float32 where Keras subtracts in
   * double precision (a difference of a few 1e-8 in that factor).
   */
  @Override
  ParameterUpdate prepareFused(Step s) {
    Ops tf = s.tf();
    Operand<TFloat32> rho = s.constant(rho());
    Operand<TFloat32> eps = s.constant(epsilon());
    return (p, g) -> {
      KerasVariable a = s.slot(p, "accumulator");
      KerasVariable d = s.slot(p, "delta_accumulator");
      s.apply(
          tf.train.resourceApplyAdadelta(p.handle(), a.handle(), d.handle(), s.lr(), rho, eps, g));
    };
  }

  /** Builder of {@link Adadelta}; defaults are Keras 2.3.1's. */
  public static final class Builder extends RhoBuilder<Builder> {
    private Builder() {
      super("Adadelta", LEARNING_RATE_DEFAULT, RHO_DEFAULT);
    }

    public Adadelta build() {
      return new Adadelta(this);
    }
  }
}
