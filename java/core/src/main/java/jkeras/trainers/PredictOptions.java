package jkeras.trainers;

import java.util.Map;

/**
 * Keras 2.3.1's {@code predict} (and {@code predict_generator}) keyword arguments, with Keras'
 * defaults. Immutable.
 */
public final class PredictOptions extends InferenceOptions {
  /** Keras {@code predict(verbose=0)} and {@code predict_generator(verbose=0)}. */
  public static final int VERBOSE_DEFAULT = 0;

  private PredictOptions(Builder b) {
    super(b, VERBOSE_DEFAULT);
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

  /** Builds {@link PredictOptions}; arguments are checked in {@link #build()}. */
  public static final class Builder extends InferenceOptions.Builder<PredictOptions, Builder> {
    private Builder() {
      super("predict", "steps");
    }

    @Override
    PredictOptions createChecked() {
      return new PredictOptions(this);
    }
  }
}
