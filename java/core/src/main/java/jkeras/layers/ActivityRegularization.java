package jkeras.layers;

import java.util.List;
import java.util.Map;
import jkeras.backend.CallContext;
import jkeras.internal.Config;
import jkeras.regularizers.L1L2;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code ActivityRegularization(l1=0., l2=0.)}: the identity, adding {@code l1 * sum(|x|) +
 * l2 * sum(x^2)} of its input to the model's loss at each call (Keras 2.3.1: undivided; tf-keras
 * divides it by the batch size).
 */
public final class ActivityRegularization extends PassThroughLayer {
  /** Keras' default {@code l1}. */
  public static final double L1_DEFAULT = 0.0;

  /** Keras' default {@code l2}. */
  public static final double L2_DEFAULT = 0.0;

  private final double l1;
  private final double l2;

  /** {@code ActivityRegularization(l1, l2)}. */
  public ActivityRegularization(double l1, double l2) {
    this(builder().l1(l1).l2(l2));
  }

  private ActivityRegularization(Builder b) {
    super(b);
    this.l1 = b.l1;
    this.l2 = b.l2;
    setActivityRegularizer(new L1L2(l1, l2));
  }

  public static Builder builder() {
    return new Builder();
  }

  public double l1() {
    return l1;
  }

  public double l2() {
    return l2;
  }

  @Override
  public Operand<TFloat32> call(CallContext ctx, List<Operand<TFloat32>> inputs) {
    return inputs.get(0);
  }

  /** Keras' {@code get_config()}: {@code l1}, {@code l2} as given. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("l1", l1);
    c.put("l2", l2);
    return c;
  }

  /** {@code Layers.deserialize} of a Keras {@code ActivityRegularization} config. */
  public static ActivityRegularization fromConfig(Map<String, Object> config) {
    Layers.check("ActivityRegularization", config, "l1", "l2");
    return builder()
        .baseConfig(config)
        .l1(Config.getDouble(config, "l1", L1_DEFAULT))
        .l2(Config.getDouble(config, "l2", L2_DEFAULT))
        .build();
  }

  /** Builds an {@link ActivityRegularization}; defaults are Keras'. */
  public static final class Builder extends Layer.Builder<Builder> {
    private double l1 = L1_DEFAULT;
    private double l2 = L2_DEFAULT;

    /** {@code l1} (Keras {@code l1}): the L1 factor. Default 0. */
    public Builder l1(double l1) {
      this.l1 = l1;
      return this;
    }

    /** {@code l2} (Keras {@code l2}): the L2 factor. Default 0. */
    public Builder l2(double l2) {
      this.l2 = l2;
      return this;
    }

    public ActivityRegularization build() {
      return new ActivityRegularization(this);
    }
  }
}
