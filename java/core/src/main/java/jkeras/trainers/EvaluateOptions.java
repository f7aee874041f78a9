package jkeras.trainers;

import java.util.List;
import java.util.Map;
import jkeras.data.NDArray;
import jkeras.internal.Errors;

/**
 * Keras 2.3.1's {@code evaluate} (and {@code evaluate_generator}) keyword arguments, with Keras'
 * defaults. Immutable. {@code verbose} left unset means the method's default: 1 for {@code
 * evaluate}, 0 for {@code evaluate_generator}.
 */
public final class EvaluateOptions extends TrainerOptions {
  public static final int BATCH_SIZE_DEFAULT = 32;

  /** Keras {@code evaluate(verbose=1)}. */
  public static final int VERBOSE_DEFAULT = 1;

  /**
   * Keras 2.3.1 {@code evaluate_generator(verbose=0)}: unlike {@code evaluate}, silent by default.
   */
  public static final int GENERATOR_VERBOSE_DEFAULT = 0;

  private static final List<String> KEYS = FitOptions.keys("sample_weight", "steps");

  private final NDArray sampleWeight;
  private final Integer steps;

  private EvaluateOptions(Builder b) {
    super(b);
    sampleWeight = b.sampleWeight;
    steps = b.steps;
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

  /** {@code verbose} as given, else {@code evaluate}'s default (1). */
  @Override
  public int verbose() {
    return verboseOr(VERBOSE_DEFAULT);
  }

  public NDArray sampleWeight() {
    return sampleWeight;
  }

  public Integer steps() {
    return steps;
  }

  /** Builds {@link EvaluateOptions}; arguments are checked in {@link #build()}. */
  public static final class Builder extends TrainerOptions.Builder<EvaluateOptions, Builder> {
    private NDArray sampleWeight;
    private Integer steps;

    private Builder() {}

    /** {@code sampleWeight} (Keras {@code sample_weight}): one weight per sample, arrays only. */
    public Builder sampleWeight(NDArray sampleWeight) {
      this.sampleWeight = sampleWeight;
      return this;
    }

    /**
     * {@code steps} (Keras {@code steps}): a stream's batches to use; with arrays, each step
     * evaluates all the data.
     */
    public Builder steps(Integer steps) {
      this.steps = steps;
      return this;
    }

    @Override
    Builder self() {
      return this;
    }

    @Override
    String owner() {
      return "evaluate";
    }

    @Override
    List<String> keys() {
      return KEYS;
    }

    @Override
    void apply(String key, Object value) {
      switch (key) {
        case "sample_weight" -> {
          if (value != null && !(value instanceof NDArray))
            throw Kwargs.typeError(key, "an NDArray", value);
          sampleWeight((NDArray) value);
        }
        case "steps" -> steps(Kwargs.optInt(key, value));
        default -> super.apply(key, value);
      }
    }

    @Override
    EvaluateOptions create() {
      if (steps != null && steps <= 0)
        throw Errors.invalidArgument("steps", "a positive integer or null", steps);
      return new EvaluateOptions(this);
    }
  }
}
