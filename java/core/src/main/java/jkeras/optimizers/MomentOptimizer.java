package jkeras.optimizers;

import java.util.Map;
import jkeras.internal.Config;

/**
 * Adam and its variants Adamax and Nadam: what they share is Keras' {@code beta_1} and {@code
 * beta_2}, the decay rates of their moving averages of the gradient ({@code m}) and of its square
 * ({@code v}; Adamax: its infinity norm {@code u}), and {@code epsilon}.
 */
public abstract class MomentOptimizer extends Optimizer {
  /** Keras {@code beta_1=0.9}. */
  public static final double BETA_1_DEFAULT = 0.9;

  /** Keras {@code beta_2=0.999}. */
  public static final double BETA_2_DEFAULT = 0.999;

  private final double beta1;
  private final double beta2;

  MomentOptimizer(MomentBuilder<?> b) {
    super(b);
    this.beta1 = b.beta1;
    this.beta2 = b.beta2;
  }

  /** Keras {@code beta_1}. */
  public final double beta1() {
    return beta1;
  }

  /** Keras {@code beta_2}. */
  public final double beta2() {
    return beta2;
  }

  @Override
  void putHyperParameters(Map<String, Object> config) {
    config.put("beta_1", beta1);
    config.put("beta_2", beta2);
  }

  /**
   * The builder of Adam, Adamax and Nadam: {@code beta_1}, {@code beta_2} and {@code epsilon}.
   *
   * @param <B> the concrete builder
   */
  public abstract static class MomentBuilder<B extends MomentBuilder<B>> extends Builder<B> {
    private double beta1 = BETA_1_DEFAULT;
    private double beta2 = BETA_2_DEFAULT;

    MomentBuilder(String className, double learningRateDefault, String... keys) {
      super(className, learningRateDefault, keys);
    }

    /**
     * {@code beta1} (Keras {@code beta_1}): decay of the first moment (the moving average of the
     * gradient). Default {@code 0.9}.
     */
    public B beta1(double beta1) {
      this.beta1 = nonNegative("beta1", beta1);
      return self();
    }

    /**
     * {@code beta2} (Keras {@code beta_2}): decay of the second moment (Adamax: of the infinity
     * norm). Default {@code 0.999}.
     */
    public B beta2(double beta2) {
      this.beta2 = nonNegative("beta2", beta2);
      return self();
    }

    /** {@code epsilon} (Keras {@code epsilon}): fuzz factor. Default {@code K.epsilon() = 1e-7}. */
    public B epsilon(double epsilon) {
      return setEpsilon(epsilon);
    }

    @Override
    void read(String key, Map<String, ?> config) {
      switch (key) {
        case "beta_1" -> beta1(Config.getDouble(config, key, beta1));
        case "beta_2" -> beta2(Config.getDouble(config, key, beta2));
        default -> super.read(key, config);
      }
    }
  }
}
