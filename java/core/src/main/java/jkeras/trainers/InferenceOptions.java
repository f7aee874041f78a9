package jkeras.trainers;

import jkeras.internal.Errors;

/**
 * What {@code evaluate} and {@code predict} add to the shared keyword arguments: {@code steps}.
 * Immutable.
 */
abstract class InferenceOptions extends TrainerOptions {
  private final Integer steps;

  InferenceOptions(Builder<?, ?> b, int methodVerbose) {
    super(b, methodVerbose);
    steps = b.steps;
  }

  public Integer steps() {
    return steps;
  }

  /**
   * The builder methods of {@code evaluate} and {@code predict}.
   *
   * @param <O> the options built
   * @param <B> the concrete builder, returned by every setter
   */
  abstract static class Builder<O extends InferenceOptions, B extends Builder<O, B>>
      extends TrainerOptions.Builder<O, B> {
    private Integer steps;

    Builder(String owner, String... ownKeys) {
      super(owner, ownKeys);
    }

    /**
     * {@code steps} (Keras {@code steps}): a stream's batches to use; with arrays, each step runs
     * over all the data.
     */
    public B steps(Integer steps) {
      this.steps = steps;
      return self();
    }

    @Override
    void apply(String key, Object value) {
      if (key.equals("steps")) steps(Kwargs.optInt(key, value));
      else super.apply(key, value);
    }

    @Override
    final O create() {
      if (steps != null && steps <= 0)
        throw Errors.invalidArgument("steps", "a positive integer or null", steps);
      return createChecked();
    }

    /** Builds the options once {@code steps} is checked. */
    abstract O createChecked();
  }
}
