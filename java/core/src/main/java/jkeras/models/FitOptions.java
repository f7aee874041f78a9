package jkeras.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jkeras.callbacks.Callback;
import jkeras.data.ArrayData;
import jkeras.data.NDArray;
import jkeras.internal.Errors;

/**
 * Keras 2.3.1's {@code fit} keyword arguments, with Keras' defaults. Immutable.
 *
 * <pre>{@code
 * model.fit(x, y, FitOptions.builder().epochs(10).batchSize(32).validationSplit(0.2).build());
 * }</pre>
 */
public final class FitOptions {
  public static final int BATCH_SIZE_DEFAULT = 32;
  public static final int EPOCHS_DEFAULT = 1;
  public static final int VERBOSE_DEFAULT = 1;
  public static final double VALIDATION_SPLIT_DEFAULT = 0.0;
  public static final boolean SHUFFLE_DEFAULT = true;
  public static final int INITIAL_EPOCH_DEFAULT = 0;
  public static final int VALIDATION_FREQ_DEFAULT = 1;
  public static final int MAX_QUEUE_SIZE_DEFAULT = 10;
  public static final int WORKERS_DEFAULT = 1;
  public static final boolean USE_MULTIPROCESSING_DEFAULT = false;

  private final Integer batchSize;
  private final int epochs;
  private final int verbose;
  private final List<Callback> callbacks;
  private final double validationSplit;
  private final ArrayData validationX;
  private final ArrayData validationY;
  private final NDArray validationSampleWeight;
  private final boolean shuffle;
  private final Map<Integer, Double> classWeight;
  private final NDArray sampleWeight;
  private final int initialEpoch;
  private final Integer stepsPerEpoch;
  private final Integer validationSteps;
  private final List<Integer> validationFreqEpochs;
  private final int validationFreq;
  private final Object validationGenerator;
  private final int maxQueueSize;
  private final int workers;
  private final boolean useMultiprocessing;

