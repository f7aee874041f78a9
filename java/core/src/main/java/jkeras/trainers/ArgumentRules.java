package jkeras.trainers;

import jkeras.data.ArrayData;
import jkeras.data.NDArray;
import jkeras.internal.Errors;

/**
 * The rules that tie a call's arguments together, checked before any data is read or any worker
 * starts (Keras 2.3.1's {@code check_generator_arguments} and the checks at the top of {@code
 * fit}/{@code fit_generator}), in one place. Each option's own range is checked by its builder.
 */
final class ArgumentRules {
  private ArgumentRules() {}

  static void checkFit(boolean stream, ArrayData y, FitOptions o) {
    if (stream) {
      checkStreamInputs(y, o.sampleWeight(), o.batchSize());
      if (o.validationSplit() > 0) {
        throw new IllegalArgumentException(
            "If your data is in the form of a Python generator, you cannot use `validation_split`.");
      }
      return;
    }
    if (y == null) throw Errors.missingTargets();
    if (o.validationGenerator() != null) {
      throw new IllegalArgumentException(
          "`validation_data` as a generator or Sequence needs a generator or Sequence as training data; pass arrays"
              + " `(x_val, y_val)` to fit on arrays.");
    }
    // Keras 2.3.1 fit_loop: validation_steps belongs to step-wise training, which needs it.
    boolean validating = o.validationX() != null || o.validationSplit() > 0;
    if (o.validationSteps() != null && o.stepsPerEpoch() == null) {
      throw new IllegalArgumentException(
          "Can only use `validation_steps` when doing step-wise training, i.e. `steps_per_epoch` must be set.");
    }
    if (o.stepsPerEpoch() != null && validating && o.validationSteps() == null) {
      throw new IllegalArgumentException(
          "Must specify `validation_steps` to perform validation when doing step-wise training.");
    }
  }

  static void checkEvaluate(boolean stream, ArrayData y, EvaluateOptions o) {
    if (stream) checkStreamInputs(y, o.sampleWeight(), o.batchSize());
    else if (y == null) throw Errors.missingTargets();
  }

  static void checkPredict(boolean stream, PredictOptions o) {
    if (stream) checkStreamInputs(null, null, o.batchSize());
  }

  /** K231's {@code check_generator_arguments}: a stream carries its own targets and weights. */
  private static void checkStreamInputs(ArrayData y, NDArray sampleWeight, Integer batchSize) {
    if (y != null) {
      throw new IllegalArgumentException(
          "`y` argument is not supported when data isa generator or Sequence instance. Instead pass targets as the"
              + " second element of the generator.");
    }
    if (sampleWeight != null) {
      throw new IllegalArgumentException(
          "`sample_weight` argument is not supported when data isa generator or Sequence instance. Instead pass"
              + " sample weights as the third element of the generator.");
    }
    if (batchSize != null) {
      throw new IllegalArgumentException(
          "The `batch_size` argument must not be specified when using a generator or Sequence as an input.");
    }
  }
}
