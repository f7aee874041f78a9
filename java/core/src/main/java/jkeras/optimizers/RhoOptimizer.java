package jkeras.optimizers;

import java.util.Map;
import jkeras.internal.Config;

/**
 * RMSprop and Adadelta: what they share is Keras' {@code rho}, the decay rate of their moving
 * average of the squared gradients.
 */
public abstract class RhoOptimizer extends Optimizer {
  private final double rho;

  RhoOptimizer(RhoBuilder<?> b) {
    super(b);
    this.rho = b.rho;
  }

  /** Keras {@code rho}. */
  public final double rho() {
    return rho;
  }

  @Override
  void putHyperParameters(Map<String, Object> config) {
    config.put("rho", rho);
  }

  /**
   * The builder of RMSprop and Adadelta: {@code rho}, {@code decay} and {@code epsilon}.
   *
   * @param <B> the concrete builder
   */
  public abstract static class RhoBuilder<B extends RhoBuilder<B>> extends AdaptiveBuilder<B> {
    private double rho;

    RhoBuilder(String className, double learningRateDefault, double rhoDefault) {
      super(className, learningRateDefault, "rho", "decay", "epsilon");
      this.rho = rhoDefault;
    }

    /**
     * {@code rho} (Keras {@code rho}): decay of the moving average of the squared gradients.
     * Default: the optimizer's {@code RHO_DEFAULT}.
     */
    public B rho(double rho) {
      this.rho = nonNegative("rho", rho);
      return self();
    }

    @Override
    void read(String key, Map<String, ?> config) {
      rho(Config.getDouble(config, key, rho));
    }
  }
}
