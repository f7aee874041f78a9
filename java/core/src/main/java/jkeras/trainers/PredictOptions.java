package jkeras.trainers;

import java.util.List;
import java.util.Map;
import jkeras.internal.Errors;

/**
 * Keras 2.3.1's {@code predict} (and {@code predict_generator}) keyword arguments, with Keras'
 * defaults. Immutable.
 */
public final class PredictOptions extends TrainerOptions {
  public static final int BATCH_SIZE_DEFAULT = 32;

  /** Keras {@code predict(verbose=0)} and {@code predict_generator(verbose=0)}. */
  public static final int VERBOSE_DEFAULT = 0;

  private static final List<String> KEYS = FitOptions.keys("steps");

  private final Integer steps;

  private PredictOptions(Builder b) {
    super(b);
    steps = b.steps;
  }

  public static Builder builder() {
    return new Builder();
  }

  public static PredictOptions defaults() {
    return builder().build();
  }

  /** Keras' keyword form: {@code predict(**kwargs)} by Keras names. */
  public static PredictOptions fromConfig(Map<String, ?> kwargs) {
    return builder().fromConfig(kwargs).build();
  }

  @Override
  public int verbose() {
    return verboseOr(VERBOSE_DEFAULT);
  }

  public Integer steps() {
    return steps;
  }

  /** Builds {@link PredictOptions}; arguments are checked in {@link #build()}. */
  public static final class Builder extends TrainerOptions.Builder<PredictOptions, Builder> {
    private Integer steps;

    private Builder() {}

    /**
     * {@code steps} (Keras {@code steps}): a stream's batches to use; with arrays, each step
     * predicts all the data.
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
      return "predict";
    }

    @Override
    List<String> keys() {
      return KEYS;
    }

    @Override
    void apply(String key, Object value) {
      if (key.equals("steps")) steps(Kwargs.optInt(key, value));
      else super.apply(key, value);
    }

    @Override
    PredictOptions create() {
      if (steps != null && steps <= 0)
        throw Errors.invalidArgument("steps", "a positive integer or null", steps);
      return new PredictOptions(this);
    }
  }
}