  private FitOptions(Builder b) {
    validationGenerator = b.validationGenerator;
    maxQueueSize = b.maxQueueSize;
    workers = b.workers;
    useMultiprocessing = b.useMultiprocessing;
    batchSize = b.batchSize;
    epochs = b.epochs;
    verbose = b.verbose;
    callbacks = List.copyOf(b.callbacks);
    validationSplit = b.validationSplit;
    validationX = b.validationX;
    validationY = b.validationY;
    validationSampleWeight = b.validationSampleWeight;
    shuffle = b.shuffle;
    classWeight = b.classWeight == null ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.classWeight));
    sampleWeight = b.sampleWeight;
    initialEpoch = b.initialEpoch;
    stepsPerEpoch = b.stepsPerEpoch;
    validationSteps = b.validationSteps;
    validationFreq = b.validationFreq;
    validationFreqEpochs = b.validationFreqEpochs == null ? null : List.copyOf(b.validationFreqEpochs);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** All defaults: {@code fit(x, y)}. */
  public static FitOptions defaults() {
    return builder().build();
  }

  public Integer batchSize() { return batchSize; }
  public int epochs() { return epochs; }
  public int verbose() { return verbose; }
  public List<Callback> callbacks() { return callbacks; }
  public double validationSplit() { return validationSplit; }
  public ArrayData validationX() { return validationX; }
  public ArrayData validationY() { return validationY; }
  public NDArray validationSampleWeight() { return validationSampleWeight; }
  public boolean shuffle() { return shuffle; }
  public Map<Integer, Double> classWeight() { return classWeight; }
  public NDArray sampleWeight() { return sampleWeight; }
  public int initialEpoch() { return initialEpoch; }
  public Integer stepsPerEpoch() { return stepsPerEpoch; }
  public Integer validationSteps() { return validationSteps; }
  /** A Sequence or Iterator given as {@code validation_data}, or null. */
  public Object validationGenerator() { return validationGenerator; }
  public int maxQueueSize() { return maxQueueSize; }
  public int workers() { return workers; }
  public boolean useMultiprocessing() { return useMultiprocessing; }
  /** Whether any validation data was given (arrays or a generator). */
  public boolean hasValidationData() { return validationX != null || validationGenerator != null; }
  /** {@code validationFreq} as given: an Integer or a List of epochs. */
  public Object validationFreq() { return validationFreqEpochs != null ? validationFreqEpochs : validationFreq; }

  /** A builder holding these options, to change some of them. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.batchSize = batchSize;
    b.epochs = epochs;
    b.verbose = verbose;
    b.callbacks.addAll(callbacks);
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
    b.maxQueueSize = maxQueueSize;
    b.workers = workers;
    b.useMultiprocessing = useMultiprocessing;
    return b;
  }

  /** Whether validation runs after epoch {@code epoch} (0-based), Keras' {@code should_run_validation}. */
  public boolean shouldValidate(int epoch) {
    if (validationFreqEpochs != null) return validationFreqEpochs.contains(epoch + 1);
    return (epoch + 1) % validationFreq == 0;
  }

  /** Builds {@link FitOptions}; arguments are checked in {@link #build()}. */
  public static final class Builder {
    private Integer batchSize;
    private int epochs = EPOCHS_DEFAULT;
    private int verbose = VERBOSE_DEFAULT;
    private final List<Callback> callbacks = new ArrayList<>();
    private double validationSplit = VALIDATION_SPLIT_DEFAULT;
    private ArrayData validationX;
    private ArrayData validationY;
    private NDArray validationSampleWeight;
    private boolean shuffle = SHUFFLE_DEFAULT;
    private Map<Integer, Double> classWeight;
    private NDArray sampleWeight;
    private int initialEpoch = INITIAL_EPOCH_DEFAULT;
    private Integer stepsPerEpoch;
    private Integer validationSteps;
    private int validationFreq = VALIDATION_FREQ_DEFAULT;
    private List<Integer> validationFreqEpochs;
    private Object validationGenerator;
    private int maxQueueSize = MAX_QUEUE_SIZE_DEFAULT;
    private int workers = WORKERS_DEFAULT;
    private boolean useMultiprocessing = USE_MULTIPROCESSING_DEFAULT;

    /** {@code batchSize} (Keras {@code batch_size}): samples per step. Default 32 (none with stepsPerEpoch). */
    public Builder batchSize(Integer batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /** {@code epochs} (Keras {@code epochs}): the index of the final epoch (exclusive). Default 1. */
    public Builder epochs(int epochs) {
      this.epochs = epochs;
      return this;
    }

    /** {@code verbose} (Keras {@code verbose}): 0 silent, 1 progress bar, 2 one line per epoch. Default 1. */
    public Builder verbose(int verbose) {
      this.verbose = verbose;
      return this;
    }

    /** {@code callbacks} (Keras {@code callbacks}). Default none. */
    public Builder callbacks(List<? extends Callback> callbacks) {
      this.callbacks.clear();
      this.callbacks.addAll(callbacks);
      return this;
    }

    /** {@code callbacks} (Keras {@code callbacks}). Default none. */
    public Builder callbacks(Callback... callbacks) {
      return callbacks(List.of(callbacks));
    }

    /** {@code validationSplit} (Keras {@code validation_split}): the last fraction of the data held out. Default 0. */
    public Builder validationSplit(double validationSplit) {
      this.validationSplit = validationSplit;
      return this;
    }

    /** {@code validationData} (Keras {@code validation_data=(x_val, y_val)}). */
    public Builder validationData(ArrayData x, ArrayData y) {
      return validationData(x, y, null);
    }

    /** {@code validationData} (Keras {@code validation_data=(x_val, y_val, val_sample_weights)}). */
    public Builder validationData(ArrayData x, ArrayData y, NDArray sampleWeight) {
      if (x == null || y == null) {
        throw new IllegalArgumentException(
            "`validation_data` should be a tuple `(val_x, val_y, val_sample_weight)` or `(val_x, val_y)`. Found: ("
                + x + ", " + y + ")");
      }
      this.validationX = x;
      this.validationY = y;
      this.validationSampleWeight = sampleWeight;
      this.validationGenerator = null;
      return this;
    }

    /** {@code validationData} (Keras {@code validation_data}) as a Sequence. */
    public Builder validationData(jkeras.utils.Sequence sequence) {
      this.validationGenerator = java.util.Objects.requireNonNull(sequence, "validationData");
      this.validationX = null;
      this.validationY = null;
      return this;
    }

    /** {@code validationData} (Keras {@code validation_data}) as a generator of batches. */
    public Builder validationData(java.util.Iterator<?> generator) {
      this.validationGenerator = java.util.Objects.requireNonNull(generator, "validationData");
      this.validationX = null;
      this.validationY = null;
      return this;
    }

    /** {@code maxQueueSize} (Keras {@code max_queue_size}): batches prepared ahead. Default 10. */
    public Builder maxQueueSize(int maxQueueSize) {
      this.maxQueueSize = maxQueueSize;
      return this;
    }

    /** {@code workers} (Keras {@code workers}): 0 runs the generator on the training thread. Default 1. */
    public Builder workers(int workers) {
      this.workers = workers;
      return this;
    }

    /**
     * {@code useMultiprocessing} (Keras {@code use_multiprocessing}): Python sources run in worker
     * processes; Java sources always use threads (JVM threads have no GIL). Default false.
     */
    public Builder useMultiprocessing(boolean useMultiprocessing) {
      this.useMultiprocessing = useMultiprocessing;
      return this;
    }

    /** {@code shuffle} (Keras {@code shuffle}): shuffle the training samples before each epoch. Default true. */
    public Builder shuffle(boolean shuffle) {
      this.shuffle = shuffle;
      return this;
    }

    /** {@code classWeight} (Keras {@code class_weight}): class index to loss weight. Default none. */
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

    /** {@code stepsPerEpoch} (Keras {@code steps_per_epoch}): with arrays, each step uses all the data. */
    public Builder stepsPerEpoch(Integer stepsPerEpoch) {
      this.stepsPerEpoch = stepsPerEpoch;
      return this;
    }

    /** {@code validationSteps} (Keras {@code validation_steps}): with {@code stepsPerEpoch}. */
    public Builder validationSteps(Integer validationSteps) {
      this.validationSteps = validationSteps;
      return this;
    }

    /** {@code validationFreq} (Keras {@code validation_freq}): validate every n epochs. Default 1. */
    public Builder validationFreq(int validationFreq) {
      if (validationFreq < 1) throw new IllegalArgumentException("`validation_freq` can not be less than 1.");
      this.validationFreq = validationFreq;
      this.validationFreqEpochs = null;
      return this;
    }

    /** {@code validationFreq} as a list of (1-based) epochs to validate after. */
    public Builder validationFreq(List<Integer> epochs) {
      this.validationFreqEpochs = List.copyOf(epochs);
      return this;
    }

    public FitOptions build() {
      if (batchSize != null && batchSize <= 0) throw Errors.invalidArgument("batchSize", "a positive integer", batchSize);
      if (epochs < 0) throw Errors.invalidArgument("epochs", "a non-negative integer", epochs);
      if (verbose < 0) throw Errors.invalidArgument("verbose", "0, 1 or 2", verbose);
      if (!(validationSplit >= 0 && validationSplit < 1)) {
        throw Errors.invalidArgument("validationSplit", "a float in [0, 1)", validationSplit);
      }
      if (initialEpoch < 0) throw Errors.invalidArgument("initialEpoch", "a non-negative integer", initialEpoch);
      if (stepsPerEpoch != null && stepsPerEpoch <= 0) throw Errors.invalidArgument("stepsPerEpoch", "a positive integer or null", stepsPerEpoch);
      if (validationSteps != null && validationSteps <= 0) throw Errors.invalidArgument("validationSteps", "a positive integer or null", validationSteps);
      if (maxQueueSize <= 0) throw Errors.invalidArgument("maxQueueSize", "a positive integer", maxQueueSize);
      if (workers < 0) throw Errors.invalidArgument("workers", "a non-negative integer", workers);
      if (stepsPerEpoch != null && batchSize != null) {
        throw new IllegalArgumentException("If steps_per_epoch is set, the `batch_size` must be None.");
      }
      return new FitOptions(this);
    }
  }
}
