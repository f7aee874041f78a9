package jkeras.optimizers;

import java.util.Map;
import jkeras.backend.KerasVariable;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Adagrad, as Keras 2.3.1 {@code keras.optimizers.Adagrad}: the accumulators start at zero.
 *
 * <p>Per parameter: {@code a = a + g^2}; {@code p = p - lr * g / (sqrt(a) + epsilon)}.
 *
 * <pre>{@code
 * Optimizer adagrad = Adagrad.builder().learningRate(0.05).build();
 * }</pre>
 */
public final class Adagrad extends Optimizer {
  /** Keras {@code learning_rate=0.01}. */
  public static final double LEARNING_RATE_DEFAULT = 0.01;

  /** Adagrad with all Keras defaults. */
  public Adagrad() {
    this(builder());
  }

  /** Adagrad with the given {@code learning_rate} and the other Keras defaults. */
  public Adagrad(double learningRate) {
    this(builder().learningRate(learningRate));
  }

  private Adagrad(Builder b) {
    super(b);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Keras {@code Adagrad.from_config}: accepts the keys of {@link #getConfig()} and the legacy
   * {@code lr}.
   *
   * @throws IllegalArgumentException on an unknown key, or both {@code lr} and {@code
   *     learning_rate}
   */
  public static Adagrad fromConfig(Map<String, ?> config) {
    return builder().fromConfig(config).build();
  }

  @Override
  ParameterUpdate prepare(Step s) {
    Ops tf = s.tf();
    Operand<TFloat32> eps = s.constant(epsilon());
    return (p, g) -> {
      KerasVariable a = s.slot(p, "accumulator");
      Operand<TFloat32> newA = tf.math.add(a.value(), tf.math.square(g));
      s.assign(a, newA);
      Operand<TFloat32> step =
          tf.math.div(tf.math.mul(s.lr(), g), tf.math.add(tf.math.sqrt(newA), eps));
      s.assign(p, tf.math.sub(p.value(), step));
    };
  }

  /**
   * {@code ResourceApplyAdagradV2}: {@code a += g^2}, {@code p -= lr * g / (sqrt(a) + epsilon)}:
   * Keras 2.3.1's formula (the first Adagrad kernel has no epsilon). TF Java has no wrapper for it,
   * so it is built by type name.
   */
  @Override
  ParameterUpdate prepareFused(Step s) {
    Ops tf = s.tf();
    Operand<TFloat32> eps = s.constant(epsilon());
    return (p, g) -> {
      KerasVariable a = s.slot(p, "accumulator");
      Operation kernel =
          tf.scope()
              .opBuilder("ResourceApplyAdagradV2", "ResourceApplyAdagradV2")
              .addInput(p.handle().asOutput())
              .addInput(a.handle().asOutput())
              .addInput(s.lr().asOutput())
              .addInput(eps.asOutput())
              .addInput(g.asOutput())
              .build();
      s.apply(() -> kernel);
    };
  }

  /** Builder of {@link Adagrad}; defaults are Keras 2.3.1's. */
  public static final class Builder extends AdaptiveBuilder<Builder> {
    private Builder() {
      super("Adagrad", LEARNING_RATE_DEFAULT, "decay", "epsilon");
    }

    public Adagrad build() {
      return new Adagrad(this);
    }
  }
}
