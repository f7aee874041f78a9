package jkeras.trainers;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import jkeras.data.ArrayData;
import jkeras.data.Batch;
import jkeras.data.NDArray;
import jkeras.internal.Errors;
import jkeras.internal.PyRepr;
import jkeras.utils.Sequence;

/**
 * Keras 2.3.1's {@code fit} (and {@code fit_generator}) keyword arguments, with Keras' defaults.
 * Immutable.
 *
 * <pre>{@code
 * model.fit(x, y, FitOptions.builder().epochs(10).batchSize(32).validationSplit(0.2).build());
 * model.fit(x, y, FitOptions.fromConfig(Map.of("epochs", 10, "batch_size", 32)));   // Keras keywords
 * }</pre>
 */
public final class FitOptions extends TrainerOptions {
  public static final int EPOCHS_DEFAULT = 1;
  public static final int VERBOSE_DEFAULT = 1;
  public static final double VALIDATION_SPLIT_DEFAULT = 0.0;
  public static final boolean SHUFFLE_DEFAULT = true;
  public static final int INITIAL_EPOCH_DEFAULT = 0;
  public static final int VALIDATION_FREQ_DEFAULT = 1;

  private static final String VALIDATION_DATA_ERROR =
      "`validation_data` should be a tuple `(val_x, val_y, val_sample_weight)` or `(val_x, val_y)`. Found: ";

  private final int epochs;
  private final double validationSplit;
  private final ArrayData validationX;
  private final ArrayData validationY;
  private final NDArray validationSampleWeight;
  private final Object validationGenerator;
  private final boolean shuffle;
  private final Map<Integer, Double> classWeight;
  private final NDArray sampleWeight;
  private final int initialEpoch;
  private final Integer stepsPerEpoch;
  private final Integer validationSteps;
  private final List<Integer> validationFreqEpochs;
  private final int validationFreq;

