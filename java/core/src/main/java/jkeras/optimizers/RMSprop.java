package jkeras.optimizers;

import java.util.Map;
import jkeras.backend.KerasVariable;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * RMSProp, as Keras 2.3.1 {@code keras.optimizers.RMSprop} (no momentum, not centered).
 *
 * <p>Per parameter: {@code a = rho * a + (1 - rho) * g^2}; {@code p = p - lr * g / (sqrt(a) +
 * epsilon)}.
 *
 * <pre>{@code
 * Optimizer rms = RMSprop.builder().learningRate(1e-3).rho(0.9).build();
 * }</pre>
 */
public final class RMSprop extends RhoOptimizer {
  /** Keras {@code learning_rate=0.001}. */
  public static final double LEARNING_RATE_DEFAULT = 0.001;

  /** Keras {@code rho=0.9}. */
  public static final double RHO_DEFAULT = 0.9;

  /** RMSprop with all Keras defaults. */
  public RMSprop() {
    this(builder());
  }

  /** RMSprop with the given {@code learning_rate} and the other Keras defaults. */
  public RMSprop(double learningRate) {
    this(builder().learningRate(learningRate));
  }

  private RMSprop(Builder b) {
    super(b);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Keras {@code RMSprop.from_config}: accepts the keys of {@link #getConfig()} and the legacy
   * {@code lr}.
   *
   * @throws IllegalArgumentException on an unknown key, or both {@code lr} and {@code
   *     learning_rate}
   */
  public static RMSprop fromConfig(Map<String, ?> config) {
    return builder().fromConfig(config).build();
  }

  @Override
  ParameterUpdate prepare(Step s) {
    Ops tf = s.tf();
    Rate rhoT = s.rate(rho());
    Operand<TFloat32> eps = s.constant(epsilon());
    return (p, g) -> {
      KerasVariable a = s.slot(p, "accumulator");
      Operand<TFloat32> newA = s.movingAverage(rhoT, a.value(), tf.math.square(g));
      s.assign(a, newA);
      Operand<TFloat32> step =
          tf.math.div(tf.math.mul(s.lr(), g), tf.math.add(tf.math.sqrt(newA), eps));
      s.assign(p, tf.math.sub(p.value(), step));
    };
  }

  /** Builder of {@link RMSprop}; defaults are Keras 2.3.1's. */
  public static final class Builder extends RhoBuilder<Builder> {
    private Builder() {
      super("RMSprop", LEARNING_RATE_DEFAULT, RHO_DEFAULT);
    }

    public RMSprop build() {
      return new RMSprop(this);
    }
  }
}
