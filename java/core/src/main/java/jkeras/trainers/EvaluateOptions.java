package jkeras.trainers;

import java.util.Map;
import jkeras.data.NDArray;

/**
 * Keras 2.3.1's {@code evaluate} (and {@code evaluate_generator}) keyword arguments, with Keras'
 * defaults. Immutable. {@code verbose} left unset means the method's default: 1 for {@code
 * evaluate}, 0 for {@code evaluate_generator}.
 */
public final class EvaluateOptions extends InferenceOptions {
  /** Keras {@code evaluate(verbose=1)}. */
  public static final int VERBOSE_DEFAULT = 1;

  /**
   * Keras 2.3.1 {@code evaluate_generator(verbose=0)}: unlike {@code evaluate}, silent by default.
   */
  public static final int GENERATOR_VERBOSE_DEFAULT = 0;

  private final NDArray sampleWeight;

  private EvaluateOptions(Builder b) {
    super(b, VERBOSE_DEFAULT);
    sampleWeight = b.sampleWeight;
  }

  public static Builder builder() {
    return new Builder();
  }

  public static EvaluateOptions defaults() {
    return builder().build();
  }

  /** Keras' keyword form: {@code evaluate(**kwargs)} by Keras names. */
  public static EvaluateOptions fromConfig(Map<String, ?> kwargs) {
    return builder().fromConfig(kwargs).build();
  }

  public NDArray sampleWeight() {
    return sampleWeight;
  }

  /** Builds {@link EvaluateOptions}; arguments are checked in {@link #build()}. */
  public static final class Builder extends InferenceOptions.Builder<EvaluateOptions, Builder> {
    private NDArray sampleWeight;

    private Builder() {
      super("evaluate", "sample_weight", "steps");
    }

    /** {@code sampleWeight} (Keras {@code sample_weight}): one weight per sample, arrays only. */
    public Builder sampleWeight(NDArray sampleWeight) {
      this.sampleWeight = sampleWeight;
      return this;
    }

    @Override
    void apply(String key, Object value) {
      if (key.equals("sample_weight")) sampleWeight(Kwargs.optNDArray(key, value));
      else super.apply(key, value);
    }

    @Override
    EvaluateOptions createChecked() {
      return new EvaluateOptions(this);
    }
  }
}