  private FitOptions(Builder b) {
    super(b, VERBOSE_DEFAULT);
    epochs = b.epochs;
    validationSplit = b.validationSplit;
    validationX = b.validationX;
    validationY = b.validationY;
    validationSampleWeight = b.validationSampleWeight;
    validationGenerator = b.validationGenerator;
    shuffle = b.shuffle;
    classWeight =
        b.classWeight == null
            ? null
            : Collections.unmodifiableMap(new LinkedHashMap<>(b.classWeight));
    sampleWeight = b.sampleWeight;
    initialEpoch = b.initialEpoch;
    stepsPerEpoch = b.stepsPerEpoch;
    validationSteps = b.validationSteps;
    validationFreq = b.validationFreq;
    validationFreqEpochs =
        b.validationFreqEpochs == null ? null : List.copyOf(b.validationFreqEpochs);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** All defaults: {@code fit(x, y)}. */
  public static FitOptions defaults() {
    return builder().build();
  }

  /**
   * Keras' keyword form: {@code fit(**kwargs)} by Keras names, e.g. {@code {"epochs": 10,
   * "validation_split": 0.1}}.
   */
  public static FitOptions fromConfig(Map<String, ?> kwargs) {
    return builder().fromConfig(kwargs).build();
  }

  public int epochs() {
    return epochs;
  }

  public double validationSplit() {
    return validationSplit;
  }

  public ArrayData validationX() {
    return validationX;
  }

  public ArrayData validationY() {
    return validationY;
  }

  public NDArray validationSampleWeight() {
    return validationSampleWeight;
  }

  public boolean shuffle() {
    return shuffle;
  }

  public Map<Integer, Double> classWeight() {
    return classWeight;
  }

  public NDArray sampleWeight() {
    return sampleWeight;
  }

  public int initialEpoch() {
    return initialEpoch;
  }

  public Integer stepsPerEpoch() {
    return stepsPerEpoch;
  }

  public Integer validationSteps() {
    return validationSteps;
  }

  /** A Sequence, an Iterator or another stream given as {@code validation_data}, or null. */
  public Object validationGenerator() {
    return validationGenerator;
  }

  /** Whether any validation data was given (arrays or a stream). */
  public boolean hasValidationData() {
    return validationX != null || validationGenerator != null;
  }

  /** {@code validationFreq} as given: an Integer or a List of epochs. */
  public Object validationFreq() {
    return validationFreqEpochs != null ? validationFreqEpochs : validationFreq;
  }

  /**
   * Whether validation runs after epoch {@code epoch} (0-based), Keras' {@code
   * should_run_validation}.
   */
  public boolean shouldValidate(int epoch) {
    if (validationFreqEpochs != null) return validationFreqEpochs.contains(epoch + 1);
    return (epoch + 1) % validationFreq == 0;
  }

  /** A builder holding these options, to change some of them. */
  public Builder toBuilder() {
    Builder b =
        new Builder()
            .batchSize(batchSize())
            .callbacks(callbacks())
            .maxQueueSize(maxQueueSize())
            .workers(workers())
            .useMultiprocessing(useMultiprocessing());
    if (verboseOr(-1) >= 0) b.verbose(verbose());
    b.epochs = epochs;
    b.validationSplit = validationSplit;
    b.validationX = validationX;
    b.validationY = validationY;
    b.validationSampleWeight = validationSampleWeight;
    b.validationGenerator = validationGenerator;
    b.shuffle = shuffle;
    b.classWeight = classWeight;
    b.sampleWeight = sampleWeight;
    b.initialEpoch = initialEpoch;
    b.stepsPerEpoch = stepsPerEpoch;
    b.validationSteps = validationSteps;
    b.validationFreq = validationFreq;
    b.validationFreqEpochs = validationFreqEpochs;
    return b;
  }

  /** Builds {@link FitOptions}; arguments are checked in {@link #build()}. */
  public static final class Builder extends TrainerOptions.Builder<FitOptions, Builder> {
    private int epochs = EPOCHS_DEFAULT;
    private double validationSplit = VALIDATION_SPLIT_DEFAULT;
    private ArrayData validationX;
    private ArrayData validationY;
    private NDArray validationSampleWeight;
    private Object validationGenerator;
    private boolean shuffle = SHUFFLE_DEFAULT;
    private Map<Integer, Double> classWeight;
    private NDArray sampleWeight;
    private int initialEpoch = INITIAL_EPOCH_DEFAULT;
    private Integer stepsPerEpoch;
    private Integer validationSteps;
    private int validationFreq = VALIDATION_FREQ_DEFAULT;
    private List<Integer> validationFreqEpochs;

    private Builder() {
      super(
          "fit",
          "epochs",
          "validation_split",
          "validation_data",
          "shuffle",
          "class_weight",
          "sample_weight",
          "initial_epoch",
          "steps_per_epoch",
          "validation_steps",
          "validation_freq");
    }

    /**
     * {@code epochs} (Keras {@code epochs}): the index of the final epoch (exclusive). Default 1.
     */
    public Builder epochs(int epochs) {
      this.epochs = epochs;
      return this;
    }

    /**
     * {@code validationSplit} (Keras {@code validation_split}): the last fraction of the data held
     * out. Default 0.
     */
    public Builder validationSplit(double validationSplit) {
      this.validationSplit = validationSplit;
      return this;
    }

    /** {@code validationData} (Keras {@code validation_data=(x_val, y_val)}). */
    public Builder validationData(ArrayData x, ArrayData y) {
      return validationData(x, y, null);
    }

    /**
     * {@code validationData} (Keras {@code validation_data=(x_val, y_val, val_sample_weights)}).
     */
    public Builder validationData(ArrayData x, ArrayData y, NDArray sampleWeight) {
      if (x == null || y == null)
        throw new IllegalArgumentException(VALIDATION_DATA_ERROR + "(" + x + ", " + y + ")");
      this.validationX = x;
      this.validationY = y;
      this.validationSampleWeight = sampleWeight;
      this.validationGenerator = null;
      return this;
    }

    /**
     * {@code validationData} (Keras {@code validation_data}) as a stream: a {@link Sequence}, an
     * {@link java.util.Iterator} of batches, or any source a data adapter provider takes.
     */
    public Builder validationData(Object stream) {
      this.validationGenerator = Objects.requireNonNull(stream, "validationData");
      this.validationX = null;
      this.validationY = null;
      this.validationSampleWeight = null;
      return this;
    }

    /**
     * {@code shuffle} (Keras {@code shuffle}): shuffle the training samples before each epoch.
     * Default true.
     */
    public Builder shuffle(boolean shuffle) {
      this.shuffle = shuffle;
      return this;
    }

    /**
     * {@code classWeight} (Keras {@code class_weight}): class index to loss weight. Default none.
     */
    public Builder classWeight(Map<Integer, Double> classWeight) {
      this.classWeight = classWeight;
      return this;
    }

    /** {@code sampleWeight} (Keras {@code sample_weight}): one weight per sample. Default none. */
    public Builder sampleWeight(NDArray sampleWeight) {
      this.sampleWeight = sampleWeight;
      return this;
    }

    /** {@code initialEpoch} (Keras {@code initial_epoch}): the epoch to start at. Default 0. */
    public Builder initialEpoch(int initialEpoch) {
      this.initialEpoch = initialEpoch;
      return this;
    }

    /**
     * {@code stepsPerEpoch} (Keras {@code steps_per_epoch}): with arrays, each step uses all the
     * data.
     */
    public Builder stepsPerEpoch(Integer stepsPerEpoch) {
      this.stepsPerEpoch = stepsPerEpoch;
      return this;
    }

    /**
     * {@code validationSteps} (Keras {@code validation_steps}): with {@code stepsPerEpoch}, or a
     * generator.
     */
    public Builder validationSteps(Integer validationSteps) {
      this.validationSteps = validationSteps;
      return this;
    }

    /**
     * {@code validationFreq} (Keras {@code validation_freq}): validate every n epochs. Default 1.
     */
    public Builder validationFreq(int validationFreq) {
      if (validationFreq < 1)
        throw new IllegalArgumentException("`validation_freq` can not be less than 1.");
      this.validationFreq = validationFreq;
      this.validationFreqEpochs = null;
      return this;
    }

    /** {@code validationFreq} as a list of (1-based) epochs to validate after. */
    public Builder validationFreq(List<Integer> epochs) {
      this.validationFreqEpochs = List.copyOf(epochs);
      return this;
    }

    @Override
    void apply(String key, Object value) {
      switch (key) {
        case "epochs" -> epochs(Kwargs.toInt(key, value));
        case "validation_split" -> validationSplit(Kwargs.toDouble(key, value));
        case "validation_data" -> validationDataKwarg(value);
        case "shuffle" -> shuffle(Kwargs.toBool(key, value));
        case "class_weight" -> classWeight(value == null ? null : Kwargs.classWeight(value));
        case "sample_weight" -> sampleWeight(Kwargs.optNDArray(key, value));
        case "initial_epoch" -> initialEpoch(Kwargs.toInt(key, value));
        case "steps_per_epoch" -> stepsPerEpoch(Kwargs.optInt(key, value));
        case "validation_steps" -> validationSteps(Kwargs.optInt(key, value));
        case "validation_freq" -> {
          Object f = Kwargs.validationFreq(value);
          if (f instanceof Integer i) validationFreq(i);
          else validationFreq(castEpochs(f));
        }
        default -> super.apply(key, value);
      }
    }

    @SuppressWarnings("unchecked")
    private static List<Integer> castEpochs(Object f) {
      return (List<Integer>) f;
    }

    /**
     * Keras' reading of {@code validation_data}: a tuple (a List or {@code Object[]}) of 2 or 3, or
     * a {@link Batch}, is arrays; an empty tuple or an empty Sequence means none (Python's truth
     * test); anything else is a stream.
     */
    private void validationDataKwarg(Object v) {
      if (v == null) return;
      if (v instanceof Sequence s) {
        if (s.size() > 0) validationData((Object) s);
        return;
      }
      List<?> parts = v instanceof Batch ? null : Kwargs.asList(v);
      boolean plainValue =
          v instanceof Number
              || v instanceof CharSequence
              || v instanceof Boolean
              || v instanceof ArrayData;
      if (parts == null && !(v instanceof Batch) && !plainValue) {
        validationData((Object) v);
        return;
      }
      if (plainValue)
        throw new IllegalArgumentException(VALIDATION_DATA_ERROR + Errors.truncate(PyRepr.str(v)));
      Batch batch;
      if (v instanceof Batch given) {
        batch = given;
      } else {
        if (parts.size() != 0 && parts.size() != 2 && parts.size() != 3) {
          throw new IllegalArgumentException(
              VALIDATION_DATA_ERROR + Errors.truncate(PyRepr.str(v)));
        }
        if (parts.isEmpty()) return;
        if (parts.get(0) == null || parts.get(1) == null) {
          throw new IllegalArgumentException(
              VALIDATION_DATA_ERROR + Errors.truncate(PyRepr.str(v)));
        }
        try {
          batch = Batch.from(parts);
        } catch (IllegalArgumentException e) {
          throw Kwargs.typeError(
              "validation_data",
              "a tuple (val_x, val_y[, val_sample_weight]) whose elements are"
                  + " NDArray, List<NDArray> or Map<String, NDArray>",
              v);
        }
      }
      if (batch.y() == null)
        throw new IllegalArgumentException(VALIDATION_DATA_ERROR + Errors.truncate(PyRepr.str(v)));
      ArrayData sw = batch.sampleWeight();
      if (sw != null && !(sw instanceof NDArray)) {
        throw Kwargs.typeError(
            "validation_data",
            "a val_sample_weight that is one NDArray (per-output weights are not supported)",
            v);
      }
      validationData(batch.x(), batch.y(), (NDArray) sw);
    }

    @Override
    FitOptions create() {
      if (epochs < 0) throw Errors.invalidArgument("epochs", "a non-negative integer", epochs);
      if (!(validationSplit >= 0 && validationSplit < 1)) {
        throw Errors.invalidArgument("validationSplit", "a float in [0, 1)", validationSplit);
      }
      if (initialEpoch < 0)
        throw Errors.invalidArgument("initialEpoch", "a non-negative integer", initialEpoch);
      if (stepsPerEpoch != null && stepsPerEpoch <= 0)
        throw Errors.invalidArgument("stepsPerEpoch", "a positive integer or null", stepsPerEpoch);
      if (validationSteps != null && validationSteps <= 0)
        throw Errors.invalidArgument(
            "validationSteps", "a positive integer or null", validationSteps);
      FitOptions o = new FitOptions(this);
      if (stepsPerEpoch != null && o.batchSize() != null) {
        throw new IllegalArgumentException(
            "If steps_per_epoch is set, the `batch_size` must be None.");
      }
      return o;
    }
  }
}
